// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for every importer and the contest's client-message decoder, in a package of their own so
/// that their instrumented build (`-sanitize=fuzzer,address`) never touches the main one. `Tests/fuzz/run` builds
/// and runs them.
let fuzzers = ["xlsx", "csv", "json", "gift", "aiken", "text", "roster", "client-message"]

let package = Package(
    name: "DengaoFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Dengao", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzChecks", dependencies: ["CFuzzerDriver", .product(name: "DengaoCore", package: "Dengao")]),
    ]
        + fuzzers.map { name in
            .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzChecks"], path: "Sources/fuzz-\(name)")
        }
)
