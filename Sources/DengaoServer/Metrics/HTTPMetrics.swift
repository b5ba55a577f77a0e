import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// HTTP requests and their durations by route template, method and status class.
///
/// Hummingbird's own `MetricsMiddleware` is not used: it names its metrics `hb.requests` and
/// `http.server.request.duration` (no `dengao_` prefix, no `_total`), labels by full status code, and reaches for the
/// global `MetricsSystem`, which this server does not bootstrap (see `ServerMetrics`).
final class HTTPMetrics: Sendable {
    /// One route's counter and timer for one method and status class.
    struct Series: Sendable {
        let requests: CoreMetrics.Counter
        let duration: CoreMetrics.Timer
    }

    struct Key: Hashable {
        let route: String
        let method: String
        let statusClass: String
    }

    private let make: MetricMaker
    private let series = Mutex<[Key: Series]>([:])

    init(_ make: MetricMaker) { self.make = make }

    /// The series of one request; made on first use (routes are a fixed set, so the families stay small).
    func series(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status) -> Series {
        let key = Key(route: route, method: Self.methodLabel(method), statusClass: Self.statusClass(status))
        return series.withLock { all in
            if let existing = all[key] { return existing }
            let labels: KeyValuePairs<String, String> = [
                "route": key.route, "method": key.method, "status": key.statusClass,
            ]
            let made = Series(
                requests: make.counter(
                    "dengao_http_requests_total", "HTTP requests answered, by route template and status class.",
                    labels),
                duration: make.timer(
                    "dengao_http_request_duration_seconds",
                    "Time from a request's arrival to the end of its response body, by route template.", labels,
                    buckets: [
                        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
                        .seconds(5), .seconds(10),
                    ]))
            all[key] = made
            return made
        }
    }

    /// "2xx", "4xx", …: the codes themselves would multiply the series for little.
    static func statusClass(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 100..<200: "1xx"
        case 200..<300: "2xx"
        case 300..<400: "3xx"
        case 400..<500: "4xx"
        default: "5xx"
        }
    }

    /// The standard methods by name; anything else is "other", so a client cannot invent series.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}

/// Counts and times every request of the main router. A request no route matched is labelled `static` when it was
/// answered (a page, a script, an image from `Public/`) and `unmatched` otherwise, so made-up paths add no series.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            let series = metrics.series(
                route: Self.route(context.endpointPath, status: response.status), method: request.method,
                status: response.status)
            // Counted once the body is written (Hummingbird's `withPostWriteClosure` is package-only): a download's
            // time is the time to send it.
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer {
                    series.requests.increment()
                    series.duration.record(ContinuousClock.now - start)
                }
                try await body.write(writer)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let series = metrics.series(
                route: Self.route(context.endpointPath, status: status), method: request.method, status: status)
            series.requests.increment()
            series.duration.record(ContinuousClock.now - start)
            throw error
        }
    }

    static func route(_ endpoint: String?, status: HTTPResponse.Status) -> String {
        if let endpoint { return endpoint }
        return status.code < 400 ? "static" : "unmatched"
    }
}
