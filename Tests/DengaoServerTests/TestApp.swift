import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

@testable import DengaoServer

/// The repository root, for the real Public/ and QuestionBanks/ folders.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A configuration on a free loopback port with a fresh temporary data directory.
func testConfiguration(samples: String? = nil) -> AppConfiguration {
    AppConfiguration(
        host: "127.0.0.1", port: 0,
        dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
            .path,
        publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
        sampleBanksDirectory: samples ?? repositoryRoot.appendingPathComponent("QuestionBanks").path,
        // bcrypt's minimum cost keeps the many sign-ins of these tests fast; production uses 12 (tested apart).
        publicURL: "https://dengao.test", passwordCost: 4)
}

/// The password every test account gets.
let testPassword = "correct horse battery"

/// Creates an account in the data directory's SQLite database before any app has started on it (then, on
/// PostgreSQL, it is copied with the rest): for set-up that cannot wait.
@discardableResult
func seedAccount(
    _ username: String, role: AccountRole = .admin, unit: UnitID? = nil, in configuration: AppConfiguration
) throws -> AccountView {
    try Store(directory: configuration.dataDirectory).createAccount(
        username: username, displayName: nil, passwordHash: AccessTools.hashPassword(testPassword, cost: 4), role: role,
        unitId: unit)
}

/// Creates an account directly in the installation's storage (bcrypt cost 4), as `dengao user add` does.
@discardableResult
func addAccount(
    _ username: String, role: AccountRole = .admin, unit: UnitID? = nil, in configuration: AppConfiguration
) async throws -> AccountView {
    try await TestBackend.storage(configuration).createAccount(
        username: username, displayName: nil, passwordHash: AccessTools.hashPassword(testPassword, cost: 4), role: role,
        unitId: unit)
}

/// Runs `body` with a client signed in as a fresh administrator "root".
func withSignedInAdmin<T>(
    _ configuration: AppConfiguration = testConfiguration(samples: "/nonexistent"),
    _ body: @Sendable (SignedInClient) async throws -> T
) async throws -> T {
    try await addAccount("root", in: configuration)
    return try await withLiveApp(configuration) { client in
        try await body(try await client.signIn("root"))
    }
}

/// A client that sends a session cookie and its CSRF token, as the console pages do.
struct SignedInClient: Sendable {
    let client: any TestClientProtocol
    let cookie: String
    let csrfToken: String

    func execute<Return>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        csrf: Bool = true, testCallback: @escaping (TestResponse) async throws -> Return
    ) async throws -> Return {
        var headers = headers
        headers[.cookie] = "dengao_session=\(cookie)"
        if csrf { headers[.csrfToken] = csrfToken }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body, testCallback: testCallback)
    }

    /// Sends `value` as a JSON body.
    func send<Return>(
        _ method: HTTPRequest.Method, _ uri: String, json value: some Encodable,
        testCallback: @escaping (TestResponse) async throws -> Return
    ) async throws -> Return {
        try await execute(
            uri: uri, method: method, headers: [.contentType: "application/json"],
            body: ByteBuffer(data: try JSONEncoder().encode(value)), testCallback: testCallback)
    }
}

struct SessionBody: Decodable {
    struct Account: Decodable {
        var id: AccountID
        var username: String
        var role: String
    }
    struct Member: Decodable {
        var id: MemberID
        var number: String
        var name: String
    }
    var kind: String
    var account: Account?
    var member: Member?
    var csrfToken: String
}

extension TestClientProtocol {
    /// Signs in through the API and returns a client carrying the new session.
    func signIn(_ username: String, password: String = testPassword) async throws -> SignedInClient {
        let credentials = try JSONEncoder().encode(["username": username, "password": password])
        return try await execute(
            uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(data: credentials)
        ) { response in
            guard response.status == .ok, let cookie = sessionCookie(in: response) else {
                throw TestFailure("sign-in of \(username) failed: \(response.status) \(String(buffer: response.body))")
            }
            return SignedInClient(
                client: self, cookie: cookie, csrfToken: try response.body.decode(SessionBody.self).csrfToken)
        }
    }
}

/// The value of the session cookie a response sets, if any.
func sessionCookie(in response: TestResponse) -> String? {
    for header in response.headers[values: .setCookie] where header.hasPrefix("dengao_session=") {
        let value = header.dropFirst("dengao_session=".count).prefix { $0 != ";" }
        return value.isEmpty ? nil : String(value)
    }
    return nil
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against the real application listening on a loopback port.
func withLiveApp<T>(
    _ configuration: AppConfiguration = testConfiguration(samples: "/nonexistent"),
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    var logger = Logger(label: "dengao-test")
    logger.logLevel = .error
    let app = try await buildApplication(configuration: try await TestBackend.prepared(configuration), logger: logger)
    return try await app.test(.live, body)
}

extension ByteBuffer {
    /// The body decoded as JSON of type `T`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: self))
    }
}

/// The percent-encoded path segment of a bank name.
func segment(_ name: String) -> String {
    name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
}

/// A token of the right shape that is not `token`: its first character changed (to one it is not, so the forgery
/// never happens to be the real token).
func forged(_ token: String) -> String {
    (token.first == "x" ? "y" : "x") + token.dropFirst()
}
