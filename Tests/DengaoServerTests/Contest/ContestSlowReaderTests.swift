import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A phone that stops reading holds up no one: the other phones get every broadcast while its socket is full, and
/// once its queue passes `Outbox.capacity` the server lets it go (its seat shows as disconnected; it can resume).
@Suite struct ContestSlowReaderTests {
    /// A raw WebSocket with a tiny receive buffer that joins and then reads nothing until told to.
    final class StalledPhone: @unchecked Sendable {
        // Safe: the socket is used only on `onOwnThread` threads, one call at a time (the test awaits each).
        let socket: RawSocket

        init(port: Int, pin: String) throws {
            socket = try RawSocket(port: port, receiveBuffer: 1_024)
            try socket.write(RawFrames.upgradeRequest(path: "/ws/contest", port: port))
            let upgraded = socket.read(timeout: 10) { $0.firstRange(of: Array("\r\n\r\n".utf8)) != nil }
            guard String(decoding: upgraded.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
                throw TestFailure("no upgrade: \(String(decoding: upgraded.bytes, as: UTF8.self))")
            }
            try socket.write(RawFrames.text(#"{"type":"join","pin":"\#(pin)","name":"不读","branchId":2}"#))
            let welcomed = socket.read(timeout: 10) { bytes in
                RawFrames.parse(bytes).contains { String(decoding: $0.payload, as: UTF8.self).contains("\"welcome\"") }
            }
            guard welcomed.end == .open else { throw TestFailure("the stalled phone was not welcomed") }
        }

        /// Reads everything the server kept for it, up to its close frame: the state frames' paused flags, and
        /// whether a close frame came.
        func readRest() -> (paused: [Bool], closed: Bool) {
            let rest = socket.read(timeout: 20) { bytes in RawFrames.parse(bytes).contains { $0.opcode == 8 } }
            let frames = RawFrames.parse(rest.bytes)
            let paused = frames.compactMap { frame -> Bool? in
                guard frame.opcode == 1, let object = WSPeer.object(String(decoding: frame.payload, as: UTF8.self)),
                    object["type"] as? String == "state"
                else { return nil }
                return object["phase"] as? String == "open" ? object["paused"] as? Bool : nil
            }
            return (paused, frames.contains { $0.opcode == 8 })
        }
    }

    /// The states of the open question the reader has had.
    static func openStates(_ peer: WSPeer) async -> Int {
        await peer.everything.filter { text in
            guard let object = WSPeer.object(text), object["type"] as? String == "state" else { return false }
            return object["phase"] as? String == "open" && object["paused"] != nil
        }.count
    }

    @Test func aPhoneThatStopsReadingIsLetGoAndHoldsUpNoOne() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            // A long time limit: the question must not close while the test pauses and resumes it.
            let round = RoundSettings(
                title: "必答", kind: .everyone, banks: ["党章党规党纪"], draw: DrawRule(count: 1, types: [.single]),
                timeLimitSeconds: 600, points: 10)
            let created = try await admin.createContest(
                ownerUnitId: nil, settings: sampleSettings(rounds: [round]))
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")
            let reader = WSPeer(port: port)
            reader.send(["type": "join", "pin": created.contest.pin, "name": "读", "branchId": 2])
            _ = try await reader.next("welcome")
            let pin = created.contest.pin
            let stalled = try await onOwnThread { try StalledPhone(port: port, pin: pin) }
            try await host.skip(through: "progress") { $0["connected"] as? Int == 2 }
            host.send(["type": "command", "command": "next"])
            _ = try await reader.next("state") { $0["phase"] as? String == "open" }

            // Pause and resume, fifty of each at a time, until the server lets the stalled phone go (the host's
            // count of connected seats drops to the reader alone); the reader gets every one of those states meanwhile.
            let before = await Self.openStates(reader)
            var broadcasts = 0
            var letGo = false
            while !letGo, broadcasts < 8_000 {
                for _ in 0..<50 {
                    host.send(["type": "command", "command": "pause"])
                    host.send(["type": "command", "command": "resume"])
                }
                broadcasts += 100
                // The pages ping; so do these, or the silence sweep would take them for gone.
                reader.send(["type": "ping"])
                host.send(["type": "ping"])
                let deadline = ContinuousClock.now + .seconds(20)
                while await Self.openStates(reader) - before < broadcasts, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                #expect(
                    await Self.openStates(reader) - before == broadcasts, "the reader fell behind the stalled phone")
                letGo =
                    (try? await host.next("progress", timeout: .milliseconds(300)) { $0["connected"] as? Int == 1 })
                    != nil
            }
            #expect(letGo, "the stalled phone was still connected after \(broadcasts) broadcasts")
            // More than a queue's worth went out before it was let go: its socket filled first.
            #expect(broadcasts > Outbox.capacity)

            // Reading at last, it gets what was queued for it, in order, then the close: not everything.
            let rest = try await onOwnThread { stalled.readRest() }
            #expect(rest.closed)
            #expect(rest.paused.count > Outbox.capacity)
            #expect(rest.paused.count < broadcasts)
            let toggles = rest.paused.drop { !$0 }
            #expect(zip(toggles, toggles.dropFirst()).allSatisfy { $0 != $1 }, "states out of order or lost")
            await reader.close()
            await host.close()
        }
    }
}
