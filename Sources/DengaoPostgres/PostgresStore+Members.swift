import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Members of a unit (optionally with its subtree), filtered by text and status, a page at a time, by number.
    public func members(ofUnit unitId: UnitID, matching query: MemberQuery = MemberQuery()) async throws -> MemberPage {
        try await read { sql in
            let tree = try await Self.orgTree(sql)
            guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            let unitIds = query.includeSubunits ? Array(tree.subtreeIds(of: unitId)) : [unitId]
            var condition = PostgresQuery(unsafeSQL: "WHERE m.unitId = ANY($1)")
            condition.binds.append(unitIds)
            if let active = query.active {
                condition.binds.append(active)
                condition.sql += " AND m.active = $\(condition.binds.count)"
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                condition.binds.append(Self.containsPattern(text))
                let p = "$\(condition.binds.count)"
                condition.sql +=
                    " AND (m.name ILIKE \(p) ESCAPE '\\' OR m.number ILIKE \(p) ESCAPE '\\' OR m.phone ILIKE \(p) ESCAPE '\\')"
            }
            if let categoryId = query.categoryId {
                condition.binds.append(categoryId)
                condition.sql +=
                    " AND m.id IN (SELECT memberId FROM memberCategorySpan WHERE categoryId = $\(condition.binds.count) AND until IS NULL)"
            }
            let total =
                try await sql.value(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM member m " + condition.sql, binds: condition.binds),
                    as: Int.self) ?? 0
            let rows = try await sql.rows(
                PostgresQuery(
                    unsafeSQL: MemberRow.select + " " + condition.sql
                        + " ORDER BY m.number COLLATE \"C\" LIMIT \(query.pageSize) OFFSET \(query.paging.offset)",
                    binds: condition.binds),
                as: MemberRow.Columns.self)
            return MemberPage(
                members: try rows.map { try MemberRow.view($0, tree: tree) }, total: total, page: query.page,
                pageSize: query.pageSize)
        }
    }

    public func member(number: String) async throws -> MemberDetail {
        try await read { sql in
            let tree = try await Self.orgTree(sql)
            let member = try await Self.memberView(number: number, sql, tree: tree)
            let history = try await sql.rows(
                "SELECT unitId, since, until FROM memberPlacement WHERE memberId = \(member.id) ORDER BY since, id",
                as: (UnitID, String, String?).self
            ).map { unitId, since, until in
                PlacementView(
                    unit: try Self.unitRef(unitId, tree: tree), since: try Self.date(since),
                    until: try until.map(Self.date))
            }
            let invitations = try await sql.rows(
                """
                SELECT i.id, i.createdAt, i.revokedAt,
                    (SELECT count(*) FROM session s WHERE s.invitationId = i.id AND s.expiresAt > \(StoredDate.text(Date())))
                FROM invitation i WHERE i.memberId = \(member.id) ORDER BY i.createdAt DESC, i.id DESC
                """, as: (InvitationID, String, String?, Int).self
            ).map { id, createdAt, revokedAt, sessions in
                InvitationView(
                    id: id, createdAt: try Self.date(createdAt), revokedAt: try revokedAt.map(Self.date),
                    sessions: sessions)
            }
            return MemberDetail(
                member: member, history: history, invitations: invitations,
                categoryHistory: try await Self.categoryHistory(memberId: member.id, sql))
        }
    }

    /// The unit a member is placed in, for access decisions on routes that name a member.
    public func memberUnit(number: String) async throws -> UnitID? {
        try await read { sql in
            try await sql.value("SELECT unitId FROM member WHERE number = \(number)", as: UnitID.self)
        }
    }

    public func member(id: MemberID) async throws -> MemberView {
        try await read { sql in
            let tree = try await Self.orgTree(sql)
            guard
                let row = try await sql.row(
                    "\(unescaped: MemberRow.select) WHERE m.id = \(id)", as: MemberRow.Columns.self)
            else {
                throw StorageError.memberNotFound("#\(id)")
            }
            return try MemberRow.view(row, tree: tree)
        }
    }

    @discardableResult
    public func addMember(
        number: String, name: String, unitId: UnitID, phone: String? = nil, at date: Date = Date()
    ) async throws -> MemberView {
        let number = try Self.field(MemberFields.number(number))
        let name = try Self.field(MemberFields.name(name))
        let phone = try Self.field(MemberFields.phone(phone ?? ""))
        return try await transaction { sql in
            try await Self.lockRoster(sql)
            let tree = try await Self.orgTree(sql)
            guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            if try await sql.value("SELECT id FROM member WHERE number = \(number)", as: Int64.self) != nil {
                throw StorageError.memberNumberTaken(number)
            }
            try await Self.insertMember(
                number: number, name: name, phone: phone, unitId: unitId, active: true, at: date, sql)
            return try await Self.memberView(number: number, sql, tree: tree)
        }
    }

    /// Edits a member; a new unit closes the current placement and opens one in the new unit.
    @discardableResult
    public func updateMember(number: String, _ changes: MemberChanges, at date: Date = Date()) async throws
        -> MemberView
    {
        let name = try changes.name.map { try Self.field(MemberFields.name($0)) }
        let phone: String?? = try changes.phone.map { raw in try raw.flatMap { try Self.field(MemberFields.phone($0)) }
        }
        return try await transaction { sql in
            try await Self.lockRoster(sql)
            let tree = try await Self.orgTree(sql)
            let current = try await Self.memberView(number: number, sql, tree: tree)
            if let unitId = changes.unitId, unitId != current.unit.id {
                guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
                try await Self.move(memberId: current.id, to: unitId, at: date, sql)
            }
            if let names = changes.categories {
                try await sql.lock(.memberCategories)
                let ids = try Self.field(MemberCategories.resolve(names, in: try await Self.memberCategoryIds(sql)))
                try await Self.setCategories(memberId: current.id, ids, at: date, sql)
            }
            try await sql.execute(
                """
                UPDATE member SET name = \(name ?? current.name), phone = \(phone ?? current.phone),
                    active = \(changes.active ?? current.active), updatedAt = \(StoredDate.text(date))
                WHERE id = \(current.id)
                """)
            if let active = changes.active { try await Self.setActive(memberId: current.id, active, at: date, sql) }
            return try await Self.memberView(number: number, sql, tree: tree)
        }
    }

    /// Applies a parsed roster in one transaction: the plan is made against the tree and members as they are inside
    /// that transaction (the roster lock keeps other roster writes out until it commits). Throws the plan's located
    /// errors, with `readErrors` (rows the reader could not parse), and changes nothing when any row is wrong.
    public func importRoster(
        _ roster: ParsedRoster, readErrors: [ImportIssue] = [], scope: UnitID?, base: UnitID?, createUnits: Bool,
        at date: Date = Date()
    ) async throws -> RosterImportResult {
        try await transaction { sql in
            try await Self.lockRoster(sql)
            let tree = try await Self.orgTree(sql)
            if let base, tree.unit(base) == nil { throw StorageError.unitNotFound(base) }
            var existing: [String: ExistingMember] = [:]
            let rows = try await sql.rows(
                """
                SELECT id, number, name, phone, unitId, active,
                    ARRAY(SELECT categoryId FROM memberCategorySpan s WHERE s.memberId = member.id AND s.until IS NULL)
                FROM member WHERE number = ANY(\(roster.entries.map(\.number)))
                """,
                as: (MemberID, String, String, String?, UnitID, Bool, [MemberCategoryID]).self)
            for (id, number, name, phone, unitId, active, categoryIds) in rows {
                existing[number] = ExistingMember(
                    id: id, name: name, phone: phone, unitId: unitId, active: active, categoryIds: Set(categoryIds))
            }
            try await sql.lock(.memberCategories)
            let categories = try await Self.memberCategoryIds(sql)
            let plan: RosterPlan
            do {
                plan = try RosterPlanner(
                    tree: tree, scope: scope, base: base, createUnits: createUnits, categories: categories
                ).plan(roster, existing: existing)
            } catch let failure as ImportFailure {
                throw ImportFailure(errors: readErrors + failure.errors, warnings: roster.warnings)
            }
            if !readErrors.isEmpty { throw ImportFailure(errors: readErrors, warnings: roster.warnings) }
            var created: [UnitID] = []
            var touched: Set<UnitID> = []
            func unitId(_ target: RosterPlan.UnitTarget) -> UnitID {
                switch target {
                case .existing(let id): id
                case .planned(let index): created[index]
                }
            }
            for unit in plan.newUnits {
                let parentId = unit.parent.map(unitId)
                created.append(
                    try await sql.value(
                        "INSERT INTO unit (parentId, name, createdAt) VALUES (\(parentId), \(unit.name), \(StoredDate.text(date))) RETURNING id",
                        as: UnitID.self)!)
            }
            let creates = plan.creates.map { change in
                NewMemberRow(entry: change.entry, unitId: unitId(change.target))
            }
            touched.formUnion(creates.map(\.unitId))
            try await Self.insertMembers(creates, at: date, sql)
            // New members' categories: their ids by number, then their spans (only rows that name categories; a
            // roster without a 类别 column costs nothing here).
            let categorized = plan.creates.filter { $0.categoryIds != nil }
            var spans: [(memberId: MemberID, categoryIds: [MemberCategoryID])] = []
            if !categorized.isEmpty {
                let ids = Dictionary(
                    uniqueKeysWithValues: try await sql.rows(
                        "SELECT number, id FROM member WHERE number = ANY(\(categorized.map(\.entry.number)))",
                        as: (String, MemberID).self))
                for change in categorized {
                    guard let memberId = ids[change.entry.number], let categoryIds = change.categoryIds else {
                        continue
                    }
                    spans.append((memberId, categoryIds))
                }
            }
            var updates: [MemberUpdate] = []
            for change in plan.updates {
                let entry = change.entry, memberId = change.memberId!
                let target = unitId(change.target)
                touched.insert(target)
                updates.append(
                    MemberUpdate(
                        memberId: memberId, name: entry.name, phone: entry.phone, active: entry.active,
                        movedTo: change.moved ? target : nil))
                if let categoryIds = change.categoryIds { spans.append((memberId, categoryIds)) }
            }
            try await Self.updateMembers(updates, at: date, sql)
            try await Self.setCategories(spans, at: date, sql)
            return RosterImportResult(
                created: plan.creates.count, updated: plan.updates.count, moved: plan.movedCount,
                unchanged: plan.unchanged,
                unitsCreated: plan.newUnits.count, sameNames: try await Self.sameNameGroups(inUnits: touched, sql))
        }
    }

    /// The other active members of `unitId` called `name` (their numbers), for the warning a new member gets.
    public func sameNameMembers(as name: String, inUnit unitId: UnitID, except number: String) async throws -> [String]
    {
        try await read { sql in
            try await sql.values(
                """
                SELECT number FROM member WHERE unitId = \(unitId) AND name = \(name) AND active AND number != \(number)
                ORDER BY number COLLATE "C"
                """, as: String.self)
        }
    }

    /// Every name shared by active members of one of `units`, with their numbers; at most `limit` groups.
    static func sameNameGroups(inUnits units: Set<UnitID>, limit: Int = 200, _ sql: SQL) async throws -> [SameNameGroup]
    {
        guard !units.isEmpty else { return [] }
        let tree = try await orgTree(sql)
        let rows = try await sql.rows(
            """
            SELECT unitId, name, array_agg(number) FROM member WHERE active AND unitId = ANY(\(Array(units)))
            GROUP BY unitId, name HAVING count(*) > 1 ORDER BY unitId, name COLLATE "C" LIMIT \(limit)
            """, as: (UnitID, String, [String]).self)
        return rows.map { unitId, name, numbers in
            SameNameGroup(unitPath: tree.path(of: unitId), name: name, numbers: numbers.sorted())
        }
    }

    static func memberView(number: String, _ sql: SQL, tree: OrgTree) async throws -> MemberView {
        guard
            let row = try await sql.row(
                "\(unescaped: MemberRow.select) WHERE m.number = \(number)", as: MemberRow.Columns.self)
        else { throw StorageError.memberNotFound(number) }
        return try MemberRow.view(row, tree: tree)
    }

    @discardableResult
    private static func insertMember(
        number: String, name: String, phone: String?, unitId: UnitID, active: Bool, at date: Date, _ sql: SQL
    ) async throws -> MemberID {
        let at = StoredDate.text(date)
        let id = try await sql.value(
            """
            INSERT INTO member (number, name, phone, unitId, active, createdAt, updatedAt)
            VALUES (\(number), \(name), \(phone), \(unitId), \(active), \(at), \(at)) RETURNING id
            """, as: MemberID.self)!
        try await sql.execute("INSERT INTO memberPlacement (memberId, unitId, since) VALUES (\(id), \(unitId), \(at))")
        if active { try await setActive(memberId: id, true, at: date, sql) }
        return id
    }

    /// A roster row that becomes a new member, in the unit it goes to.
    private struct NewMemberRow {
        var number: String
        var name: String
        var phone: String?
        var unitId: UnitID
        var active: Bool

        init(entry: RosterEntry, unitId: UnitID) {
            (number, name, phone, self.unitId, active) = (
                entry.number, entry.name, entry.phone, unitId, entry.active ?? true
            )
        }
    }

    /// Inserts new members with their first placement and (when active) their open span of activity: one statement
    /// per 2,000 members (column arrays unnested, the three inserts chained through `RETURNING`), where one member at
    /// a time took four round trips each — minutes for a 30,000-member roster on a busy machine.
    private static func insertMembers(_ rows: [NewMemberRow], at date: Date, _ sql: SQL) async throws {
        let at = StoredDate.text(date)
        for start in stride(from: 0, to: rows.count, by: 2000) {
            let chunk = rows[start..<min(start + 2000, rows.count)]
            // A phone is nil or eleven digits (RosterEntry.phone), so "" stands for nil in the text array.
            try await sql.execute(
                """
                WITH inserted AS (
                    INSERT INTO member (number, name, phone, unitId, active, createdAt, updatedAt)
                    SELECT number, name, NULLIF(phone, ''), unitId, active, \(at), \(at)
                    FROM unnest(\(chunk.map(\.number)), \(chunk.map(\.name)), \(chunk.map { $0.phone ?? "" }),
                        \(chunk.map(\.unitId)), \(chunk.map(\.active))) AS row(number, name, phone, unitId, active)
                    RETURNING id, unitId, active
                ), placed AS (
                    INSERT INTO memberPlacement (memberId, unitId, since) SELECT id, unitId, \(at) FROM inserted
                )
                INSERT INTO memberActiveSpan (memberId, since) SELECT id, \(at) FROM inserted WHERE active
                """)
        }
    }

    /// Opens or closes the member's span of activity at `date` so it matches `active`; nothing when it already does.
    private static func setActive(memberId: MemberID, _ active: Bool, at date: Date, _ sql: SQL) async throws {
        let open = try await sql.value(
            "SELECT id FROM memberActiveSpan WHERE memberId = \(memberId) AND until IS NULL", as: Int64.self)
        switch (active, open) {
        case (true, nil):
            try await sql.execute(
                "INSERT INTO memberActiveSpan (memberId, since) VALUES (\(memberId), \(StoredDate.text(date)))")
        case (false, let id?):
            try await sql.execute("UPDATE memberActiveSpan SET until = \(StoredDate.text(date)) WHERE id = \(id)")
        default:
            break
        }
    }

    private static func move(memberId: MemberID, to unitId: UnitID, at date: Date, _ sql: SQL) async throws {
        let at = StoredDate.text(date)
        try await sql.execute("UPDATE memberPlacement SET until = \(at) WHERE memberId = \(memberId) AND until IS NULL")
        try await sql.execute(
            "INSERT INTO memberPlacement (memberId, unitId, since) VALUES (\(memberId), \(unitId), \(at))")
        try await sql.execute("UPDATE member SET unitId = \(unitId) WHERE id = \(memberId)")
    }

    static func field<T>(_ result: Result<T, MemberFieldProblem>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let problem): throw StorageError.invalid(problem.description)
        }
    }

    /// A stored date, or the damage it is.
    static func date(_ text: String) throws -> Date {
        guard let date = StoredDate.date(text) else { throw StorageError.corrupt("an unreadable date: \(text)") }
        return date
    }
}

/// A member row as the views read it, with the count of its open invitations.
enum MemberRow {
    static let select = """
        SELECT m.id, m.number, m.name, m.phone, m.active, m.unitId,
            (SELECT count(*) FROM invitation i WHERE i.memberId = m.id AND i.revokedAt IS NULL),
            ARRAY(SELECT c.name FROM memberCategorySpan s JOIN memberCategory c ON c.id = s.categoryId
                  WHERE s.memberId = m.id AND s.until IS NULL ORDER BY c.position, c.id)
        FROM member m
        """
    typealias Columns = (MemberID, String, String, String?, Bool, UnitID, Int, [String])

    static func view(_ row: Columns, tree: OrgTree) throws -> MemberView {
        MemberView(
            id: row.0, number: row.1, name: row.2, phone: row.3, active: row.4,
            unit: try PostgresStore.unitRef(row.5, tree: tree), invitations: row.6, categories: row.7)
    }
}
