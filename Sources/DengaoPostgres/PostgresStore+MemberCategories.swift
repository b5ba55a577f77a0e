import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The organization's member categories in list order, with how many active members hold each now.
    public func memberCategories() async throws -> [MemberCategoryView] {
        try await read { sql in try await Self.memberCategoryViews(sql) }
    }

    /// Adds a category at the end of the list; `largeText`: its members' pages open in 大字 by default.
    @discardableResult
    public func createMemberCategory(name raw: String, largeText: Bool) async throws -> MemberCategoryView {
        let name = try Self.field(MemberCategories.validatedName(raw))
        return try await transaction { sql in
            try await sql.lock(.memberCategories)
            let count = try await sql.value("SELECT count(*) FROM memberCategory", as: Int.self) ?? 0
            guard count < MemberCategories.maximumCount else { throw StorageError.tooManyMemberCategories }
            try await Self.checkCategoryName(name, excluding: nil, sql)
            let id = try await sql.value(
                """
                INSERT INTO memberCategory (name, position, largeText)
                VALUES (\(name), (SELECT coalesce(max(position), 0) + 1 FROM memberCategory), \(largeText))
                RETURNING id
                """, as: MemberCategoryID.self)!
            return try await Self.memberCategoryViews(sql).first { $0.id == id }!
        }
    }

    /// Renames a category (members holding it, and their history, follow the new name) and/or sets whether its
    /// members' pages open in 大字; a nil field stays.
    @discardableResult
    public func updateMemberCategory(_ id: MemberCategoryID, name raw: String?, largeText: Bool?) async throws
        -> MemberCategoryView
    {
        let name = try raw.map { try Self.field(MemberCategories.validatedName($0)) }
        return try await transaction { sql in
            try await sql.lock(.memberCategories)
            guard
                try await sql.value("SELECT id FROM memberCategory WHERE id = \(id)", as: MemberCategoryID.self) != nil
            else {
                throw StorageError.memberCategoryNotFound(id)
            }
            if let name {
                try await Self.checkCategoryName(name, excluding: id, sql)
                try await sql.execute("UPDATE memberCategory SET name = \(name) WHERE id = \(id)")
            }
            if let largeText {
                try await sql.execute("UPDATE memberCategory SET largeText = \(largeText) WHERE id = \(id)")
            }
            return try await Self.memberCategoryViews(sql).first { $0.id == id }!
        }
    }

    /// Puts the list in the order of `ids`, every category named once: one statement for the whole list.
    @discardableResult
    public func reorderMemberCategories(_ ids: [MemberCategoryID]) async throws -> [MemberCategoryView] {
        try await transaction { sql in
            try await sql.lock(.memberCategories)
            let existing = try await sql.values("SELECT id FROM memberCategory", as: MemberCategoryID.self)
            if let problem = MemberCategories.orderProblem(ids, existing: existing) { throw problem }
            let positions = ids.indices.map { Int64($0 + 1) }
            try await sql.execute(
                """
                UPDATE memberCategory SET position = o.position
                FROM unnest(\(ids)::BIGINT[], \(positions)::BIGINT[]) AS o(id, position)
                WHERE memberCategory.id = o.id
                """)
            return try await Self.memberCategoryViews(sql)
        }
    }

    /// Deletes a category no member holds or ever held.
    public func deleteMemberCategory(_ id: MemberCategoryID) async throws {
        try await transaction { sql in
            // The roster lock first, as member edits take it: none can give the category to someone meanwhile.
            try await sql.lock(.roster)
            try await sql.lock(.memberCategories)
            guard let name = try await sql.value("SELECT name FROM memberCategory WHERE id = \(id)", as: String.self)
            else { throw StorageError.memberCategoryNotFound(id) }
            let (ever, now) =
                try await sql.row(
                    """
                    SELECT count(DISTINCT memberId), count(*) FILTER (WHERE until IS NULL)
                    FROM memberCategorySpan WHERE categoryId = \(id)
                    """, as: (Int, Int).self) ?? (0, 0)
            guard ever == 0 else { throw StorageError.memberCategoryInUse(name, holders: now) }
            try await sql.execute("DELETE FROM memberCategory WHERE id = \(id)")
        }
    }

    /// The list as views, in order.
    static func memberCategoryViews(_ sql: SQL) async throws -> [MemberCategoryView] {
        try await sql.rows(
            """
            SELECT c.id, c.name, c.position,
                (SELECT count(*) FROM memberCategorySpan s JOIN member m ON m.id = s.memberId
                 WHERE s.categoryId = c.id AND s.until IS NULL AND m.active), c.largeText
            FROM memberCategory c ORDER BY c.position, c.id
            """, as: (MemberCategoryID, String, Int, Int, Bool).self
        ).map { MemberCategoryView(id: $0.0, name: $0.1, position: $0.2, memberCount: $0.3, largeText: $0.4) }
    }

    /// Name → id of every category, for resolving names given by a person or a roster file.
    static func memberCategoryIds(_ sql: SQL) async throws -> [String: MemberCategoryID] {
        var ids: [String: MemberCategoryID] = [:]
        for (id, name) in try await sql.rows("SELECT id, name FROM memberCategory", as: (MemberCategoryID, String).self)
        {
            ids[name] = id
        }
        return ids
    }

    /// Makes `categoryIds` the member's categories from `date`: closes the spans of the ones dropped, opens spans
    /// for the ones added, and leaves the ones kept untouched (their history goes on).
    static func setCategories(memberId: MemberID, _ categoryIds: [MemberCategoryID], at date: Date, _ sql: SQL)
        async throws
    {
        let at = StoredDate.text(date)
        let held = Set(
            try await sql.values(
                "SELECT categoryId FROM memberCategorySpan WHERE memberId = \(memberId) AND until IS NULL",
                as: MemberCategoryID.self))
        let dropped = Array(held.subtracting(categoryIds))
        if !dropped.isEmpty {
            try await sql.execute(
                """
                UPDATE memberCategorySpan SET until = \(at)
                WHERE memberId = \(memberId) AND categoryId = ANY(\(dropped)) AND until IS NULL
                """)
        }
        for added in categoryIds where !held.contains(added) {
            try await sql.execute(
                "INSERT INTO memberCategorySpan (memberId, categoryId, since) VALUES (\(memberId), \(added), \(at))")
        }
    }

    /// The member's categories over time, oldest first.
    static func categoryHistory(memberId: MemberID, _ sql: SQL) async throws -> [CategorySpanView] {
        try await sql.rows(
            """
            SELECT c.name, s.since, s.until FROM memberCategorySpan s JOIN memberCategory c ON c.id = s.categoryId
            WHERE s.memberId = \(memberId) ORDER BY s.since, c.position, s.id
            """, as: (String, String, String?).self
        ).map { name, since, until in
            CategorySpanView(category: name, since: try Self.date(since), until: try until.map(Self.date))
        }
    }

    private static func checkCategoryName(_ name: String, excluding id: MemberCategoryID?, _ sql: SQL) async throws {
        if let other = try await sql.value(
            "SELECT id FROM memberCategory WHERE name = \(name)", as: MemberCategoryID.self),
            other != id
        {
            throw StorageError.memberCategoryTaken(name)
        }
    }
}
