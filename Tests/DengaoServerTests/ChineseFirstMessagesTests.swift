import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Refusals a console user can cause read Chinese first, like every other message (these were English only).
@Suite struct ChineseFirstMessagesTests {
    @Test func queryRefusalsReadChineseFirst() async throws {
        try await withSignedInAdmin { admin in
            for uri in [
                "/api/qr", "/api/qr?text=a&level=Z", "/api/qr?text=" + String(repeating: "a", count: 1001),
            ] {
                let error = try await admin.execute(uri: uri, method: .get) { response in
                    try response.body.decode([String: String].self)["error"] ?? ""
                }
                #expect(
                    error.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } == true, "\(uri): \(error)")
            }
            let upload = try await admin.execute(uri: "/api/banks", method: .post, body: ByteBuffer(string: "x")) {
                try $0.body.decode([String: String].self)["error"] ?? ""
            }
            #expect(upload.hasPrefix("请填写题库名称"))
        }
    }
}
