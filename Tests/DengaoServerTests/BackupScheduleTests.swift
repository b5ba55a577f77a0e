import DengaoCore
import DengaoStorage
import Foundation
import Logging
import Testing

@testable import DengaoServer

/// The server's scheduled backups: named by the server's clock, checked, pruned to the newest `keep`, and a failure
/// logged without stopping anything.
@Suite struct BackupScheduleTests {
    @Test func scheduledBackupsAreWrittenOnTheClockAndPrunedToTheNewest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
            .path
        let store = try Store(directory: directory + "/data")
        _ = try store.importBank(
            named: "党史", questions: [Question(type: .trueFalse, stem: "对吗？", answer: .truth(true))], format: .csv,
            sourceName: nil)
        let clock = ManualClock(startingAt: 1_800_000_000_000)
        let service = BackupService(
            schedule: BackupSchedule(interval: .seconds(3_600), keep: 2, directory: directory + "/backups"),
            storage: SQLiteStorage(store), clock: clock, logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        for hour in 1...3 {
            while clock.sleeperCount == 0 { await Task.yield() }
            clock.advance(by: .seconds(3_600))
            let expected = Int64(1_800_000_000_000 + hour * 3_600_000)
            while service.lastSuccess.load(ordering: .relaxed) != expected { await Task.yield() }
        }
        running.cancel()
        _ = try? await running.value
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory + "/backups").sorted()
        #expect(kept == ["dengao-20270115T100000Z.sqlite", "dengao-20270115T110000Z.sqlite"])
        for name in kept {
            let check = try DatabaseBackup.check(fileAt: directory + "/backups/" + name)
            #expect(try check.migrations == store.appliedMigrations().count)
        }
    }

    @Test func aFailedBackupIsLoggedAndLeavesTheLastSuccessAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
            .path
        let store = try Store(directory: directory + "/data")
        // The backup directory is a file: nothing can be written there.
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/blocked"))
        let service = BackupService(
            schedule: BackupSchedule(interval: .seconds(60), keep: 1, directory: directory + "/blocked"),
            storage: SQLiteStorage(store), clock: ManualClock(), logger: Logger(label: "test"))
        await service.backUpOnce()
        #expect(service.lastSuccess.load(ordering: .relaxed) == 0)
    }
}
