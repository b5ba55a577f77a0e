import DengaoCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Scheduled backups while the server runs (`dengao serve --backup-every 6h --backup-keep 7`): every `interval` on
/// the server's clock a checked copy of the database goes to `directory` as `dengao-TIMESTAMP.sqlite`, and only
/// the newest `keep` of those stay. A failed backup is logged and tried again at the next interval; it never stops
/// the server.
public struct BackupSchedule: Sendable {
    public var interval: Duration
    public var keep: Int
    public var directory: String

    public init(interval: Duration, keep: Int, directory: String) {
        self.interval = interval
        self.keep = keep
        self.directory = directory
    }

    /// The file names this schedule writes and prunes; nothing else in the directory is touched.
    static let prefix = "dengao-"
    static let suffix = ".sqlite"
}

/// Runs a `BackupSchedule` for the life of the server.
final class BackupService: Service {
    let schedule: BackupSchedule
    let storage: any BackupStorage
    let clock: any ServerClock
    let logger: Logger
    /// Where `dengao_backup_last_success_timestamp_seconds` is set.
    let metrics: ServerMetrics?
    /// When the last backup succeeded (milliseconds since the epoch, 0: none yet).
    let lastSuccess = Atomic<Int64>(0)

    init(
        schedule: BackupSchedule, storage: any BackupStorage, clock: any ServerClock, metrics: ServerMetrics? = nil,
        logger: Logger
    ) {
        self.schedule = schedule
        self.storage = storage
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        // Waiting stops at once on shutdown; a backup under way finishes (it is a consistent copy either way).
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await self.clock.sleep(for: self.schedule.interval) } catch { return }
                await self.backUpOnce()
            }
        }
    }

    /// Takes one backup and prunes the old ones; logs rather than throws.
    func backUpOnce() async {
        let now = clock.nowMilliseconds()
        let name = BackupSchedule.prefix + timestamp(now) + BackupSchedule.suffix
        let path = (schedule.directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: schedule.directory, withIntermediateDirectories: true)
            let bytes = try await storage.backup(to: path)
            lastSuccess.store(now, ordering: .relaxed)
            metrics?.recordBackupSuccess(unixSeconds: Double(now) / 1000)
            logger.info("backup written and checked", metadata: ["path": .string(path), "bytes": "\(bytes)"])
            prune()
        } catch {
            logger.error("backup failed", metadata: ["path": .string(path), "error": "\(error)"])
        }
    }

    /// Deletes this schedule's backups beyond the newest `keep` (names sort by time).
    private func prune() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: schedule.directory)) ?? []
        let ours = names.filter { $0.hasPrefix(BackupSchedule.prefix) && $0.hasSuffix(BackupSchedule.suffix) }.sorted()
        for name in ours.dropLast(schedule.keep) {
            let path = (schedule.directory as NSString).appendingPathComponent(name)
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                logger.error("old backup not deleted", metadata: ["path": .string(path), "error": "\(error)"])
            }
        }
    }

    /// 20261206T140817Z, UTC, from the server's clock.
    private func timestamp(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
