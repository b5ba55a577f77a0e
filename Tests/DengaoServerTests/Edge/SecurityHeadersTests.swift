import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import DengaoServer

/// The headers of a server on the open internet, on every kind of response the real server gives.
@Suite struct SecurityHeadersTests {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    @Test func theFieldsFollowThePathTheHostAndTLS() throws {
        let plain = SecurityHeaders(strictTransport: false).fields(path: "/play.html", host: "dengao.example.org:8080")
        #expect(plain[.xContentTypeOptions] == "nosniff")
        #expect(plain[Self.referrerPolicy] == "same-origin")
        #expect(plain[.strictTransportSecurity] == nil)
        #expect(plain[.cacheControl] == nil)
        let policy = try #require(plain[.contentSecurityPolicy])
        for directive in [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
            "base-uri 'none'", "frame-ancestors 'self'",
            "connect-src 'self' ws://dengao.example.org:8080 wss://dengao.example.org:8080",
        ] {
            #expect(policy.contains(directive), "\(policy) lacks \(directive)")
        }
        #expect(!policy.contains("unsafe"))

        let secure = SecurityHeaders(strictTransport: true)
        #expect(secure.fields(path: "/", host: nil)[.strictTransportSecurity] == "max-age=31536000")
        for path in ["/api", "/api/session", "/api/banks/x/export"] {
            #expect(secure.fields(path: path, host: nil)[.cacheControl] == "no-store", "\(path)")
        }
        for path in ["/apiary.html", "/js/api.js", "/healthz"] {
            #expect(secure.fields(path: path, host: nil)[.cacheControl] == nil, "\(path)")
        }
    }

    @Test func aHostThatIsNotJustAHostStaysOutOfThePolicy() {
        for authority in ["evil.example; script-src *", "a b", "x'y", "", "dengao.test/path"] {
            #expect(SecurityHeaders.socketHost(authority) == nil, "\(authority)")
            let policy = SecurityHeaders(strictTransport: false).fields(path: "/", host: authority)[
                .contentSecurityPolicy]!
            #expect(policy.contains("connect-src 'self';") || policy.hasSuffix("connect-src 'self'"), "\(policy)")
        }
        #expect(SecurityHeaders.socketHost("[::1]:8080") == "[::1]:8080")
        #expect(SecurityHeaders.socketHost("Dengao.Example.ORG") == "dengao.example.org")
    }

    /// The policy rendered once and filled with the host is the policy rendered for that host.
    @Test func thePolicyTextIsThePolicyForEveryHost() {
        for host in [nil, "", "127.0.0.1:8080", "[::1]:8080", "Dengao.Example.ORG", "evil.org; script-src *", "a b"] {
            #expect(
                SecurityHeaders.policyText(host: host) == SecurityHeaders.policy(host: host).description,
                "\(host ?? "nil")")
        }
        #expect(SecurityHeaders.policyText(host: "x.org").contains("connect-src 'self' ws://x.org wss://x.org"))
    }

    @Test func tlsIsThePublicURLsScheme() {
        var configuration = testConfiguration()
        #expect(configuration.servedOverTLS)  // https://dengao.test
        configuration.publicURL = nil
        #expect(!configuration.servedOverTLS)
        configuration.publicURL = "HTTPS://dengao.example.org/"
        #expect(configuration.servedOverTLS)
    }

    /// Checks the headers every response must carry; `api` adds `no-store`, `tls` HSTS.
    static func expectEdgeHeaders(_ headers: HTTPFields, api: Bool, tls: Bool, _ what: String) {
        #expect(headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(headers[referrerPolicy] == "same-origin", "\(what)")
        #expect(headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(what): \(headers)")
        #expect(headers[.contentSecurityPolicy]?.contains("frame-ancestors") == true, "\(what)")
        #expect((headers[.strictTransportSecurity] != nil) == tls, "\(what): \(headers)")
        if api { #expect(headers[.cacheControl] == "no-store", "\(what): \(headers)") }
    }

    @Test(arguments: [true, false]) func everyResponseOfTheRoutersCarriesThem(tls: Bool) async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        if !tls { configuration.publicURL = nil }
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let requests: [(String, HTTPRequest.Method, origin: String?, HTTPResponse.Status)] = [
                ("/", .get, nil, .ok), ("/play.html", .get, nil, .ok), ("/js/play.js", .get, nil, .ok),
                ("/healthz", .get, nil, .ok),
                ("/nothing-here", .get, nil, .notFound), ("/api/session", .get, nil, .unauthorized),
                ("/api/banks", .get, nil, .unauthorized), ("/api/session", .post, nil, .badRequest),
                ("/api/session", .post, "https://elsewhere.example", .forbidden),
            ]
            for (uri, method, origin, status) in requests {
                let headers: HTTPFields = origin.map { [.origin: $0] } ?? [:]
                try await client.execute(uri: uri, method: method, headers: headers) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    Self.expectEdgeHeaders(
                        response.headers, api: uri.hasPrefix("/api"), tls: tls, "\(method) \(uri) → \(response.status)")
                }
            }
            // The session answer holds the CSRF token: it must never be stored.
            let admin = try await client.signIn("root")
            try await admin.execute(uri: "/api/session", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("csrfToken"))
                Self.expectEdgeHeaders(response.headers, api: true, tls: tls, "GET /api/session signed in")
            }
        }
    }

    @Test func theLibrarysOwnAnswersCarryThemToo() async throws {
        try await withLiveApp { client in
            let port = client.port!
            let (refusedUpgrade, unparsable) = try await onOwnThread { () -> (String, String) in
                // An upgrade from another site's page: Hummingbird answers with its own empty 400.
                let socket = try RawSocket(port: port)
                try socket.write(
                    RawFrames.upgradeRequest(path: "/ws/contest", port: port).replacingOccurrences(
                        of: "\r\n\r\n", with: "\r\nOrigin: https://elsewhere.example\r\n\r\n"))
                let refused = socket.readToEnd(timeout: 30).bytes
                // A request that is not HTTP after a good one.
                let broken = try RawSocket(port: port)
                try broken.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nNOT HTTP AT ALL\r\n\r\n")
                let answers = broken.readToEnd(timeout: 30).bytes
                return (String(decoding: refused, as: UTF8.self), String(decoding: answers, as: UTF8.self))
            }
            #expect(refusedUpgrade.hasPrefix("HTTP/1.1 400"), "\(refusedUpgrade)")
            let lastResponse = unparsable.components(separatedBy: "HTTP/1.1 ").last ?? ""
            #expect(lastResponse.hasPrefix("400"), "\(unparsable)")
            for (what, text) in [("refused upgrade", refusedUpgrade), ("unparsable request", lastResponse)] {
                let lower = text.lowercased()
                #expect(lower.contains("x-content-type-options: nosniff"), "\(what): \(text)")
                #expect(lower.contains("referrer-policy: same-origin"), "\(what): \(text)")
                #expect(lower.contains("content-security-policy: default-src 'self'"), "\(what): \(text)")
                #expect(lower.contains("strict-transport-security: max-age="), "\(what): \(text)")
                #expect(lower.contains("cache-control: no-store"), "\(what): \(text)")
            }
        }
    }
}

/// An error nobody expected (a database refusal no store maps, a bug) is answered 500 with the short Chinese-first
/// message and logged as an error naming it; its own text — which may quote SQL — never reaches the client.
@Suite struct UnexpectedErrorTests {
    struct Refusal: Error, CustomStringConvertible {
        var description: String { "duplicate key value violates unique constraint \"member_number_key\"" }
    }

    @Test func anUnexpectedErrorIsA500WithTheShortMessageAndAnErrorLine() async throws {
        let records = LogRecords()
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware(headers: SecurityHeaders(strictTransport: false)))
        router.get("boom") { _, _ -> String in throw Refusal() }
        var logger = Logger(label: "unexpected") { _ in records.handler() }
        logger.logLevel = .info
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = String(buffer: response.body)
                #expect(body.contains("服务器内部错误 (internal error)"), "\(body)")
                #expect(!body.contains("unique"), "\(body)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
        let lines = records.lines()
        #expect(lines.contains { $0.level == .error && $0.text.contains("member_number_key") }, "\(lines)")
    }
}

/// Log lines kept in memory for a test to read.
final class LogRecords: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var text: String
    }
    private let stored = Mutex<[Line]>([])

    func lines() -> [Line] { stored.withLock { $0 } }

    func handler() -> Handler { Handler(records: self) }

    struct Handler: LogHandler {
        let records: LogRecords
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            records.stored.withLock { $0.append(Line(level: event.level, text: "\(event.message) \(all)")) }
        }
    }
}
