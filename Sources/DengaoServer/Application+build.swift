import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import Logging

/// Builds the whole application: used by `dengao serve` and by every server test.
public func buildApplication(configuration: AppConfiguration, logger: Logger? = nil) async throws
    -> some ApplicationProtocol
{
    let logger = logger ?? Logger(label: "dengao")
    let store = try Store(directory: configuration.dataDirectory)
    logger.info("database ready", metadata: ["path": .string(store.path)])
    let passwords = PasswordHasher(cost: configuration.passwordCost)

    if configuration.seedDemo || store.wasCreated {
        let seeded = try SampleBanks.importMissing(from: configuration.sampleBanksDirectory, into: store, logger: logger)
        if !seeded.isEmpty { logger.info("sample banks imported", metadata: ["banks": .string(seeded.joined(separator: ", "))]) }
        try DemoOrganization.seedIfEmpty(store, logger: logger)
    }
    try await FirstRun.ensureAdministrator(store: store, passwords: passwords, logger: logger)
    _ = try store.deleteExpiredSessions()

    let router = buildRouter(store: store, configuration: configuration, passwords: passwords, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Dengao"),
        logger: logger)
}

/// The routes; separate from `buildApplication` so tests can drive them without binding a port.
func buildRouter(store: Store, configuration: AppConfiguration, passwords: PasswordHasher, logger: Logger) -> Router<AppRequestContext> {
    let sessions = SessionService(store: store, secureCookies: configuration.secureCookies)
    let authorizer = Authorizer(store: store)
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        LogRequestsMiddleware(.debug)
        FileMiddleware(configuration.publicDirectory, searchForIndexHtml: true, logger: logger)
        SessionMiddleware(sessions: sessions)
    }
    router.get("healthz") { _, _ -> Response in
        let healthy = store.isHealthy()
        return Response(
            status: healthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: healthy ? #"{"status":"ok"}"# : #"{"status":"database unavailable"}"#)))
    }
    // Every API route is registered through GuardedRoutes and so states its access rule.
    let api = GuardedRoutes(group: router.group("api"), authorizer: authorizer)
    let throttle = LoginThrottle(limits: configuration.loginLimits)
    SessionController(store: store, sessions: sessions, passwords: passwords, throttle: throttle).addRoutes(to: api)
    UnitController(store: store, authorizer: authorizer).addRoutes(to: api.group("units"))
    MemberController(store: store, authorizer: authorizer, publicBaseURL: configuration.publicBaseURL).addRoutes(to: api)
    AccountController(store: store, authorizer: authorizer, passwords: passwords).addRoutes(to: api.group("accounts"))
    BankController(store: store, authorizer: authorizer).addRoutes(to: api.group("banks"))
    QRController().addRoutes(to: api)
    return router
}
