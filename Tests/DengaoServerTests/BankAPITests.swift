import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

private struct IssueBody: Decodable, Equatable {
    var location: String
    var message: String
}

private struct ErrorBody: Decodable {
    var error: String
    var errors: [IssueBody]?
}

private struct ImportedBody: Decodable {
    var bank: String
    var version: Int
    var questionCount: Int
    var format: String
    var warnings: [IssueBody]
}

private struct BankListBody: Decodable {
    struct Bank: Decodable {
        struct Version: Decodable {
            var version: Int
            var questionCount: Int
        }
        var name: String
        var latest: Version
        var countsByType: [String: Int]
    }
    var banks: [Bank]
}

private struct PageBody: Decodable {
    struct Question: Decodable {
        var number: Int
        var type: String
        var stem: String
        var options: [String]
        var answer: String
        var difficulty: Int
    }
    var version: Int
    var total: Int
    var questions: [Question]
}

private let csv = """
    题型,题干,选项A,选项B,选项C,答案,难度,分类,标签
    单选,中共一大于（ ）年召开。,1919,1921,1927,B,1,党史,建党
    多选,新发展理念包括（ ）。,创新,协调,封闭,AB,3,政治理论,理论
    判断,党员必须参加组织生活。,,,,对,2,党章,
    填空,遵义会议召开于（ ）年。,,,,1935,4,党史,长征

    """

@Suite struct BankAPITests {
    @Test func healthz() async throws {
        try await withLiveApp { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func servesThePages() async throws {
        try await withLiveApp { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("登高"))
            }
        }
    }

    @Test func firstStartImportsTheSampleBanks() async throws {
        var configuration = testConfiguration()
        configuration.seedDemo = true
        try await withSignedInAdmin(configuration) { client in
            try await client.execute(uri: "/api/banks", method: .get) { response in
                let banks = try response.body.decode(BankListBody.self).banks
                #expect(banks.count == 3)
                #expect(banks.map(\.latest.questionCount).reduce(0, +) >= 200)
                for bank in banks { #expect(bank.countsByType.count == 4, "\(bank.name) has all four types") }
            }
        }
    }

    @Test func uploadBrowseFilterExportDelete() async throws {
        try await withSignedInAdmin { client in
            let name = segment("测试 题库")
            try await client.execute(
                uri: "/api/banks?name=\(name)&filename=t.csv", method: .post, body: ByteBuffer(string: csv)
            ) { response in
                #expect(response.status == .created)
                let body = try response.body.decode(ImportedBody.self)
                #expect(body.bank == "测试 题库" && body.version == 1 && body.questionCount == 4 && body.format == "csv")
            }
            try await client.execute(uri: "/api/banks/\(name)/questions?type=single", method: .get) { response in
                let page = try response.body.decode(PageBody.self)
                #expect(page.total == 1)
                #expect(page.questions.first?.answer == "B")
                #expect(page.questions.first?.options == ["1919", "1921", "1927"])
            }
            try await client.execute(
                uri: "/api/banks/\(name)/questions?category=\(segment("党史"))&difficulty=3-5", method: .get
            ) { response in
                let page = try response.body.decode(PageBody.self)
                #expect(page.questions.map(\.number) == [4])
            }
            try await client.execute(uri: "/api/banks/\(name)/questions?q=\(segment("协调"))", method: .get) { response in
                let page = try response.body.decode(PageBody.self)
                #expect(page.questions.map(\.type) == ["multiple"])
            }
            try await client.execute(uri: "/api/banks/\(name)/questions?perPage=2&page=2", method: .get) { response in
                let page = try response.body.decode(PageBody.self)
                #expect(page.total == 4 && page.questions.map(\.number) == [3, 4])
            }
            try await client.execute(uri: "/api/banks/\(name)/export?format=xlsx", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
                let bank = try BankImporter.parse(Data(buffer: response.body), fileName: "x.xlsx")
                #expect(bank.questions.count == 4)
                #expect(bank.questions[3].answer == .texts(["1935"]))
            }
            try await client.execute(uri: "/api/banks/\(name)", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/banks/\(name)", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try response.body.decode(ErrorBody.self)
                #expect(body.error == "找不到题库「测试 题库」 (no bank named \"测试 题库\")")
            }
        }
    }

    @Test func reuploadCreatesAVersion() async throws {
        try await withSignedInAdmin { client in
            for expected in 1...2 {
                try await client.execute(
                    uri: "/api/banks?name=b&filename=t.csv", method: .post, body: ByteBuffer(string: csv)
                ) {
                    let body = try $0.body.decode(ImportedBody.self)
                    #expect(body.version == expected)
                }
            }
            try await client.execute(uri: "/api/banks/b/questions?version=1", method: .get) { response in
                let page = try response.body.decode(PageBody.self)
                #expect(page.version == 1)
            }
        }
    }

    @Test func brokenFileGetsLocatedErrorsAndChangesNothing() async throws {
        let broken = try Data(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/DengaoCoreTests/Fixtures/broken.xlsx"))
        try await withSignedInAdmin { client in
            try await client.execute(
                uri: "/api/banks?name=broken&filename=broken.xlsx", method: .post, body: ByteBuffer(data: broken)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = try response.body.decode(ErrorBody.self)
                #expect(body.errors?.count == 6)
                #expect(
                    body.errors?.first
                        == IssueBody(
                            location: "工作表“题库”第 3 行“答案”列 (sheet \"题库\", row 3, column 答案)",
                            message: "答案“E”，但只有选项 A–D (\"E\" but only options A–D)"))
            }
            try await client.execute(uri: "/api/banks", method: .get) { response in
                let list = try response.body.decode(BankListBody.self)
                #expect(list.banks.isEmpty)
            }
        }
    }

    @Test func badRequests() async throws {
        try await withSignedInAdmin { client in
            try await client.execute(uri: "/api/banks?filename=t.csv", method: .post, body: ByteBuffer(string: csv)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/banks?name=a%2Fb", method: .post, body: ByteBuffer(string: csv)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/banks?name=x&format=doc", method: .post, body: ByteBuffer(string: csv))
            {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/banks?name=x", method: .post, body: ByteBuffer(string: csv)) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/api/banks/x/questions?difficulty=0-9", method: .get) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/banks/x/questions?type=essay", method: .get) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/banks/x/export?format=aiken", method: .get) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/banks/nope/questions", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func oversizedUploadIsRefused() async throws {
        try await withSignedInAdmin { client in
            let big = ByteBuffer(repeating: 0x41, count: 65 * 1024 * 1024)
            try await client.execute(uri: "/api/banks?name=big&filename=big.csv", method: .post, body: big) {
                #expect($0.status == .contentTooLarge)
            }
        }
    }
}
