import ArgumentParser
import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation

/// `dengao migrate-data --to postgresql://…`: the SQLite installation in `--data` copied into an empty PostgreSQL
/// database, each table's rows counted and checksummed on both sides.
struct MigrateData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-data",
        abstract:
            "Copy the SQLite installation in --data into an empty PostgreSQL database (stop the server first); prints each table's rows and checksum."
    )

    @Option(help: "The data directory holding the SQLite database to copy.") var data = "data"
    @Option(
        name: .customLong("to"),
        help: "The empty PostgreSQL database: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
    var target: String

    func run() async throws {
        try await reportingFailures {
            let path = (data as NSString).appendingPathComponent(Store.fileName)
            guard FileManager.default.fileExists(atPath: path) else {
                throw StorageError.invalid("找不到要迁移的数据库 \(path) (no SQLite database at \(path))")
            }
            let source = try Store(directory: data)
            let store = try await PostgresStore(url: target)
            do {
                let copies = try await store.copy(from: source)
                await store.close()
                for copy in copies {
                    print("\(copy.table)\t\(copy.rows) rows\tchecksum \(String(copy.checksum, radix: 16))\tmatches")
                }
                print("copied \(copies.reduce(0) { $0 + $1.rows }) rows in \(copies.count) tables; both sides agree")
            } catch {
                await store.close()
                throw error
            }
        }
    }
}
