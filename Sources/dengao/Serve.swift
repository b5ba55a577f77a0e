import ArgumentParser
import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Dengao server.",
        discussion: """
            Every option can also be set in the environment, as DENGAO_ and its name in capitals with underscores \
            (--max-connections-per-address → DENGAO_MAX_CONNECTIONS_PER_ADDRESS; a flag takes true or false; a \
            repeatable option takes values separated by commas), or in a JSON file given by --config (or \
            DENGAO_CONFIG): one object of option names to values, e.g. {"port": 443, "demo": false, \
            "trusted-proxy": ["127.0.0.1"]}. The command line wins over the environment, the environment over the file.
            """)

    @Option(
        help: ArgumentHelp(
            "A JSON file of option names to values, read beneath the environment and the command line.",
            valueName: "file"))
    var config: String?

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
    @Option(
        help: ArgumentHelp(
            "A reverse proxy's IP address (repeatable): requests from it are limited per address by the client its X-Forwarded-For names, and its own connections are not limited.",
            valueName: "address"))
    var trustedProxy: [String] = []
    @Option(
        help: ArgumentHelp(
            "A PEM certificate chain: the server speaks HTTPS and WSS on --port (needs --tls-key). Re-read on SIGHUP.",
            valueName: "file"))
    var tlsCertificate: String?
    @Option(help: ArgumentHelp("The PEM private key of --tls-certificate. Re-read on SIGHUP.", valueName: "file"))
    var tlsKey: String?
    @Option(help: "Under TLS, a plain-HTTP port that redirects every request to the HTTPS address (e.g. 80).")
    var httpRedirectPort: Int?
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
    @Option(help: "text (the default, for a terminal) or json: one JSON object per line, with one line per request.")
    var logFormat: LogFormat = .text
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: LogLevel = .info
    @Option(
        help:
            "A bearer token that GET /metrics (Prometheus text format) asks for (default: $DENGAO_METRICS_TOKEN). Without it or --metrics-address, /metrics is not served."
    )
    var metricsToken: String?
    @Option(
        help:
            "Serve GET /metrics on a listener of its own at HOST:PORT (e.g. 127.0.0.1:9464) instead of the public port; --metrics-token still applies there if given."
    )
    var metricsAddress: String?
    @Option(
        help:
            "Take a checked backup this often while running (e.g. 6h, 30m, 1d); off unless given. SQLite only."
    )
    var backupEvery: BackupInterval?
    @Option(help: "Scheduled backups to keep; older ones are deleted.") var backupKeep = 7
    @Option(help: "Where scheduled backups go (default: DATA/backups).") var backupDir: String?
    @Option(help: .hidden) var publicDirectory = "Public"
    @Option(help: .hidden) var samples = "QuestionBanks"
    /// Crash tests only: slows every journal commit so a kill lands between a decision and its commit every time.
    @Option(help: .hidden) var journalCommitDelayMs = 0

    func validate() throws {
        guard maxConnectionsPerAddress >= 1 else {
            throw ValidationError("--max-connections-per-address 至少为 1 (must be at least 1)")
        }
        guard requestHeadTimeout >= 1, keepAliveTimeout >= 1 else {
            throw ValidationError("超时以整秒计，至少 1 秒 (timeouts are whole seconds, at least 1)")
        }
        do { _ = try LocalTime.zone(named: timeZone) } catch {
            throw ValidationError("--time-zone: 未知的时区 (unknown time zone): \(error)")
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate 与 --tls-key 须同时给出 (--tls-certificate and --tls-key go together)")
        }
        guard httpRedirectPort == nil || tlsCertificate != nil else {
            throw ValidationError(
                "--http-redirect-port 重定向到 HTTPS，须同时给出 --tls-certificate 和 --tls-key (it redirects to HTTPS: it needs --tls-certificate and --tls-key)"
            )
        }
        guard (1...65_535).contains(httpRedirectPort ?? 1), httpRedirectPort != port else {
            throw ValidationError("--http-redirect-port 须为 1–65535 之间、不同于 --port 的端口 (a port other than --port)")
        }
        do { _ = try TrustedProxies(trustedProxy) } catch {
            throw ValidationError("--trusted-proxy: \(error.text) 不是 IP 地址 (is not an IP address)")
        }
        guard backupKeep >= 1 else { throw ValidationError("--backup-keep 至少为 1 (must be at least 1)") }
        if let metricsAddress, ListenAddress(metricsAddress) == nil {
            throw ValidationError(
                "--metrics-address: 须为 主机:端口，如 127.0.0.1:9464 (expected HOST:PORT, e.g. 127.0.0.1:9464)")
        }
        if let token = resolvedMetricsToken, token.count < 16 {
            throw ValidationError(
                "--metrics-token: 令牌至少 16 个字符 (use at least 16 characters, e.g. openssl rand -hex 32)")
        }
    }

    /// The token from the flag, else from the environment; an empty one is none.
    var resolvedMetricsToken: String? {
        let token = metricsToken ?? ProcessInfo.processInfo.environment["DENGAO_METRICS_TOKEN"]
        return token?.isEmpty == false ? token : nil
    }

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum LogLevel: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
        var level: Logger.Level { Logger.Level(rawValue: rawValue)! }
    }

    func run() async throws {
        let (format, level) = (logFormat, logLevel.level)
        LoggingSystem.bootstrap { label in
            switch format {
            case .json: return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var configuration = AppConfiguration(
            host: host, port: port, dataDirectory: dataOptions.data, publicDirectory: publicDirectory,
            sampleBanksDirectory: samples, seedDemo: demo,
            publicURL: publicURL ?? ProcessInfo.processInfo.environment["DENGAO_PUBLIC_URL"],
            maxConnectionsPerAddress: maxConnectionsPerAddress, backlog: backlog,
            requestHeadTimeout: .seconds(requestHeadTimeout), keepAliveTimeout: .seconds(keepAliveTimeout))
        configuration.timeZone = try LocalTime.zone(named: timeZone)
        configuration.trustedProxies = try TrustedProxies(trustedProxy)
        configuration.requestLogLevel = logFormat == .json ? .info : .debug
        if let tlsCertificate, let tlsKey {
            do { configuration.tls = try TLSCredentials(certificate: tlsCertificate, key: tlsKey) } catch {
                throw ValidationError("\(error)")
            }
            configuration.httpRedirectPort = httpRedirectPort
        }
        configuration.journalCommitDelay = .milliseconds(max(0, min(journalCommitDelayMs, 10_000)))
        configuration.metricsToken = resolvedMetricsToken
        configuration.metricsAddress = metricsAddress.flatMap(ListenAddress.init)
        if let backupEvery {
            configuration.backupSchedule = BackupSchedule(
                interval: backupEvery.duration, keep: backupKeep,
                directory: backupDir ?? (dataOptions.data as NSString).appendingPathComponent("backups"))
        }
        try await reportingFailures {
            if dataOptions.databaseURL == nil {
                // Held until the process ends (the lock never closes its descriptor by itself): `dengao restore`
                // refuses meanwhile, and so does a second server on the same directory.
                _ = try DataDirectoryLock(directory: dataOptions.data)
            }
            try await dataOptions.withStorage { storage, isNew in
                configuration.storage = storage
                configuration.storageIsNew = isNew
                try await runServer(configuration: configuration)
            }
        }
    }
}

/// `--backup-every`: a number with a unit, s, m, h or d (`6h`).
struct BackupInterval: ExpressibleByArgument {
    let duration: Duration

    init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = argument.last.flatMap({ units[$0] }), let count = Int64(argument.dropLast()), count > 0,
            count <= 366 * 86_400 / unit
        else { return nil }
        duration = .seconds(count * unit)
    }
}
