import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Member categories (分层分类) on a real server: the list's rules, an organizer's scope when setting and filtering
/// members' categories, and roster imports with a 类别 column (XLSX and GB18030 CSV).
@Suite struct MemberCategoryAPITests {
    private struct Category: Decodable {
        var id: Int64
        var name: String
        var position: Int
        var memberCount: Int
    }
    private struct CategoryList: Decodable { var categories: [Category] }
    private struct Member: Decodable {
        var number: String
        var name: String
        var categories: [String]
    }
    private struct Page: Decodable {
        var members: [Member]
        var total: Int
    }
    private struct Span: Decodable {
        var category: String
        var until: Date?
    }
    private struct Detail: Decodable {
        var member: Member
        var categoryHistory: [Span]
    }
    private struct Failure: Decodable {
        struct Issue: Decodable { var message: String }
        var error: String
        var errors: [Issue]?
    }
    private struct Imported: Decodable {
        var created: Int
        var updated: Int
    }

    /// 机关党委 with two branches, an organizer of the first, and a member in each branch.
    private static func organization(_ configuration: AppConfiguration) async throws -> (first: UnitID, second: UnitID)
    {
        let store = try Store(directory: configuration.dataDirectory)
        let committee = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一党支部", parentId: committee).id
        let second = try store.createUnit(name: "第二党支部", parentId: committee).id
        try store.addMember(number: "1001", name: "王建国", unitId: first)
        try store.addMember(number: "2001", name: "周杰", unitId: second)
        try await addAccount("yi", role: .organizer, unit: first, in: configuration)
        return (first, second)
    }

    /// The error message of a refusal, or "" when the body is not one.
    private static func message(_ response: TestResponse) -> String {
        (try? response.body.decode(Failure.self).error) ?? ""
    }

    private static func categories(_ client: SignedInClient) async throws -> [Category] {
        try await client.execute(uri: "/api/member-categories", method: .get) { response in
            #expect(response.status == .ok)
            return try response.body.decode(CategoryList.self).categories
        }
    }

    private static func member(_ client: SignedInClient, _ number: String) async throws -> Detail {
        try await client.execute(uri: "/api/members/\(number)", method: .get) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try response.body.decode(Detail.self)
        }
    }

    @Test func theListIsTheAdministratorsAndRefusesDuplicatesAndDeletingWhatIsHeld() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        _ = try await Self.organization(configuration)
        try await withSignedInAdmin(configuration) { admin in
            let listed = try await Self.categories(admin)
            #expect(listed.map(\.name) == ["农村党员", "机关党员", "离退休党员", "两新组织党员", "党务干部"])
            try await admin.send(.post, "/api/member-categories", json: ["name": "党务干部"]) { response in
                #expect(response.status == .conflict)
                #expect(
                    Self.message(response)
                        == "已有名为「党务干部」的党员类别 (a member category named \"党务干部\" already exists)")
            }
            try await admin.send(.post, "/api/member-categories", json: ["name": " "]) { response in
                #expect(response.status == .badRequest)
                #expect(Self.message(response).hasPrefix("类别名称不能为空"))
            }
            let added: Category = try await admin.send(.post, "/api/member-categories", json: ["name": "流动党员"]) {
                response in
                #expect(response.status == .created)
                return try response.body.decode(Category.self)
            }
            try await admin.send(.patch, "/api/members/1001", json: ["categories": ["流动党员"]]) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            try await admin.execute(uri: "/api/member-categories/\(added.id)", method: .delete) { response in
                #expect(response.status == .conflict)
                #expect(Self.message(response).hasPrefix("类别「流动党员」还有 1 名党员，不能删除"))
            }
            let unused = listed.first { $0.name == "两新组织党员" }!
            try await admin.execute(uri: "/api/member-categories/\(unused.id)", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            let after = try await Self.categories(admin)
            #expect(after.map(\.name) == ["农村党员", "机关党员", "离退休党员", "党务干部", "流动党员"])
            #expect(after.last?.memberCount == 1)

            // An organizer reads the list but cannot change it.
            let organizer = try await admin.client.signIn("yi")
            #expect(try await Self.categories(organizer).count == 5)
            try await organizer.send(.post, "/api/member-categories", json: ["name": "新类别"]) { response in
                #expect(response.status == .forbidden)
            }
            try await organizer.send(.patch, "/api/member-categories/\(added.id)", json: ["name": "改"]) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.categories(admin).map(\.name) == after.map(\.name))
        }
    }

    /// A category's 大字 default (离退休党员's from the start) is set on creation and by `PATCH`, bad values change
    /// nothing, and `GET /api/me` tells a member holding such a category that their pages open in 大字.
    @Test func aCategoryGivesItsMembersLargeTextByDefault() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        _ = try await Self.organization(configuration)
        try await withSignedInAdmin(configuration) { admin in
            func flags() async throws -> [String: Bool] {
                let list = try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]]
                return Dictionary(
                    uniqueKeysWithValues: (list ?? []).map { ($0["name"] as! String, $0["largeText"] as! Bool) })
            }
            let initial = try await flags()
            #expect(initial == ["农村党员": false, "机关党员": false, "离退休党员": true, "两新组织党员": false, "党务干部": false])
            let ids = Dictionary(uniqueKeysWithValues: try await Self.categories(admin).map { ($0.name, $0.id) })

            let created = try await admin.json(.post, "/api/member-categories", ["name": "流动党员", "largeText": true])
            #expect(created.status == 201 && created.object["largeText"] as? Bool == true, "\(created.object)")
            let plain = try await admin.json(.post, "/api/member-categories", ["name": "预备党员"])
            #expect(plain.status == 201 && plain.object["largeText"] as? Bool == false)
            let before = try await flags()
            for body: [String: Any] in [["name": "外来党员", "largeText": "yes"], ["name": "外来党员", "largeText": 1]] {
                #expect(try await admin.json(.post, "/api/member-categories", body).status == 400, "\(body)")
            }
            let switched = try await admin.json(.patch, "/api/member-categories/\(ids["机关党员"]!)", ["largeText": true])
            #expect(switched.status == 200 && switched.object["largeText"] as? Bool == true, "\(switched.object)")
            #expect(switched.object["name"] as? String == "机关党员")
            var expected = before
            expected["机关党员"] = true
            #expect(try await flags() == expected)
            // A bad value, nothing to change, a bad name beside a good flag, an unknown id: refused, nothing changes.
            let refusals: [(String, [String: Any], Int)] = [
                ("\(ids["农村党员"]!)", ["largeText": "true"], 400),
                ("\(ids["农村党员"]!)", [:], 400),
                ("\(ids["农村党员"]!)", ["name": "甲、乙", "largeText": true], 400),
                ("9999", ["largeText": true], 404),
            ]
            for (id, body, status) in refusals {
                let reply = try await admin.json(.patch, "/api/member-categories/\(id)", body)
                #expect(reply.status == status, "\(id) \(body): \(reply.object)")
            }
            let organizer = try await admin.client.signIn("yi")
            #expect(
                try await organizer.json(.patch, "/api/member-categories/\(ids["农村党员"]!)", ["largeText": true]).status
                    == 403)
            #expect(try await flags() == expected)
            #expect(try await Self.categories(admin).map(\.name).contains("外来党员") == false)

            // The member's own page data: the default follows the categories they hold now.
            let member = try await admin.memberPhone("1001")
            func memberDefault() async throws -> Bool? {
                let me = try await member.json(.get, "/api/me")
                #expect(me.status == 200)
                return me.object["largeText"] as? Bool
            }
            #expect(try await memberDefault() == false, "1001 holds no category yet")
            for (held, large) in [(["离退休党员"], true), (["农村党员"], false), (["农村党员", "流动党员"], true)] {
                let set = try await admin.json(.patch, "/api/members/1001", ["categories": held])
                #expect(set.status == 200, "\(set.object)")
                #expect(try await memberDefault() == large, "\(held)")
            }
            let off = try await admin.json(
                .patch, "/api/member-categories/\(created.object["id"] as! Int)", ["largeText": false])
            #expect(off.status == 200)
            #expect(try await memberDefault() == false, "流动党员 no longer opens in 大字")
            // An organizer's session has no member page default to read.
            #expect(try await organizer.json(.get, "/api/me").status == 403)
        }
    }

    @Test func theAdministratorReordersTheWholeListAndABadOrderMovesNothing() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        _ = try await Self.organization(configuration)
        try await withSignedInAdmin(configuration) { admin in
            let listed = try await Self.categories(admin)
            let reversed = Array(listed.map(\.id).reversed())
            let moved: [Category] = try await admin.send(.post, "/api/member-categories/order", json: ["ids": reversed])
            {
                response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(CategoryList.self).categories
            }
            #expect(moved.map(\.id) == reversed)
            #expect(moved.map(\.position) == [1, 2, 3, 4, 5])
            #expect(try await Self.categories(admin).map(\.id) == reversed)
            // A category twice, one missing, one unknown: refused, nothing moves.
            let twice = [reversed[0], reversed[0]] + reversed.dropFirst(2)
            try await admin.send(.post, "/api/member-categories/order", json: ["ids": twice]) { response in
                #expect(response.status == .badRequest)
                #expect(Self.message(response).hasPrefix("类别顺序中有重复的类别"))
            }
            for stale in [Array(reversed.dropLast()), reversed + [9999]] {
                try await admin.send(.post, "/api/member-categories/order", json: ["ids": stale]) { response in
                    #expect(response.status == .conflict)
                    #expect(Self.message(response).hasPrefix("类别列表已有变化，请刷新后再排序"))
                }
            }
            #expect(try await Self.categories(admin).map(\.id) == reversed)
            // Only administrators order the organization's list.
            let organizer = try await admin.client.signIn("yi")
            try await organizer.send(.post, "/api/member-categories/order", json: ["ids": listed.map(\.id)]) {
                response in
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.categories(admin).map(\.id) == reversed)
        }
    }

    @Test func anOrganizerSetsAndFiltersCategoriesInTheirSubtreeOnly() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let (first, second) = try await Self.organization(configuration)
        try await withSignedInAdmin(configuration) { admin in
            let ids = Dictionary(uniqueKeysWithValues: try await Self.categories(admin).map { ($0.name, $0.id) })
            let organizer = try await admin.client.signIn("yi")
            let set: Member = try await organizer.send(
                .patch, "/api/members/1001", json: ["categories": ["党务干部", "农村党员"]]
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(Member.self)
            }
            #expect(set.categories == ["农村党员", "党务干部"])
            // Outside the subtree: refused, and the member is as they were.
            try await organizer.send(.patch, "/api/members/2001", json: ["categories": ["农村党员"]]) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.member(admin, "2001").member.categories == [])
            // An unknown name: a clear error, and nothing of the edit is written.
            struct Edit: Encodable {
                var name: String
                var categories: [String]
            }
            try await organizer.send(
                .patch, "/api/members/1001", json: Edit(name: "王改名", categories: ["机关党员", "农民"])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(
                    Self.message(response).hasPrefix("没有类别「农民」（现有类别："),
                    "\(String(buffer: response.body))")
            }
            let detail = try await Self.member(organizer, "1001")
            #expect(detail.member.name == "王建国" && detail.member.categories == ["农村党员", "党务干部"])
            #expect(Set(detail.categoryHistory.map(\.category)) == ["农村党员", "党务干部"])

            let rural = ids["农村党员"]!
            let page: Page = try await organizer.execute(
                uri: "/api/units/\(first)/members?category=\(rural)", method: .get
            ) { response in
                #expect(response.status == .ok)
                return try response.body.decode(Page.self)
            }
            #expect(page.members.map(\.number) == ["1001"] && page.total == 1)
            let none: Page = try await organizer.execute(
                uri: "/api/units/\(first)/members?category=\(ids["机关党员"]!)", method: .get
            ) { try $0.body.decode(Page.self) }
            #expect(none.total == 0)
            try await organizer.execute(uri: "/api/units/\(second)/members?category=\(rural)", method: .get) {
                #expect($0.status == .forbidden)
            }
            try await organizer.execute(uri: "/api/units/\(first)/members?category=abc", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(Self.message(response).hasPrefix("category 须为类别编号"))
            }
            // A new member with categories; an unknown one adds nobody.
            struct New: Encodable {
                var number: String
                var name: String
                var unitId: UnitID
                var categories: [String]
            }
            try await organizer.send(
                .post, "/api/members", json: New(number: "1002", name: "李秀英", unitId: first, categories: ["农民"])
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await admin.execute(uri: "/api/members/1002", method: .get) { #expect($0.status == .notFound) }
            let added: Member = try await organizer.send(
                .post, "/api/members", json: New(number: "1002", name: "李秀英", unitId: first, categories: ["机关党员"])
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try response.body.decode(Member.self)
            }
            #expect(added.categories == ["机关党员"])
        }
    }

    @Test func rostersFromXLSXAndGB18030CSVSetCategoriesAndAnUnknownOneChangesNothing() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        _ = try await Self.organization(configuration)
        @Sendable func fixture(_ name: String) throws -> ByteBuffer {
            ByteBuffer(
                data: try Data(
                    contentsOf: repositoryRoot.appendingPathComponent("Tests/DengaoCoreTests/Fixtures/\(name)")))
        }
        try await withSignedInAdmin(configuration) { admin in
            let organizer = try await admin.client.signIn("yi")
            let fromWorkbook: Imported = try await organizer.execute(
                uri: "/api/roster?filename=r.xlsx", method: .post, body: try fixture("roster-categories.xlsx")
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(Imported.self)
            }
            #expect(fromWorkbook.created == 2 && fromWorkbook.updated == 1)
            #expect(try await Self.member(admin, "1001").member.categories == ["农村党员", "党务干部"])
            #expect(try await Self.member(admin, "1002").member.categories == ["机关党员"])

            let fromCSV: Imported = try await organizer.execute(
                uri: "/api/roster?filename=r.csv", method: .post, body: try fixture("roster-categories-gb18030.csv")
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(Imported.self)
            }
            #expect(fromCSV.created == 1 && fromCSV.updated == 1)
            let moved = try await Self.member(admin, "1001")
            #expect(moved.member.categories == ["离退休党员", "党务干部"])
            #expect(moved.categoryHistory.filter { $0.until != nil }.map(\.category) == ["农村党员"])
            #expect(try await Self.member(admin, "1004").member.categories == ["两新组织党员"])

            let unknown = "姓名,党员编号,所在支部,类别\r\n王建国,1001,机关党委/第一党支部,机关党员\r\n新人,1009,机关党委/第一党支部,农民、学生\r\n"
            try await organizer.execute(
                uri: "/api/roster?filename=r.csv", method: .post,
                body: ByteBuffer(data: unknown.data(using: TextDecoding.gb18030)!)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let failure = try response.body.decode(Failure.self)
                #expect(failure.error == "文件未导入，未做任何改动 (the file was not imported; nothing was changed)")
                #expect(failure.errors?.map(\.message).count == 1)
                #expect(failure.errors?.first?.message.hasPrefix("没有类别「农民」、「学生」（现有类别：") == true)
            }
            #expect(try await Self.member(admin, "1001").member.categories == ["离退休党员", "党务干部"])
            try await admin.execute(uri: "/api/members/1009", method: .get) { #expect($0.status == .notFound) }
        }
    }
}
