import DengaoCore
import Foundation
import Hummingbird

/// A located import issue as the API and the pages show it.
struct IssueJSON: Codable, Equatable {
    var location: String
    var message: String

    init(_ issue: ImportIssue) {
        location = issue.location.description
        message = issue.message
    }

    /// A warning the server finds beyond the file's own (a name shared in a unit), located by its unit's path.
    init(location: String, message: String) {
        self.location = location
        self.message = message
    }
}

/// Turns the storage's refusals thrown by any route (or by the session lookup) into the API's answer: the one place
/// HTTP meets `StorageError`.
struct StorageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as StorageError {
            throw APIError(error)
        }
    }
}

/// An error a client should see, as JSON `{"error": "...", "errors": [...], "warnings": [...]}`.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    /// A stable name for refusals a page reacts to (`no-attempts-left`…); the message is for people.
    var code: String? = nil
    var errors: [IssueJSON] = []
    var warnings: [IssueJSON] = []
    var headers: HTTPFields = [:]

    private struct Body: Encodable {
        var error: String
        var code: String?
        var errors: [IssueJSON]?
        var warnings: [IssueJSON]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(
            Body(
                error: message, code: code, errors: errors.isEmpty ? nil : errors,
                warnings: warnings.isEmpty ? nil : warnings),
            from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }

}

extension APIError {
    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
    /// A failure the client can do nothing about; the log has the details.
    static let `internal` = APIError(status: .internalServerError, message: "服务器内部错误 (internal error)")
    static let notSignedIn = APIError(status: .unauthorized, message: "请先登录 (not signed in)")
    static let forbidden = APIError(status: .forbidden, message: "无权访问 (forbidden)")
    static let csrfRejected = APIError(status: .forbidden, message: "页面已过期，请刷新后重试 (CSRF token missing or wrong)")
    static let crossOrigin = APIError(status: .forbidden, message: "拒绝来自其他网站的请求 (cross-origin request refused)")

    static func tooManyAttempts(retryAfter seconds: Int) -> APIError {
        let minutes = max(1, (seconds + 59) / 60)
        return APIError(
            status: .tooManyRequests, message: "尝试次数过多，请 \(minutes) 分钟后再试 (too many attempts)",
            code: "too-many-attempts", headers: [.retryAfter: String(seconds)])
    }

    /// The import failed: 422 with every located error.
    init(_ failure: ImportFailure) {
        self.init(
            status: .unprocessableContent, message: "文件未导入，未做任何改动 (the file was not imported; nothing was changed)",
            errors: failure.errors.map(IssueJSON.init), warnings: failure.warnings.map(IssueJSON.init))
    }

    /// Storage refusals mapped to statuses; a damaged row is a 500 without internals, a lost database a 503.
    init(_ error: StorageError) {
        switch error.category {
        case .notFound: self.init(status: .notFound, message: error.description)
        case .invalid: self.init(status: .badRequest, message: error.description)
        case .conflict: self.init(status: .conflict, message: error.description)
        case .setAside: self.init(status: .conflict, message: error.description, code: "set-aside")
        case .corrupt: self = .internal
        case .unavailable:
            self.init(status: .serviceUnavailable, message: "数据库暂时无法访问，请稍后再试 (the database is unavailable)")
        }
    }
}
