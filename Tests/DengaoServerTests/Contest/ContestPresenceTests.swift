import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// A seat's 在线 on the host page follows its socket: a phone that closes its page (a close frame) or whose
/// connection ends (a FIN without a close frame) is shown offline at once, long before the silence limit.
@Suite struct ContestPresenceTests {
    /// Whether the host's latest `players` list shows `seat` as connected.
    static func isConnected(_ seat: Int) -> @Sendable ([String: Any]) -> Bool {
        { message in
            let rows = message["players"] as? [[String: Any]] ?? []
            return rows.contains { $0["seat"] as? Int == seat && $0["connected"] as? Bool == true }
        }
    }

    static func isOffline(_ seat: Int) -> @Sendable ([String: Any]) -> Bool {
        { message in
            let rows = message["players"] as? [[String: Any]] ?? []
            return rows.contains { $0["seat"] as? Int == seat && $0["connected"] as? Bool == false }
        }
    }

    @Test func aClosedSocketIsOfflineAtOnceOnTheHostPage() async throws {
        var configuration = demoConfiguration()
        // Far beyond the test's waits: only the close itself can make the seat offline in time.
        configuration.silenceLimit = .seconds(600)
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let port = client.port!
            let branch: Int = try await client.execute(uri: "/api/join/\(contest.contest.pin)", method: .get) {
                response in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                return (object["branches"] as! [[String: Any]])[0]["id"] as! Int
            }
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")

            // A phone that closes its page: the browser sends a close frame.
            let phone = WSPeer(port: port)
            phone.send(["type": "join", "pin": contest.contest.pin, "name": "关页", "branchId": branch])
            let seat = try #require((try await phone.next("welcome")["seat"] as? [String: Any])?["id"] as? Int)
            try await host.skip(through: "players", where: Self.isConnected(seat))
            let closedAt = ContinuousClock.now
            await phone.close()
            try await host.skip(through: "players", timeout: .seconds(3), where: Self.isOffline(seat))
            #expect(ContinuousClock.now - closedAt < .seconds(3))

            // A connection that ends without a close frame (the process or the tab is gone): a FIN only.
            let pin = contest.contest.pin
            let hangUp = DispatchSemaphore(value: 0)
            let rawPhone = Task {
                try await onOwnThread { () -> String in
                    let socket = try RawSocket(port: port)
                    try socket.write(RawFrames.upgradeRequest(path: "/ws/contest", port: port))
                    _ = socket.read(timeout: 5) { $0.firstRange(of: Array("\r\n\r\n".utf8)) != nil }
                    let join = #"{"type":"join","pin":"\#(pin)","name":"断线","branchId":\#(branch)}"#
                    try socket.write(RawFrames.text(join))
                    let bytes = socket.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\"welcome\"") }
                        .bytes
                    hangUp.wait()
                    socket.close()
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
            let second = seat + 1
            try await host.skip(through: "players", where: Self.isConnected(second))
            let endedAt = ContinuousClock.now
            hangUp.signal()
            #expect(try await rawPhone.value.contains("\"id\":\(second)"))
            try await host.skip(through: "players", timeout: .seconds(3), where: Self.isOffline(second))
            #expect(ContinuousClock.now - endedAt < .seconds(3))
            await host.close()
        }
    }
}
