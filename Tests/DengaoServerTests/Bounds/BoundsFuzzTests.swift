import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DengaoServer

/// No request can stop the server: random and extreme values (0, -1, the limits of Int, 2^53, huge decimal
/// strings, fractions, "NaN", "Infinity", empty, not numbers at all) in every number of the contest and campaign
/// settings and in every numeric path, query and body parameter of every route, on a live server. Never a 5xx,
/// the server still answers /healthz, and a creation either succeeds within the documented bounds or is refused
/// naming the field. Bounded: a few hundred requests per seed, a fixed seed and a fresh one each run (printed in
/// every failure; `DENGAO_FUZZ_SEED` replays one).
@Suite struct BoundsFuzzTests {
    static let seeds: [UInt64] = [
        0x5EED_F022,
        ProcessInfo.processInfo.environment["DENGAO_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max),
    ]

    /// The list the fuzz test walks is the router's: a route added without being listed fails here.
    @Test func theRouteListIsComplete() throws {
        let configuration = testConfiguration()
        let store = try Store(directory: configuration.dataDirectory)
        let journal = Journal(storage: SQLiteStorage(store))
        let logger = Logger(label: "routes")
        let router = buildRouter(
            storage: SQLiteStorage(store), configuration: configuration, passwords: PasswordHasher(cost: 4),
            hub: ContestHub(
                storage: SQLiteStorage(store), journal: journal, logger: logger, silenceLimit: .seconds(75)
            ),
            campaigns: CampaignHub(storage: SQLiteStorage(store), journal: journal, logger: logger), logger: logger)
        let registered = Set(router.routes.map(\.description))
        let listed = Set(APINumbers.routes.map { "\($0.method) \(RouterPath(stringLiteral: $0.path))" })
        #expect(
            registered.subtracting(listed).isEmpty,
            "routes missing from APINumbers: \(registered.subtracting(listed).sorted())")
        #expect(
            listed.subtracting(registered).isEmpty,
            "listed routes that do not exist: \(listed.subtracting(registered).sorted())")
        #expect(listed.count == APINumbers.routes.count)
    }

    /// What the fuzz tests need in place: a unit, a contest, a campaign with a member climbing it.
    struct Fixture: Sendable {
        let admin: SignedInClient
        let member: SignedInClient
        let unitId: Int64
        let contest: CreatedContest
        let campaignId: CampaignID
        let seq: Int

        static func make(_ client: any TestClientProtocol) async throws -> Fixture {
            let admin = try await client.signIn("root")
            let units = try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]]
            let unitId = try #require(units?.last?["id"] as? Int)
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let campaign = try await admin.createCampaign()
            let member = try await admin.memberPhone("DG0001")
            let started = try await member.json(.post, "/api/climb/\(campaign.campaign.id)/attempts")
            let seq = try #require(started.object["seq"] as? Int, "\(started)")
            return Fixture(
                admin: admin, member: member, unitId: Int64(unitId), contest: contest, campaignId: campaign.campaign.id,
                seq: seq)
        }

        /// A real value for a path parameter of `route`, so the request reaches the code behind the rule.
        func valid(_ parameter: String, in route: APIRoute) -> String {
            switch parameter {
            case "unit": String(unitId)
            case "id": route.path.hasPrefix("/api/contests") ? String(contest.contest.id) : String(campaignId)
            case "pin": contest.contest.pin
            case "seq": String(seq)
            case "number": "DG0001"
            case "name": "党章党规党纪".percentEncoded
            default: "1"
            }
        }
    }

    @Test(arguments: seeds) func everyNumericParameterOfEveryRoute(seed: UInt64) async throws {
        try await withLiveApp(try demoConfigurationWithRoot()) { client in
            let fixture = try await Fixture.make(client)
            var fuzz = FuzzValues(seed: seed)
            var sent = 0
            for route in APINumbers.routes where route.hasNumbers {
                for _ in 0..<6 {
                    // Deleting routes never get a real id, nor bodies a real unit: the fuzz must not remove or
                    // move the fixture it runs on.
                    let careful = route.method == .delete
                    var segments: [String] = []
                    for segment in route.path.split(separator: "/") {
                        guard segment.hasPrefix(":") else {
                            segments.append(String(segment))
                            continue
                        }
                        let name = String(segment.dropFirst())
                        if !APIRoute.numericParameters.contains(name)
                            || (!careful && fuzz.random.uniform(below: 3) == 0)
                        {
                            segments.append(fixture.valid(name, in: route))
                        } else {
                            let text = careful ? fuzz.harmlessText() : fuzz.text()
                            segments.append(text.isEmpty ? "0" : text.percentEncoded)
                        }
                    }
                    var query = route.query.compactMap { name -> String? in
                        fuzz.random.uniform(below: 4) == 0 ? nil : "\(name)=\(fuzz.text().percentEncoded)"
                    }
                    if route.path == "/api/banks" { query.append("name=\("模糊题库".percentEncoded)") }
                    let uri =
                        "/" + segments.joined(separator: "/")
                        + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                    var body = route.body
                    while let marker = body?.range(of: "@@") {
                        body!.replaceSubrange(
                            marker,
                            with: route.path.hasPrefix("/api/climb") ? fuzz.jsonLiteral() : fuzz.harmlessLiteral())
                    }
                    if body == nil, route.method == .post || route.method == .patch { body = "{}" }
                    let caller = route.path.hasPrefix("/api/climb") ? fixture.member : fixture.admin
                    let (status, text) = try await caller.raw(route.method, uri, body: body)
                    sent += 1
                    #expect(status < 500, "seed \(seed): \(route.method) \(uri) \(body ?? "") → \(status) \(text)")
                    if status >= 400 {
                        #expect(
                            text.contains("\"error\""),
                            "seed \(seed): \(route.method) \(uri) → \(status) without a message: \(text)")
                    }
                }
                #expect(try await client.healthy(), "seed \(seed): /healthz after \(route.method) \(route.path)")
            }
            #expect(sent > 100)
        }
    }

    /// A contest's settings with every field present, so walking its JSON finds every number.
    static let fullContest = ContestSettings(
        title: "边界竞赛", graceMilliseconds: 500,
        rounds: [
            RoundSettings(
                title: "抢答", kind: .buzz, banks: ["党章党规党纪"], draw: DrawRule(count: 2, types: [.single, .trueFalse]),
                timeLimitSeconds: 20, points: 100, streakBonus: 10, readSeconds: 3, answerSeconds: 10,
                earlyBuzzPenalty: 50,
                wrongAnswerPenalty: 100, wagers: [10, 20, 30])
        ])

    static let contestFields = [
        "settings.graceMilliseconds", "settings.rounds[0].timeLimitSeconds", "settings.rounds[0].points",
        "settings.rounds[0].streakBonus", "settings.rounds[0].readSeconds", "settings.rounds[0].answerSeconds",
        "settings.rounds[0].earlyBuzzPenalty", "settings.rounds[0].wrongAnswerPenalty", "settings.rounds[0].wagers[1]",
        "settings.rounds[0].draw.count", "settings.rounds[0].draw.minDifficulty",
        "settings.rounds[0].draw.maxDifficulty",
    ]

    static let fullCampaign = CampaignSettings(
        title: "边界登高", startDate: "2026-01-01", endDate: "2099-12-31", banks: ["党章党规党纪"],
        levels: [
            LevelSettings(
                title: "第1关", draw: DrawRule(count: 3, types: [.trueFalse]), timeLimit: .perQuestion(seconds: 60)),
            LevelSettings(
                title: "第2关", draw: DrawRule(count: 3, types: [.trueFalse]), timeLimit: .perLevel(seconds: 300)),
        ])

    static let campaignFields = [
        "settings.attemptsPerDay", "settings.composite.participation", "settings.composite.height",
        "settings.levels[0].draw.count", "settings.levels[0].draw.minDifficulty",
        "settings.levels[0].draw.maxDifficulty",
        "settings.levels[0].timeLimit.perQuestion.seconds", "settings.levels[1].timeLimit.perLevel.seconds",
        "settings.levels[0].passThreshold",
    ]

    /// `rounds[0].draw.count` as `numberPaths` writes it: `rounds[].draw.count`.
    static func pattern(_ path: String) -> String {
        path.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression)
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// The lists of fields the fuzz writes are every number the settings have.
    @Test func theSettingsFieldListsAreComplete() throws {
        let contest = try JSONTree.of(NewContestRequest(ownerUnitId: nil, settings: Self.fullContest))
        #expect(contest.numberPaths() == Set(Self.contestFields.map(Self.pattern)))
        let campaign = try JSONTree.of(NewCampaignRequest(ownerUnitId: nil, settings: Self.fullCampaign))
        #expect(campaign.numberPaths() == Set(Self.campaignFields.map(Self.pattern)))
    }

    @Test(arguments: seeds) func everyNumberOfTheSettings(seed: UInt64) async throws {
        try await withLiveApp(try demoConfigurationWithRoot()) { client in
            let admin = try await client.signIn("root")
            var fuzz = FuzzValues(seed: seed)
            let contest = try JSONTree.of(NewContestRequest(ownerUnitId: nil, settings: Self.fullContest))
            let campaign = try JSONTree.of(NewCampaignRequest(ownerUnitId: nil, settings: Self.fullCampaign))
            let fields: [(template: JSONTree, uri: String, path: String)] =
                (Self.contestFields + ["ownerUnitId"]).map { (contest, "/api/contests", $0) }
                + (Self.campaignFields + ["settings.startDate", "settings.endDate", "ownerUnitId"]).map {
                    (campaign, "/api/campaigns", $0)
                }
            var created = 0, refused = 0
            for field in fields {
                let isDate = field.path.hasSuffix("Date")
                for _ in 0..<8 {
                    let literal = isDate ? fuzz.pick(FuzzValues.dateLiterals) : fuzz.jsonLiteral()
                    let body = field.template.replacing(field.path, with: .raw(literal)).text
                    let (status, text) = try await admin.raw(.post, field.uri, body: body)
                    let context = "seed \(seed): \(field.path) = \(literal) → \(status) \(text)"
                    #expect(status < 500, "\(context)")
                    if status == 201 {
                        created += 1
                        let settings = try Self.createdSettings(text, campaign: field.uri.hasSuffix("campaigns"))
                        #expect(settings.isEmpty, "created outside the bounds: \(settings); \(context)")
                        continue
                    }
                    refused += 1
                    if field.path == "ownerUnitId" {
                        #expect([400, 403, 404].contains(status), "\(context)")
                        continue
                    }
                    #expect(status == 400 || status == 422, "\(context)")
                    let key = String(field.path.split(separator: ".").last!.prefix { $0 != "[" })
                    // A draw within bounds that the banks cannot fill (too many questions, or a difficulty range too
                    // narrow for them) is refused by the draw, naming the round or level and the shortfall.
                    let named =
                        text.contains(key) || (field.path.contains("draw") && text.contains("matching questions"))
                    #expect(named, "the refusal does not name \(key): \(context)")
                }
                #expect(try await client.healthy(), "seed \(seed): /healthz after \(field.path)")
            }
            #expect(created > 0 && refused > 0, "seed \(seed): \(created) created, \(refused) refused")
        }
    }

    /// The problems of the settings a 201 came back with: none, if creation kept to the bounds.
    static func createdSettings(_ text: String, campaign: Bool) throws -> [String] {
        let data = Data(text.utf8)
        if campaign {
            struct Body: Decodable {
                struct Campaign: Decodable { var settings: CampaignSettings }; var campaign: Campaign
            }
            return try JSONDecoder().decode(Body.self, from: data).campaign.settings.problems()
        }
        struct Body: Decodable { struct Contest: Decodable { var settings: ContestSettings }; var contest: Contest }
        return try JSONDecoder().decode(Body.self, from: data).contest.settings.problems()
    }

    /// Lists too long or empty are refused with their field named, like numbers.
    @Test func countsOfRoundsLevelsAndStakesAreBounded() async throws {
        try await withLiveApp(try demoConfigurationWithRoot()) { client in
            let admin = try await client.signIn("root")
            var settings = Self.fullContest
            for rounds in [0, 21] {
                settings.rounds = Array(repeating: Self.fullContest.rounds[0], count: rounds)
                let (status, text) = try await admin.raw(
                    .post, "/api/contests", body: Self.json(NewContestRequest(ownerUnitId: nil, settings: settings)))
                #expect(
                    status == 422 && text.contains("轮数须为 1–20 项 (rounds must be 1–20 entries)"), "\(status) \(text)")
            }
            settings = Self.fullContest
            settings.rounds[0].wagers = Array(1...11)
            settings.rounds[0].earlyBuzzPenalty = .max
            var (status, text) = try await admin.raw(
                .post, "/api/contests", body: Self.json(NewContestRequest(ownerUnitId: nil, settings: settings)))
            #expect(status == 422)
            #expect(
                text.contains("round 1: wagers must be 1–10 entries")
                    && text.contains("round 1: earlyBuzzPenalty must be 0–100000"), "\(text)")
            var campaign = Self.fullCampaign
            campaign.levels = Array(repeating: campaign.levels[0], count: 51)
            (status, text) = try await admin.raw(
                .post, "/api/campaigns", body: Self.json(NewCampaignRequest(ownerUnitId: nil, settings: campaign)))
            #expect(status == 422 && text.contains("levels must be 1–50 entries"), "\(status) \(text)")
            // Nothing was made by any of them.
            let contests = try await admin.json(.get, "/api/contests").object["contests"] as? [Any]
            #expect(contests?.count == 1, "only the demo contest")
        }
    }

    /// The issue's requests: absurd pages are clamped, pages that are not numbers are refused by name.
    @Test func pagingIsClampedOrRefusedNamingTheParameter() async throws {
        try await withLiveApp(try demoConfigurationWithRoot()) { client in
            let admin = try await client.signIn("root")
            let units = try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]]
            let unit = try #require(units?.first?["id"] as? Int)
            let members = "/api/units/\(unit)/members?subunits=1"
            for (query, page, size) in [
                ("&page=9223372036854775807", 100_000, 50), ("&page=99999999999999999999999", 100_000, 50),
                ("&page=-9223372036854775808&pageSize=9223372036854775807", 1, 200), ("&page=&pageSize=0", 1, 1),
                ("&page=2&pageSize=20", 2, 20),
            ] {
                let reply = try await admin.json(.get, members + query)
                #expect(reply.status == 200, "\(query)")
                #expect(
                    reply.object["page"] as? Int == page && reply.object["pageSize"] as? Int == size,
                    "\(query): \(reply.object)")
            }
            let second = try await admin.json(.get, members + "&page=2&pageSize=20").object
            let total = try #require(second["total"] as? Int)
            #expect(total > 20 && (second["members"] as? [Any])?.count == min(20, total - 20))
            for query in ["&page=abc", "&page=1.5", "&pageSize=NaN", "&pageSize=1e3"] {
                let (status, text) = try await admin.raw(.get, members + query)
                let name = query.contains("pageSize") ? "pageSize" : "page"
                #expect(status == 400 && text.contains("\(name) must be a whole number"), "\(query): \(status) \(text)")
            }
            let questions = "/api/banks/\("党章党规党纪".percentEncoded)/questions"
            let far = try await admin.json(.get, questions + "?page=9223372036854775807&perPage=9223372036854775807")
            #expect(far.status == 200 && far.object["page"] as? Int == 100_000 && far.object["perPage"] as? Int == 200)
            #expect((far.object["questions"] as? [Any])?.isEmpty == true)
            #expect(try await admin.raw(.get, questions + "?version=9223372036854775808").status == 404)
            #expect(try await admin.raw(.get, questions + "?version=v2").status == 400)
            #expect(try await admin.raw(.get, questions + "?difficulty=1-x").status == 400)
            #expect(try await client.healthy())
        }
    }
}

extension SignedInClient {
    /// A request with a raw body (JSON that no encoder would write, such as `1e400`); the status and the body text.
    func raw(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil) async throws -> (
        status: Int, text: String
    ) {
        try await execute(
            uri: uri, method: method, headers: body == nil ? [:] : [.contentType: "application/json"],
            body: body.map { ByteBuffer(string: $0) }
        ) { response in (Int(response.status.code), String(buffer: response.body)) }
    }
}

extension TestClientProtocol {
    /// Whether the server still answers `/healthz` with 200.
    func healthy() async throws -> Bool {
        try await execute(uri: "/healthz", method: .get) { $0.status == .ok }
    }
}

/// The demo organization and sample banks, and the administrator "root".
func demoConfigurationWithRoot() throws -> AppConfiguration {
    let configuration = demoConfiguration()
    try seedAccount("root", in: configuration)
    return configuration
}
