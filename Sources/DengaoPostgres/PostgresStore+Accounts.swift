import DengaoCore
import Foundation
import PostgresNIO

/// Accounts, as the SQLite store's `Store+Accounts`. User names compare case-insensitively (SQLite's
/// `COLLATE NOCASE`): lookups and the unique index use `lower(username)`.
extension PostgresStore {
    public func accounts() async throws -> [AccountView] {
        try await read { sql in
            let tree = try await Self.orgTree(sql)
            return try await sql.rows(
                "\(unescaped: AccountRow.select) ORDER BY lower(username) COLLATE \"C\"", as: AccountRow.Columns.self
            ).map { try AccountRow.view($0, tree: tree) }
        }
    }

    public func account(id: AccountID) async throws -> AccountView {
        try await read { sql in
            guard
                let row = try await sql.row(
                    "\(unescaped: AccountRow.select) WHERE id = \(id)", as: AccountRow.Columns.self)
            else {
                throw StorageError.accountNotFound("#\(id)")
            }
            return try AccountRow.view(row, tree: await Self.orgTree(sql))
        }
    }

    /// The account and its hash for a sign-in attempt; nil when there is no such name.
    public func credentials(username: String) async throws -> AccountCredentials? {
        try await read { sql in
            guard
                let row = try await sql.row(
                    "\(unescaped: AccountRow.select) WHERE lower(username) = lower(\(username))",
                    as: AccountRow.Columns.self)
            else { return nil }
            return AccountCredentials(
                account: try AccountRow.view(row, tree: await Self.orgTree(sql)), passwordHash: row.3)
        }
    }

    public func hasAdministrator() async throws -> Bool {
        try await read { sql in
            try await sql.value(
                "SELECT EXISTS (SELECT 1 FROM account WHERE role = 'admin' AND disabledAt IS NULL)", as: Bool.self)
                ?? false
        }
    }

    @discardableResult
    public func createAccount(
        username: String, displayName: String?, passwordHash: String, role: AccountRole, unitId: UnitID?,
        at date: Date = Date()
    ) async throws -> AccountView {
        let username = try Self.validatedUsername(username)
        let trimmed = displayName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let displayName = trimmed.isEmpty ? username : trimmed
        if role == .organizer && unitId == nil { throw StorageError.organizerNeedsUnit }
        return try await transaction { sql in
            try await Self.lockAccounts(sql)
            let tree = try await Self.orgTree(sql)
            if let unitId, tree.unit(unitId) == nil { throw StorageError.unitNotFound(unitId) }
            if try await sql.value("SELECT 1 FROM account WHERE lower(username) = lower(\(username))", as: Int.self)
                != nil
            {
                throw StorageError.usernameTaken(username)
            }
            let id = try await sql.value(
                """
                INSERT INTO account (username, displayName, passwordHash, role, unitId, createdAt)
                VALUES (\(username), \(displayName), \(passwordHash), \(role.rawValue), \(role == .admin ? nil : unitId),
                    \(StoredDate.text(date)))
                RETURNING id
                """, as: AccountID.self)!
            return try AccountRow.view(
                try await sql.row("\(unescaped: AccountRow.select) WHERE id = \(id)", as: AccountRow.Columns.self)!,
                tree: tree)
        }
    }

    /// Edits an account; a new password or disabling it ends every session it has.
    @discardableResult
    public func updateAccount(id: AccountID, _ changes: AccountChanges, at date: Date = Date()) async throws
        -> AccountView
    {
        try await transaction { sql in
            try await Self.lockAccounts(sql)
            let tree = try await Self.orgTree(sql)
            guard
                let row = try await sql.row(
                    "\(unescaped: AccountRow.select) WHERE id = \(id)", as: AccountRow.Columns.self)
            else {
                throw StorageError.accountNotFound("#\(id)")
            }
            let current = try AccountRow.view(row, tree: tree)
            if let unitId = changes.unitId {
                guard current.role == .organizer else { throw StorageError.administratorHasNoUnit }
                guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            }
            if changes.disabled == true, current.role == .admin, try await Self.activeAdministrators(sql) <= 1,
                !current.disabled
            {
                throw StorageError.lastAdministratorDisabled
            }
            let trimmed = changes.displayName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let displayName = trimmed.isEmpty ? current.displayName : trimmed
            let disabledAt: String? = changes.disabled.map { $0 ? (row.7 ?? StoredDate.text(date)) : nil } ?? row.7
            try await sql.execute(
                """
                UPDATE account SET displayName = \(displayName), passwordHash = coalesce(\(changes.passwordHash), passwordHash),
                    unitId = coalesce(\(changes.unitId), unitId), disabledAt = \(disabledAt)
                WHERE id = \(id)
                """)
            if changes.passwordHash != nil || changes.disabled == true || changes.unitId != nil {
                try await sql.execute("DELETE FROM session WHERE accountId = \(id)")
            }
            return try AccountRow.view(
                try await sql.row("\(unescaped: AccountRow.select) WHERE id = \(id)", as: AccountRow.Columns.self)!,
                tree: tree)
        }
    }

    public func deleteAccount(id: AccountID) async throws {
        try await transaction { sql in
            try await Self.lockAccounts(sql)
            guard let role = try await sql.value("SELECT role FROM account WHERE id = \(id)", as: String.self) else {
                throw StorageError.accountNotFound("#\(id)")
            }
            if role == "admin", try await Self.activeAdministrators(sql) <= 1 {
                throw StorageError.lastAdministratorRemoved
            }
            try await sql.execute("DELETE FROM account WHERE id = \(id)")
        }
    }

    public func accountId(username: String) async throws -> AccountID {
        try await read { sql in
            guard
                let id = try await sql.value(
                    "SELECT id FROM account WHERE lower(username) = lower(\(username))", as: AccountID.self)
            else {
                throw StorageError.accountNotFound(username)
            }
            return id
        }
    }

    /// The same rule as the SQLite store's: 1 to `StorageRules.maximumUsernameLength` characters, no spaces or controls.
    static func validatedUsername(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= StorageRules.maximumUsernameLength else {
            throw StorageError.usernameLength
        }
        guard
            name.unicodeScalars.allSatisfy({
                !CharacterSet.whitespacesAndNewlines.contains($0) && $0.properties.generalCategory != .control
            })
        else { throw StorageError.usernameCharacters }
        return name
    }

    /// Serializes account writes as SQLite's single writer does: "the last administrator" and "the name is taken"
    /// stay true until the write that checked them commits.
    private static func lockAccounts(_ sql: SQL) async throws {
        try await sql.lock(.accounts)
    }

    private static func activeAdministrators(_ sql: SQL) async throws -> Int {
        try await sql.value("SELECT count(*) FROM account WHERE role = 'admin' AND disabledAt IS NULL", as: Int.self)
            ?? 0
    }
}

/// An `account` row.
enum AccountRow {
    static let select =
        "SELECT id, username, displayName, passwordHash, role, unitId, createdAt, disabledAt FROM account"
    typealias Columns = (AccountID, String, String, String, String, UnitID?, String, String?)

    static func view(_ row: Columns, tree: OrgTree) throws -> AccountView {
        guard let role = AccountRole(rawValue: row.4) else { throw StorageError.corrupt("account role \(row.4)") }
        return AccountView(
            id: row.0, username: row.1, displayName: row.2, role: role,
            unit: try row.5.map { try PostgresStore.unitRef($0, tree: tree) }, createdAt: try PostgresStore.date(row.6),
            disabled: row.7 != nil)
    }
}
