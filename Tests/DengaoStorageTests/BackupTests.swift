import DengaoCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import DengaoStorage

/// Online backups and restores on real SQLite files: consistent copies under concurrent writes, damaged or foreign
/// files refused without touching the data directory, and a running server's directory refused.
@Suite struct BackupTests {
    private func bankNames(_ store: Store) throws -> Set<String> { Set(try store.banks().map(\.name)) }

    @Test func backupWhileWritingHoldsEverythingCommittedBeforeItAndChecksOut() throws {
        let (store, directory) = try temporaryStore()
        for index in 0..<20 {
            _ = try store.importBank(named: "before\(index)", questions: sampleQuestions, format: .csv, sourceName: nil)
        }
        let committedBefore = try bankNames(store)
        // Another connection keeps writing throughout the backup, as the journal does on a live server.
        let stop = Atomic(false)
        let written = Atomic(0)
        let writer = Thread {
            var index = 0
            while !stop.load(ordering: .relaxed) {
                _ = try? store.importBank(
                    named: "during\(index)", questions: sampleQuestions, format: .csv, sourceName: nil)
                index += 1
                written.store(index, ordering: .relaxed)
            }
        }
        writer.start()
        while written.load(ordering: .relaxed) < 3 { Thread.sleep(forTimeInterval: 0.001) }
        let destination = directory + "/copy.sqlite"
        let check = try DatabaseBackup.backup(dataDirectory: directory, to: destination)
        let duringBackup = written.load(ordering: .relaxed)
        stop.store(true, ordering: .relaxed)
        while !writer.isFinished { Thread.sleep(forTimeInterval: 0.001) }
        #expect(duringBackup > 3, "the writer kept committing while the backup ran")
        #expect(check.migrations == Store.migrator.migrations.count)
        #expect(check.bytes > 0)
        // One self-contained file: no -wal beside it, rollback journal mode.
        #expect(!FileManager.default.fileExists(atPath: destination + "-wal"))
        let copy = try DatabaseQueue(path: destination)
        #expect(try copy.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "delete")
        try copy.close()
        let restored = try Store(path: destination)
        let names = try bankNames(restored)
        #expect(committedBefore.isSubset(of: names), "everything committed before the backup began is in it")
        // A consistent snapshot: every bank in the copy has all its questions.
        for name in names { #expect(try restored.allQuestions(ofBank: name).questions == sampleQuestions) }
    }

    @Test func restoreIntoAFreshDirectoryAndKeepTheReplacedDatabaseAside() throws {
        let (store, directory) = try temporaryStore()
        _ = try store.importBank(named: "党史", questions: sampleQuestions, format: .csv, sourceName: nil)
        let backup = directory + "/backup.sqlite"
        _ = try store.backup(to: backup)
        _ = try store.importBank(named: "after", questions: sampleQuestions, format: .csv, sourceName: nil)

        let fresh = directory + "/fresh"
        let (check, aside) = try DatabaseBackup.restore(from: backup, dataDirectory: fresh)
        #expect(aside == nil, "nothing to keep aside in a fresh directory")
        #expect(check.path == fresh + "/" + Store.fileName)
        #expect(try bankNames(Store(directory: fresh)) == ["党史"])

        // Restoring over a directory with a database keeps that database, with its WAL, in replaced-TIME/.
        let other = directory + "/other"
        let replaced = try Store(directory: other)
        _ = try replaced.importBank(named: "被替换", questions: sampleQuestions, format: .csv, sourceName: nil)
        let (_, kept) = try DatabaseBackup.restore(
            from: backup, dataDirectory: other, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(kept == other + "/replaced-20270115T080000Z")
        #expect(try bankNames(Store(directory: other)) == ["党史"])
        #expect(try bankNames(Store(directory: try #require(kept))) == ["被替换"])
    }

    @Test func restoreRefusesDamagedForeignAndNonDatabaseFilesAndChangesNothing() throws {
        let (store, directory) = try temporaryStore()
        _ = try store.importBank(named: "党史", questions: sampleQuestions, format: .csv, sourceName: nil)
        let backup = directory + "/backup.sqlite"
        _ = try store.backup(to: backup)
        let target = directory + "/target"
        _ = try DatabaseBackup.restore(from: backup, dataDirectory: target)
        let before = try Data(contentsOf: URL(fileURLWithPath: target + "/" + Store.fileName))

        // Damaged: a run of bytes overwritten in the middle of the file.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: backup))
        damaged.replaceSubrange(damaged.count / 2..<damaged.count / 2 + 3000, with: Data(repeating: 0xFF, count: 3000))
        let damagedPath = directory + "/damaged.sqlite"
        try damaged.write(to: URL(fileURLWithPath: damagedPath))
        // Truncated: a backup cut short in transfer.
        let truncatedPath = directory + "/truncated.sqlite"
        try Data(try Data(contentsOf: URL(fileURLWithPath: backup)).prefix(8192)).write(
            to: URL(fileURLWithPath: truncatedPath))
        // Not a database at all, and a SQLite database that is not Dengao's.
        let textPath = directory + "/notes.txt"
        try Data(String(repeating: "不是数据库 ", count: 500).utf8).write(to: URL(fileURLWithPath: textPath))
        let foreignPath = directory + "/foreign.sqlite"
        try DatabaseQueue(path: foreignPath).write { db in
            try db.execute(sql: "CREATE TABLE t(a); INSERT INTO t VALUES (1)")
        }

        for (path, expected) in [
            (damagedPath, StorageError.Category.corrupt), (truncatedPath, .corrupt), (textPath, .invalid),
            (foreignPath, .invalid),
        ] {
            let error = #expect(throws: StorageError.self, "\(path)") {
                try DatabaseBackup.restore(from: path, dataDirectory: target)
            }
            #expect(error?.category == expected, "\(path): \(String(describing: error))")
            #expect(error?.description.contains("(") == true, "Chinese first, English in parentheses")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/" + Store.fileName)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: target).sorted()
        #expect(left == [DataDirectoryLock.fileName, Store.fileName], "no copy or replaced- directory left behind")
    }

    @Test func restoreRefusesWhileTheDirectoryIsLockedByAServer() throws {
        let (store, directory) = try temporaryStore()
        let backup = directory + "/backup.sqlite"
        _ = try store.backup(to: backup)
        let server = try DataDirectoryLock(directory: directory)
        let error = #expect(throws: StorageError.self) {
            try DatabaseBackup.restore(from: backup, dataDirectory: directory)
        }
        #expect(error?.category == .conflict)
        #expect(throws: StorageError.self, "a second server is refused too") {
            try DataDirectoryLock(directory: directory)
        }
        server.release()
        #expect(try DatabaseBackup.restore(from: backup, dataDirectory: directory).keptAside != nil)
    }

    @Test func backupOfADirectoryWithoutADatabaseIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
            .path
        #expect(throws: StorageError.self) {
            try DatabaseBackup.backup(dataDirectory: directory, to: directory + ".sqlite")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + Store.fileName), "nothing created")
    }
}
