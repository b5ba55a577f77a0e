import DengaoCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a data directory, held by `dengao serve` for its whole life and by `dengao restore`
/// while it swaps the database file: a restore refuses while a server runs there, and a second server refuses to
/// start on a directory a first one serves.
///
/// An advisory `flock` on `DIR/dengao.lock` rather than a probe of SQLite's own locks: in WAL mode an idle server
/// holds no lock a probe could see, whereas the kernel keeps a flock exactly as long as the process holding it
/// lives (even one killed with SIGKILL), so a stale lock file never blocks anything.
public final class DataDirectoryLock: Sendable {
    public static let fileName = "dengao.lock"

    private let descriptor: Int32

    /// Takes the lock at once or throws: another process holds it.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError.unavailable("open \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StorageError.conflict(
                "服务器正在使用此数据目录，请先停止服务器 (a Dengao server is running on \(directory); stop it first)")
        }
        self.descriptor = descriptor
    }

    /// Lets go of the lock (closing the file releases it); also done when the process ends.
    public func release() { close(descriptor) }
}
