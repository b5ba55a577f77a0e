// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dengao",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dengao", targets: ["dengao"]),
        .executable(name: "dengao-bench", targets: ["DengaoBench"]),
        // For the fuzzers in Fuzz/, a package of their own that depends on this one.
        .library(name: "DengaoCore", targets: ["DengaoCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Already required by Hummingbird; named for NIOWebSocket's frame type (shared pre-encoded text frames).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already required by hummingbird-auth; used directly for SHA-256 of session and invitation tokens.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // The PostgreSQL backend: a client with its own connection pool, over swift-nio.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // TLS for `dengao serve --tls-certificate` (through HummingbirdTLS); postgres-nio already depends on it.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Operational metrics: the swift-metrics API, kept in a Prometheus registry each server owns (GET /metrics).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: question model, parsers and exporters from bytes to bytes, validation. No I/O.
        .target(
            name: "DengaoCore",
            dependencies: ["DengaoZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The system zlib (ZIPFoundation links it too): uploads are inflated by DengaoCore's own bounded reader.
        .systemLibrary(name: "DengaoZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // The only target that imports GRDB.
        .target(
            name: "DengaoStorage",
            dependencies: [
                "DengaoCore", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for reading report rows by column without GRDB's per-value decoding.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // NIO's thread pools: the synchronous GRDB calls run there, off the event loops and Swift's pool.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The store on PostgreSQL, the same methods as `Store`; the only target importing PostgresNIO.
        .target(
            name: "DengaoPostgres",
            dependencies: [
                "DengaoCore",
                // For the view and record types the store methods speak, until they move to DengaoCore.
                "DengaoStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DengaoServer",
            dependencies: [
                "DengaoCore", "DengaoStorage",
                // zlib, to gzip the static files once at startup (Assets/Gzip.swift).
                "DengaoZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // JSON decoded from a request's ByteBuffer without copying it into a Data first.
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "dengao",
            dependencies: [
                "DengaoServer", "DengaoCore", "DengaoStorage", "DengaoPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "DengaoBench",
            dependencies: [
                "DengaoCore", "DengaoStorage", "DengaoServer", "DengaoPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/DengaoBench"
        ),
        // What more than one test target needs and cannot import from another test target.
        .target(name: "DengaoTestSupport", path: "Tests/DengaoTestSupport"),
        .testTarget(
            name: "DengaoCoreTests",
            dependencies: ["DengaoCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DengaoStorageTests",
            dependencies: ["DengaoStorage", "DengaoCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "DengaoPostgresTests",
            dependencies: [
                "DengaoPostgres", "DengaoStorage", "DengaoCore", "DengaoTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "DengaoServerTests",
            dependencies: [
                "DengaoServer", "DengaoStorage", "DengaoCore", "DengaoTestSupport",
                // To run the server suites on PostgreSQL too (DENGAO_TEST_BACKEND=postgres; TestBackend.swift).
                "DengaoPostgres", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // To damage stored rows the way a bad disk or a hand edit would, for the set-aside tests.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                // To inflate what the static files are sent as (gzip) and compare it with the files.
                "DengaoZlib",
            ]
        ),
        .testTarget(
            name: "DengaoCLITests",
            dependencies: [
                "dengao", "DengaoCore", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // To put a contest and a campaign in a data directory for the export commands to read.
                "DengaoStorage",
                // To make an empty schema for each PostgreSQL test of the CLI.
                "DengaoPostgres", .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ]
)
