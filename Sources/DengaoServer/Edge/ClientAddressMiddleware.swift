import HTTPTypes
import Hummingbird

/// Counts a request that a trusted reverse proxy forwarded for the client the proxy names (`TrustedProxies`), so
/// sign-in throttling limits that client and not everyone behind the proxy.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let proxies: TrustedProxies

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !proxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = proxies.client(
            peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        return try await next(request, context)
    }
}
