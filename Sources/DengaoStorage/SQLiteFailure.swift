import DengaoCore
import GRDB

/// What an embedded file has in place of a lost connection: the file cannot be written just now. Another process
/// holds its write lock past the busy timeout (a `dengao` command, a `sqlite3` shell left in a transaction), or the
/// disk fails or fills under a transaction. SQLite rolls the transaction back and GRDB rethrows; at the storage
/// boundary that is `StorageError.unavailable` (the server's 503, "try again later"), as PostgreSQL's lost
/// connection is, and not a 500.
enum SQLiteFailure {
    /// `error` as the `Storage` protocols promise it: a `DatabaseError` meaning "cannot write the file now" becomes
    /// `.unavailable` with SQLite's own words for the operator (the server shows its fixed sentence); anything else
    /// is left as it is.
    static func storageError(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let why: String
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: why = "the database file is locked by another process"
        case .SQLITE_FULL: why = "the disk is full"
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PROTOCOL:
            why = "the database file cannot be read or written"
        default: return error
        }
        return StorageError.unavailable("\(why): \(error.message ?? "\(error.resultCode)"); nothing was written")
    }

    /// Runs `body`, rethrowing its failure as `storageError` says.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw storageError(error) }
    }
}
