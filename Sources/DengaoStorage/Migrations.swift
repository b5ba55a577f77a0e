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
        return migrator
    }
}
