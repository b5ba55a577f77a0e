import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// Unknown PINs are counted per client address, over HTTP and the WebSocket alike; past the limit every PIN is
/// refused, the right one too, until the window has passed on the server's clock.
@Suite struct PinGuessTests {
    @Test func anAddressThatTriesTooManyUnknownPinsIsRefusedEvenTheRightOneUntilTheWindowPasses() async throws {
        let clock = ManualClock()
        var configuration = demoConfiguration()
        configuration.clock = clock
        configuration.pinGuessLimits = PinGuessLimits(unknownPinsPerAddress: 3, window: 60)
        try await ContestSocketTests().withContest(configuration: configuration) { port, admin, contest, branches in
            let pin = contest.contest.pin
            let wrong = pin == "000000" ? "000001" : "000000"
            // The lookup `withContest` made with the right PIN counted nothing; two more misses, one malformed.
            for guess in [wrong, "12ab"] {
                try await admin.execute(uri: "/api/join/\(guess)", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
            let player = WSPeer(port: port)
            player.send(["type": "join", "pin": wrong, "name": "甲"])
            #expect(try await player.next("error")["code"] as? String == "no-contest")

            // Three misses: now even the right PIN is refused, in words, with when to come back.
            try await admin.execute(uri: "/api/join/\(pin)", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter].flatMap { Int($0) }.map { $0 > 0 && $0 <= 60 } == true)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect((body["error"] as? String)?.hasPrefix("尝试次数过多") == true)
            }
            try await admin.execute(uri: "/api/join/\(pin)/qr", method: .get) { response in
                #expect(response.status == .tooManyRequests)
            }
            player.send(["type": "join", "pin": pin, "name": "甲"])
            let refusal = try await player.next("error")
            #expect(refusal["code"] as? String == "too-many-attempts")
            #expect((refusal["message"] as? String)?.hasPrefix("尝试次数过多") == true)
            player.send(["type": "resume", "pin": pin, "token": String(repeating: "a", count: 43)])
            #expect(try await player.next("error")["code"] as? String == "too-many-attempts")

            // A minute later on the server's clock the address may try again, and the right PIN seats the phone.
            clock.advance(by: .seconds(61))
            try await admin.execute(uri: "/api/join/\(pin)", method: .get) { response in
                #expect(response.status == .ok)
            }
            player.send(["type": "join", "pin": pin, "name": "甲", "branchId": branches[0]])
            _ = try await player.next("welcome")
            await player.close()
        }
    }
}
