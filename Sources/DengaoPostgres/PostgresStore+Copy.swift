import DengaoCore
import DengaoStorage
import Foundation
import PostgresNIO

/// One table as copied: its rows and a checksum of their values, the same on both sides when the copy is whole.
public struct TableCopy: Sendable, Equatable {
    public var table: String
    public var rows: Int
    /// FNV-1a (64-bit) of each row's values, summed over the rows: independent of row order, so the two databases
    /// can each be read in their own order.
    public var checksum: UInt64
}

/// Copying a SQLite installation into this (empty) PostgreSQL database: `dengao migrate-data`.
extension PostgresStore {
    /// The tables in an order where every row's foreign keys point at rows already copied.
    static let copyOrder = [
        "unit", "bank", "bankversion", "question", "member", "memberplacement", "memberactivespan", "membercategory",
        "membercategoryspan", "account",
        "invitation", "session", "contest", "contestquestion", "contestevent", "campaign", "campaignattempt",
        "campaignattemptquestion", "campaignanswer", "roomsetaside", "roomload", "contestanswer", "contestseat",
        "survey", "surveyrespondent", "surveyresponse",
    ]

    /// Copies every row of `source` into this database in one transaction, keeping ids, then checks each table's
    /// row count and checksum on both sides; a difference rolls the whole copy back. Refuses, changing nothing, a
    /// database that already holds any row or whose schema is at other migrations than the source's.
    public func copy(from source: Store, pageSize: Int = 1_000) async throws -> [TableCopy] {
        let sourceTables = Dictionary(
            uniqueKeysWithValues: try source.tableNames().map { ($0.lowercased(), $0) })
        guard try source.appliedMigrations() == (try await appliedMigrations()) else {
            throw StorageError.invalid(
                "两个数据库的结构版本不同，请先用同一版本的 dengao 打开它们 (the two databases are at different schema versions)")
        }
        return try await transaction { sql in
            let targetTables = Set(
                try await sql.values(
                    """
                    SELECT table_name::text FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> \(PostgresMigrations.table)
                    """, as: String.self))
            guard targetTables == Set(Self.copyOrder), Set(sourceTables.keys) == targetTables else {
                throw StorageError.invalid("两个数据库的表不一致 (the two databases do not have the same tables)")
            }
            for table in Self.copyOrder {
                if try await sql.value("SELECT 1 FROM \(unescaped: table) LIMIT 1", as: Int.self) != nil {
                    throw StorageError.conflict(
                        "目标数据库不是空的（表 \(table) 已有数据），只能迁移到空数据库 (the target database is not empty: table \(table) has rows)"
                    )
                }
            }
            var copies: [TableCopy] = []
            for table in Self.copyOrder {
                let copied = try await Self.copyTable(
                    table, from: source, named: sourceTables[table]!, sql, pageSize: pageSize)
                let stored = try await Self.tableChecksum(table, columns: copied.columns, sql)
                guard stored == copied.copy else {
                    throw StorageError.corrupt(
                        "表 \(table) 复制后不一致：源 \(copied.copy.rows) 行，目标 \(stored.rows) 行 (table \(table) differs after copying)"
                    )
                }
                copies.append(stored)
            }
            return copies
        }
    }

    /// Copies one table page by page (keyset paging on the source's primary key) and moves its identity sequence
    /// past the copied ids; returns the columns and what was read.
    private static func copyTable(
        _ table: String, from source: Store, named sourceName: String, _ sql: SQL, pageSize: Int
    )
        async throws -> (columns: [(name: String, type: String)], copy: TableCopy)
    {
        let columns = try await sql.rows(
            """
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table) ORDER BY ordinal_position
            """, as: (String, String).self
        ).map { (name: $0.0, type: $0.1) }
        let key = try source.primaryKey(of: sourceName)
        let keyNames = Set(key.map { $0.lowercased() })
        // The key first (for paging), then the other columns; written back in PostgreSQL's own column order.
        let ordered = key.map { $0.lowercased() } + columns.map(\.name).filter { !keyNames.contains($0) }
        let types = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
        let placement = ordered.map { name in columns.firstIndex { $0.name == name }! }
        var copy = TableCopy(table: table, rows: 0, checksum: 0)
        var pending: [[StoredValue]] = []
        var after: [StoredValue]?
        while true {
            let page = try source.rows(
                of: sourceName, columns: ordered, keyCount: key.count, after: after, limit: pageSize)
            guard let last = page.last else { break }
            after = Array(last.prefix(key.count))
            for read in page {
                var row = Array(repeating: StoredValue.null, count: columns.count)
                for (index, value) in read.enumerated() {
                    row[placement[index]] = try converted(value, to: types[ordered[index]]!, in: table)
                }
                copy.rows += 1
                copy.checksum &+= checksum(row)
                pending.append(row)
            }
            // Units refer to their parent: they are written together, parents first, once all are read.
            if table != "unit" {
                try await insert(pending, into: table, columns: columns, sql)
                pending.removeAll()
            }
        }
        if table == "unit" {
            try await insert(parentsFirst(pending, columns: columns), into: table, columns: columns, sql)
        }
        for column in columns where column.name == "id" {
            try await sql.execute(
                "SELECT setval(pg_get_serial_sequence(\(table), 'id'), coalesce(max(id), 0) + 1, false) FROM \(unescaped: table)"
            )
        }
        return (columns, copy)
    }

    /// A source value as the target column's type keeps it (SQLite keeps booleans as integers, any type anywhere).
    private static func converted(_ value: StoredValue, to type: String, in table: String) throws -> StoredValue {
        switch (value, type) {
        case (.null, _): return .null
        case (.integer, "bigint"), (.text, "text"): return value
        case (.integer(let number), "boolean"): return .integer(number == 0 ? 0 : 1)
        case (.integer(let number), "text"): return .text(String(number))
        case (.real(let number), "text"): return .text(String(number))
        case (.text(let text), "bigint"):
            if let number = Int64(text) { return .integer(number) }
        case (.real(let number), "bigint"):
            if let number = Int64(exactly: number) { return .integer(number) }
        default: break
        }
        throw StorageError.corrupt("表 \(table) 有无法迁移的值 (a value of table \(table) does not fit its column: \(value))")
    }

    /// Unit rows ordered so that every parent comes before its children.
    private static func parentsFirst(_ rows: [[StoredValue]], columns: [(name: String, type: String)])
        -> [[StoredValue]]
    {
        let id = columns.firstIndex { $0.name == "id" }!, parent = columns.firstIndex { $0.name == "parentid" }!
        var children: [StoredValue: [[StoredValue]]] = [:]
        for row in rows { children[row[parent], default: []].append(row) }
        var ordered: [[StoredValue]] = []
        var level = children[.null] ?? []
        while !level.isEmpty {
            ordered += level
            level = level.flatMap { children[$0[id]] ?? [] }
        }
        // A cycle cannot be stored, but if one were, its rows still go (and the foreign key refuses them, loudly).
        if ordered.count < rows.count {
            let placed = Set(ordered.map { $0[id] })
            ordered += rows.filter { !placed.contains($0[id]) }
        }
        return ordered
    }

    /// Writes rows with multi-row `INSERT`s, as many rows per statement as PostgreSQL's 65,535 parameters allow.
    private static func insert(
        _ rows: [[StoredValue]], into table: String, columns: [(name: String, type: String)], _ sql: SQL
    ) async throws {
        let perStatement = max(1, min(1_000, 60_000 / max(1, columns.count)))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var query = PostgresQuery(
                unsafeSQL: "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES ")
            var tuples: [String] = []
            for row in batch {
                var places: [String] = []
                for (value, column) in zip(row, columns) {
                    switch value {
                    case .null: query.binds.appendNull()
                    case .integer(let number) where column.type == "boolean": query.binds.append(number != 0)
                    case .integer(let number): query.binds.append(number)
                    case .text(let text): query.binds.append(text)
                    case .real(let number): query.binds.append(number)
                    case .blob(let data): query.binds.append(ByteBuffer(bytes: data))
                    }
                    places.append("$\(query.binds.count)")
                }
                tuples.append("(" + places.joined(separator: ", ") + ")")
            }
            query.sql += tuples.joined(separator: ", ")
            try await sql.execute(query)
            start += perStatement
        }
    }

    /// The row count and checksum of a table as PostgreSQL now holds it.
    private static func tableChecksum(_ table: String, columns: [(name: String, type: String)], _ sql: SQL)
        async throws -> TableCopy
    {
        var copy = TableCopy(table: table, rows: 0, checksum: 0)
        let rows = try await sql.query(
            PostgresQuery(unsafeSQL: "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(table)"))
        for try await row in rows {
            var values: [StoredValue] = []
            for (cell, column) in zip(row, columns) {
                switch column.type {
                case "bigint": values.append(try cell.decode(Int64?.self).map(StoredValue.integer) ?? .null)
                case "boolean": values.append(try cell.decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null)
                default: values.append(try cell.decode(String?.self).map(StoredValue.text) ?? .null)
                }
            }
            copy.rows += 1
            copy.checksum &+= checksum(values)
        }
        return copy
    }

    /// FNV-1a (64-bit) of a row's values, each tagged with its kind; enough to catch a changed, lost or extra value
    /// (this is a copy check, not a defence against forgery, so no cryptographic hash is needed).
    static func checksum(_ row: [StoredValue]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        for value in row {
            switch value {
            case .null: mix([0])
            case .integer(let number): mix([1] + Array(String(number).utf8))
            case .real(let number): mix([2] + Array(String(number).utf8))
            case .text(let text): mix([3] + Array(text.utf8))
            case .blob(let data): mix([4] + Array(data))
            }
            mix([0x1F])
        }
        return hash
    }
}
