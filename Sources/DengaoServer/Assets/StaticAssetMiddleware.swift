import Foundation
import Hummingbird

/// Serves `AssetCatalog`'s files ahead of the routes: gzip to clients that accept it (with `Vary`), strong ETags
/// answered with 304, a year's caching for versioned URLs and revalidation for everything else. A static file is
/// answered from memory without a session lookup; any other path goes on to the routes.
struct StaticAssetMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: AssetCatalog

    static var immutable: String { "public, max-age=31536000, immutable" }
    static var revalidate: String { "no-cache" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head, let path = request.uri.path.removingPercentEncoding,
            let found = catalog.lookup(path)
        else { return try await next(request, context) }
        switch found {
        case .redirect(let target):
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return .redirect(to: target + query, type: .permanent)
        case .asset(let path, let immutable):
            guard let asset = catalog.assets[path] else { return try await next(request, context) }
            let gzip = asset.gzipped != nil && Self.acceptsGzip(request.headers[values: .acceptEncoding])
            var headers: HTTPFields = [
                .contentType: asset.contentType,
                .eTag: gzip ? asset.gzipETag : asset.etag,
                .cacheControl: immutable ? Self.immutable : Self.revalidate,
            ]
            if asset.gzipped != nil { headers[.vary] = "Accept-Encoding" }
            if Self.matches(request.headers[values: .ifNoneMatch], asset: asset) {
                return Response(status: .notModified, headers: headers)
            }
            let body = gzip ? asset.gzipped! : asset.body
            if gzip { headers[.contentEncoding] = "gzip" }
            headers[.contentLength] = String(body.readableBytes)
            return Response(
                status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: body))
        }
    }

    /// Whether `Accept-Encoding` lists gzip (or `*`) without `q=0`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let refused = parts.dropFirst().contains { parameter in
                parameter.hasPrefix("q=") && (Double(parameter.dropFirst(2)) ?? 1) == 0
            }
            return !refused
        }
        return false
    }

    /// `If-None-Match` naming either encoding's ETag (a cache may hold one and ask with the other), weak or strong,
    /// or `*`.
    static func matches(_ values: [String], asset: AssetCatalog.Asset) -> Bool {
        let tags = values.flatMap { $0.split(separator: ",") }.map { tag -> Substring in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : Substring(trimmed)
        }
        return tags.contains { $0 == "*" || $0 == asset.etag || $0 == asset.gzipETag }
    }
}
