import DengaoCore
import Foundation
import GRDB

extension Store {
    public static let maximumUsernameLength = StorageRules.maximumUsernameLength

    public func accounts() throws -> [AccountView] {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            return try Row.fetchAll(db, sql: Store.accountSelect + " ORDER BY username").map {
                try Store.accountView($0, tree: tree)
            }
        }
    }

    public func account(id: AccountID) throws -> AccountView {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: Store.accountSelect + " WHERE id = ?", arguments: [id]) else {
                throw StorageError.accountNotFound("#\(id)")
            }
            return try Store.accountView(row, tree: Store.orgTree(db))
        }
    }

    /// The account and its hash for a sign-in attempt; nil when there is no such name.
    public func credentials(username: String) throws -> AccountCredentials? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(db, sql: Store.accountSelect + " WHERE username = ?", arguments: [username])
            else {
                return nil
            }
            return AccountCredentials(
                account: try Store.accountView(row, tree: Store.orgTree(db)), passwordHash: row["passwordHash"])
        }
    }

    public func hasAdministrator() throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE role = 'admin' AND disabledAt IS NULL") ?? false
        }
    }

    @discardableResult
    public func createAccount(
        username: String, displayName: String?, passwordHash: String, role: AccountRole, unitId: UnitID?,
        at date: Date = Date()
    ) throws -> AccountView {
        let username = try Store.validatedUsername(username)
        let displayName = displayName?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? username
        if role == .organizer && unitId == nil { throw StorageError.organizerNeedsUnit }
        return try pool.write { db in
            let tree = try Store.orgTree(db)
            if let unitId, tree.unit(unitId) == nil { throw StorageError.unitNotFound(unitId) }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE username = ?", arguments: [username]) != nil {
                throw StorageError.usernameTaken(username)
            }
            try db.execute(
                sql:
                    "INSERT INTO account (username, displayName, passwordHash, role, unitId, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [username, displayName, passwordHash, role.rawValue, role == .admin ? nil : unitId, date])
            let row = try Row.fetchOne(
                db, sql: Store.accountSelect + " WHERE id = ?", arguments: [db.lastInsertedRowID])!
            return try Store.accountView(row, tree: tree)
        }
    }

    /// Edits an account; a new password or disabling it ends every session it has.
    @discardableResult
    public func updateAccount(id: AccountID, _ changes: AccountChanges, at date: Date = Date()) throws -> AccountView {
        try pool.write { db in
            let tree = try Store.orgTree(db)
            guard let row = try Row.fetchOne(db, sql: Store.accountSelect + " WHERE id = ?", arguments: [id]) else {
                throw StorageError.accountNotFound("#\(id)")
            }
            let current = try Store.accountView(row, tree: tree)
            if let unitId = changes.unitId {
                guard current.role == .organizer else { throw StorageError.administratorHasNoUnit }
                guard tree.unit(unitId) != nil else { throw StorageError.unitNotFound(unitId) }
            }
            if changes.disabled == true, current.role == .admin, try Store.activeAdministrators(db) <= 1,
                !current.disabled
            {
                throw StorageError.lastAdministratorDisabled
            }
            let displayName =
                changes.displayName?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? current.displayName
            let disabledAt: Date? = changes.disabled.map { $0 ? (row["disabledAt"] ?? date) : nil } ?? row["disabledAt"]
            try db.execute(
                sql:
                    "UPDATE account SET displayName = ?, passwordHash = coalesce(?, passwordHash), unitId = coalesce(?, unitId), disabledAt = ? WHERE id = ?",
                arguments: [displayName, changes.passwordHash, changes.unitId, disabledAt, id])
            if changes.passwordHash != nil || changes.disabled == true || changes.unitId != nil {
                try db.execute(sql: "DELETE FROM session WHERE accountId = ?", arguments: [id])
            }
            return try Store.accountView(
                Row.fetchOne(db, sql: Store.accountSelect + " WHERE id = ?", arguments: [id])!, tree: tree)
        }
    }

    public func deleteAccount(id: AccountID) throws {
        try pool.write { db in
            guard let role = try String.fetchOne(db, sql: "SELECT role FROM account WHERE id = ?", arguments: [id])
            else {
                throw StorageError.accountNotFound("#\(id)")
            }
            if role == "admin", try Store.activeAdministrators(db) <= 1 {
                throw StorageError.lastAdministratorRemoved
            }
            try db.execute(sql: "DELETE FROM account WHERE id = ?", arguments: [id])
        }
    }

    public func accountId(username: String) throws -> AccountID {
        try pool.read { db in
            guard
                let id = try AccountID.fetchOne(
                    db, sql: "SELECT id FROM account WHERE username = ?", arguments: [username])
            else {
                throw StorageError.accountNotFound(username)
            }
            return id
        }
    }

    static func validatedUsername(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maximumUsernameLength else {
            throw StorageError.usernameLength
        }
        guard
            name.unicodeScalars.allSatisfy({
                !CharacterSet.whitespacesAndNewlines.contains($0) && $0.properties.generalCategory != .control
            })
        else {
            throw StorageError.usernameCharacters
        }
        return name
    }

    private static func activeAdministrators(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabledAt IS NULL") ?? 0
    }

    static let accountSelect =
        "SELECT id, username, displayName, passwordHash, role, unitId, createdAt, disabledAt FROM account"

    static func accountView(_ row: Row, tree: OrgTree) throws -> AccountView {
        guard let role = AccountRole(rawValue: row["role"]) else {
            throw StorageError.corrupt("account role \(row["role"] ?? "")")
        }
        return AccountView(
            id: row["id"], username: row["username"], displayName: row["displayName"], role: role,
            unit: try (row["unitId"] as UnitID?).map { try unitRef($0, tree: tree) }, createdAt: row["createdAt"],
            disabled: (row["disabledAt"] as Date?) != nil)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
