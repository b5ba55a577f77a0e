import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The member page's QR code the climbing big screen shows: open (the screen has no console session) and
/// pointing at this server's me.html.
@Suite struct MemberPageQRTests {
    @Test func theMemberPageCodeIsOpenAndPointsAtMeHtml() async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.publicURL = "https://dengao.example.org/"
        try await withLiveApp(configuration) { client in
            try await client.execute(uri: "/api/qr/member-page", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
                let expected = try QRCode(encoding: "https://dengao.example.org/me.html", errorCorrection: .medium)
                    .svg()
                #expect(String(buffer: response.body) == expected)
            }
            // Any other text still needs a console session.
            try await client.execute(uri: "/api/qr?text=x", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
