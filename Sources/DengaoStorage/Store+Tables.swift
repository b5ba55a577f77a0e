import DengaoCore
import Foundation
import GRDB

/// A stored value as SQLite holds it, without GRDB's types: what copying a database elsewhere reads.
public enum StoredValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// Whole tables read generically, for copying an installation to another database (`dengao migrate-data`).
extension Store {
    /// The application's tables (not SQLite's nor GRDB's own).
    public func tableNames() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name != 'grdb_migrations' ORDER BY name
                    """)
        }
    }

    /// The primary key's columns of `table`, in key order.
    public func primaryKey(of table: String) throws -> [String] {
        try pool.read { db in try db.primaryKey(table).columns }
    }

    /// Up to `limit` rows of `table`'s `columns` after the row whose primary key is `after` (nil: from the start),
    /// in primary-key order; the key's columns must come first in `columns`. Keyset paging: each page is one seek.
    public func rows(of table: String, columns: [String], keyCount: Int, after: [StoredValue]?, limit: Int) throws
        -> [[StoredValue]]
    {
        let quoted = columns.map { "\"\($0)\"" }
        let key = quoted.prefix(keyCount)
        var sql = "SELECT \(quoted.joined(separator: ", ")) FROM \"\(table)\""
        var arguments = StatementArguments()
        if let after {
            sql +=
                " WHERE (\(key.joined(separator: ", "))) > (\(Array(repeating: "?", count: keyCount).joined(separator: ", ")))"
            for value in after { arguments += [Self.databaseValue(value)] }
        }
        sql += " ORDER BY \(key.joined(separator: ", ")) LIMIT \(limit)"
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (0..<row.count).map { index in
                    switch row[index] as DatabaseValue {
                    case let value where value.isNull: .null
                    case let value:
                        switch value.storage {
                        case .int64(let number): .integer(number)
                        case .double(let number): .real(number)
                        case .string(let text): .text(text)
                        case .blob(let data): .blob(data)
                        case .null: .null
                        }
                    }
                }
            }
        }
    }

    /// How many rows `table` has.
    public func rowCount(of table: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0 }
    }

    private static func databaseValue(_ value: StoredValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let data): data.databaseValue
        }
    }
}
