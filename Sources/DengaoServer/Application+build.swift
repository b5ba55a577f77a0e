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

    if configuration.seedDemo || store.wasCreated {
        let seeded = try SampleBanks.importMissing(from: configuration.sampleBanksDirectory, into: store, logger: logger)
        if !seeded.isEmpty { logger.info("sample banks imported", metadata: ["banks": .string(seeded.joined(separator: ", "))]) }
    }

    let router = buildRouter(store: store, configuration: configuration, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Dengao"),
        logger: logger)
}

/// The routes; separate from `buildApplication` so tests can drive them without binding a port.
func buildRouter(store: Store, configuration: AppConfiguration, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        LogRequestsMiddleware(.debug)
        FileMiddleware(configuration.publicDirectory, searchForIndexHtml: true, logger: logger)
    }
    router.get("healthz") { _, _ -> Response in
        let healthy = store.isHealthy()
        return Response(
            status: healthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: healthy ? #"{"status":"ok"}"# : #"{"status":"database unavailable"}"#)))
    }
    // Access control will wrap this group with one middleware (issue: organizations and access).
    let api = router.group("api")
    BankController(store: store).addRoutes(to: api.group("banks"))
    return router
}
