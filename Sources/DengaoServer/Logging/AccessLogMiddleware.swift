import Hummingbird
import Logging
import NIOCore

/// One log line per request at `level` (`info` under `dengao serve --log-format json`, `debug` otherwise): method,
/// the route it matched (its
/// template, `/api/members/{number}`, so no member number or token in a path reaches the log), status, duration and
/// the client's address. Never the query string or a body.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: started)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        guard context.logger.logLevel <= level else { return }
        let duration = started.duration(to: .now)
        let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                // A static file or an unknown path has no route: its path is logged without the query.
                "route": .string(context.endpointPath ?? request.uri.path),
                "status": .stringConvertible(status),
                "ms": .string(String(format: "%.1f", milliseconds)),
                "client": .string(context.clientAddress),
            ])
    }
}
