import DengaoServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// The repository root, for the real Public/ and QuestionBanks/ folders.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A configuration on a free loopback port with a fresh temporary data directory.
func testConfiguration(samples: String? = nil) -> AppConfiguration {
    AppConfiguration(
        host: "127.0.0.1", port: 0,
        dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)").path,
        publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
        sampleBanksDirectory: samples ?? repositoryRoot.appendingPathComponent("QuestionBanks").path)
}

/// Runs `body` against the real application listening on a loopback port.
func withLiveApp<T>(
    _ configuration: AppConfiguration = testConfiguration(samples: "/nonexistent"),
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    var logger = Logger(label: "dengao-test")
    logger.logLevel = .error
    let app = try await buildApplication(configuration: configuration, logger: logger)
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
