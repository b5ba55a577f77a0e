import DengaoCore
import Foundation
import Logging
import NIOCore

/// One running contest: owns its state machine, its connections, its deadlines and its scoreboard. Every input
/// is applied here, one at a time, then journaled; acknowledgements wait for the journal outside the actor so a
/// commit never holds up the contest.
actor ContestRoom {
    enum Role: Sendable, Equatable {
        case player(seat: Int)
        case host
        case display

        var isViewer: Bool { if case .player = self { false } else { true } }
    }

    struct Connection {
        let role: Role
        let outbox: Outbox
        /// Whether the state goes with a reveal: to hosts and screens, and to phones on protocol version 1, whose
        /// page reads the phase from `state` only (`pushReveal`).
        var stateAtReveal = false
    }

    nonisolated let summary: ContestSummary
    nonisolated let branches: [NamedUnit]
    let journal: Journal
    let clock: any ServerClock
    let logger: Logger
    /// A client that sends nothing for this long is gone: its connection is closed and its seat shows as
    /// disconnected until it resumes. A phone that lost its network without a word would otherwise count as
    /// connected until TCP gives up, a quarter of an hour later.
    let silenceLimitMilliseconds: Int64
    var machine: ContestMachine
    var scoreboard: ContestScoreboard
    var nextSeq: Int64
    /// Resume-token hashes of the seats.
    var tokens: [String: Int] = [:]
    /// `contestInfo()` encoded, for the welcomes (`contestInfoJSON`).
    var contestJSON: ByteBuffer?
    /// The state a joining phone gets before its own part, by option order, while the contest stands still
    /// (`joinStateFrame`).
    var joinStates: (key: JoinStateKey, frames: [[Int]: ByteBuffer])?
    /// Members' seats by member id, so a member's join finds their seat without scanning ten thousand seats.
    var memberSeats: [MemberID: Int] = [:]
    var connections: [UInt64: Connection] = [:]
    /// The hosts' and screens' connections (a few), also in `connections`: their ticks, progress and player lists go
    /// four times a second without walking ten thousand phones' connections to find them.
    var viewers: [UInt64: Connection] = [:]
    var seatConnection: [Int: UInt64] = [:]
    /// The server clock never runs backwards inside a contest, whatever the wall clock does.
    var clockFloor: ContestTime = 0
    var lastTickSecond: Int?
    var dirty: Set<Dirty> = []
    var lastFlush: ContestTime = 0
    /// After a reveal its leaderboard waits this long (while the question stays revealed): pushed a quarter second
    /// later, ten thousand personal leaderboards were composed and written while the reveal was still going out,
    /// and a player waits for the key, not for their rank.
    var leaderboardHeldUntil: ContestTime = 0
    var lastSweep: ContestTime = 0
    /// Ranks before the latest reveal's points, for the rank-change arrows (every push of that question's
    /// leaderboard, and every screen that connects meanwhile, shows the same changes).
    var rankBaseline: [Int: Int] = [:]
    var branchRankBaseline: [UnitID: Int] = [:]
    /// The latest reveal, for phones and screens that connect while it is on show, with its results by seat.
    var lastReveal: Reveal?
    var lastRevealResults: [Int: SeatResult] = [:]
    /// The latest reveal's points, not yet given to the journal, and when they are due (`pointsAfterReveal`).
    var unwrittenPoints: (points: RevealedPoints, due: ContestTime)?
    var branchNames: [UnitID: String]
    /// The status the contest's row has (or will have once the journal commits what it was given).
    var recordedStatus: ContestStatus
    /// Set when the organizer edits or deletes the contest before anyone joined: the room takes no more inputs.
    var retired = false
    /// When a connection last came or went, for unloading the room once the contest is over and unwatched.
    var lastWatched: ContestTime = 0
    /// The phase last written to the log (one line per change, for operators following a contest).
    var loggedPhase: ContestPhase?
    /// Set when the server is shutting down (`closeForRestart`): a connection that comes now is sent away at once.
    var closedForRestart = false

    enum Dirty: Hashable { case progress, players, leaderboard }

    /// Pushes of coalesced updates (answer counts, who joined, leaderboards) are at most this often.
    static let flushInterval: ContestTime = 250
    static let leaderboardAfterReveal: ContestTime = 1_000
    /// A reveal's points go to the journal this long after its frames (or before anything else the contest
    /// journals, or its leaderboard, if that comes first). Written at once, their ten thousand `UPDATE`s ran on the
    /// same two cores while the event loops wrote the reveal; nothing shown waits for them, since the reveal's own
    /// entry makes them (a restart writes the latest reveal's points onto the rows that lack them).
    static let pointsAfterReveal: ContestTime = 500
    static let leaderboardSize = 10
    static let sweepInterval: ContestTime = 1_000

    init(
        summary: ContestSummary, questions: [ContestQuestion], journalEntries: [JournalEntry], branches: [NamedUnit],
        subtree: [NamedUnit], journal: Journal, silenceLimit: Duration, clock: any ServerClock = WallClock(),
        logger: Logger
    ) {
        self.summary = summary
        self.clock = clock
        recordedStatus = summary.status
        self.branches = branches
        self.journal = journal
        self.logger = logger
        silenceLimitMilliseconds = silenceLimit.wholeMilliseconds
        branchNames = Dictionary(
            (subtree + branches).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var machine = ContestMachine(settings: summary.settings, questions: questions)
        var tokens: [String: Int] = [:]
        var lastReveal: Reveal?
        for entry in journalEntries {
            for case .revealed(let reveal) in machine.apply(entry.input, at: entry.at) { lastReveal = reveal }
            if case .join(let seat) = entry.input, let hash = entry.tokenHash { tokens[hash] = seat.id }
        }
        self.machine = machine
        loggedPhase = machine.phase
        self.tokens = tokens
        memberSeats = Dictionary(
            machine.seats.values.compactMap { seat in seat.memberId.map { ($0, seat.id) } }, uniquingKeysWith: min)
        self.lastReveal = lastReveal
        // The latest reveal's points may have been lost by a crash after its entry was committed (they follow it in
        // a transaction of their own): written again, they fill what is missing and change nothing otherwise. Only
        // the latest can be missing, as every later record commits after them; a finished contest wrote its last
        // points with the finish.
        if let lastReveal, machine.phase != .finished {
            journal.append(.revealedPoints(contestId: summary.id, RevealedPoints(lastReveal)))
        }
        lastRevealResults = Dictionary(
            (lastReveal?.results ?? []).map { ($0.seat, $0) }, uniquingKeysWith: { first, _ in first })
        nextSeq = (journalEntries.last?.seq ?? 0) + 1
        clockFloor = journalEntries.last?.at ?? 0
        lastWatched = max(clockFloor, clock.nowMilliseconds())
        var scoreboard = ContestScoreboard(branchScoring: summary.settings.branchScoring)
        for seat in machine.activeSeatIds.compactMap({ machine.seats[$0] }) {
            scoreboard.add(seat: seat.id, branchId: seat.branchId, score: machine.scores[seat.id] ?? 0)
        }
        self.scoreboard = scoreboard
        for seat in machine.seats.values where branchNames[seat.branchId] == nil { branchNames[seat.branchId] = "—" }
    }

    var isFinished: Bool { machine.phase == .finished }

    /// Whether the room can leave memory: the contest is finished (nothing can change it any more; a reload replays
    /// the same journal), nothing waits to be pushed, no one is connected, and no one has been for `limit`.
    func isIdleAfterFinish(for limit: ContestTime) -> Bool {
        let now = now()
        return machine.phase == .finished && dirty.isEmpty && connections.isEmpty && now - lastWatched >= limit
    }

    /// Retires the room if nothing was ever journaled in it, telling its host and screens to reload; a room that
    /// was joined or played stays as it is. Returns whether it retired.
    func retireIfUnplayed() -> Bool {
        guard nextSeq == 1, machine.phase == .lobby else { return false }
        retired = true
        broadcast(FrameEncoder.encode(.error(ServerMessage.ErrorView(RoomRefusal.withdrawn))))
        for connection in connections.values { connection.outbox.close() }
        connections = [:]
        viewers = [:]
        seatConnection = [:]
        return true
    }

    /// Gives the latest reveal's points to the journal now, if they are still waiting.
    func writeRevealedPoints() {
        guard let unwrittenPoints else { return }
        self.unwrittenPoints = nil
        journal.append(.revealedPoints(contestId: summary.id, unwrittenPoints.points))
    }

    func remember(_ reveal: Reveal) {
        lastReveal = reveal
        lastRevealResults = Dictionary(reveal.results.map { ($0.seat, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// After a restart: a contest that was under way comes back paused where it was, so no one loses time.
    func pauseAfterRecovery() {
        guard machine.phase != .lobby, machine.phase != .finished, !machine.isPaused else { return }
        apply(.command(.pause), at: clockFloor)
        logger.info("contest resumed paused after restart", metadata: ["contest": .stringConvertible(summary.id)])
    }

    /// The server is shutting down: a contest under way is paused where it stands (journaled with its status, so
    /// the next start finds it there with the time it had left), everyone is shown that, and every phone, screen
    /// and host is closed with 1001 once what it was sent is on disk; seats stay theirs to resume. Returns the
    /// outboxes closed, for the shutdown to wait on their close frames.
    func closeForRestart() -> [Outbox] {
        closedForRestart = true
        let now = settledNow()
        if machine.phase != .lobby, machine.phase != .finished, !machine.isPaused {
            apply(.command(.pause), at: now)
        }
        writeRevealedPoints()
        if !dirty.isEmpty { flush(at: now) }
        let outboxes = connections.values.map(\.outbox)
        for outbox in outboxes { outbox.closeForRestart() }
        connections = [:]
        viewers = [:]
        seatConnection = [:]
        return outboxes
    }

    // MARK: - Clock

    func now() -> ContestTime {
        clockFloor = max(clockFloor, clock.nowMilliseconds())
        return clockFloor
    }

    /// The server's time with every deadline due by then taken effect, journaled as `.clock` and told to the
    /// clients (whose outboxes hold it until it is on disk). Every input starts here, so the input meets a
    /// settled machine, and a replay of the journal passes through every phase a client was shown.
    func settledNow() -> ContestTime {
        let now = now()
        let changes = machine.advance(to: now)
        if !changes.isEmpty {
            journalInput(.clock, at: now, changes: changes)
            react(changes, at: now)
        }
        return now
    }

    /// Called a few times a second by the hub: deadlines, ticks, coalesced pushes. Returns whether the contest
    /// still needs pulses.
    func pulse() -> Bool {
        let now = settledNow()
        if machine.phase == .open, !machine.isPaused, let question = machine.currentQuestion,
            let remaining = machine.remainingMilliseconds(at: now)
        {
            let second = remaining / 1000
            if second != lastTickSecond {
                lastTickSecond = second
                // Host and display only: phones count down locally from `state` and `buzzer`, and ten thousand
                // ticks a second would compete with the answers they carry.
                broadcastToViewers(FrameEncoder.encode(.tick(.init(number: question.number, remainingMs: remaining))))
            }
        }
        if let unwrittenPoints, now >= unwrittenPoints.due { writeRevealedPoints() }
        if !dirty.isEmpty, now - lastFlush >= Self.flushInterval { flush(at: now) }
        if now - lastSweep >= Self.sweepInterval { sweepSilent(at: now) }
        if retired { return false }
        // A finished contest keeps its clock while screens are connected, so their lists stay current.
        return machine.phase != .finished || !dirty.isEmpty || !connections.isEmpty
    }

    // MARK: - Journal

    /// Journals an input the machine has just applied, with what it changed in the same transaction: the contest's
    /// new status, the report row of the answer it accepted, the points of the question it revealed. Clients hear
    /// of it through their outboxes, which wait for the commit.
    @discardableResult
    func journalInput(
        _ input: ContestInput, at time: ContestTime, tokenHash: String? = nil, accepted: AnswerRecord? = nil,
        changes: [ContestChange] = []
    ) -> Journal.Ticket {
        // Whatever the contest journals next comes after the latest reveal's points, so a restart only ever finds
        // the latest reveal's missing.
        writeRevealedPoints()
        let status: ContestStatus? =
            switch machine.phase {
            case .lobby: nil
            case .finished: .finished
            default: .live
            }
        let changed = status.flatMap { $0 == recordedStatus ? nil : $0 }
        if let changed { recordedStatus = changed }
        // A reveal's points go in a record of their own once its frames are queued (`react`), except with the
        // contest's finish: the finished status must not reach the disk before the points it ends with.
        let revealed =
            machine.phase != .finished
            ? nil
            : changes.lazy.compactMap { change -> RevealedPoints? in
                if case .revealed(let reveal) = change { RevealedPoints(reveal) } else { nil }
            }.first
        let entry = JournalEntry(
            contestId: summary.id, seq: nextSeq, at: time, input: input, tokenHash: tokenHash, status: changed,
            answerRow: accepted.flatMap { ContestAnswerRow(accepted: $0, in: machine) }, revealedPoints: revealed)
        nextSeq += 1
        logPhaseChange()
        return journal.append(entry)
    }

    /// One log line when the contest moves to another phase: never a question's text or key.
    private func logPhaseChange() {
        guard machine.phase != loggedPhase else { return }
        loggedPhase = machine.phase
        var metadata: Logger.Metadata = [
            "contest": .stringConvertible(summary.id), "phase": .string(machine.phase.rawValue),
            "seats": .stringConvertible(machine.activeSeatIds.count),
        ]
        if let number = machine.currentQuestion?.number { metadata["question"] = .stringConvertible(number) }
        logger.info("contest phase", metadata: metadata)
    }

    /// For inputs whose acceptance the machine decides inside `apply` (host commands, kicks).
    @discardableResult
    func apply(_ input: ContestInput, at time: ContestTime) -> [ContestChange] {
        // Callers settle time first (`settledNow`): what changes here is this input's doing alone.
        let changes = machine.apply(input, at: time)
        journalInput(input, at: time, changes: changes)
        react(changes, at: time)
        return changes
    }

    // MARK: - Connections

    func attach(_ id: UInt64, role: Role, outbox: Outbox, stateAtReveal: Bool = false) {
        // A connection that found the room just before it retired: told, not seated.
        if retired {
            outbox.send(FrameEncoder.encode(.error(ServerMessage.ErrorView(RoomRefusal.withdrawn))))
            outbox.close()
            return
        }
        if closedForRestart {
            outbox.closeForRestart()
            return
        }
        if case .player(let seat) = role {
            // A resumed seat replaces its older connection, which is told why before it closes.
            if let old = seatConnection[seat], old != id, let previous = connections.removeValue(forKey: old) {
                previous.outbox.send(
                    FrameEncoder.encode(.error(.init(code: "replaced", message: "已在另一设备或页面继续 (resumed elsewhere)"))))
                previous.outbox.close()
            }
            seatConnection[seat] = id
        }
        let connection = Connection(role: role, outbox: outbox, stateAtReveal: stateAtReveal || role.isViewer)
        connections[id] = connection
        if role.isViewer { viewers[id] = connection }
        lastWatched = now()
        dirty.insert(.players)
        dirty.insert(.progress)
    }

    /// Seats a player's connection and brings its screen up to date.
    func attachPlayer(_ id: UInt64, seat: Int, token: String?, outbox: Outbox, protocolVersion: Int) {
        attach(id, role: .player(seat: seat), outbox: outbox, stateAtReveal: protocolVersion < 2)
        let info = machine.seats[seat].map { seat in
            ServerMessage.SeatInfo(
                id: seat.id, name: seat.name, branchId: seat.branchId, branch: branchNames[seat.branchId] ?? "",
                guest: seat.memberId == nil)
        }
        let welcome = ServerMessage.Welcome.frame(
            role: "player", contestJSON: contestInfoJSON(), seat: info, token: token)
        if let connection = connections[id], !connection.outbox.send(welcome) {
            dropSlow(id)
        }
        if let connection = connections[id] {
            let state = OutgoingFrame(joinStateFrame(for: seat, at: now()), personal: .you(youView(seat: seat)))
            if !connection.outbox.send(state) { dropSlow(id) }
        }
        catchUp(id)
    }

    /// The host console or the big screen.
    func attachViewer(_ id: UInt64, role: Role, outbox: Outbox) {
        attach(id, role: role, outbox: outbox)
        send(.welcome(.init(role: role == .host ? "host" : "display", contest: contestInfo())), to: id)
        let order = OptionOrder(identityOf: machine.currentQuestion?.question.options.count ?? 0)
        send(.state(stateView(order: order, you: nil, at: now())), to: id)
        send(.progress(progress()), to: id)
        send(.players(playersView(forHost: role == .host)), to: id)
        catchUp(id)
    }

    /// The contest's part of every welcome, encoded on the first join: it cannot change while the room lives (an
    /// edit of the contest retires the room).
    func contestInfoJSON() -> ByteBuffer {
        if let contestJSON { return contestJSON }
        let encoded = FrameEncoder.encode(value: contestInfo())
        contestJSON = encoded
        return encoded
    }

    func contestInfo() -> ServerMessage.ContestInfo {
        var rounds: [ServerMessage.RoundInfo] = summary.settings.rounds.map {
            .init(title: $0.title, kind: $0.kind, questions: 0)
        }
        for question in machine.questions where rounds.indices.contains(question.round) {
            rounds[question.round].questions += 1
        }
        return ServerMessage.ContestInfo(
            id: summary.id, title: summary.title, pin: summary.pin, mode: summary.settings.mode,
            questionCount: machine.questions.count, rounds: rounds, branches: branches)
    }

    func detach(_ id: UInt64) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        viewers[id] = nil
        lastWatched = now()
        if case .player(let seat) = connection.role, seatConnection[seat] == id { seatConnection[seat] = nil }
        dirty.insert(.players)
        dirty.insert(.progress)
    }

    func broadcast(_ frame: ByteBuffer) {
        for (id, connection) in connections {
            if !connection.outbox.send(frame) { dropSlow(id) }
        }
    }

    /// To the hosts and screens whose role passes `roles`; no phone is visited.
    func broadcastToViewers(_ frame: ByteBuffer, where roles: (Role) -> Bool = { _ in true }) {
        for (id, connection) in viewers where roles(connection.role) {
            if !connection.outbox.send(frame) { dropSlow(id) }
        }
    }

    /// Whether a host or screen with `role` is connected.
    func hasViewer(_ role: Role) -> Bool { viewers.values.contains { $0.role == role } }

    func send(_ message: ServerMessage, to id: UInt64) {
        guard let connection = connections[id] else { return }
        if !connection.outbox.send(FrameEncoder.encode(message)) { dropSlow(id) }
    }

    func sweepSilent(at now: ContestTime) {
        lastSweep = now
        for (id, connection) in connections where connection.outbox.silentMilliseconds > silenceLimitMilliseconds {
            connection.outbox.send(
                FrameEncoder.encode(.error(.init(code: "silent", message: "连接已超时，正在重连 (nothing heard for too long)"))))
            connection.outbox.close()
            detach(id)
        }
    }

    private func dropSlow(_ id: UInt64) {
        logger.debug("connection dropped: not reading", metadata: ["contest": .stringConvertible(summary.id)])
        detach(id)
    }

    var connectedSeats: Int { seatConnection.count }
}
