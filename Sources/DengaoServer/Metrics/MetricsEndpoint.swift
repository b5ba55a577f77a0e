import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /metrics`, the Prometheus text exposition of `ServerMetrics`.
///
/// Off unless configured: it tells anyone who can read it how busy the server is and when it was last backed up.
/// With `--metrics-address` it is served by a listener of its own (and only there), for a Prometheus on a private
/// network; with `--metrics-token` it asks for that bearer token, on whichever port serves it.
enum MetricsEndpoint {
    /// The Prometheus text format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Adds `/metrics` to the public router when a token protects it and no separate listener is configured.
    static func addToPublicRouter(_ router: Router<AppRequestContext>, configuration: AppConfiguration) {
        guard configuration.metricsAddress == nil, let token = configuration.metricsToken else { return }
        let metrics = configuration.metrics
        router.get("metrics") { request, _ in try respond(to: request, metrics: metrics, token: token) }
    }

    /// The listener of its own, as a service of the application, when `metricsAddress` is set.
    static func separateListener(_ configuration: AppConfiguration, logger: Logger) -> [any Service] {
        guard let address = configuration.metricsAddress else { return [] }
        let metrics = configuration.metrics
        let token = configuration.metricsToken
        let router = Router()
        router.get("metrics") { request, _ in try respond(to: request, metrics: metrics, token: token) }
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "Dengao"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                logger.info("metrics listening", metadata: ["address": .string("\(address.host):\(port)")])
                metrics.metricsListener.bound(port: port)
            },
            logger: logger)
        return [application]
    }

    static func respond(to request: Request, metrics: ServerMetrics, token: String?) throws -> Response {
        if let token, !isAuthorized(request.headers[.authorization], token: token) { throw APIError.metricsToken }
        return Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    /// Whether `header` is `Bearer <token>`. Both sides are hashed first so the comparison takes the same time
    /// whatever was sent, its length included.
    static func isAuthorized(_ header: String?, token: String) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let presented = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return SecretTokens.constantTimeEquals(SecretTokens.hash(presented), SecretTokens.hash(token))
    }
}

extension APIError {
    /// `/metrics` without its bearer token, or with another.
    static let metricsToken = APIError(
        status: .unauthorized, message: "需要指标令牌 (a metrics bearer token is required)", code: "metrics-token",
        headers: [.wwwAuthenticate: #"Bearer realm="dengao-metrics""#])
}

/// The port the separate metrics listener is bound to, once it is; for tests that let it pick a free one.
final class MetricsListenerPort: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    func bound(port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// Returns once the listener is bound.
    func port() async -> Int {
        await withCheckedContinuation { continuation in
            let port = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }
}
