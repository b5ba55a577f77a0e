import HTTPTypes
import Hummingbird
import NIOHTTP1

/// The headers every response carries, for a server on the open internet: no MIME sniffing, no referrer beyond
/// the site, a Content-Security-Policy that runs only the server's own scripts and styles (no inline script, no
/// framing by other sites), HSTS when browsers come over TLS, and `no-store` for everything under `/api`.
struct SecurityHeaders: Sendable {
    /// Whether browsers reach the server over TLS (`AppConfiguration.servedOverTLS`): only then is HSTS sent.
    let strictTransport: Bool

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// The fields for a response to `path`, asked of `host` (the request's authority).
    func fields(path: String?, host: String?) -> HTTPFields {
        var fields: HTTPFields = [
            .xContentTypeOptions: "nosniff",
            Self.referrerPolicy: "same-origin",
            .contentSecurityPolicy: Self.policyText(host: host),
        ]
        if strictTransport { fields[.strictTransportSecurity] = "max-age=31536000" }
        if let path, path == "/api" || path.hasPrefix("/api/") { fields[.cacheControl] = "no-store" }
        return fields
    }

    /// The pages load scripts and styles only from files of this server (styles set from scripts go through the
    /// CSSOM, which `style-src` allows); images are this server's QR codes and the pages' empty `data:,` favicon.
    /// The live sockets are named by host as well as by `'self'`: browsers that implement only CSP 2 (older
    /// WebViews among them) do not count ws: and wss: as `'self'`.
    static func policy(host: String?) -> ContentSecurityPolicy {
        var connect: ContentSecurityPolicy.Directive = .connectSrc(.self)
        if let host = socketHost(host) { connect = .connectSrc(.self, .uri("ws://\(host)"), .uri("wss://\(host)")) }
        return [
            .defaultSrc(.self),
            .scriptSrc(.self),
            .styleSrc(.self),
            .imgSrc(.self, .uri("data:")),
            connect,
            .objectSrc(.none),
            .baseURI(.none),
            .formAction(.self),
            .frameAncestors(.self),
        ]
    }

    /// `policy(host:)` as text, without rendering it for every response: rendering every directive showed as ~5 %
    /// of a climbing request's CPU under load, and only the socket host differs between responses. The text is
    /// rendered once around a marker host and the request's host put in its place.
    static func policyText(host: String?) -> String {
        guard let host = socketHost(host) else { return policyWithoutHost }
        return policyAroundHost.joined(separator: host)
    }

    private static let markerHost = "dengao-socket-host.invalid"
    private static let policyAroundHost = policy(host: markerHost).description.components(separatedBy: markerHost)
    private static let policyWithoutHost = policy(host: nil).description

    private static let hostBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]".utf8)

    /// The request's authority if it can only be a host and port; anything else could rewrite the policy.
    static func socketHost(_ authority: String?) -> String? {
        guard let authority, !authority.isEmpty, authority.utf8.count <= 261,
            authority.utf8.allSatisfy(hostBytes.contains)
        else { return nil }
        return authority.lowercased()
    }
}

/// Puts `SecurityHeaders` on every response of a router, the errors included: a thrown error is turned into its
/// response here, as the router would, so that response carries the headers too.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let headers: SecurityHeaders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPParserError {
            // A broken request body: Hummingbird answers it and closes the connection.
            throw error
        } catch {
            // An error no layer turned into an answer (a database refusal nobody expected, such as a unique
            // violation on PostgreSQL): a bug, so it is logged as an error with what it was, and the client gets the
            // same short internal-error answer as a damaged row — never the error's text, which may quote SQL.
            context.logger.error(
                "unexpected error answered 500",
                metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"])
            response = try APIError.internal.response(from: request, context: context)
        }
        for field in headers.fields(path: request.uri.path, host: request.head.authority) {
            response.headers[field.name] = field.value
        }
        return response
    }
}
