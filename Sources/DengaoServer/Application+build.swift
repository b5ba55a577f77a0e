import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the whole application: used by every server test (`dengao serve` runs it through `runServer`).
public func buildApplication(configuration: AppConfiguration, logger: Logger? = nil) async throws
    -> some ApplicationProtocol
{
    try await buildServer(configuration: configuration, logger: logger).application
}

/// Runs the server until SIGTERM or SIGINT, then shuts it down gracefully: `ShutdownDrain` first (contests paused,
/// every socket told to reconnect, commits finished), then the application (listener closed, requests finished,
/// journal written). `dengao serve` runs this.
public func runServer(configuration: AppConfiguration, logger: Logger? = nil) async throws {
    let logger = logger ?? Logger(label: "dengao")
    let server = try await buildServer(configuration: configuration, logger: logger)
    var group = ServiceGroupConfiguration(
        services: [server.application, server.drain], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    // A backstop under systemd's 90 s: the drain and the server's own shutdown take well under a second normally.
    group.maximumGracefulShutdownDuration = .seconds(9)
    try await ServiceGroup(configuration: group).run()
}

/// The application and the drain that goes before its shutdown.
struct BuiltServer<App: ApplicationProtocol> {
    let application: App
    let drain: ShutdownDrain
}

/// Builds the application and its shutdown drain.
func buildServer(configuration: AppConfiguration, logger: Logger?) async throws -> BuiltServer<some ApplicationProtocol>
{
    let logger = logger ?? Logger(label: "dengao")
    let (storage, isNew) = try openStorage(configuration, logger: logger)
    let passwords = PasswordHasher(cost: configuration.passwordCost)

    if configuration.seedDemo || isNew {
        let seeded = try await SampleBanks.importMissing(
            from: configuration.sampleBanksDirectory, into: storage, logger: logger)
        if !seeded.isEmpty {
            logger.info("sample banks imported", metadata: ["banks": .string(seeded.joined(separator: ", "))])
        }
        try await DemoOrganization.seedIfEmpty(storage, logger: logger)
        try await DemoContest.seedIfNone(storage, publicBaseURL: configuration.publicBaseURL, logger: logger)
        try await DemoCampaign.seedIfNone(storage, publicBaseURL: configuration.publicBaseURL, logger: logger)
    }
    try await FirstRun.ensureAdministrator(storage: storage, passwords: passwords, logger: logger)
    _ = try await storage.deleteExpiredSessions()

    let journal = Journal(
        storage: storage, commitDelay: configuration.journalCommitDelay, metrics: configuration.metrics)
    let hub = ContestHub(
        storage: storage, journal: journal, logger: logger,
        silenceLimit: configuration.silenceLimit, clock: configuration.clock,
        pinGuessLimits: configuration.pinGuessLimits)
    let campaigns = CampaignHub(storage: storage, journal: journal, logger: logger, clock: configuration.clock)
    for room in try await storage.setAsideInterruptedLoads() {
        logger.error(
            "set aside: the server stopped while loading it last time",
            metadata: ["kind": .string(room.kind.rawValue), "id": .stringConvertible(room.id)])
    }
    let resumed = await hub.recover()
    if resumed > 0 { logger.info("live contests resumed, paused", metadata: ["count": .stringConvertible(resumed)]) }

    let router = buildRouter(
        storage: storage, configuration: configuration, passwords: passwords, hub: hub, campaigns: campaigns,
        logger: logger)
    let sessions = SessionService(
        storage: storage, secureCookies: configuration.secureCookies, clock: configuration.clock)
    let socket = ContestSocket(hub: hub, authorizer: Authorizer(storage: storage), storage: storage)
    let webSocketRouter = Router(context: AppRequestContext.self)
    webSocketRouter.add(
        middleware: SecurityHeadersMiddleware(headers: SecurityHeaders(strictTransport: configuration.servedOverTLS)))
    webSocketRouter.add(middleware: StorageErrorMiddleware())
    webSocketRouter.add(middleware: SessionMiddleware(sessions: sessions))
    webSocketRouter.ws("ws/contest", shouldUpgrade: sameOriginUpgrade) { inbound, outbound, context in
        try await socket.handle(inbound: inbound, outbound: outbound, context: context)
    }
    let campaignSocket = CampaignSocket(
        hub: campaigns, contests: hub, authorizer: Authorizer(storage: storage), storage: storage)
    webSocketRouter.ws("ws/campaign", shouldUpgrade: sameOriginUpgrade) { inbound, outbound, context in
        try await campaignSocket.handle(inbound: inbound, outbound: outbound, context: context)
    }
    var services = liveServices(contests: hub, campaigns: campaigns, journal: journal)
    if let tls = configuration.tls {
        services.append(CertificateReloadService(credentials: tls, logger: logger))
        if let redirectPort = configuration.httpRedirectPort {
            services.append(
                HTTPSRedirect.application(
                    host: configuration.host, port: redirectPort, publicBaseURL: configuration.publicBaseURL,
                    logger: logger))
        }
    }
    if let schedule = configuration.backupSchedule {
        guard let backups = storage as? any BackupStorage else {
            throw StorageError.invalid(
                "此数据库不支持定时备份，请用 pg_dump (scheduled backups are for SQLite; back up PostgreSQL with pg_dump)")
        }
        services.append(
            BackupService(
                schedule: schedule, storage: backups, clock: configuration.clock, metrics: configuration.metrics,
                logger: logger))
    }
    let application = Application(
        router: router, server: server(configuration: configuration, webSocketRouter: webSocketRouter),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "Dengao",
            backlog: configuration.backlog),
        services: services + MetricsEndpoint.separateListener(configuration, logger: logger),
        logger: logger)
    return BuiltServer(
        application: application,
        drain: ShutdownDrain(contests: hub, campaigns: campaigns, journal: journal, clock: configuration.clock))
}

/// The configuration's storage, or the SQLite database in its data directory when it names none; whether it is new.
private func openStorage(_ configuration: AppConfiguration, logger: Logger) throws -> (any Storage, Bool) {
    if let storage = configuration.storage { return (storage, configuration.storageIsNew) }
    let store = try Store(directory: configuration.dataDirectory)
    logger.info("database ready", metadata: ["path": .string(store.path)])
    return (SQLiteStorage(store), store.wasCreated)
}

/// HTTP/1.1 with the WebSocket upgrade, behind the edge's guards (`GuardedChildChannel`).
private func server(configuration: AppConfiguration, webSocketRouter: Router<AppRequestContext>) -> HTTPServerBuilder {
    let headers = SecurityHeaders(strictTransport: configuration.servedOverTLS)
    let channel = HTTP1WebSocketUpgradeChannel.Configuration(
        http1: .init(
            additionalChannelHandlers: [LibraryResponseHeaders(headers)],
            idleTimeout: TimeAmount(configuration.keepAliveTimeout)),
        // Clients send only small messages: a larger frame is refused by the frame decoder, unread. (The limit is on
        // what is received; what the server sends is not split.) No auto-ping: it is a task per connection; the
        // pages ping and rooms close connections that fall silent (`ContestRoom.sweepSilent`). Text must be UTF-8
        // (RFC 6455 §8.1): anything else closes with 1007.
        ws: .init(maxFrameSize: ClientMessage.maximumBytes, autoPing: .disabled, validateUTF8: true))
    let connections = AddressConnections(limit: configuration.maxConnectionsPerAddress)
    let webSocketResponder = webSocketRouter.buildResponder()
    let tls = configuration.tls?.serverConfiguration
    return HTTPServerBuilder { responder in
        let guarded = GuardedChildChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: responder, webSocketResponder: webSocketResponder, configuration: channel),
            connections: connections, trustedProxies: configuration.trustedProxies,
            requestHeadTimeout: TimeAmount(configuration.requestHeadTimeout),
            webSocketSilenceLimit: TimeAmount(configuration.webSocketSilenceLimit))
        // HTTPS and WSS on the one port: TLS first in the pipeline, the guards and HTTP behind it.
        guard let tls else { return guarded }
        return try TLSChannel(guarded, tlsConfiguration: tls)
    }
}

/// The routes; separate from `buildApplication` so tests can drive them without binding a port.
func buildRouter(
    storage: any Storage, configuration: AppConfiguration, passwords: PasswordHasher, hub: ContestHub,
    campaigns: CampaignHub,
    logger: Logger
) -> Router<AppRequestContext> {
    let sessions = SessionService(
        storage: storage, secureCookies: configuration.secureCookies, clock: configuration.clock)
    let authorizer = Authorizer(storage: storage)
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        // Outermost: it times the whole chain and sees errors as the client will (storage refusals already
        // turned into their HTTP status by StorageErrorMiddleware).
        HTTPMetricsMiddleware<AppRequestContext>(metrics: configuration.metrics.http)
        SecurityHeadersMiddleware(headers: SecurityHeaders(strictTransport: configuration.servedOverTLS))
        ClientAddressMiddleware(proxies: configuration.trustedProxies)
        StorageErrorMiddleware()
        AccessLogMiddleware(level: configuration.requestLogLevel)
        StaticAssetMiddleware<AppRequestContext>(
            catalog: AssetCatalog.shared(directory: configuration.publicDirectory, logger: logger))
        SessionMiddleware(sessions: sessions)
    }
    MetricsEndpoint.addToPublicRouter(router, configuration: configuration)
    router.get("healthz") { _, _ -> Response in
        let healthy = await storage.isHealthy()
        return Response(
            status: healthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json"],
            body: .init(
                byteBuffer: ByteBuffer(string: healthy ? #"{"status":"ok"}"# : #"{"status":"database unavailable"}"#)))
    }
    // Every API route is registered through GuardedRoutes and so states its access rule.
    let api = GuardedRoutes(group: router.group("api"), authorizer: authorizer)
    let throttle = LoginThrottle(limits: configuration.loginLimits, clock: configuration.clock)
    SessionController(
        storage: storage, sessions: sessions, passwords: passwords, throttle: throttle, metrics: configuration.metrics
    ).addRoutes(to: api)
    UnitController(storage: storage, authorizer: authorizer).addRoutes(to: api.group("units"))
    MemberCategoryController(storage: storage).addRoutes(to: api.group("member-categories"))
    let imports = ImportGate(limit: configuration.maxConcurrentImports, metrics: configuration.metrics)
    MemberController(
        storage: storage, authorizer: authorizer, publicBaseURL: configuration.publicBaseURL, imports: imports
    )
    .addRoutes(to: api)
    BulkInvitationController(storage: storage, publicBaseURL: configuration.publicBaseURL).addRoutes(to: api)
    AccountController(storage: storage, authorizer: authorizer, passwords: passwords).addRoutes(
        to: api.group("accounts"))
    BankController(storage: storage, authorizer: authorizer, imports: imports).addRoutes(to: api.group("banks"))
    QRController(publicBaseURL: configuration.publicBaseURL).addRoutes(to: api)
    ContestController(
        storage: storage, authorizer: authorizer, hub: hub, publicBaseURL: configuration.publicBaseURL,
        timeZone: configuration.timeZone
    )
    .addRoutes(to: api)
    CampaignController(
        storage: storage, authorizer: authorizer, hub: campaigns, publicBaseURL: configuration.publicBaseURL
    )
    .addRoutes(to: api)
    ClimbController(hub: campaigns).addRoutes(to: api)
    LadderSeedController(storage: storage, authorizer: authorizer).addRoutes(to: api)
    SurveyController(
        storage: storage, authorizer: authorizer, clock: configuration.clock, timeZone: configuration.timeZone
    ).addRoutes(to: api)
    MemberSurveyController(storage: storage, clock: configuration.clock).addRoutes(to: api)
    ReportController(storage: storage, contests: hub, campaigns: campaigns, timeZone: configuration.timeZone).addRoutes(
        to: api)
    ItemReportController(storage: storage, journal: hub.journal).addRoutes(to: api)
    MemberHistoryController(storage: storage, journal: hub.journal, timeZone: configuration.timeZone).addRoutes(to: api)
    ParticipationReportController(
        storage: storage, authorizer: authorizer, journal: hub.journal, clock: configuration.clock,
        timeZone: configuration.timeZone
    ).addRoutes(to: api)
    CategoryReportController(
        storage: storage, authorizer: authorizer, journal: hub.journal, clock: configuration.clock,
        timeZone: configuration.timeZone
    ).addRoutes(to: api)
    return router
}

/// Browsers always send an http(s) Origin (or "null") on a WebSocket handshake, and a page of another site must not
/// play, host or watch with the visitor's cookie. Other clients send what they like (swift-websocket's sends
/// "ws://host" without the port); Origin protects nothing against them, so only browsers' are checked.
@Sendable private func sameOriginUpgrade(_ request: Request, _ context: AppRequestContext) async throws
    -> RouterShouldUpgrade
{
    for origin in request.headers[values: .origin]
    where origin == "null" || origin.hasPrefix("http://") || origin.hasPrefix("https://") {
        if !SessionMiddleware.isSameOrigin(origin, host: request.head.authority) { return .dontUpgrade }
    }
    return .upgrade([:])
}
