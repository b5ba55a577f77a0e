import ArgumentParser
import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Dengao server.")

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Import the sample banks from QuestionBanks/ that are not in the database yet.") var demo = false
    @Option(
        help:
            "The address members reach the server at, for links and QR codes (default: $DENGAO_PUBLIC_URL or http://HOST:PORT). An https:// URL marks cookies Secure."
    )
    var publicURL: String?
    @Option(
        help:
            "Connections one client address may hold at once, HTTP and WebSocket together (a hall's Wi-Fi puts hundreds of phones behind one address)."
    )
    var maxConnectionsPerAddress = 4_000
    @Option(help: "Pending TCP connections the kernel may queue (join storms need a deep queue).") var backlog = 4_096
    @Option(help: "Seconds a new connection has to send its first request head before it is closed.")
    var requestHeadTimeout = 15
    @Option(
        help:
            "Seconds an HTTP connection may sit idle between requests (keep-alive) before it is closed; keep it above a proxy's upstream keep-alive."
    )
    var keepAliveTimeout = 30
    @Option(
        help:
            "The organization's time zone (IANA name): contest exports and reports write local times in it. A campaign uses its own."
    )
    var timeZone = LocalTime.defaultZoneIdentifier
    @Option(help: .hidden) var publicDirectory = "Public"
    @Option(help: .hidden) var samples = "QuestionBanks"
    /// Crash tests only: slows every journal commit so a kill lands between a decision and its commit every time.
    @Option(help: .hidden) var journalCommitDelayMs = 0

    func validate() throws {
        guard maxConnectionsPerAddress >= 1 else {
            throw ValidationError("--max-connections-per-address must be at least 1")
        }
        guard requestHeadTimeout >= 1, keepAliveTimeout >= 1 else {
            throw ValidationError("timeouts are whole seconds, at least 1")
        }
        do { _ = try LocalTime.zone(named: timeZone) } catch { throw ValidationError("--time-zone: \(error)") }
    }

    func run() async throws {
        var configuration = AppConfiguration(
            host: host, port: port, dataDirectory: dataOptions.data, publicDirectory: publicDirectory,
            sampleBanksDirectory: samples, seedDemo: demo,
            publicURL: publicURL ?? ProcessInfo.processInfo.environment["DENGAO_PUBLIC_URL"],
            maxConnectionsPerAddress: maxConnectionsPerAddress, backlog: backlog,
            requestHeadTimeout: .seconds(requestHeadTimeout), keepAliveTimeout: .seconds(keepAliveTimeout))
        configuration.timeZone = try LocalTime.zone(named: timeZone)
        configuration.journalCommitDelay = .milliseconds(max(0, min(journalCommitDelayMs, 10_000)))
        try await reportingFailures {
            try await dataOptions.withStorage { storage, isNew in
                configuration.storage = storage
                configuration.storageIsNew = isNew
                let app = try await buildApplication(configuration: configuration)
                try await app.runService()
            }
        }
    }
}
