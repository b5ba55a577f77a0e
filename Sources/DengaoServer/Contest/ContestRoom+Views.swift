import DengaoCore
import NIOCore

extension ContestRoom {
    /// Tells whom what after the machine changed. Several phase changes in one step (close, then reveal) make
    /// one state message, sent to viewers before the reveal itself; players read the phase in their reveal.
    func react(_ changes: [ContestChange], at now: ContestTime) {
        let revealing = changes.contains { if case .revealed = $0 { true } else { false } }
        if changes.contains(.phase) {
            lastTickSecond = nil
            // With a reveal, a viewer's state is queued together with its reveal frame, and a player's reveal
            // carries the phase (`pushReveal`).
            if !revealing { journal.metrics.timeFanOut(.state) { broadcastState(at: now) } }
            dirty.formUnion([.progress, .players])
            if machine.phase == .leaderboard || machine.phase == .finished { dirty.insert(.leaderboard) }
        }
        for change in changes {
            switch change {
            case .phase:
                break
            case .progress:
                dirty.insert(.progress)
            case .seats:
                dirty.formUnion([.players, .progress])
            case .buzzer:
                if let view = buzzerView(at: now) {
                    journal.metrics.timeFanOut(.buzzer) { broadcast(FrameEncoder.encode(.buzzer(view))) }
                }
                dirty.insert(.players)
            case .revealed(let reveal):
                // Rank changes are counted from the standings before this question's points. Before the first
                // reveal there are none (everyone ties at 0, and "▼1" would be a move from a ranking that never
                // was): the first question's boards carry no changes at all.
                if lastReveal == nil {
                    rankBaseline = [:]
                    branchRankBaseline = [:]
                } else {
                    rankBaseline = Dictionary(
                        scoreboard.top(Int.max).map { ($0.seat, $0.rank) }, uniquingKeysWith: { first, _ in first })
                    branchRankBaseline = Dictionary(
                        scoreboard.branches().map { ($0.branchId, $0.rank) }, uniquingKeysWith: { first, _ in first })
                }
                for result in reveal.results { scoreboard.add(points: result.points, to: result.seat) }
                remember(reveal)
                journal.metrics.timeFanOut(.reveal) {
                    pushReveal(reveal, stateAt: changes.contains(.phase) ? now : nil)
                }
                // After the frames, which wait for the reveal's entry alone: the journal commits these ten thousand
                // rows in a transaction of their own (`JournalRecord.revealedPoints`) once the frames are out
                // (`pointsAfterReveal`). A finish that reveals keeps them in its own entry.
                if machine.phase != .finished {
                    unwrittenPoints = (RevealedPoints(reveal), now + Self.pointsAfterReveal)
                }
                dirty.formUnion([.leaderboard, .players])
                leaderboardHeldUntil = now + Self.leaderboardAfterReveal
            }
        }
    }

    /// Pushes what was marked dirty; at most every `flushInterval`, however fast answers arrive.
    func flush(at now: ContestTime) {
        lastFlush = now
        let pending = dirty
        dirty = []
        if pending.contains(.progress) {
            journal.metrics.timeFanOut(.progress) {
                if !viewers.isEmpty { broadcastToViewers(FrameEncoder.encode(.progress(progress()))) }
            }
        }
        if pending.contains(.players) {
            journal.metrics.timeFanOut(.players) {
                // Each list walks every seat: made only for a role that is watching.
                if hasViewer(.host) {
                    broadcastToViewers(
                        FrameEncoder.encode(.players(playersView(forHost: true))), where: { $0 == .host })
                }
                if hasViewer(.display) {
                    broadcastToViewers(
                        FrameEncoder.encode(.players(playersView(forHost: false))), where: { $0 == .display })
                }
            }
        }
        if pending.contains(.leaderboard) {
            // Held after a reveal (`leaderboardHeldUntil`), unless the host moved on: their board goes at once.
            if machine.phase == .revealed, now < leaderboardHeldUntil {
                dirty.insert(.leaderboard)
            } else {
                // The board's scores are on disk before it shows them.
                writeRevealedPoints()
                journal.metrics.timeFanOut(.leaderboard) { pushLeaderboard() }
            }
        }
    }

    // MARK: - State

    func broadcastState(at now: ContestTime) {
        var frames: [[Int]: ByteBuffer] = [:]
        for (id, connection) in connections {
            if !connection.outbox.send(stateFrame(for: connection.role, at: now, cache: &frames)) { detach(id) }
        }
    }

    /// The state as `role` sees it (options in a player's own order), encoded once per option order.
    func stateFrame(for role: Role, at now: ContestTime, cache: inout [[Int]: ByteBuffer]) -> ByteBuffer {
        let count = machine.currentQuestion?.question.options.count ?? 0
        let order: OptionOrder
        if case .player(let seat) = role, let number = machine.currentQuestion?.number {
            order = optionOrder(seat: seat, number: number, count: count)
        } else {
            order = OptionOrder(identityOf: count)
        }
        if let cached = cache[order.shown] { return cached }
        let frame = FrameEncoder.encode(.state(stateView(order: order, you: nil, at: now)))
        cache[order.shown] = frame
        return frame
    }

    /// All a player's state depends on apart from their option order and their own part (`you`), when no buzzer
    /// is in play. While it stays the same, joining phones share a few encodings instead of a `JSONEncoder` run each
    /// (a twentieth of a join's CPU with ten thousand phones joining).
    struct JoinStateKey: Equatable {
        var phase: ContestPhase
        var paused: Bool
        var number: Int?
        var remainingMs: Int?
    }

    /// The state a joining player is sent, without their own part (joined in as `you` when it is written).
    func joinStateFrame(for seat: Int, at now: ContestTime) -> ByteBuffer {
        let key = JoinStateKey(
            phase: machine.phase, paused: machine.isPaused, number: machine.currentQuestion?.number,
            remainingMs: machine.remainingMilliseconds(at: now))
        // A buzzer's view moves with the clock and its holder, which the key does not hold: never shared.
        guard buzzerView(at: now) == nil else {
            var unshared: [[Int]: ByteBuffer] = [:]
            return stateFrame(for: .player(seat: seat), at: now, cache: &unshared)
        }
        var frames = joinStates?.key == key ? joinStates?.frames ?? [:] : [:]
        let frame = stateFrame(for: .player(seat: seat), at: now, cache: &frames)
        joinStates = (key, frames)
        return frame
    }

    func stateView(order: OptionOrder, you: ServerMessage.YouView?, at now: ContestTime) -> ServerMessage.StateView {
        ServerMessage.StateView(
            phase: machine.phase, paused: machine.isPaused, question: questionView(order: order),
            remainingMs: machine.remainingMilliseconds(at: now), buzzer: buzzerView(at: now), you: you)
    }

    /// The question in play without its key; during 风险's wagering step, without even its text.
    func questionView(order: OptionOrder) -> ServerMessage.QuestionView? {
        guard let question = machine.currentQuestion, machine.phase != .lobby else { return nil }
        let round = machine.round(of: question)
        let shown = machine.phase != .wagering
        return ServerMessage.QuestionView(
            number: question.number, total: machine.questions.count, round: question.round + 1, roundTitle: round.title,
            kind: round.kind, category: question.question.category, type: shown ? question.question.type : nil,
            stem: shown ? question.question.stem : nil,
            options: shown && question.question.type.hasOptions
                ? order.shown.map { question.question.options[$0] } : nil,
            letters: shown && question.question.type.hasOptions ? order.letters : nil,
            // 抢答: the buzzer's window; the holder's answer time is in the buzzer message.
            timeLimitMs: round.timeLimitMilliseconds,
            points: round.points, wagers: round.kind == .risk ? round.wagers : nil)
    }

    func buzzerView(at now: ContestTime) -> ServerMessage.BuzzerView? {
        guard let play = machine.current, let question = machine.currentQuestion,
            machine.round(of: question).kind == .buzz,
            machine.phase == .open || machine.phase == .closed
        else { return nil }
        let elapsed = play.activeElapsed(at: now)
        let holder = play.buzz.holder.flatMap { machine.seats[$0] }.map(brief)
        return ServerMessage.BuzzerView(
            number: question.number, opensInMs: max(0, play.buzz.opensAt - elapsed),
            open: machine.phase == .open && holder == nil && elapsed >= play.buzz.opensAt, holder: holder,
            holderRemainingMs: play.buzz.holderDeadline.map { max(0, $0 - elapsed) })
    }

    func brief(_ seat: Seat) -> ServerMessage.SeatBrief {
        ServerMessage.SeatBrief(seat: seat.id, name: seat.name, branch: branchNames[seat.branchId] ?? "")
    }

    /// What a (re)connecting player needs to pick up where they were: their seat's score and current answer.
    func youView(seat: Int) -> ServerMessage.YouView {
        var you = ServerMessage.YouView(
            seat: seat, score: scoreboard.score(of: seat) ?? machine.scores[seat] ?? 0, answered: false)
        if let play = machine.current, let question = machine.currentQuestion {
            if let record = play.answers[seat] {
                you.answered = true
                switch record.answer {
                case .choices(let indices):
                    you.picks = optionOrder(seat: seat, number: question.number, count: question.question.options.count)
                        .displayed(indices)
                case .truth(let truth): you.truth = truth
                case .text(let text): you.text = text
                }
            }
            you.wager = play.wagers[seat]
            if machine.round(of: question).kind == .buzz { you.triedBuzzer = play.buzz.tried.contains(seat) }
        }
        return you
    }

    // MARK: - Reveal and boards

    /// Sends the reveal to everyone. When the reveal changed the phase (`stateAt`), hosts and screens (and phones on
    /// protocol version 1) get their state first; a player's reveal carries the phase itself. The state a phone
    /// would get repeats the question it already shows, so sending it doubled the bytes of a reveal to ten thousand
    /// phones, where the bare server writes one frame.
    func pushReveal(_ reveal: Reveal, stateAt stateTime: ContestTime?) {
        var cache = RevealFrames()
        var states: [[Int]: ByteBuffer] = [:]
        for (id, connection) in connections {
            if let stateTime, connection.stateAtReveal,
                !connection.outbox.send(stateFrame(for: connection.role, at: stateTime, cache: &states))
            {
                detach(id)
                continue
            }
            guard let frame = revealFrame(reveal, results: lastRevealResults, for: connection.role, cache: &cache)
            else { continue }
            if !connection.outbox.send(frame) { detach(id) }
        }
    }

    /// A reveal's shared frames, one per option order: ten thousand players cost a few dozen `JSONEncoder` runs
    /// (24 orders of four options), and each player's own result is joined to a copy as it is written
    /// (`OutgoingFrame`). Caching the personal frames too saved little: after the first question almost every score
    /// is distinct.
    struct RevealFrames {
        /// The revealed question, found once per push rather than once per connection.
        var question: Question?
        var shared: [[Int]: ByteBuffer] = [:]
    }

    /// The reveal as one viewer sees it: key and distribution in their option order, and a player's own result.
    func revealFrame(
        _ reveal: Reveal, results: [Int: SeatResult], for role: Role, cache: inout RevealFrames
    ) -> OutgoingFrame? {
        guard
            let question = cache.question
                ?? machine.questions.first(where: { $0.number == reveal.number })?.question
        else { return nil }
        cache.question = question
        var order = OptionOrder(identityOf: question.options.count)
        var seat: Int?
        if case .player(let playerSeat) = role {
            seat = playerSeat
            order = optionOrder(seat: playerSeat, number: reveal.number, count: question.options.count)
        }
        let frame =
            cache.shared[order.shown]
            ?? FrameEncoder.encode(.reveal(revealView(reveal, question: question, order: order)))
        cache.shared[order.shown] = frame
        guard let seat else { return OutgoingFrame(frame) }
        let result = results[seat]
        let you = ServerMessage.YourResult(
            correctness: result?.correctness, points: result?.points ?? 0, score: scoreboard.score(of: seat) ?? 0)
        return OutgoingFrame(frame, personal: .result(you))
    }

    func revealView(_ reveal: Reveal, question: Question, order: OptionOrder) -> ServerMessage.RevealView {
        var view = ServerMessage.RevealView(
            number: reveal.number, phase: machine.phase, paused: machine.isPaused, distribution: reveal.distribution,
            explanation: question.explanation)
        switch reveal.key {
        case .choices(let indices):
            view.key = order.displayed(indices)
            view.distribution = order.shown.map { reveal.distribution[$0] }
            view.options = order.shown.map { question.options[$0] }
            view.letters = order.letters
        case .truth(let truth): view.truth = truth
        case .texts(let texts): view.texts = texts
        }
        return view
    }

    func pushLeaderboard() {
        let shared = sharedLeaderboard()
        for (id, connection) in connections {
            if !connection.outbox.send(leaderboardFrame(shared, for: connection.role)) { detach(id) }
        }
    }

    /// Top individuals and every branch, the same for everyone; encoded once per push.
    func sharedLeaderboard() -> ByteBuffer {
        let top = scoreboard.top(Self.leaderboardSize).map { standing in
            let seat = machine.seats[standing.seat]
            return ServerMessage.Standing(
                rank: standing.rank, seat: standing.seat, name: seat?.name ?? "",
                branch: seat.map { branchNames[$0.branchId] ?? "" } ?? "",
                score: standing.score, change: rankBaseline[standing.seat].map { $0 - standing.rank })
        }
        let branchBoard = scoreboard.branches().map { standing in
            ServerMessage.BranchStanding(
                rank: standing.rank, id: standing.branchId, name: branchNames[standing.branchId] ?? "",
                score: standing.score,
                players: standing.players, change: branchRankBaseline[standing.branchId].map { $0 - standing.rank })
        }
        return FrameEncoder.encode(
            .leaderboard(.init(top: top, branches: branchBoard, you: nil, players: scoreboard.playerCount)))
    }

    /// A player's copy carries their own rank (O(log n) in the scoreboard, not a sort).
    func leaderboardFrame(_ shared: ByteBuffer, for role: Role) -> OutgoingFrame {
        guard case .player(let seat) = role, let rank = scoreboard.rank(of: seat), let info = machine.seats[seat] else {
            return OutgoingFrame(shared)
        }
        let you = ServerMessage.Standing(
            rank: rank, seat: seat, name: info.name, branch: branchNames[info.branchId] ?? "",
            score: scoreboard.score(of: seat) ?? 0, change: rankBaseline[seat].map { $0 - rank })
        return OutgoingFrame(shared, personal: .standing(you))
    }

    /// What a connection arriving after a reveal missed: the reveal (while it is on screen) and the boards.
    func catchUp(_ id: UInt64) {
        guard let connection = connections[id] else { return }
        var cache = RevealFrames()
        if let reveal = lastReveal, [.revealed, .leaderboard, .finished].contains(machine.phase),
            let frame = revealFrame(reveal, results: lastRevealResults, for: connection.role, cache: &cache)
        {
            connection.outbox.send(frame)
        }
        if lastReveal != nil { connection.outbox.send(leaderboardFrame(sharedLeaderboard(), for: connection.role)) }
    }

    func progress() -> ServerMessage.Progress {
        ServerMessage.Progress(
            number: machine.currentQuestion?.number, answered: machine.current?.answers.count ?? 0,
            wagered: machine.current?.wagers.count ?? 0, seats: machine.activeSeatCount, connected: connectedSeats)
    }

    /// The host sees seats (the latest first, capped so a ten-thousand-player contest does not flood the console);
    /// the display sees counts per branch and the latest names.
    func playersView(forHost: Bool) -> ServerMessage.PlayersView {
        let active = machine.activeSeatIds
        var byBranch: [UnitID: ServerMessage.BranchCount] = [:]
        for seatId in active.reversed() {
            guard let seat = machine.seats[seatId] else { continue }
            var count =
                byBranch[seat.branchId]
                ?? .init(id: seat.branchId, name: branchNames[seat.branchId] ?? "", joined: 0, recent: [])
            count.joined += 1
            if count.recent.count < 6 { count.recent.append(seat.name) }
            byBranch[seat.branchId] = count
        }
        let rows: [ServerMessage.PlayerRow] =
            forHost
            ? active.reversed().prefix(Self.hostListLimit).compactMap { seatId in
                guard let seat = machine.seats[seatId] else { return nil }
                return ServerMessage.PlayerRow(
                    seat: seatId, name: seat.name, branch: branchNames[seat.branchId] ?? "",
                    guest: seat.memberId == nil,
                    connected: seatConnection[seatId] != nil, answered: machine.current?.answers[seatId] != nil,
                    score: scoreboard.score(of: seatId) ?? 0)
            } : []
        return ServerMessage.PlayersView(players: rows, byBranch: byBranch.values.sorted { $0.id < $1.id })
    }

    static var hostListLimit: Int { 500 }
}
