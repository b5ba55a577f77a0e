import DengaoCore
import DengaoStorage
import NIOCore

extension ContestRoom {
    /// Tells whom what after the machine changed.
    func react(_ changes: [ContestChange], at now: ContestTime) {
        for change in changes {
            switch change {
            case .phase:
                lastTickSecond = nil
                broadcastState(at: now)
                dirty.insert(.progress)
                if machine.phase == .leaderboard || machine.phase == .finished { dirty.insert(.leaderboard) }
                if machine.phase != .lobby { pendingStatus = machine.phase == .finished ? .finished : .live }
            case .progress:
                dirty.insert(.progress)
            case .seats:
                dirty.insert(.players)
                dirty.insert(.progress)
            case .buzzer:
                if let view = buzzerView(at: now) { broadcast(FrameEncoder.encode(.buzzer(view))) }
                dirty.insert(.players)
            case .revealed(let reveal):
                for result in reveal.results { scoreboard.add(points: result.points, to: result.seat) }
                pushReveal(reveal)
                dirty.insert(.leaderboard)
                dirty.insert(.players)
            }
        }
    }

    /// Pushes what was marked dirty; at most every `flushInterval`, however fast answers arrive.
    func flush(at now: ContestTime) {
        lastFlush = now
        let pending = dirty
        dirty = []
        if pending.contains(.progress) {
            broadcast(FrameEncoder.encode(.progress(progress())), to: { $0 == .host || $0 == .display })
        }
        if pending.contains(.players) {
            broadcast(FrameEncoder.encode(.players(playersView(forHost: true))), to: { $0 == .host })
            broadcast(FrameEncoder.encode(.players(playersView(forHost: false))), to: { $0 == .display })
        }
        if pending.contains(.leaderboard) { pushLeaderboard() }
    }

    // MARK: - State

    func broadcastState(at now: ContestTime) {
        var frames: [[Int]: ByteBuffer] = [:]
        let count = machine.currentQuestion?.question.options.count ?? 0
        for (id, connection) in connections {
            let order: OptionOrder
            if case .player(let seat) = connection.role, let number = machine.currentQuestion?.number {
                order = optionOrder(seat: seat, number: number, count: count)
            } else {
                order = OptionOrder(identityOf: count)
            }
            let frame: ByteBuffer
            if let cached = frames[order.shown] {
                frame = cached
            } else {
                frame = FrameEncoder.encode(.state(stateView(order: order, you: nil, at: now)))
                frames[order.shown] = frame
            }
            if !connection.outbox.send(frame) { detach(id) }
        }
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
            options: shown && question.question.type.hasOptions ? order.shown.map { question.question.options[$0] } : nil,
            timeLimitMs: (round.kind == .buzz ? round.answerSeconds : round.timeLimitSeconds) * 1000,
            points: round.points, wagers: round.kind == .risk ? round.wagers : nil)
    }

    func buzzerView(at now: ContestTime) -> ServerMessage.BuzzerView? {
        guard let play = machine.current, let question = machine.currentQuestion, machine.round(of: question).kind == .buzz,
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
        var you = ServerMessage.YouView(seat: seat, score: scoreboard.score(of: seat) ?? machine.scores[seat] ?? 0, answered: false)
        if let play = machine.current, let question = machine.currentQuestion {
            if let record = play.answers[seat] {
                you.answered = true
                switch record.answer {
                case .choices(let indices):
                    you.picks = optionOrder(seat: seat, number: question.number, count: question.question.options.count).displayed(indices)
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

    func pushReveal(_ reveal: Reveal) {
        guard let question = machine.questions.first(where: { $0.number == reveal.number })?.question else { return }
        let results = Dictionary(reveal.results.map { ($0.seat, $0) }, uniquingKeysWith: { first, _ in first })
        var shared: [[Int]: ByteBuffer] = [:]
        for (id, connection) in connections {
            var order = OptionOrder(identityOf: question.options.count)
            var seat: Int?
            if case .player(let playerSeat) = connection.role {
                seat = playerSeat
                order = optionOrder(seat: playerSeat, number: reveal.number, count: question.options.count)
            }
            let frame = shared[order.shown] ?? FrameEncoder.encode(.reveal(revealView(reveal, question: question, order: order)))
            shared[order.shown] = frame
            let personal = seat.map { seat in
                FrameEncoder.splice(
                    frame, field: "you",
                    value: ServerMessage.YourResult(
                        correctness: results[seat]?.correctness, points: results[seat]?.points ?? 0,
                        score: scoreboard.score(of: seat) ?? 0))
            }
            if !connection.outbox.send(personal ?? frame) { detach(id) }
        }
    }

    func revealView(_ reveal: Reveal, question: Question, order: OptionOrder) -> ServerMessage.RevealView {
        var view = ServerMessage.RevealView(
            number: reveal.number, distribution: reveal.distribution, explanation: question.explanation)
        switch reveal.key {
        case .choices(let indices):
            view.key = order.displayed(indices)
            view.distribution = order.shown.map { reveal.distribution[$0] }
            view.options = order.shown.map { question.options[$0] }
        case .truth(let truth): view.truth = truth
        case .texts(let texts): view.texts = texts
        }
        return view
    }

    func pushLeaderboard() {
        let top = scoreboard.top(Self.leaderboardSize).map { standing in
            let seat = machine.seats[standing.seat]
            return ServerMessage.Standing(
                rank: standing.rank, seat: standing.seat, name: seat?.name ?? "", branch: seat.map { branchNames[$0.branchId] ?? "" } ?? "",
                score: standing.score, change: previousRanks[standing.seat].map { $0 - standing.rank })
        }
        let branchBoard = scoreboard.branches().map { standing in
            ServerMessage.BranchStanding(
                rank: standing.rank, id: standing.branchId, name: branchNames[standing.branchId] ?? "", score: standing.score,
                players: standing.players, change: previousBranchRanks[standing.branchId].map { $0 - standing.rank })
        }
        let shared = FrameEncoder.encode(
            .leaderboard(.init(top: top, branches: branchBoard, you: nil, players: scoreboard.playerCount)))
        var ranks: [Int: Int] = [:]
        for (id, connection) in connections {
            guard case .player(let seat) = connection.role, let rank = scoreboard.rank(of: seat), let info = machine.seats[seat] else {
                if !connection.outbox.send(shared) { detach(id) }
                continue
            }
            ranks[seat] = rank
            let you = ServerMessage.Standing(
                rank: rank, seat: seat, name: info.name, branch: branchNames[info.branchId] ?? "",
                score: scoreboard.score(of: seat) ?? 0, change: previousRanks[seat].map { $0 - rank })
            if !connection.outbox.send(FrameEncoder.splice(shared, field: "you", value: you)) { detach(id) }
        }
        for standing in top { ranks[standing.seat] = standing.rank }
        previousRanks.merge(ranks) { _, new in new }
        previousBranchRanks = Dictionary(branchBoard.map { ($0.id, $0.rank) }, uniquingKeysWith: { first, _ in first })
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
        var byBranch: [Int64: ServerMessage.BranchCount] = [:]
        for seatId in active.reversed() {
            guard let seat = machine.seats[seatId] else { continue }
            var count = byBranch[seat.branchId] ?? .init(id: seat.branchId, name: branchNames[seat.branchId] ?? "", joined: 0, recent: [])
            count.joined += 1
            if count.recent.count < 6 { count.recent.append(seat.name) }
            byBranch[seat.branchId] = count
        }
        let rows: [ServerMessage.PlayerRow] = forHost
            ? active.reversed().prefix(Self.hostListLimit).compactMap { seatId in
                guard let seat = machine.seats[seatId] else { return nil }
                return ServerMessage.PlayerRow(
                    seat: seatId, name: seat.name, branch: branchNames[seat.branchId] ?? "", guest: seat.memberId == nil,
                    connected: seatConnection[seatId] != nil, answered: machine.current?.answers[seatId] != nil,
                    score: scoreboard.score(of: seatId) ?? 0)
            } : []
        return ServerMessage.PlayersView(players: rows, byBranch: byBranch.values.sorted { $0.id < $1.id })
    }

    static var hostListLimit: Int { 500 }
}
