import DengaoCore
import Foundation
import GRDB

extension Store {
    /// The organization's member categories in list order, with how many active members hold each now.
    public func memberCategories() throws -> [MemberCategoryView] {
        try pool.read { db in try Store.memberCategoryViews(db) }
    }

    /// Adds a category at the end of the list; `largeText`: its members' pages open in 大字 by default.
    @discardableResult
    public func createMemberCategory(name raw: String, largeText: Bool = false) throws -> MemberCategoryView {
        let name = try Store.field(MemberCategories.validatedName(raw))
        return try pool.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM memberCategory") ?? 0
            guard count < MemberCategories.maximumCount else { throw StorageError.tooManyMemberCategories }
            try Store.checkCategoryName(name, excluding: nil, db)
            let position = (try Int.fetchOne(db, sql: "SELECT max(position) FROM memberCategory") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO memberCategory (name, position, largeText) VALUES (?, ?, ?)",
                arguments: [name, position, largeText])
            let id = MemberCategoryID(db.lastInsertedRowID)
            return try Store.memberCategoryViews(db).first { $0.id == id }!
        }
    }

    /// Renames a category (members holding it, and their history, follow the new name) and/or sets whether its
    /// members' pages open in 大字; a nil field stays.
    @discardableResult
    public func updateMemberCategory(_ id: MemberCategoryID, name raw: String? = nil, largeText: Bool? = nil) throws
        -> MemberCategoryView
    {
        let name = try raw.map { try Store.field(MemberCategories.validatedName($0)) }
        return try pool.write { db in
            guard
                try MemberCategoryID.fetchOne(db, sql: "SELECT id FROM memberCategory WHERE id = ?", arguments: [id])
                    != nil
            else { throw StorageError.memberCategoryNotFound(id) }
            if let name {
                try Store.checkCategoryName(name, excluding: id, db)
                try db.execute(sql: "UPDATE memberCategory SET name = ? WHERE id = ?", arguments: [name, id])
            }
            if let largeText {
                try db.execute(sql: "UPDATE memberCategory SET largeText = ? WHERE id = ?", arguments: [largeText, id])
            }
            return try Store.memberCategoryViews(db).first { $0.id == id }!
        }
    }

    /// Renames a category, leaving its other settings.
    @discardableResult
    public func renameMemberCategory(_ id: MemberCategoryID, name: String) throws -> MemberCategoryView {
        try updateMemberCategory(id, name: name)
    }

    /// Puts the list in the order of `ids`, every category named once.
    @discardableResult
    public func reorderMemberCategories(_ ids: [MemberCategoryID]) throws -> [MemberCategoryView] {
        try pool.write { db in
            let existing = try MemberCategoryID.fetchAll(db, sql: "SELECT id FROM memberCategory")
            if let problem = MemberCategories.orderProblem(ids, existing: existing) { throw problem }
            for (index, id) in ids.enumerated() {
                try db.execute(sql: "UPDATE memberCategory SET position = ? WHERE id = ?", arguments: [index + 1, id])
            }
            return try Store.memberCategoryViews(db)
        }
    }

    /// Deletes a category no member holds or ever held.
    public func deleteMemberCategory(_ id: MemberCategoryID) throws {
        try pool.write { db in
            guard
                let name = try String.fetchOne(db, sql: "SELECT name FROM memberCategory WHERE id = ?", arguments: [id])
            else { throw StorageError.memberCategoryNotFound(id) }
            let (ever, now) = try Store.categoryHolders(id, db)
            guard ever == 0 else { throw StorageError.memberCategoryInUse(name, holders: now) }
            try db.execute(sql: "DELETE FROM memberCategory WHERE id = ?", arguments: [id])
        }
    }

    /// The list as views, in order.
    static func memberCategoryViews(_ db: Database) throws -> [MemberCategoryView] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, c.name, c.position, c.largeText,
                  (SELECT count(*) FROM memberCategorySpan s JOIN member m ON m.id = s.memberId
                   WHERE s.categoryId = c.id AND s.until IS NULL AND m.active) AS members
                FROM memberCategory c ORDER BY c.position, c.id
                """
        ).map {
            MemberCategoryView(
                id: $0["id"], name: $0["name"], position: $0["position"], memberCount: $0["members"],
                largeText: $0["largeText"])
        }
    }

    /// Name → id of every category, for resolving names given by a person or a roster file.
    static func memberCategoryIds(_ db: Database) throws -> [String: MemberCategoryID] {
        var ids: [String: MemberCategoryID] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM memberCategory") { ids[row["name"]] = row["id"] }
        return ids
    }

    /// Makes `categoryIds` the member's categories from `date`: closes the spans of the ones dropped, opens spans
    /// for the ones added, and leaves the ones kept untouched (their history goes on).
    static func setCategories(memberId: MemberID, _ categoryIds: [MemberCategoryID], at date: Date, _ db: Database)
        throws
    {
        let held = Set(
            try MemberCategoryID.fetchAll(
                db, sql: "SELECT categoryId FROM memberCategorySpan WHERE memberId = ? AND until IS NULL",
                arguments: [memberId]))
        let wanted = Set(categoryIds)
        for dropped in held.subtracting(wanted) {
            try db.execute(
                sql: "UPDATE memberCategorySpan SET until = ? WHERE memberId = ? AND categoryId = ? AND until IS NULL",
                arguments: [date, memberId, dropped])
        }
        for added in categoryIds where !held.contains(added) {
            try db.execute(
                sql: "INSERT INTO memberCategorySpan (memberId, categoryId, since) VALUES (?, ?, ?)",
                arguments: [memberId, added, date])
        }
    }

    /// The member's categories over time, oldest first.
    static func categoryHistory(memberId: MemberID, _ db: Database) throws -> [CategorySpanView] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.name, s.since, s.until FROM memberCategorySpan s JOIN memberCategory c ON c.id = s.categoryId
                WHERE s.memberId = ? ORDER BY s.since, c.position, s.id
                """, arguments: [memberId]
        ).map { CategorySpanView(category: $0["name"], since: $0["since"], until: $0["until"]) }
    }

    private static func checkCategoryName(_ name: String, excluding id: MemberCategoryID?, _ db: Database) throws {
        if let other = try MemberCategoryID.fetchOne(
            db, sql: "SELECT id FROM memberCategory WHERE name = ?", arguments: [name]),
            other != id
        {
            throw StorageError.memberCategoryTaken(name)
        }
    }

    /// How many members ever held the category, and how many active members hold it now.
    private static func categoryHolders(_ id: MemberCategoryID, _ db: Database) throws -> (ever: Int, now: Int) {
        let ever =
            try Int.fetchOne(
                db, sql: "SELECT count(DISTINCT memberId) FROM memberCategorySpan WHERE categoryId = ?", arguments: [id]
            )
            ?? 0
        let now =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM memberCategorySpan WHERE categoryId = ? AND until IS NULL",
                arguments: [id]) ?? 0
        return (ever, now)
    }
}
