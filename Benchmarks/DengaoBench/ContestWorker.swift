import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One load-generator process: holds a share of the players' WebSocket connections (a process can hold at most
/// ~19,900 sockets here) and obeys the coordinator line by line on stdin, answering with one JSON line on stdout:
///
///     join                         connect and join every player, `inflight` handshakes at a time → joined
///     arm K BASE WINDOW            on question K, answer at BASE + think (ns, CLOCK_MONOTONIC) → armed
///     collect K TIMEOUT_MS         wait for every player's ack to K → question
///     reveal K TIMEOUT_MS          wait for every player's reveal of K → reveal
///     quit                         close everything → done, then exit
///
/// Everything a connection sees is recorded under one lock, per player, with the receipt time on its event loop.
final class ContestWorker: Sendable {
    struct Configuration: Sendable {
        var port: Int
        var pin: String
        var branches: [Int64]
        var players: Int
        /// Global index of this worker's first player (names and think times are per global index).
        var firstIndex: Int
        var questions: Int
        var inflight: Int
        var sources: [String]
        var threads: Int
        var seed: UInt64
        var deadlineSeconds: Int
        /// false: open the WebSocket and stay silent (the upgrade counts as the welcome).
        var join: Bool
    }

    struct State {
        var nextToLaunch = 0
        var inFlight = 0
        var connectStart: [UInt64]
        var handshake: [UInt64]
        var welcomed = 0
        var joinFailed = 0
        var joinErrors: [String: Int] = [:]
        var channels: [(any Channel)?]
        var open: [Bool]
        var quitting = false
        var unexpectedCloses = 0
        var errors: [String: Int] = [:]
        var frames = 0
        /// Per question (index K-1), per player: receipt of the state carrying question K, answer sent, ack.
        var stateAt: [[UInt64]]
        var revealAt: [[UInt64]]
        var answerAt: [[UInt64]]
        var ackAt: [[UInt64]]
        /// 0 pending, 1 accepted, 2 refused (error or another ack status).
        var outcome: [[UInt8]]
        var arms: [Int: (base: UInt64, window: UInt64)] = [:]
        var answeredOnReceipt: [Int]
        var current = 0

        init(players: Int, questions: Int) {
            connectStart = Array(repeating: 0, count: players)
            handshake = Array(repeating: 0, count: players)
            channels = Array(repeating: nil, count: players)
            open = Array(repeating: false, count: players)
            let perQuestion = Array(repeating: [UInt64](repeating: 0, count: players), count: questions)
            stateAt = perQuestion
            revealAt = perQuestion
            answerAt = perQuestion
            ackAt = perQuestion
            outcome = Array(repeating: [UInt8](repeating: 0, count: players), count: questions)
            answeredOnReceipt = Array(repeating: 0, count: questions)
        }

        var alive: Int { welcomed - unexpectedCloses }
    }

    let configuration: Configuration
    let group: MultiThreadedEventLoopGroup
    let state: Mutex<State>

    init(configuration: Configuration) {
        self.configuration = configuration
        group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        state = Mutex(State(players: configuration.players, questions: configuration.questions))
    }

    /// One player connection's callbacks; its data lives in the worker's state.
    final class Player: WebSocketDelegate {
        let index: Int
        let worker: ContestWorker

        init(index: Int, worker: ContestWorker) {
            self.index = index
            self.worker = worker
        }

        func opened(_ channel: any Channel) {
            worker.state.withLock {
                $0.channels[index] = channel; $0.open[index] = true
            }
            let configuration = worker.configuration
            guard configuration.join else {
                worker.received(
                    ByteBuffer(string: #"{"type":"welcome"}"#), at: monotonicNanos(), player: index, channel: channel)
                return
            }
            let global = configuration.firstIndex + index
            let branch = configuration.branches[global % configuration.branches.count]
            WebSocketClient.send(
                #"{"type":"join","v":2,"pin":"\#(configuration.pin)","name":"p\#(global)","branchId":\#(branch)}"#,
                on: channel)
        }

        func received(_ text: ByteBuffer, at time: UInt64, channel: any Channel) {
            worker.received(text, at: time, player: index, channel: channel)
        }

        func closed(error: (any Error)?) { worker.closed(player: index, error: error) }
    }

    // MARK: - Events (on event loops)

    func received(_ text: ByteBuffer, at time: UInt64, player i: Int, channel: any Channel) {
        let kind = MessageScan.kind(text)
        switch kind {
        case .tick, .other:
            state.withLock { $0.frames += 1 }
        case .welcome:
            let launch = state.withLock { state -> Bool in
                state.frames += 1
                guard state.handshake[i] == 0 else { return false }
                state.handshake[i] = max(1, time - state.connectStart[i])
                state.welcomed += 1
                state.inFlight -= 1
                return true
            }
            if launch { launchMore() }
        case .state:
            guard let number = MessageScan.questionNumber(text), number >= 1, number <= configuration.questions else {
                state.withLock { $0.frames += 1 }
                return
            }
            let k = number - 1
            let plan = state.withLock { state -> UInt64? in
                state.frames += 1
                guard state.stateAt[k][i] == 0 else { return nil }
                state.stateAt[k][i] = time
                guard let arm = state.arms[number] else { return nil }
                return arm.base
                    + UInt64(
                        Double(arm.window)
                            * thinkFraction(
                                player: configuration.firstIndex + i, question: number, seed: configuration.seed))
            }
            guard let plan else { return }
            if plan <= time {
                state.withLock { $0.answeredOnReceipt[k] += 1 }
                answer(number, player: i, channel: channel)
            } else {
                channel.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(plan)) { [self] in
                    answer(number, player: i, channel: channel)
                }
            }
        case .ack:
            let number = MessageScan.number(text) ?? 0
            let accepted = MessageScan.isAccepted(text)
            let status = accepted ? "" : MessageScan.ackStatus(text)
            state.withLock { state in
                state.frames += 1
                guard number >= 1, number <= configuration.questions else {
                    state.errors["ack for unknown question \(number)", default: 0] += 1
                    return
                }
                if accepted {
                    if state.ackAt[number - 1][i] == 0 { state.ackAt[number - 1][i] = time }
                    state.outcome[number - 1][i] = 1
                } else {
                    state.errors["ack status \(status)", default: 0] += 1
                    state.outcome[number - 1][i] = 2
                }
            }
        case .reveal:
            let number = MessageScan.number(text) ?? 0
            state.withLock { state in
                state.frames += 1
                if number >= 1, number <= configuration.questions, state.revealAt[number - 1][i] == 0 {
                    state.revealAt[number - 1][i] = time
                }
            }
        case .error:
            let code = MessageScan.errorCode(text)
            let failedJoin = state.withLock { state -> Bool in
                state.frames += 1
                state.errors["error \(code)", default: 0] += 1
                if state.handshake[i] == 0 {
                    state.joinErrors["error \(code)", default: 0] += 1
                    return true
                }
                // A refused answer: the latest question this player answered and has no ack for.
                if state.current >= 1, state.answerAt[state.current - 1][i] != 0,
                    state.outcome[state.current - 1][i] == 0
                {
                    state.outcome[state.current - 1][i] = 2
                }
                return false
            }
            if failedJoin { channel.close(promise: nil) }
        }
    }

    private func answer(_ number: Int, player i: Int, channel: any Channel) {
        let sent = monotonicNanos()
        state.withLock { $0.answerAt[number - 1][i] = sent }
        WebSocketClient.send(#"{"type":"answer","number":\#(number),"picks":[0]}"#, on: channel)
    }

    func closed(player i: Int, error: (any Error)?) {
        let launch = state.withLock { state -> Bool in
            state.open[i] = false
            state.channels[i] = nil
            if state.handshake[i] == 0 {
                // Never welcomed: the join failed (refused, reset, or the connect itself failed).
                state.handshake[i] = UInt64.max
                state.joinFailed += 1
                state.inFlight -= 1
                let reason = error.map { "connect: \(String(describing: $0).prefix(60))" } ?? "closed before welcome"
                state.joinErrors[reason, default: 0] += 1
                return true
            }
            if state.handshake[i] != UInt64.max, !state.quitting {
                state.unexpectedCloses += 1
                state.errors["disconnected", default: 0] += 1
            }
            return false
        }
        if launch { launchMore() }
    }

    /// Starts connections until `inflight` handshakes are under way or every player has been started.
    func launchMore() {
        let starts: [Int] = state.withLock { state in
            var starts: [Int] = []
            while state.inFlight < configuration.inflight, state.nextToLaunch < configuration.players {
                let index = state.nextToLaunch
                state.nextToLaunch += 1
                state.inFlight += 1
                state.connectStart[index] = monotonicNanos()
                starts.append(index)
            }
            return starts
        }
        for index in starts {
            let source = configuration.sources[(configuration.firstIndex + index) % configuration.sources.count]
            WebSocketClient.connect(
                group: group, port: configuration.port, source: source, cookie: nil,
                delegate: Player(index: index, worker: self))
        }
    }

    // MARK: - Commands (main thread)

    struct Report: Codable {
        var kind: String
        var number: Int?
        var handshakeMs: [Double]?
        var joined: Int?
        var failed: Int?
        var joinErrors: [String: Int]?
        var receivedNs: [UInt64]?
        var missing: Int?
        var ackMs: [Double]?
        var accepted: Int?
        var refused: Int?
        var unanswered: Int?
        var answeredOnReceipt: Int?
        var firstAnswerNs: UInt64?
        var lastAnswerNs: UInt64?
        var lastAckNs: UInt64?
        var errors: [String: Int]?
        var unexpectedCloses: Int?
        var frames: Int?
        var cpuSeconds: Double?
        var timedOut: Bool?
        /// The slowest acknowledgements: when the answer was sent (ns) and how long its ack took (ms).
        var slowest: [[Double]]?
    }

    func emit(_ report: Report) {
        var report = report
        report.cpuSeconds = selfCPUSeconds()
        let data = try! JSONEncoder().encode(report)
        writeLine(String(decoding: data, as: UTF8.self))
    }

    /// Polls `done` every 10 ms until it holds or the timeout passes; true if it held.
    func wait(timeoutMs: Int, until done: (State) -> Bool) -> Bool {
        let deadline = monotonicNanos() + UInt64(timeoutMs) * 1_000_000
        while monotonicNanos() < deadline {
            if state.withLock({ done($0) }) { return true }
            usleep(10_000)
        }
        return state.withLock { done($0) }
    }

    func run() {
        // Never outlive the run: stop by itself even if the coordinator is gone.
        let deadline = configuration.deadlineSeconds
        Thread.detachNewThread {
            sleep(UInt32(deadline))
            FileHandle.standardError.write(Data("worker: deadline of \(deadline) s reached, exiting\n".utf8))
            exit(3)
        }
        let input = LineReader(fileDescriptor: STDIN_FILENO)
        while let line = input.readLine() {
            let words = line.split(separator: " ").map(String.init)
            guard let command = words.first else { continue }
            switch command {
            case "join":
                launchMore()
                let finished = wait(timeoutMs: 600_000) { $0.welcomed + $0.joinFailed >= self.configuration.players }
                let report = state.withLock { state in
                    Report(
                        kind: "joined",
                        handshakeMs: state.handshake.filter { $0 != 0 && $0 != UInt64.max }.map(nanosToMs),
                        joined: state.welcomed,
                        failed: state.joinFailed
                            + (finished ? 0 : configuration.players - state.welcomed - state.joinFailed),
                        joinErrors: state.joinErrors, timedOut: !finished)
                }
                emit(report)
            case "arm":
                let number = Int(words[1])!
                state.withLock { state in
                    state.arms[number] = (UInt64(words[2])!, UInt64(words[3])!)
                    state.current = number
                }
                emit(Report(kind: "armed", number: number))
            case "collect":
                let number = Int(words[1])!
                let k = number - 1
                let finished = wait(timeoutMs: Int(words[2])!) { state in
                    var pending = 0
                    for i in 0..<state.open.count where state.open[i] && state.outcome[k][i] == 0 { pending += 1 }
                    return pending == 0
                }
                let report = state.withLock { state -> Report in
                    var received: [UInt64] = [], acks: [Double] = []
                    var missing = 0, accepted = 0, refused = 0, unanswered = 0
                    var firstAnswer = UInt64.max, lastAnswer: UInt64 = 0, lastAck: UInt64 = 0
                    for i in 0..<configuration.players where state.handshake[i] != 0 && state.handshake[i] != UInt64.max
                    {
                        if state.stateAt[k][i] != 0 { received.append(state.stateAt[k][i]) } else { missing += 1 }
                        let sent = state.answerAt[k][i]
                        if sent != 0 {
                            firstAnswer = min(firstAnswer, sent)
                            lastAnswer = max(lastAnswer, sent)
                        }
                        switch state.outcome[k][i] {
                        case 1:
                            accepted += 1
                            acks.append(nanosToMs(state.ackAt[k][i] - sent))
                            lastAck = max(lastAck, state.ackAt[k][i])
                        case 2: refused += 1
                        default: unanswered += 1
                        }
                    }
                    var timed: [(sent: UInt64, ms: Double)] = []
                    for i in 0..<configuration.players where state.outcome[k][i] == 1 {
                        timed.append((state.answerAt[k][i], nanosToMs(state.ackAt[k][i] - state.answerAt[k][i])))
                    }
                    let slowest = timed.sorted { $0.ms > $1.ms }.prefix(5).map { [Double($0.sent), $0.ms] }
                    return Report(
                        kind: "question", number: number, receivedNs: received, missing: missing, ackMs: acks,
                        accepted: accepted,
                        refused: refused, unanswered: unanswered, answeredOnReceipt: state.answeredOnReceipt[k],
                        firstAnswerNs: firstAnswer == .max ? nil : firstAnswer, lastAnswerNs: lastAnswer,
                        lastAckNs: lastAck,
                        errors: state.errors, unexpectedCloses: state.unexpectedCloses, frames: state.frames,
                        timedOut: !finished,
                        slowest: Array(slowest))
                }
                emit(report)
            case "reveal":
                let number = Int(words[1])!
                let k = number - 1
                let finished = wait(timeoutMs: Int(words[2])!) { state in
                    for i in 0..<state.open.count where state.open[i] && state.revealAt[k][i] == 0 { return false }
                    return true
                }
                let report = state.withLock { state -> Report in
                    var received: [UInt64] = []
                    var missing = 0
                    for i in 0..<configuration.players where state.handshake[i] != 0 && state.handshake[i] != UInt64.max
                    {
                        if state.revealAt[k][i] != 0 { received.append(state.revealAt[k][i]) } else { missing += 1 }
                    }
                    return Report(
                        kind: "reveal", number: number, receivedNs: received, missing: missing, timedOut: !finished)
                }
                emit(report)
            case "quit":
                let channels = state.withLock { state -> [any Channel] in
                    state.quitting = true
                    return state.channels.compactMap { $0 }
                }
                for channel in channels { channel.close(promise: nil) }
                _ = wait(timeoutMs: 10_000) { state in !state.open.contains(true) }
                let report = state.withLock { state in
                    Report(
                        kind: "done", errors: state.errors, unexpectedCloses: state.unexpectedCloses,
                        frames: state.frames)
                }
                emit(report)
                try? group.syncShutdownGracefully()
                return
            default:
                FileHandle.standardError.write(Data("worker: unknown command \(line)\n".utf8))
            }
        }
    }

    /// `dengao-bench contest-worker KEY=VALUE…` (spawned by `contest`).
    static func main(_ arguments: [String]) {
        var options: [String: String] = [:]
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { options[parts[0]] = parts[1] }
        }
        let configuration = Configuration(
            port: Int(options["port"]!)!, pin: options["pin"]!,
            branches: options["branches"]!.split(separator: ",").compactMap { Int64($0) },
            players: Int(options["players"]!)!, firstIndex: Int(options["first"]!)!,
            questions: Int(options["questions"]!)!,
            inflight: Int(options["inflight"]!)!, sources: options["sources"]!.split(separator: ",").map(String.init),
            threads: Int(options["threads"] ?? "1")!, seed: UInt64(options["seed"] ?? "1")!,
            deadlineSeconds: Int(options["deadline"] ?? "900")!, join: options["join"] != "0")
        signal(SIGPIPE, SIG_IGN)
        ContestWorker(configuration: configuration).run()
    }
}
