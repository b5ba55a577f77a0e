import DengaoCore
import Foundation
import Logging

/// Everything `buildApplication` needs to know; the CLI fills it from flags, tests from temporary directories.
public struct AppConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var dataDirectory: String
    /// The storage to serve from; nil opens the SQLite database in `dataDirectory` (most tests). The CLI opens it
    /// and passes it here, so the server itself never names a backend.
    public var storage: (any Storage)? = nil
    /// Whether `storage` was created empty by this start (a fresh data directory): it then gets the sample banks.
    public var storageIsNew = false
    /// Where the browser pages are served from.
    public var publicDirectory: String
    /// Sample banks imported into a fresh data directory, or on `--demo`.
    public var sampleBanksDirectory: String
    /// Import the sample banks that are missing even if the data directory is not new.
    public var seedDemo: Bool
    /// The address members and displays reach the server at (invitation links, QR codes), e.g.
    /// `https://dengao.example.org`; nil means `http://host:port`. An `https` URL also marks cookies `Secure`.
    public var publicURL: String?
    /// bcrypt's cost (log2 rounds); 12 in production, tests state a lower one.
    public var passwordCost: UInt8
    public var loginLimits: LoginLimits
    /// Unknown contest PINs one address may try a minute (`PinGuesses`).
    public var pinGuessLimits = PinGuessLimits()
    /// Connections one client address may hold at once, HTTP and WebSocket together (a connection that upgrades
    /// stays one connection); the next is closed as soon as it is accepted. A hall's Wi-Fi puts hundreds of phones
    /// behind one address, each with a live socket and, while a page loads, a few HTTP connections, so the default
    /// is generous; it stops one machine from exhausting the server's sockets.
    public var maxConnectionsPerAddress: Int
    /// Reverse proxies whose `X-Forwarded-For` names the client for the per-address limits, and whose own
    /// connections are not limited per address (`dengao serve --trusted-proxy`).
    public var trustedProxies: TrustedProxies = .none
    /// Pending TCP connections the kernel queues; a join storm of thousands of phones needs more than the default.
    public var backlog: Int
    /// A live-contest client that sends nothing for this long is disconnected (the pages ping every 20 s).
    public var silenceLimit: Duration = .seconds(75)
    /// The time rooms go by; tests drive their own.
    public var clock: any ServerClock = WallClock()
    /// Crash tests only: each journal commit waits this long first, so a test can kill the server between a change
    /// being decided and its reaching the disk every time (`dengao serve --journal-commit-delay-ms`, hidden).
    public var journalCommitDelay: Duration = .zero
    /// Any WebSocket that sends nothing at all for this long is closed (1008), joined or not: rooms close their
    /// silent sockets sooner, with a message; this is for the ones no room holds.
    public var webSocketSilenceLimit: Duration = .seconds(150)
    /// A new connection must send its first complete request head within this time or it is closed: a socket that
    /// connects and says nothing (or dribbles a header) holds a file descriptor for nothing.
    public var requestHeadTimeout: Duration
    /// An HTTP connection with no request under way is closed after this long idle (keep-alive), and so is one
    /// whose request stops arriving for this long. WebSockets are not affected (rooms close silent ones).
    public var keepAliveTimeout: Duration
    /// The organization's time zone: the one contest exports and reports write times in (`dengao serve
    /// --time-zone`). A campaign has its own zone in its settings and its sheets use that.
    public var timeZone: TimeZone = TimeZone(identifier: LocalTime.defaultZoneIdentifier)!
    /// Uploads (banks, rosters) read at once; one more is refused with 503 until a slot frees.
    public var maxConcurrentImports = 2
    /// What the server counts about itself. Its own registry, so servers in one process count apart; whoever
    /// starts the server may keep it to record what happens outside the routes (a scheduled backup's success).
    public var metrics = ServerMetrics()
    /// `GET /metrics` asks for `Authorization: Bearer <token>` when this is set (`--metrics-token`).
    public var metricsToken: String?
    /// Serves `GET /metrics` on a listener of its own at this address instead of the public port
    /// (`--metrics-address`), e.g. 127.0.0.1:9464 for a Prometheus on the same machine. Without it and without a
    /// token, `/metrics` is not served at all.
    public var metricsAddress: ListenAddress?
    /// Scheduled backups while the server runs (`dengao serve --backup-every`); nil: none. The storage must then
    /// conform to `BackupStorage` (SQLite does; on PostgreSQL the server refuses to start with this set).
    public var backupSchedule: BackupSchedule?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "data",
        publicDirectory: String = "Public", sampleBanksDirectory: String = "QuestionBanks", seedDemo: Bool = false,
        publicURL: String? = nil, passwordCost: UInt8 = 12, loginLimits: LoginLimits = LoginLimits(),
        maxConnectionsPerAddress: Int = 4_000, backlog: Int = 4_096, requestHeadTimeout: Duration = .seconds(15),
        keepAliveTimeout: Duration = .seconds(30)
    ) {
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.requestHeadTimeout = requestHeadTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.backlog = backlog
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.publicDirectory = publicDirectory
        self.sampleBanksDirectory = sampleBanksDirectory
        self.seedDemo = seedDemo
        self.publicURL = publicURL
        self.passwordCost = passwordCost
        self.loginLimits = loginLimits
    }

    /// The certificate and key the server speaks HTTPS and WSS with on its port (`--tls-certificate`, `--tls-key`);
    /// nil serves plain HTTP (behind a TLS proxy, or on a trusted network).
    public var tls: TLSCredentials?
    /// The level of the one log line per request (`AccessLogMiddleware`): `info` when logs are JSON for a collector,
    /// `debug` by default so a text log is not flooded.
    public var requestLogLevel: Logger.Level = .debug
    /// Under TLS, a plain-HTTP port whose every request is redirected to the HTTPS address (`--http-redirect-port`).
    public var httpRedirectPort: Int?

    /// The base of links handed out (no trailing slash).
    public var publicBaseURL: String {
        let scheme = tls == nil ? "http" : "https"
        let base = publicURL ?? "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    var secureCookies: Bool { servedOverTLS }

    /// Whether browsers reach the server over TLS: its own (`tls`) or a TLS proxy's named by an https public URL.
    /// Decides `Secure` cookies and HSTS.
    var servedOverTLS: Bool { tls != nil || publicBaseURL.lowercased().hasPrefix("https://") }
}

/// A host and port to listen on, written `HOST:PORT` (`[::1]:9464` for IPv6).
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; nil when either part is missing or the port is not 0…65535.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }
}
