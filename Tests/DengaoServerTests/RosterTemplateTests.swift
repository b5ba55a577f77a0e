import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The roster template the console offers, and the same-name warnings of imports and new members, on a real server.
@Suite struct RosterTemplateTests {
    private struct ImportedBody: Decodable {
        struct Issue: Decodable {
            var location: String
            var message: String
        }
        var created: Int
        var warnings: [Issue]
    }

    private struct AddedBody: Decodable {
        var number: String
        var sameName: [String]
    }

    private struct NewMemberBody: Encodable {
        var number: String
        var name: String
        var unitId: UnitID
    }

    @Test func theTemplateImportsAsItIsAndSharedNamesAreWarnedOf() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let store = try Store(directory: configuration.dataDirectory)
        let committee = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一党支部", parentId: committee).id
        _ = try store.createUnit(name: "第二党支部", parentId: committee).id
        try await addAccount("yi", role: .organizer, unit: first, in: configuration)
        try await withSignedInAdmin(configuration) { admin in
            let template: Data = try await admin.execute(uri: "/api/roster/template.xlsx", method: .get) { response in
                #expect(response.status == .ok)
                #expect(
                    response.headers[.contentType]
                        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
                return Data(buffer: response.body)
            }
            // The importer's own reader finds its headers and the example placed in a real branch.
            let (roster, readErrors) = try RosterReader.read(template)
            #expect(readErrors.isEmpty)
            #expect(roster.entries.count == 1)
            #expect(roster.entries.first?.unit == "机关党委/第一党支部")
            #expect(roster.entries.first?.name == "张三")

            let imported: ImportedBody = try await admin.execute(
                uri: "/api/roster?filename=template.xlsx", method: .post, body: ByteBuffer(data: template)
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(ImportedBody.self)
            }
            #expect(imported.created == 1)
            #expect(imported.warnings.isEmpty)

            // A second 张三 in the same branch (and one in another branch, which is no namesake there).
            let csv = "姓名,党员编号,所在支部\n张三,1002,机关党委/第一党支部\n张三,2001,机关党委/第二党支部\n"
            let second: ImportedBody = try await admin.execute(
                uri: "/api/roster?filename=r.csv", method: .post, body: ByteBuffer(string: csv)
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(ImportedBody.self)
            }
            #expect(second.created == 2)
            #expect(second.warnings.count == 1)
            #expect(second.warnings.first?.location == "机关党委/第一党支部")
            #expect(second.warnings.first?.message.hasPrefix("同一组织有 2 名党员都叫「张三」（编号 1001、1002）") == true)

            let added: AddedBody = try await admin.send(
                .post, "/api/members", json: NewMemberBody(number: "1003", name: "张三", unitId: first)
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try response.body.decode(AddedBody.self)
            }
            #expect(added.number == "1003")
            #expect(added.sameName == ["1001", "1002"])
        }
        // An organizer's template names a unit of their own subtree.
        try await withLiveApp(configuration) { client in
            let yi = try await client.signIn("yi")
            let template: Data = try await yi.execute(uri: "/api/roster/template.xlsx", method: .get) {
                Data(buffer: $0.body)
            }
            #expect(try RosterReader.read(template).0.entries.first?.unit == "机关党委/第一党支部")
        }
    }
}
