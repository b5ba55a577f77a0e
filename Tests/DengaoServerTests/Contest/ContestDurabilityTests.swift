import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Nothing a client is shown can be taken back by a crash: every frame leaves only once the change it shows is in
/// the journal on disk. The journal's commits are slowed down here (as the crash test does), so a frame sent
/// before its commit would be caught every time, not by luck: at the moment any client receives a frame, the
/// journal as stored must already replay to at least what that frame shows.
@Suite struct ContestDurabilityTests {
    /// Where a contest is, in the order clients see it: question by question, phase by phase.
    struct Position: Comparable, CustomStringConvertible {
        var number: Int
        var phase: ContestPhase
        var paused: Bool

        static let order: [ContestPhase] = [.lobby, .wagering, .open, .closed, .revealed, .leaderboard, .finished]

        static func < (a: Position, b: Position) -> Bool {
            if a.phase == .finished || b.phase == .finished {
                return order.firstIndex(of: a.phase)! < order.firstIndex(of: b.phase)!
            }
            return (a.number, order.firstIndex(of: a.phase)!) < (b.number, order.firstIndex(of: b.phase)!)
        }

        var description: String { "question \(number) \(phase.rawValue)\(paused ? " paused" : "")" }
    }

    /// What a `state` message shows.
    static func shown(_ state: [String: Any]) -> Position {
        Position(
            number: (state["question"] as? [String: Any])?["number"] as? Int ?? 0,
            phase: ContestPhase(rawValue: state["phase"] as! String)!, paused: state["paused"] as? Bool ?? false)
    }

    /// Where the journal on disk puts the contest, replayed as a restarted server would.
    static func stored(_ store: any Storage, contest: ContestID) async throws -> (
        position: Position, machine: ContestMachine
    ) {
        let summary = try #require(try await store.contest(id: contest))
        var machine = ContestMachine(settings: summary.settings, questions: try await store.contestQuestions(contest))
        for entry in try await store.journal(ofContest: contest) { machine.apply(entry.input, at: entry.at) }
        let position = Position(
            number: machine.currentQuestion?.number ?? 0, phase: machine.phase, paused: machine.isPaused)
        return (position, machine)
    }

    func configuration(clock: ManualClock) -> AppConfiguration {
        var configuration = demoConfiguration()
        configuration.clock = clock
        configuration.journalCommitDelay = .milliseconds(120)
        return configuration
    }

    @Test func everyPhaseAClientSeesIsOnDiskBeforeItArrives() async throws {
        let clock = ManualClock()
        let configuration = configuration(clock: clock)
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest
            let store = try TestBackend.storage(configuration)
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.id])
            _ = try await host.next("welcome")
            let player = WSPeer(port: port)
            player.send(["type": "join", "pin": contest.pin, "name": "选手", "branchId": 2])
            let welcome = try await player.next("welcome")
            // The resume token reaches the phone only once its seat is stored.
            #expect(
                try await store.journal(ofContest: ContestID(contest.id)).contains {
                    if case .join = $0.input { true } else { false }
                })
            #expect(welcome["token"] is String)

            /// Waits for the next `state` matching `phase` of each peer (the player's and the host's unless said),
            /// checking the disk as each arrives.
            func expectStored(_ phase: ContestPhase, paused: Bool = false, on peers: [WSPeer]? = nil) async throws {
                for peer in peers ?? [player, host] {
                    let state = try await peer.next("state") {
                        $0["phase"] as? String == phase.rawValue && ($0["paused"] as? Bool ?? false) == paused
                    }
                    let shown = Self.shown(state)
                    let stored = try await Self.stored(store, contest: ContestID(contest.id)).position
                    #expect(stored >= shown, "shown \(shown) while the disk holds \(stored)")
                    #expect(
                        stored.paused == shown.paused || stored > shown, "shown \(shown) while the disk holds \(stored)"
                    )
                }
            }

            host.send(["type": "command", "command": "next"])
            try await expectStored(.open)
            #expect(try await store.contest(id: ContestID(contest.id))?.status == .live)

            // The clock closes the window by itself: that is journaled and on disk before anyone hears of it.
            clock.advance(by: .seconds(31))
            try await expectStored(.closed)
            #expect(try await store.journal(ofContest: ContestID(contest.id)).last?.input == .clock)

            // A phone's reveal carries the phase in place of a state message; the host gets both.
            host.send(["type": "command", "command": "reveal"])
            let reveal = try await player.next("reveal")
            #expect(try await Self.stored(store, contest: ContestID(contest.id)).position.phase == .revealed)
            #expect(reveal["key"] != nil || reveal["truth"] != nil)
            #expect(reveal["phase"] as? String == "revealed")
            try await expectStored(.revealed, on: [host])
            // An answer after the reveal the player saw is late, and stays late after any restart.
            player.send(["type": "answer", "number": reveal["number"] as! Int, "truth": true, "picks": [0]])
            #expect(try await player.next("ack")["status"] as? String == "late")
            host.send(["type": "command", "command": "leaderboard"])
            try await expectStored(.leaderboard)
            host.send(["type": "command", "command": "next"])
            try await expectStored(.open)
            host.send(["type": "command", "command": "pause"])
            try await expectStored(.open, paused: true)
            host.send(["type": "command", "command": "resume"])
            try await expectStored(.open)
            // A finish reveals the open question: the phone hears of the end in that reveal.
            host.send(["type": "command", "command": "finish"])
            let first = reveal["number"] as? Int
            let last = try await player.next("reveal") { $0["number"] as? Int != first }
            #expect(last["phase"] as? String == "finished")
            #expect(try await Self.stored(store, contest: ContestID(contest.id)).position.phase == .finished)
            try await expectStored(.finished, on: [host])
            // The contest's row says finished in the same commit: its PIN is free for another contest.
            #expect(try await store.contest(id: ContestID(contest.id))?.status == .finished)
            #expect(try await store.contest(pin: contest.pin) == nil)
            for peer in [player, host] { await peer.close() }
        }
    }
}
