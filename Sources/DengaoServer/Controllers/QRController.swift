import DengaoCore
import Hummingbird

/// `GET /api/qr?text=…[&level=L|M|Q|H]`: a QR code of any link as SVG, for the console and the displays; and
/// `GET /api/qr/member-page`, open: the member page's address, for the climbing big screen (no console session).
struct QRController {
    static let maximumTextBytes = 1000
    /// The server's public address, which the member page's code points at.
    let publicBaseURL: String

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("qr", .staff, use: render)
        routes.open("qr/member-page", .get, use: memberPage)
    }

    /// The link holds nothing secret: the member page asks for an invitation link before it shows anything.
    @Sendable func memberPage(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> Response
    {
        try Self.svgResponse(Self.memberPageLink(base: publicBaseURL))
    }

    static func memberPageLink(base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/me.html"
    }

    @Sendable func render(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response
    {
        let query = request.uri.queryParameters
        guard let text = query.get("text"), !text.isEmpty else {
            throw APIError.badRequest("请填写二维码内容 (text is missing: ?text=…)")
        }
        let decoded = text.removingPercentEncoding ?? text
        guard decoded.utf8.count <= Self.maximumTextBytes else {
            throw APIError.badRequest(
                "二维码内容最多 \(Self.maximumTextBytes) 字节 (text is longer than \(Self.maximumTextBytes) bytes)")
        }
        let levelName = query.get("level") ?? "M"
        guard let level = QRErrorCorrection(rawValue: levelName.uppercased()) else {
            throw APIError.badRequest("纠错等级须为 L、M、Q 或 H (level must be L, M, Q or H)")
        }
        return try Self.svgResponse(decoded, level: level)
    }

    static func svgResponse(_ text: String, level: QRErrorCorrection = .medium) throws -> Response {
        let code: QRCode
        do {
            code = try QRCode(encoding: text, errorCorrection: level)
        } catch {
            throw APIError.badRequest(
                "内容太长，放不进 \(level.rawValue) 级二维码 (the text does not fit in a QR code at level \(level.rawValue))")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/svg+xml", .cacheControl: "private, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: code.svg())))
    }
}
