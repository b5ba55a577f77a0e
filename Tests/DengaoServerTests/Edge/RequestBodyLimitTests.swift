import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// JSON bodies are forms, not uploads: a big one is refused before it is read into memory, whoever sends it.
@Suite struct RequestBodyLimitTests {
    /// A JSON body of `bytes` bytes whose `username` is nearly all of it.
    func credentials(bytes: Int) -> ByteBuffer {
        let head = "{\"username\":\""
        let tail = "\",\"password\":\"x\"}"
        return ByteBuffer(string: head + String(repeating: "a", count: bytes - head.count - tail.count) + tail)
    }

    @Test func aSignInBodyOverTheLimitIsRefusedUnread() async throws {
        try await withLiveApp { client in
            // Before the limit, a 60 MiB user name was decoded, trimmed, lowercased and kept by the sign-in
            // throttle for 15 minutes: anyone could fill the server's memory 30 names per address.
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: credentials(bytes: JSONBodyLimit.bytes + 1)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let error = try response.body.decode([String: String].self)["error"] ?? ""
                #expect(error.hasPrefix("请求内容过大"))
            }
            // Just under the limit it is an ordinary failed sign-in.
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: credentials(bytes: JSONBodyLimit.bytes)
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theLimitHoldsForEveryJSONRoute() async throws {
        try await withSignedInAdmin { admin in
            let padding = String(repeating: " ", count: JSONBodyLimit.bytes)
            try await admin.execute(
                uri: "/api/units", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"name\":\"x\"\(padding)}")
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func theThrottleKeepsNoMoreOfAnAccountNameThanAnAccountCanHave() {
        let longest = StorageRules.maximumUsernameLength
        #expect(LoginThrottle.key(String(repeating: "A", count: 1_000_000)).count == longest + 1)
        #expect(LoginThrottle.key("Admin") == "admin")
    }
}
