import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

private struct Issue: Decodable {
    var location: String
    var message: String
}

private struct RefusalBody: Decodable {
    var error: String
    var errors: [Issue]?
    var warnings: [Issue]?
}

/// One broken file per bank format, with the least number of errors the upload must report.
private struct BrokenUpload: Sendable {
    var fileName: String
    var data: Data
    var minimumErrors: Int
}

/// True when `text` says something in Chinese before its first bracket, so an organizer reads Chinese first.
private func isChineseFirst(_ text: String) -> Bool {
    let head = text.range(of: " (").map { text[..<$0.lowerBound] } ?? text[...]
    return head.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
}

private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/DengaoCoreTests/Fixtures/\(name)"))
}

/// Every file an organizer can break, through the real upload API on a live server: every message is Chinese first.
@Suite struct BrokenUploadMessagesTests {
    private func uploads() throws -> [BrokenUpload] {
        let gift = """
            ::q1:: 谈谈你对新发展理念的理解。 {}

            ::q2:: 中共一大于哪一年召开？

            ::q3:: 配对题 { =中共一大 -> 1921 =遵义会议 -> 1935 }

            ::q4:: 没有正确选项的题 { ~1919 ~1927 }

            """
        let aiken = """
            ANSWER: A

            中国共产党成立于哪一年？
            A. 1919
            C. 1921
            ANSWER: A

            新中国成立于哪一年？
            A. 1949
            B. 1950

            """
        let json = """
            {"questions": [1, {"type": "单选", "stem": "中共一大于（ ）年召开。", "options": ["1921", 2],
              "answer": {"x": 1}, "colour": "red"}]}
            """
        let text = """
            党章知识测试题
            1、中国共产党第一次全国代表大会于（ ）年召开。
            A．1919
            C．1921
            答案：A
            这一行不属于任何题目

            """
        var damagedZip = try fixture("valid-chinese.xlsx")
        // Overwrites compressed bytes in the middle of the archive: a part inflates wrongly or fails its checksum.
        let middle = damagedZip.count / 2
        damagedZip.replaceSubrange(middle..<(middle + 64), with: Data(repeating: 0x5A, count: 64))
        return [
            BrokenUpload(fileName: "broken.gift", data: Data(gift.utf8), minimumErrors: 4),
            BrokenUpload(fileName: "broken.aiken", data: Data(aiken.utf8), minimumErrors: 3),
            BrokenUpload(fileName: "broken.json", data: Data(json.utf8), minimumErrors: 3),
            BrokenUpload(fileName: "not-json.json", data: Data("{\"questions\": [".utf8), minimumErrors: 1),
            BrokenUpload(fileName: "broken.txt", data: Data(text.utf8), minimumErrors: 2),
            BrokenUpload(fileName: "binary.txt", data: Data("1、题目\u{0}\n答案：A\n".utf8), minimumErrors: 1),
            BrokenUpload(
                fileName: "latin.txt", data: Data([0x31, 0x2E, 0x20, 0xFF, 0xFE, 0xFF, 0x0A]), minimumErrors: 1),
            BrokenUpload(fileName: "truncated.xlsx", data: try fixture("truncated.xlsx"), minimumErrors: 1),
            BrokenUpload(fileName: "not-a-zip.xlsx", data: try fixture("not-a-zip.xlsx"), minimumErrors: 1),
            BrokenUpload(fileName: "damaged.xlsx", data: damagedZip, minimumErrors: 1),
        ]
    }

    @Test func everyMessageOfABrokenUploadIsChineseFirst() async throws {
        let uploads = try uploads()
        try await withSignedInAdmin { client in
            for upload in uploads {
                try await client.execute(
                    uri: "/api/banks?name=broken&filename=\(upload.fileName)", method: .post,
                    body: ByteBuffer(data: upload.data)
                ) { response in
                    #expect(response.status == .unprocessableContent, "\(upload.fileName)")
                    let body = try response.body.decode(RefusalBody.self)
                    let errors = body.errors ?? []
                    #expect(errors.count >= upload.minimumErrors, "\(upload.fileName): \(errors)")
                    #expect(isChineseFirst(body.error))
                    for issue in errors + (body.warnings ?? []) {
                        #expect(isChineseFirst(issue.location), "\(upload.fileName): \(issue.location)")
                        #expect(isChineseFirst(issue.message), "\(upload.fileName): \(issue.message)")
                    }
                }
            }
            try await client.execute(uri: "/api/banks", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"banks\":[]"))
            }
        }
    }
}
