import Hummingbird
import HummingbirdCore
import Logging

/// The optional plain-HTTP listener of a TLS server (`dengao serve --http-redirect-port`): every request is sent to
/// the same path on the HTTPS address members use, and nothing else is served on it.
enum HTTPSRedirect {
    static func application(host: String, port: Int, publicBaseURL: String, logger: Logger) -> some ApplicationProtocol
    {
        let router = Router()
        router.addMiddleware { RedirectEverything(base: publicBaseURL) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Dengao"),
            logger: logger)
    }

    private struct RedirectEverything: RouterMiddleware {
        typealias Context = BasicRequestContext
        let base: String

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws
            -> Response
        {
            // A permanent redirect that keeps the method (308), so a form POSTed to http:// is not turned into a GET.
            Response(status: .permanentRedirect, headers: [.location: base + request.uri.description])
        }
    }
}
