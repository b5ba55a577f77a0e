import GRDB

extension Store {
    /// The schema's history. Never edit a registered migration: add a new one.
    ///
    /// Banks are versioned: a re-import adds a `bankVersion` with its own copy of the questions, so contests and
    /// campaigns (later tables) can reference the exact version they were built from while newer ones arrive.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: banks, versions, questions") { db in
            try db.create(table: "bank") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "bankVersion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("bank", onDelete: .cascade).notNull()
                t.column("version", .integer).notNull()
                t.column("sourceFormat", .text).notNull()
                t.column("sourceName", .text)
                t.column("questionCount", .integer).notNull()
                t.column("importedAt", .datetime).notNull()
                t.uniqueKey(["bankId", "version"])
            }
            try db.create(table: "question") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("bankVersion", onDelete: .cascade).notNull()
                t.column("position", .integer).notNull()
                t.column("type", .text).notNull()
                    .check { ["single", "multiple", "truefalse", "fill"].contains($0) }
                t.column("stem", .text).notNull()
                // JSON arrays of strings; the answer as JSON (see QuestionRecord).
                t.column("options", .jsonText).notNull()
                t.column("answer", .jsonText).notNull()
                t.column("explanation", .text).notNull()
                t.column("difficulty", .integer).notNull().check { (1...5).contains($0) }
                t.column("category", .text).notNull()
                t.column("tags", .jsonText).notNull()
                // Also the index every listing uses: questions of one version in bank order.
                t.uniqueKey(["bankVersionId", "position"])
            }
        }
        migrator.registerMigration("v2: org tree, members, accounts, sessions, invitations, bank owners") { db in
            try createOrganizationTables(db)
            try createAccessTables(db)
            try db.alter(table: "bank") { t in
                t.add(column: "ownerUnitId", .integer).references("unit", onDelete: .restrict)
                t.add(column: "shared", .boolean).notNull().defaults(to: false)
            }
            // Before access control every bank was visible to everyone; keep it that way for existing banks.
            try db.execute(sql: "UPDATE bank SET shared = 1")
        }
        return migrator
    }

    /// Units form a tree; members are placed in exactly one unit at a time, and every placement is kept so
    /// results can later be reported by the branch a member belonged to then. Units with history cannot go.
    private static func createOrganizationTables(_ db: Database) throws {
        try db.create(table: "unit") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("parent", inTable: "unit", onDelete: .restrict)
            t.column("name", .text).notNull()
            t.column("code", .text).unique()
            t.column("createdAt", .datetime).notNull()
        }
        // Sibling names are unique, which is what makes a path like 机关党委/第一党支部 name one unit.
        try db.execute(sql: "CREATE UNIQUE INDEX unit_sibling_name ON unit(coalesce(parentId, 0), name)")
        try db.create(table: "member") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .text).notNull().unique()
            t.column("name", .text).notNull()
            t.column("phone", .text)
            t.belongsTo("unit", onDelete: .restrict).notNull()
            t.column("active", .boolean).notNull().defaults(to: true)
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "memberPlacement") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("member", onDelete: .cascade).notNull()
            t.belongsTo("unit", onDelete: .restrict).notNull()
            t.column("since", .datetime).notNull()
            t.column("until", .datetime)
        }
    }

    /// Sessions and invitation tokens are stored as SHA-256 hashes: a copy of the database opens no session.
    private static func createAccessTables(_ db: Database) throws {
        try db.create(table: "account") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("username", .text).notNull().unique().collate(.nocase)
            t.column("displayName", .text).notNull()
            t.column("passwordHash", .text).notNull()
            t.column("role", .text).notNull().check { ["admin", "organizer"].contains($0) }
            t.belongsTo("unit", onDelete: .restrict)
            t.column("createdAt", .datetime).notNull()
            t.column("disabledAt", .datetime)
            t.check(sql: "role = 'admin' OR unitId IS NOT NULL")
        }
        try db.create(table: "invitation") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("member", onDelete: .cascade).notNull()
            t.column("tokenHash", .text).notNull().unique()
            t.column("createdAt", .datetime).notNull()
            t.belongsTo("createdBy", inTable: "account", onDelete: .setNull)
            t.column("revokedAt", .datetime)
        }
        try db.create(table: "session") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("tokenHash", .text).notNull().unique()
            t.column("csrfToken", .text).notNull()
            t.belongsTo("account", onDelete: .cascade)
            t.belongsTo("member", onDelete: .cascade)
            t.belongsTo("invitation", onDelete: .cascade)
            t.column("createdAt", .datetime).notNull()
            t.column("lastSeenAt", .datetime).notNull()
            t.column("expiresAt", .datetime).notNull().indexed()
            t.check(sql: "(accountId IS NULL) <> (memberId IS NULL)")
        }
    }
}
