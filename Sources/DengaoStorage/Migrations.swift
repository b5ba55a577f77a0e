import DengaoCore
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
        migrator.registerMigration("v3: live contests and their journal") { db in
            try createContestTables(db)
        }
        migrator.registerMigration("v4: answer-climbing campaigns") { db in
            try createCampaignTables(db)
        }
        migrator.registerMigration("v5: live rooms set aside, and loads under way") { db in
            try createRoomLoadTables(db)
        }
        migrator.registerMigration("v6: members' active spans") { db in
            try createActiveSpans(db)
        }
        migrator.registerMigration("v7: contest answers as rows, and the indexes reports read") { db in
            try createReportTables(db)
            try backfillContestAnswers(db)
        }
        migrator.registerMigration("v8: needs surveys") { db in
            try createSurveyTables(db)
        }
        migrator.registerMigration("v9: member categories and their history") { db in
            try createMemberCategoryTables(db)
        }
        migrator.registerMigration("v10: the ladder each campaign attempt climbs") { db in
            // 0: the campaign's default ladder, which every attempt made before category ladders climbed.
            try db.alter(table: "campaignAttempt") { t in t.add(column: "ladder", .integer).notNull().defaults(to: 0) }
        }
        migrator.registerMigration("v11: member categories' large-text default") { db in
            try addLargeTextDefault(db)
        }
        return migrator
    }

    /// A contest keeps its settings, the questions drawn for it (pinned to bank question rows, so a bank used by a
    /// contest cannot be deleted under it) and its journal: every input the contest accepted, in order, with the
    /// server time it happened. Replaying the journal rebuilds the contest, scores included.
    private static func createContestTables(_ db: Database) throws {
        try db.create(table: "contest") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("title", .text).notNull()
            // nil: the whole organization's contest (administrators only).
            t.belongsTo("ownerUnit", inTable: "unit", onDelete: .restrict)
            t.belongsTo("createdBy", inTable: "account", onDelete: .setNull)
            t.column("settings", .jsonText).notNull()
            // Seeds the per-player option orders; stored so they are the same after a restart.
            t.column("seed", .integer).notNull()
            t.column("pin", .text).notNull()
            t.column("displayTokenHash", .text).notNull().unique()
            t.column("status", .text).notNull().check { ["ready", "live", "finished"].contains($0) }
            t.column("createdAt", .datetime).notNull()
            t.column("finishedAt", .datetime)
        }
        // A PIN names one contest among those not finished.
        try db.execute(sql: "CREATE UNIQUE INDEX contest_open_pin ON contest(pin) WHERE status != 'finished'")
        try db.create(table: "contestQuestion") { t in
            t.belongsTo("contest", onDelete: .cascade).notNull()
            t.column("number", .integer).notNull()
            t.column("round", .integer).notNull()
            t.belongsTo("question", onDelete: .restrict).notNull()
            t.primaryKey(["contestId", "number"])
        }
        try db.create(table: "contestEvent", options: [.withoutRowID]) { t in
            t.belongsTo("contest", onDelete: .cascade).notNull()
            t.column("seq", .integer).notNull()
            t.column("at", .integer).notNull()
            t.column("input", .jsonText).notNull()
            // Joins only: the hash of the seat's resume token.
            t.column("tokenHash", .text)
            t.primaryKey(["contestId", "seq"])
        }
    }

    /// A campaign keeps its settings; each attempt its level, day, seed and the questions drawn (pinned to bank
    /// question rows, so a bank a member has answered from cannot be deleted under the results), the question on
    /// show and when it was served, and every answer with server times. Attempts are numbered per member.
    private static func createCampaignTables(_ db: Database) throws {
        try db.create(table: "campaign") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("title", .text).notNull()
            t.belongsTo("ownerUnit", inTable: "unit", onDelete: .restrict)
            t.belongsTo("createdBy", inTable: "account", onDelete: .setNull)
            t.column("settings", .jsonText).notNull()
            t.column("seed", .integer).notNull()
            t.column("displayTokenHash", .text).notNull().unique()
            t.column("createdAt", .datetime).notNull()
        }
        try db.create(table: "campaignAttempt", options: [.withoutRowID]) { t in
            t.belongsTo("campaign", onDelete: .cascade).notNull()
            t.belongsTo("member", onDelete: .cascade).notNull()
            t.column("seq", .integer).notNull()
            // The member's unit when the attempt began: participation is reported by the branch of the day.
            t.belongsTo("unit", onDelete: .restrict).notNull()
            t.column("level", .integer).notNull()
            t.column("day", .text).notNull()
            t.column("seed", .integer).notNull()
            t.column("startedAt", .integer).notNull()
            t.column("status", .text).notNull()
                .check { ["answering", "passed", "failed", "expired", "abandoned"].contains($0) }
            t.column("endedAt", .integer)
            t.column("servedIndex", .integer)
            t.column("servedAt", .integer)
            t.primaryKey(["campaignId", "memberId", "seq"])
        }
        try db.create(index: "campaignAttempt_day", on: "campaignAttempt", columns: ["campaignId", "day"])
        try db.create(table: "campaignAttemptQuestion", options: [.withoutRowID]) { t in
            t.column("campaignId", .integer).notNull()
            t.column("memberId", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("idx", .integer).notNull()
            t.belongsTo("question", onDelete: .restrict).notNull()
            t.primaryKey(["campaignId", "memberId", "seq", "idx"])
            t.foreignKey(["campaignId", "memberId", "seq"], references: "campaignAttempt", onDelete: .cascade)
        }
        try db.create(table: "campaignAnswer", options: [.withoutRowID]) { t in
            t.column("campaignId", .integer).notNull()
            t.column("memberId", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("idx", .integer).notNull()
            // NULL: the question's time ran out unanswered.
            t.column("answer", .jsonText)
            t.column("correct", .boolean).notNull()
            t.column("at", .integer).notNull()
            t.column("elapsedMs", .integer).notNull()
            t.primaryKey(["campaignId", "memberId", "seq", "idx"])
            t.foreignKey(["campaignId", "memberId", "seq"], references: "campaignAttempt", onDelete: .cascade)
        }
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

    /// A member's status (active, or 停用) is kept with its dates, like their placements: one row per span of time
    /// they were active, so a day's roster counts them only while they were. Existing members get the best spans
    /// their rows allow: an active member has been active since they were created; an inactive one was active from
    /// creation until the row's last change (`updatedAt`), the latest moment the deactivation can have happened —
    /// and never, when the row never changed after creation (created inactive, e.g. imported so).
    private static func createActiveSpans(_ db: Database) throws {
        try db.create(table: "memberActiveSpan") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("member", onDelete: .cascade).notNull()
            t.column("since", .datetime).notNull()
            t.column("until", .datetime)
        }
        try db.execute(
            sql:
                "INSERT INTO memberActiveSpan (memberId, since, until) SELECT id, createdAt, NULL FROM member WHERE active"
        )
        try db.execute(
            sql: """
                INSERT INTO memberActiveSpan (memberId, since, until)
                SELECT id, createdAt, updatedAt FROM member WHERE NOT active AND updatedAt > createdAt
                """)
    }

    /// Members' categories (分层分类): the organization's list, in its order, and one row per span of time a member
    /// held a category, as placements are of units. The list starts as the usual one (`MemberCategories.defaults`):
    /// a SQLite database is never the target of a copy, so it may hold rows from its first migration.
    private static func createMemberCategoryTables(_ db: Database) throws {
        try db.create(table: "memberCategory") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("position", .integer).notNull()
        }
        try db.create(table: "memberCategorySpan") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("member", onDelete: .cascade).notNull()
            // Restrict: a category in anyone's history stays (it can be renamed).
            t.belongsTo("category", inTable: "memberCategory", onDelete: .restrict).notNull()
            t.column("since", .datetime).notNull()
            t.column("until", .datetime)
        }
        // A member holds a category at most once at a time; also what the members listing filters by.
        try db.execute(
            sql:
                "CREATE UNIQUE INDEX memberCategorySpan_open ON memberCategorySpan(categoryId, memberId) WHERE until IS NULL"
        )
        for (index, name) in MemberCategories.defaults.enumerated() {
            try db.execute(
                sql: "INSERT INTO memberCategory (name, position) VALUES (?, ?)", arguments: [name, index + 1])
        }
    }

    /// A category can open its members' pages in 大字 (离退休 members, often taught at home); the usual 离退休党员
    /// gets it, as a new list does (`MemberCategories.largeTextDefaults`).
    private static func addLargeTextDefault(_ db: Database) throws {
        try db.alter(table: "memberCategory") { t in
            t.add(column: "largeText", .boolean).notNull().defaults(to: false)
        }
        for name in MemberCategories.largeTextDefaults {
            try db.execute(sql: "UPDATE memberCategory SET largeText = 1 WHERE name = ?", arguments: [name])
        }
    }

    /// Reports are queries, not replays: each accepted contest answer is a row (written in the same transaction as
    /// the journal entry that accepted it; its points with the reveal's entry), as campaign answers already were, and
    /// so is each seat (with its join entry; a kick marks it).
    /// Indexes serve what reports read: a contest's answers (primary key), a bank's questions across contests (by
    /// question; campaigns' drawn questions have had that index since v4), a member's history (by member).
    private static func createReportTables(_ db: Database) throws {
        try db.create(table: "contestAnswer", options: [.withoutRowID]) { t in
            // The primary key's prefix serves lookups by contest.
            t.belongsTo("contest", onDelete: .cascade, indexed: false).notNull()
            t.column("number", .integer).notNull()
            t.column("seat", .integer).notNull()
            // NULL for a guest. No foreign key: a member deleted later leaves their answers counted.
            t.column("memberId", .integer)
            // The seat's branch when it joined.
            t.column("unitId", .integer).notNull()
            t.column("questionId", .integer).notNull()
            // The canonical `PlayerAnswer` (the bank's option indices), as JSON.
            t.column("answer", .jsonText).notNull()
            t.column("correctness", .text).notNull().check { ["correct", "partial", "wrong"].contains($0) }
            // NULL until the question is revealed.
            t.column("points", .integer)
            t.column("elapsedMs", .integer).notNull()
            t.column("receivedAt", .integer).notNull()
            t.primaryKey(["contestId", "number", "seat"])
        }
        try db.create(index: "contestAnswer_question", on: "contestAnswer", columns: ["questionId"])
        try db.execute(sql: "CREATE INDEX contestAnswer_member ON contestAnswer(memberId) WHERE memberId IS NOT NULL")
        // Who took part: a contest's seats, written with their join entries; kicks mark them, keeping their rows.
        try db.create(table: "contestSeat", options: [.withoutRowID]) { t in
            t.belongsTo("contest", onDelete: .cascade, indexed: false).notNull()
            t.column("seat", .integer).notNull()
            t.column("memberId", .integer)
            t.column("unitId", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("joinedAt", .integer).notNull()
            t.column("kickedAt", .integer)
            t.primaryKey(["contestId", "seat"])
        }
        try db.execute(sql: "CREATE INDEX contestSeat_member ON contestSeat(memberId) WHERE memberId IS NOT NULL")
        try createActivityIndexes(db)
    }

    /// The organization's participation over a period asks who did anything on which days, across every campaign
    /// and contest: attempts by day and member, member seats by the moment they joined; a member's history asks for
    /// one member's attempts in every campaign.
    private static func createActivityIndexes(_ db: Database) throws {
        try db.create(index: "campaignAttempt_activity", on: "campaignAttempt", columns: ["day", "memberId"])
        try db.execute(
            sql: "CREATE INDEX contestSeat_activity ON contestSeat(joinedAt, memberId) WHERE memberId IS NOT NULL")
        // A member's history reads their attempts across every campaign.
        try db.create(index: "campaignAttempt_member", on: "campaignAttempt", columns: ["memberId"])
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

    /// A contest or campaign whose stored rows cannot be loaded is set aside (with the reason) instead of stopping
    /// the server; `roomLoad` marks a load under way, so a load that crashed the process is known at the next start.
    private static func createRoomLoadTables(_ db: Database) throws {
        try db.create(table: "roomSetAside", options: [.withoutRowID]) { t in
            t.column("kind", .text).notNull().check { ["contest", "campaign"].contains($0) }
            t.column("entityId", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("since", .datetime).notNull()
            t.primaryKey(["kind", "entityId"])
        }
        try db.create(table: "roomLoad", options: [.withoutRowID]) { t in
            t.column("kind", .text).notNull()
            t.column("entityId", .integer).notNull()
            t.column("startedAt", .datetime).notNull()
            t.primaryKey(["kind", "entityId"])
        }
    }

    /// Who answered a survey is kept apart from what they answered: `surveyRespondent` (no time, no row order: it is
    /// keyed by member) enforces one response per member, and an anonymous survey's `surveyResponse` rows carry
    /// neither member nor time, so nothing links an answer to a person.
    private static func createSurveyTables(_ db: Database) throws {
        try db.create(table: "survey") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("title", .text).notNull()
            t.belongsTo("ownerUnit", inTable: "unit", onDelete: .restrict)
            t.belongsTo("createdBy", inTable: "account", onDelete: .setNull)
            t.column("settings", .jsonText).notNull()
            t.column("anonymous", .boolean).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("closedAt", .datetime)
        }
        try db.create(table: "surveyRespondent", options: [.withoutRowID]) { t in
            t.belongsTo("survey", onDelete: .cascade).notNull()
            t.belongsTo("member", onDelete: .cascade).notNull()
            t.primaryKey(["surveyId", "memberId"])
        }
        try db.create(table: "surveyResponse") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("survey", onDelete: .cascade).notNull()
            t.column("unitId", .integer).notNull()
            t.belongsTo("member", onDelete: .setNull)
            t.column("answers", .jsonText).notNull()
            t.column("submittedAt", .datetime)
        }
    }
}
