import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Members of a unit (optionally with its subtree), filtered by text and status, a page at a time.
    public func members(ofUnit unitId: UnitID, matching query: MemberQuery = MemberQuery()) throws -> MemberPage {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            let unitIds = query.includeSubunits ? Array(tree.subtreeIds(of: unitId)) : [unitId]
            var conditions = ["m.unitId IN (\(unitIds.map { _ in "?" }.joined(separator: ",")))"]
            var arguments = StatementArguments(unitIds)
            if let active = query.active {
                conditions.append("m.active = ?")
                _ = arguments.append(contentsOf: [active])
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = Store.containsPattern(text)
                conditions.append(
                    "(m.name LIKE ? ESCAPE '\\' OR m.number LIKE ? ESCAPE '\\' OR m.phone LIKE ? ESCAPE '\\')")
                _ = arguments.append(contentsOf: [pattern, pattern, pattern])
            }
            if let categoryId = query.categoryId {
                conditions.append(
                    "m.id IN (SELECT memberId FROM memberCategorySpan WHERE categoryId = ? AND until IS NULL)")
                _ = arguments.append(contentsOf: [categoryId])
            }
            let whereClause = conditions.joined(separator: " AND ")
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member m WHERE \(whereClause)", arguments: arguments)
                ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: Store.memberSelect + " WHERE \(whereClause) ORDER BY m.number LIMIT ? OFFSET ?",
                arguments: arguments + [query.pageSize, query.paging.offset])
            return MemberPage(
                members: try rows.map { try Store.memberView($0, tree: tree) }, total: total, page: query.page,
                pageSize: query.pageSize)
        }
    }

    public func member(number: String) throws -> MemberDetail {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            let member = try Store.memberView(number: number, db, tree: tree)
            let history = try Row.fetchAll(
                db, sql: "SELECT unitId, since, until FROM memberPlacement WHERE memberId = ? ORDER BY since, id",
                arguments: [member.id]
            ).map {
                PlacementView(unit: try Store.unitRef($0["unitId"], tree: tree), since: $0["since"], until: $0["until"])
            }
            let invitations = try Row.fetchAll(
                db,
                sql: """
                    SELECT i.id, i.createdAt, i.revokedAt,
                      (SELECT COUNT(*) FROM session s WHERE s.invitationId = i.id AND s.expiresAt > ?) AS sessions
                    FROM invitation i WHERE i.memberId = ? ORDER BY i.createdAt DESC, i.id DESC
                    """,
                arguments: [Date(), member.id]
            ).map {
                InvitationView(
                    id: $0["id"], createdAt: $0["createdAt"], revokedAt: $0["revokedAt"], sessions: $0["sessions"])
            }
            return MemberDetail(
                member: member, history: history, invitations: invitations,
                categoryHistory: try Store.categoryHistory(memberId: member.id, db))
        }
    }

    /// The unit a member is placed in, for access decisions on routes that name a member.
    public func memberUnit(number: String) throws -> UnitID? {
        try pool.read { db in
            try UnitID.fetchOne(db, sql: "SELECT unitId FROM member WHERE number = ?", arguments: [number])
        }
    }

    public func member(id: MemberID) throws -> MemberView {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            guard let row = try Row.fetchOne(db, sql: Store.memberSelect + " WHERE m.id = ?", arguments: [id]) else {
                throw StorageError.memberNotFound("#\(id)")
            }
            return try Store.memberView(row, tree: tree)
        }
    }

    @discardableResult
    public func addMember(number: String, name: String, unitId: UnitID, phone: String? = nil, at date: Date = Date())
        throws -> MemberView
    {
        let number = try Store.field(MemberFields.number(number))
        let name = try Store.field(MemberFields.name(name))
        let phone = try Store.field(MemberFields.phone(phone ?? ""))
        return try pool.write { db in
            let tree = try Store.orgTree(db)
            guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            if try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE number = ?", arguments: [number]) != nil {
                throw StorageError.memberNumberTaken(number)
            }
            let id = try Store.insertMember(
                number: number, name: name, phone: phone, unitId: unitId, active: true, at: date, db)
            return try Store.memberView(
                Row.fetchOne(db, sql: Store.memberSelect + " WHERE m.id = ?", arguments: [id])!, tree: tree)
        }
    }

    /// Edits a member; a new unit closes the current placement and opens one in the new unit.
    @discardableResult
    public func updateMember(number: String, _ changes: MemberChanges, at date: Date = Date()) throws -> MemberView {
        let name = try changes.name.map { try Store.field(MemberFields.name($0)) }
        let phone: String?? = try changes.phone.map { raw in try raw.flatMap { try Store.field(MemberFields.phone($0)) }
        }
        return try pool.write { db in
            let tree = try Store.orgTree(db)
            let current = try Store.memberView(number: number, db, tree: tree)
            if let unitId = changes.unitId, unitId != current.unit.id {
                guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
                try Store.move(memberId: current.id, to: unitId, at: date, db)
            }
            if let names = changes.categories {
                let ids = try Store.field(MemberCategories.resolve(names, in: Store.memberCategoryIds(db)))
                try Store.setCategories(memberId: current.id, ids, at: date, db)
            }
            try db.execute(
                sql: "UPDATE member SET name = ?, phone = ?, active = ?, updatedAt = ? WHERE id = ?",
                arguments: [
                    name ?? current.name, phone ?? current.phone, changes.active ?? current.active, date, current.id,
                ])
            if let active = changes.active { try Store.setActive(memberId: current.id, active, at: date, db) }
            return try Store.memberView(number: number, db, tree: tree)
        }
    }

    /// Applies a parsed roster in one transaction: the plan is made against the tree and members as they are inside
    /// that transaction, so a concurrent edit cannot slip between checking and writing. Throws the plan's located
    /// errors and changes nothing when any row is wrong.
    ///
    /// `readErrors` are the reader's errors for rows that could not be parsed; they are reported together with the
    /// plan's, so an organizer sees every problem of a file in one answer.
    public func importRoster(
        _ roster: ParsedRoster, readErrors: [ImportIssue] = [], scope: UnitID?, base: UnitID?, createUnits: Bool,
        at date: Date = Date()
    ) throws -> RosterImportResult {
        try pool.write { db in
            let tree = try Store.orgTree(db)
            if let base, tree.unit(base) == nil { throw StorageError.unitNotFound(base) }
            var existing: [String: ExistingMember] = [:]
            let numbers = roster.entries.map(\.number)
            for chunk in stride(from: 0, to: numbers.count, by: 500).map({ numbers[$0..<min($0 + 500, numbers.count)] })
            {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, number, name, phone, unitId, active,
                          (SELECT group_concat(categoryId) FROM memberCategorySpan s
                           WHERE s.memberId = member.id AND s.until IS NULL) AS categoryIds
                        FROM member WHERE number IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments(Array(chunk)))
                for row in rows {
                    let categoryIds = ((row["categoryIds"] as String?) ?? "").split(separator: ",").compactMap {
                        MemberCategoryID(String($0))
                    }
                    existing[row["number"]] = ExistingMember(
                        id: row["id"], name: row["name"], phone: row["phone"], unitId: row["unitId"],
                        active: row["active"], categoryIds: Set(categoryIds))
                }
            }
            let plan: RosterPlan
            do {
                plan = try RosterPlanner(
                    tree: tree, scope: scope, base: base, createUnits: createUnits,
                    categories: Store.memberCategoryIds(db)
                ).plan(roster, existing: existing)
            } catch let failure as ImportFailure {
                throw ImportFailure(errors: readErrors + failure.errors, warnings: roster.warnings)
            }
            if !readErrors.isEmpty { throw ImportFailure(errors: readErrors, warnings: roster.warnings) }
            var createdUnitIds: [UnitID] = []
            var touched: Set<UnitID> = []
            for unit in plan.newUnits {
                let parentId = unit.parent.map { Store.unitId($0, created: createdUnitIds) }
                try db.execute(
                    sql: "INSERT INTO unit (parentId, name, createdAt) VALUES (?, ?, ?)",
                    arguments: [parentId, unit.name, date])
                createdUnitIds.append(UnitID(db.lastInsertedRowID))
            }
            for change in plan.creates {
                let entry = change.entry
                let unitId = Store.unitId(change.target, created: createdUnitIds)
                touched.insert(unitId)
                let memberId = try Store.insertMember(
                    number: entry.number, name: entry.name, phone: entry.phone,
                    unitId: unitId, active: entry.active ?? true, at: date, db)
                if let categoryIds = change.categoryIds {
                    try Store.setCategories(memberId: memberId, categoryIds, at: date, db)
                }
            }
            for change in plan.updates {
                let entry = change.entry, memberId = change.memberId!
                touched.insert(Store.unitId(change.target, created: createdUnitIds))
                if change.moved {
                    try Store.move(
                        memberId: memberId, to: Store.unitId(change.target, created: createdUnitIds), at: date, db)
                }
                try db.execute(
                    sql:
                        "UPDATE member SET name = ?, phone = coalesce(?, phone), active = coalesce(?, active), updatedAt = ? WHERE id = ?",
                    arguments: [entry.name, entry.phone, entry.active, date, memberId])
                if let active = entry.active { try Store.setActive(memberId: memberId, active, at: date, db) }
                if let categoryIds = change.categoryIds {
                    try Store.setCategories(memberId: memberId, categoryIds, at: date, db)
                }
            }
            return RosterImportResult(
                created: plan.creates.count, updated: plan.updates.count, moved: plan.movedCount,
                unchanged: plan.unchanged,
                unitsCreated: plan.newUnits.count, sameNames: try Store.sameNameGroups(inUnits: touched, db))
        }
    }

    /// The other active members of `unitId` called `name` (their numbers), for the warning a new member gets.
    public func sameNameMembers(as name: String, inUnit unitId: UnitID, except number: String) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT number FROM member WHERE unitId = ? AND name = ? AND active = 1 AND number != ? ORDER BY number",
                arguments: [unitId, name, number])
        }
    }

    /// Every name shared by active members of one of `units`, with their numbers; at most `limit` groups (a roster
    /// with thousands of namesakes needs a look anyway, not a list that long).
    static func sameNameGroups(inUnits units: Set<UnitID>, limit: Int = 200, _ db: Database) throws -> [SameNameGroup] {
        guard !units.isEmpty else { return [] }
        let tree = try Store.orgTree(db)
        var groups: [SameNameGroup] = []
        // One grouped pass over the member table, filtered here: a unit list in SQL would be as long as the roster's.
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT unitId, name, group_concat(number, char(31)) AS numbers FROM member WHERE active = 1 "
                + "GROUP BY unitId, name HAVING count(*) > 1 ORDER BY unitId, name")
        while groups.count < limit, let row = try rows.next() {
            let unitId: UnitID = row["unitId"]
            guard units.contains(unitId) else { continue }
            let numbers = (row["numbers"] as String).split(separator: "\u{1F}").map(String.init).sorted()
            groups.append(SameNameGroup(unitPath: tree.path(of: unitId), name: row["name"], numbers: numbers))
        }
        return groups
    }

    // MARK: - Rows

    static let memberSelect = """
        SELECT m.id, m.number, m.name, m.phone, m.active, m.unitId,
          (SELECT COUNT(*) FROM invitation i WHERE i.memberId = m.id AND i.revokedAt IS NULL) AS invitations,
          (SELECT group_concat(name, char(31)) FROM (
             SELECT c.name FROM memberCategorySpan s JOIN memberCategory c ON c.id = s.categoryId
             WHERE s.memberId = m.id AND s.until IS NULL ORDER BY c.position, c.id)) AS categories
        FROM member m
        """

    static func memberView(_ row: Row, tree: OrgTree) throws -> MemberView {
        MemberView(
            id: row["id"], number: row["number"], name: row["name"], phone: row["phone"], active: row["active"],
            unit: try unitRef(row["unitId"], tree: tree), invitations: row["invitations"],
            // SQLite's group_concat keeps the order of the subquery it reads (3.40 has no ORDER BY inside aggregates).
            categories: ((row["categories"] as String?) ?? "").split(separator: "\u{1F}").map(String.init))
    }

    static func memberView(number: String, _ db: Database, tree: OrgTree) throws -> MemberView {
        guard let row = try Row.fetchOne(db, sql: memberSelect + " WHERE m.number = ?", arguments: [number]) else {
            throw StorageError.memberNotFound(number)
        }
        return try memberView(row, tree: tree)
    }

    @discardableResult
    private static func insertMember(
        number: String, name: String, phone: String?, unitId: UnitID, active: Bool, at date: Date, _ db: Database
    ) throws -> MemberID {
        try db.execute(
            sql:
                "INSERT INTO member (number, name, phone, unitId, active, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [number, name, phone, unitId, active, date, date])
        let id = MemberID(db.lastInsertedRowID)
        try db.execute(
            sql: "INSERT INTO memberPlacement (memberId, unitId, since) VALUES (?, ?, ?)",
            arguments: [id, unitId, date])
        if active { try setActive(memberId: id, true, at: date, db) }
        return id
    }

    /// Opens or closes the member's span of activity at `date` so it matches `active`; nothing when it already does.
    /// The spans are the dated history of the `active` column, as placements are of `unitId`.
    private static func setActive(memberId: MemberID, _ active: Bool, at date: Date, _ db: Database) throws {
        let open = try Int64.fetchOne(
            db, sql: "SELECT id FROM memberActiveSpan WHERE memberId = ? AND until IS NULL", arguments: [memberId])
        switch (active, open) {
        case (true, nil):
            try db.execute(
                sql: "INSERT INTO memberActiveSpan (memberId, since) VALUES (?, ?)", arguments: [memberId, date])
        case (false, let id?):
            try db.execute(sql: "UPDATE memberActiveSpan SET until = ? WHERE id = ?", arguments: [date, id])
        default:
            break
        }
    }

    private static func move(memberId: MemberID, to unitId: UnitID, at date: Date, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE memberPlacement SET until = ? WHERE memberId = ? AND until IS NULL",
            arguments: [date, memberId])
        try db.execute(
            sql: "INSERT INTO memberPlacement (memberId, unitId, since) VALUES (?, ?, ?)",
            arguments: [memberId, unitId, date])
        try db.execute(sql: "UPDATE member SET unitId = ? WHERE id = ?", arguments: [unitId, memberId])
    }

    private static func unitId(_ target: RosterPlan.UnitTarget, created: [UnitID]) -> UnitID {
        switch target {
        case .existing(let id): id
        case .planned(let index): created[index]
        }
    }

    static func field<T>(_ result: Result<T, MemberFieldProblem>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let problem): throw StorageError.invalid(problem.description)
        }
    }
}
