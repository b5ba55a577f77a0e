import DengaoCore
import Foundation
import GRDB

/// What a backup or a restore checked in the file it wrote or put in place.
public struct BackupCheck: Sendable, Equatable {
    /// The file checked.
    public let path: String
    public let bytes: Int64
    /// How many of this version's migrations the file carries (all of them for a backup taken by this version).
    public let migrations: Int
}

/// Online backups of the SQLite database, and putting one back in place.
///
/// A backup is SQLite's backup API (through GRDB) run from a reader of the live database: in WAL mode a reader
/// holds one snapshot for the whole copy and never blocks the writer, so the journal keeps committing while pages
/// are copied; writes committed after the copy began are simply not in it. The copy is made in steps with a short
/// pause between them, so a backup of a large file shares the disk with the journal's fsyncs instead of
/// monopolizing it. The result is one self-contained file (rollback journal mode, no -wal or -shm), checked with
/// `PRAGMA integrity_check` before it is moved to its name.
public enum DatabaseBackup {
    /// Pages copied per step (4 KiB each: 256 KiB), and the pause after each step: about 12 MB/s, so a 70 MB
    /// database takes about six seconds. An online backup is never in a hurry; the answers acknowledged meanwhile
    /// are (BENCHMARKS.md, "A backup during an answer surge": 1 MiB steps 2 ms apart raised the ack p99 of a
    /// 10,000-player surge from 10.6 to 42.1 ms; these steps leave it where it is without one).
    public static let pagesPerStep: CInt = 64
    public static let pauseBetweenSteps: Duration = .milliseconds(20)

    /// Backs up the database of the data directory `directory` into `destination` while a server may be using it.
    /// Opens the database without migrating it (the server may be of another version), refuses a directory that
    /// holds none, and checks the copy.
    public static func backup(dataDirectory directory: String, to destination: String) throws -> BackupCheck {
        let source = (directory as NSString).appendingPathComponent(Store.fileName)
        guard FileManager.default.fileExists(atPath: source) else {
            throw StorageError.invalid("数据目录中没有数据库 (no database in \(directory))")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: source, configuration: configuration)
        return try backup(from: pool, to: destination)
    }

    /// Copies `pool`'s database into `destination` (replacing a file there only once the copy is checked).
    static func backup(from pool: DatabasePool, to destination: String) throws -> BackupCheck {
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let copy = try DatabaseQueue(path: partial)
            let pause = pauseBetweenSteps
            try pool.backup(to: copy, pagesPerStep: pagesPerStep) { progress in
                if !progress.isCompleted { Thread.sleep(forTimeInterval: pause.seconds) }
            }
            // The copied header says WAL like its source; a backup is one file that opens anywhere.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
            let check = try self.check(fileAt: partial)
            try syncFile(atPath: partial)
            // rename(2): atomic, and it replaces an older backup of the same name only now.
            guard rename(partial, destination) == 0 else {
                throw StorageError.unavailable("rename \(partial) → \(destination): errno \(errno)")
            }
            return BackupCheck(path: destination, bytes: check.bytes, migrations: check.migrations)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Checks that the file at `path` is an undamaged Dengao database this version can open: `PRAGMA
    /// integrity_check` says ok, and its applied migrations are this version's (none unknown, the first present).
    /// Opens the file read-write (a copy is what a restore checks), so a hot journal left next to it is rolled back.
    /// `name` is the file as the user named it, for messages.
    public static func check(fileAt path: String, describedAs name: String? = nil) throws -> BackupCheck {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StorageError.invalid("找不到文件 (no such file: \(path))")
        }
        let migrations: Int
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let (problems, applied) = try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                return (problems, try Store.migrator.appliedIdentifiers(db))
            }
            guard problems == ["ok"] else {
                throw StorageError.corrupt(
                    "完整性检查未通过 (integrity check failed): \(problems.prefix(3).joined(separator: "; "))")
            }
            let known = Set(Store.migrator.migrations)
            guard let first = Store.migrator.migrations.first, applied.contains(first) else {
                throw StorageError.invalid("不是登高的数据库 (not a Dengao database: \(name ?? path))")
            }
            guard applied.isSubset(of: known) else {
                throw StorageError.invalid(
                    "数据库来自更新的版本，请先升级 (the database comes from a newer Dengao; upgrade first)")
            }
            migrations = applied.count
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StorageError.invalid("不是数据库文件 (not a database file: \(name ?? path))")
        } catch let error as DatabaseError {
            // SQLITE_CORRUPT and the like, met before or during the check.
            throw StorageError.corrupt(error.message ?? "\(error)")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupCheck(path: path, bytes: bytes, migrations: migrations)
    }

    /// Puts the backup `file` in place as the database of `directory`, whose server must be stopped (its
    /// `DataDirectoryLock` is taken for the duration). The file is copied and the copy checked before anything is
    /// moved; the database it replaces (with its -wal and -shm) is kept in `directory/replaced-TIMESTAMP/`.
    /// Returns the check of the restored copy and where the replaced database went, if there was one.
    public static func restore(from file: String, dataDirectory directory: String, at date: Date = Date()) throws -> (
        check: BackupCheck, keptAside: String?
    ) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lock = try DataDirectoryLock(directory: directory)
        defer { lock.release() }
        let target = (directory as NSString).appendingPathComponent(Store.fileName)
        let incoming = target + ".restoring"
        try? FileManager.default.removeItem(atPath: incoming)
        guard FileManager.default.fileExists(atPath: file) else {
            throw StorageError.invalid("找不到文件 (no such file: \(file))")
        }
        try FileManager.default.copyItem(atPath: file, toPath: incoming)
        let check: BackupCheck
        do {
            check = try self.check(fileAt: incoming, describedAs: file)
            try syncFile(atPath: incoming)
        } catch {
            try? FileManager.default.removeItem(atPath: incoming)
            try? FileManager.default.removeItem(atPath: incoming + "-journal")
            throw error
        }
        var keptAside: String?
        let present = [target, target + "-wal", target + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
        if !present.isEmpty {
            let aside = (directory as NSString).appendingPathComponent("replaced-\(timestamp(date))")
            try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
            for path in present {
                try FileManager.default.moveItem(
                    atPath: path,
                    toPath: (aside as NSString).appendingPathComponent((path as NSString).lastPathComponent))
            }
            keptAside = aside
        }
        try FileManager.default.moveItem(atPath: incoming, toPath: target)
        try syncFile(atPath: directory)
        return (BackupCheck(path: target, bytes: check.bytes, migrations: check.migrations), keptAside)
    }

    /// A file-name-safe UTC time, sortable: 20261206T140817Z.
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// fsync: a backup reported as written is on disk, and so is a rename in a directory.
    private static func syncFile(atPath path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw StorageError.unavailable("open \(path): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StorageError.unavailable("fsync \(path): errno \(errno)") }
    }
}

extension Store {
    /// Backs up this store's database into `destination` while it is in use (see `DatabaseBackup`).
    public func backup(to destination: String) throws -> BackupCheck {
        try DatabaseBackup.backup(from: pool, to: destination)
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension SQLiteStorage: BackupStorage {
    /// On the report pool: a backup takes seconds on a large database and must not hold up a request's short calls.
    public func backup(to path: String) async throws -> Int64 {
        try await reports.run { try store.backup(to: path).bytes }
    }
}
