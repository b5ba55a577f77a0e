import DengaoStorage
import NIOPosix

/// Runs parsing, hashing and SQLite work on NIO's thread pool so it never blocks the event loops, and maps store
/// refusals to HTTP errors.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    do {
        return try await NIOThreadPool.singleton.runIfActive(work)
    } catch let error as StoreError {
        throw APIError(error)
    }
}
