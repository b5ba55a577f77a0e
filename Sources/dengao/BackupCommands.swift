import ArgumentParser
import DengaoCore
import DengaoStorage
import Foundation

/// `dengao backup FILE`: an online, checked copy of the database, safe while the server runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent, checked copy of the database to FILE; safe while the server runs (SQLite).")

    @Argument(help: "The backup file to write (replaced once the new copy is checked).") var file: String
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        guard dataOptions.databaseURL == nil else {
            throw ValidationError(
                "备份与恢复针对 SQLite 数据目录；PostgreSQL 请用 pg_dump / pg_restore (backup and restore are for the SQLite data directory; use pg_dump and pg_restore for PostgreSQL)"
            )
        }
        // Background work beside a live contest: the server's answers come first for the CPU (and, with the
        // default I/O scheduler, for the disk). Measured in BENCHMARKS.md ("A backup during an answer surge").
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        try reportingFailures {
            let started = Date()
            let check = try DatabaseBackup.backup(dataDirectory: dataOptions.data, to: file)
            print(
                "备份完成，完整性检查通过 (backup written, integrity check ok): \(check.path), "
                    + "\(check.bytes) bytes, \(check.migrations) migrations, "
                    + String(format: "%.1f s", Date().timeIntervalSince(started)))
        }
    }
}

/// `dengao restore FILE`: puts a backup in place on a stopped server, refusing a damaged file.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Put the backup FILE in place as the data directory's database; the server must be stopped. The file is checked first; the database it replaces is kept in DATA/replaced-TIME/."
    )

    @Argument(help: "A backup written by `dengao backup` (or a scheduled one).") var file: String
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        guard dataOptions.databaseURL == nil else {
            throw ValidationError(
                "备份与恢复针对 SQLite 数据目录；PostgreSQL 请用 pg_dump / pg_restore (backup and restore are for the SQLite data directory; use pg_dump and pg_restore for PostgreSQL)"
            )
        }
        try reportingFailures {
            let (check, aside) = try DatabaseBackup.restore(from: file, dataDirectory: dataOptions.data)
            print(
                "已恢复，完整性检查通过 (restored, integrity check ok): \(check.path), \(check.bytes) bytes, "
                    + "\(check.migrations) migrations")
            if let aside { print("原数据库已保留在 (the replaced database is kept in) \(aside)") }
        }
    }
}
