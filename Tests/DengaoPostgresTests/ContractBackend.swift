/// The backends a contract test runs on (`StorageContractTests.Backend`): SQLite always, PostgreSQL where configured.
typealias StorageBackend = StorageContractTests.Backend
