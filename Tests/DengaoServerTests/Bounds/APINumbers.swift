import HTTPTypes

/// Every route of the API, with the numbers a client puts in it: path parameters, query parameters and fields of
/// the JSON body (`@@` marks where the fuzz test writes one). `BoundsFuzzTests.theRouteListIsComplete` holds
/// this list to the router's own.
struct APIRoute: Sendable {
    let method: HTTPRequest.Method
    let path: String
    var query: [String] = []
    /// A JSON body with `@@` where a number goes.
    var body: String? = nil
    /// The fields of a contest's or campaign's settings, fuzzed one by one by their own test.
    var settings = false

    /// Path parameters that hold numbers (ids, a PIN, an attempt's sequence number).
    static let numericParameters: Set<String> = [
        "unit", "invitation", "account", "id", "seq", "pin", "category",
    ]

    var numericPathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }.filter(
            Self.numericParameters.contains)
    }

    var hasNumbers: Bool { !numericPathParameters.isEmpty || !query.isEmpty || body != nil }
}

enum APINumbers {
    static let routes: [APIRoute] = [
        APIRoute(method: .get, path: "/healthz"),
        APIRoute(method: .post, path: "/api/session"),
        APIRoute(method: .get, path: "/api/session"),
        APIRoute(method: .delete, path: "/api/session"),
        APIRoute(method: .post, path: "/api/invitations/redeem"),
        APIRoute(method: .get, path: "/api/me"),
        APIRoute(method: .get, path: "/api/me/history"),
        APIRoute(method: .get, path: "/api/units"),
        APIRoute(method: .post, path: "/api/units", body: #"{"parentId":@@,"name":"模糊单位"}"#),
        APIRoute(method: .patch, path: "/api/units/:unit", body: #"{"parentId":@@}"#),
        APIRoute(method: .delete, path: "/api/units/:unit"),
        APIRoute(method: .get, path: "/api/units/:unit/members", query: ["page", "pageSize", "category"]),
        APIRoute(method: .get, path: "/api/member-categories"),
        APIRoute(method: .post, path: "/api/member-categories"),
        APIRoute(method: .post, path: "/api/member-categories/order", body: #"{"ids":[@@]}"#),
        APIRoute(method: .patch, path: "/api/member-categories/:category"),
        APIRoute(method: .delete, path: "/api/member-categories/:category"),
        APIRoute(method: .get, path: "/api/members/:number"),
        APIRoute(method: .post, path: "/api/members", body: #"{"number":"FZ0001","name":"模糊","unitId":@@}"#),
        APIRoute(method: .patch, path: "/api/members/:number", body: #"{"unitId":@@}"#),
        APIRoute(method: .post, path: "/api/members/:number/invitations"),
        APIRoute(method: .get, path: "/api/members/:number/history"),
        APIRoute(method: .delete, path: "/api/invitations/:invitation"),
        APIRoute(method: .post, path: "/api/units/:unit/invitations"),
        APIRoute(method: .post, path: "/api/units/:unit/invitations/revoke"),
        APIRoute(method: .post, path: "/api/roster", query: ["unit"]),
        APIRoute(method: .get, path: "/api/roster/template.xlsx"),
        APIRoute(method: .get, path: "/api/accounts"),
        APIRoute(
            method: .post, path: "/api/accounts",
            body: #"{"username":"fuzz","password":"correct horse battery","role":"organizer","unitId":@@}"#),
        APIRoute(method: .patch, path: "/api/accounts/:account", body: #"{"unitId":@@}"#),
        APIRoute(method: .delete, path: "/api/accounts/:account"),
        APIRoute(method: .get, path: "/api/banks"),
        APIRoute(method: .post, path: "/api/banks", query: ["unit"]),
        APIRoute(method: .get, path: "/api/banks/:name"),
        APIRoute(
            method: .get, path: "/api/banks/:name/questions", query: ["version", "page", "perPage", "difficulty"]),
        APIRoute(method: .get, path: "/api/banks/:name/export", query: ["version"]),
        APIRoute(method: .get, path: "/api/banks/:name/items"),
        APIRoute(method: .patch, path: "/api/banks/:name", body: #"{"ownerUnitId":@@}"#),
        APIRoute(method: .delete, path: "/api/banks/:name"),
        APIRoute(method: .get, path: "/api/qr"),
        APIRoute(method: .get, path: "/api/qr/member-page"),
        APIRoute(method: .get, path: "/api/contests"),
        APIRoute(method: .post, path: "/api/contests", settings: true),
        APIRoute(method: .get, path: "/api/contests/:id"),
        APIRoute(method: .patch, path: "/api/contests/:id"),
        APIRoute(method: .delete, path: "/api/contests/:id"),
        APIRoute(method: .post, path: "/api/contests/:id/display-link"),
        APIRoute(method: .get, path: "/api/contests/:id/results"),
        APIRoute(method: .get, path: "/api/contests/:id/report"),
        APIRoute(method: .get, path: "/api/contests/:id/items"),
        APIRoute(method: .get, path: "/api/join/:pin"),
        APIRoute(method: .get, path: "/api/join/:pin/qr"),
        APIRoute(method: .get, path: "/api/campaigns"),
        APIRoute(method: .post, path: "/api/campaigns", settings: true),
        APIRoute(method: .get, path: "/api/campaigns/:id"),
        APIRoute(method: .get, path: "/api/campaigns/:id/board"),
        APIRoute(method: .post, path: "/api/campaigns/:id/display-link"),
        APIRoute(method: .get, path: "/api/campaigns/:id/participation", query: ["day", "category"]),
        APIRoute(method: .get, path: "/api/campaigns/:id/results"),
        APIRoute(method: .get, path: "/api/campaigns/:id/report"),
        APIRoute(method: .get, path: "/api/campaigns/:id/items"),
        APIRoute(
            method: .get, path: "/api/reports/participation", query: ["unit", "from", "to", "absent", "category"]),
        APIRoute(method: .get, path: "/api/reports/categories", query: ["unit", "from", "to"]),
        APIRoute(method: .get, path: "/api/climb"),
        APIRoute(method: .get, path: "/api/climb/:id"),
        APIRoute(method: .post, path: "/api/climb/:id/attempts"),
        APIRoute(method: .get, path: "/api/climb/:id/attempts/:seq", query: ["serve"]),
        APIRoute(method: .post, path: "/api/climb/:id/attempts/:seq/answers", body: #"{"index":@@,"picks":[@@]}"#),
        APIRoute(method: .post, path: "/api/climb/:id/attempts/:seq/abandon"),
        APIRoute(method: .get, path: "/api/survey-templates"),
        APIRoute(method: .get, path: "/api/surveys"),
        APIRoute(
            method: .post, path: "/api/surveys",
            body:
                #"{"ownerUnitId":@@,"settings":{"title":"模糊","questions":[{"kind":"rating","prompt":"p","scale":@@}]}}"#
        ),
        APIRoute(method: .get, path: "/api/surveys/:id"),
        APIRoute(method: .post, path: "/api/surveys/:id/close"),
        APIRoute(method: .get, path: "/api/surveys/:id/results"),
        APIRoute(method: .get, path: "/api/surveys/:id/export", query: ["format", "sheet"]),
        APIRoute(method: .get, path: "/api/my/surveys"),
        APIRoute(method: .get, path: "/api/my/surveys/:id"),
        APIRoute(method: .post, path: "/api/my/surveys/:id/responses", body: #"{"answers":[{"rating":@@}]}"#),
        APIRoute(method: .post, path: "/api/campaign-seed", body: #"{"banks":["党章党规党纪"],"levels":@@}"#),
    ]
}
