import ArgumentParser
import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation

/// `--data` and `--database`, shared by every command that opens storage: the SQLite database in the data directory,
/// or the PostgreSQL database a URL names (`--database`, else `$DENGAO_DATABASE_URL`).
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory holding the SQLite database (unless --database is given).")
    var data: String = "data"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A PostgreSQL database to use instead of SQLite: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $DENGAO_DATABASE_URL).",
            valueName: "url"))
    var database: String?

    /// The PostgreSQL URL chosen, if any: the option, else the environment variable; empty means none.
    var databaseURL: String? {
        let chosen = database ?? ProcessInfo.processInfo.environment["DENGAO_DATABASE_URL"]
        return chosen.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the chosen storage, runs `body` with it and whether it was created empty by this open, and closes it.
    func withStorage<T>(_ body: (any Storage, _ isNew: Bool) async throws -> T) async throws -> T {
        guard let url = databaseURL else {
            let store = try Store(directory: data)
            return try await body(SQLiteStorage(store), store.wasCreated)
        }
        let store = try await PostgresStore(url: url)
        do {
            let result = try await body(store, store.wasCreated)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// `withStorage` for the commands that do not care whether the storage is new.
    func withStorage<T>(_ body: (any Storage) async throws -> T) async throws -> T {
        try await withStorage { storage, _ in try await body(storage) }
    }
}
