import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// The 大字 default of member categories in the SQLite store: the v11 migration gives it to an upgraded list's
/// 离退休党员 only, and creating and updating a category set it (a bad name changes nothing).
@Suite struct MemberCategoryLargeTextTests {
    @Test func anUpgradedListMarksOnlyTheUsualRetiredCategory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString).sqlite")
            .path
        // A database as the release before kept it: through v9, its list edited (a category added, one renamed).
        do {
            let pool = try DatabasePool(path: path)
            try Store.migrator.migrate(pool, upTo: "v9: member categories and their history")
            try pool.write { db in
                try db.execute(sql: "INSERT INTO memberCategory (name, position) VALUES ('流动党员', 6)")
                try db.execute(sql: "UPDATE memberCategory SET name = '机关在职党员' WHERE name = '机关党员'")
            }
        }
        let store = try Store(path: path)
        let flags = Dictionary(uniqueKeysWithValues: try store.memberCategories().map { ($0.name, $0.largeText) })
        #expect(
            flags == [
                "农村党员": false, "机关在职党员": false, "离退休党员": true, "两新组织党员": false, "党务干部": false, "流动党员": false,
            ])
    }

    @Test func creatingAndUpdatingSetTheDefaultAndABadNameChangesNothing() throws {
        let store = try Store(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)").path
        )
        let added = try store.createMemberCategory(name: "流动党员", largeText: true)
        #expect(added.largeText)
        #expect(try store.updateMemberCategory(added.id, largeText: false).largeText == false)
        #expect(throws: StorageError.self) {
            try store.updateMemberCategory(added.id, name: "甲、乙", largeText: true)
        }
        let stored = try #require(try store.memberCategories().first { $0.id == added.id })
        #expect(stored.name == "流动党员" && stored.largeText == false)
        let renamed = try store.updateMemberCategory(added.id, name: "外出流动党员")
        #expect(renamed.name == "外出流动党员" && renamed.largeText == false, "a rename keeps the flag")
        #expect(throws: StorageError.self) { try store.updateMemberCategory(9999, largeText: true) }
    }
}
