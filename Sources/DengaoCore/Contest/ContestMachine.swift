/// The rules of a live contest as a value: inputs go in with the time they happened, changes come out. No clock,
/// no I/O, no concurrency — the contest's actor owns one, the tests drive one by hand, and a restart replays the
/// journal of inputs through a fresh one.
public struct ContestMachine: Sendable {
    public let settings: ContestSettings
    public let questions: [ContestQuestion]
    public private(set) var phase: ContestPhase = .lobby
    public private(set) var isPaused = false
    /// Seats in the order they joined, kicked ones included (their history stays).
    public private(set) var seats: [Int: Seat] = [:]
    public private(set) var kicked: Set<Int> = []
    public private(set) var scores: [Int: Int] = [:]
    /// Consecutive correct 必答 answers, for the streak bonus.
    public private(set) var streaks: [Int: Int] = [:]
    /// The question in play, from its wagering or opening until the next one.
    public internal(set) var current: QuestionPlay?

    public init(settings: ContestSettings, questions: [ContestQuestion]) {
        self.settings = settings
        self.questions = questions
    }

    public enum CommandError: Error, Equatable, Sendable {
        case notNow(HostCommand, ContestPhase)
        case noMoreQuestions
        case finished
    }

    // MARK: - Queries

    public var currentQuestion: ContestQuestion? { current.map { questions[$0.index] } }
    public var activeSeatIds: [Int] { seats.keys.filter { !kicked.contains($0) }.sorted() }
    public func round(of question: ContestQuestion) -> RoundSettings { settings.rounds[question.round] }
    public var hasMoreQuestions: Bool { (current?.index ?? -1) + 1 < questions.count }

    /// Milliseconds of answer time left on the open question (or the buzzer, or the buzzer holder's answer).
    public func remainingMilliseconds(at now: ContestTime) -> Int? {
        guard phase == .open, let play = current, let limit = play.activeDeadline else { return nil }
        return max(0, limit - play.activeElapsed(at: now))
    }

    /// When `advance(to:)` next has something to do, for the owner's timer.
    public var nextDeadline: ContestTime? {
        guard phase == .open, !isPaused, let play = current, let deadline = play.activeDeadline,
            let openedAt = play.openedAt
        else { return nil }
        return openedAt.saturatingAdding(play.pausedMilliseconds)
            .saturatingAdding(Int64(deadline.saturatingAdding(settings.graceMilliseconds)))
    }

    // MARK: - Inputs

    /// Applies one journaled input; how a restart rebuilds the machine.
    @discardableResult
    public mutating func apply(_ input: ContestInput, at now: ContestTime) -> [ContestChange] {
        switch input {
        case .join(let seat): return join(seat, at: now).changes
        case .kick(let seat): return kick(seat, at: now)
        case .command(let command): return (try? self.command(command, at: now)) ?? []
        case .answer(let seat, let number, let answer):
            return self.answer(seat: seat, number: number, answer, at: now).changes
        case .buzz(let seat, let number): return buzz(seat: seat, number: number, at: now).changes
        case .wager(let seat, let number, let amount):
            return wager(seat: seat, number: number, amount: amount, at: now).changes
        case .clock: return advance(to: now)
        }
    }

    /// Lets time pass: closes an answer window whose deadline (plus grace) has gone by, times out a buzzer holder.
    /// Settles everything due by `now`, so a second call at the same moment changes nothing: the owner can settle
    /// time first (and journal it as `.clock`) and know the input that follows starts from a settled machine.
    public mutating func advance(to now: ContestTime) -> [ContestChange] {
        var changes: [ContestChange] = []
        // Each step either closes the window or clears a buzzer holder, so two steps settle any moment; the bound
        // only guards against a future rule that would not.
        for _ in 0..<4 {
            let step = advanceOneStep(to: now)
            if step.isEmpty { break }
            changes += step
        }
        return changes
    }

    private mutating func advanceOneStep(to now: ContestTime) -> [ContestChange] {
        guard phase == .open, !isPaused, var play = current, let deadline = play.activeDeadline else { return [] }
        let elapsed = play.activeElapsed(at: now)
        guard elapsed >= deadline.saturatingAdding(settings.graceMilliseconds) else { return [] }
        let round = settings.rounds[questions[play.index].round]
        if round.kind == .buzz, let holder = play.buzz.holder {
            // The holder let their answer time run out: that is a wrong answer, and the buzzer reopens.
            play.buzz.resolveWrong(
                holder, penalty: round.wrongAnswerPenalty, at: elapsed, window: round.timeLimitMilliseconds)
            play.followBuzzer()
            current = play
            if everyoneDone(play) { return close() + [.buzzer] }
            return [.buzzer]
        }
        return close()
    }

    public mutating func command(_ command: HostCommand, at now: ContestTime) throws(CommandError) -> [ContestChange] {
        if phase == .finished { throw .finished }
        var changes = advance(to: now)
        switch command {
        case .next:
            guard [.lobby, .revealed, .leaderboard].contains(phase) else {
                if phase == .wagering { return changes + open(at: now) }
                throw .notNow(command, phase)
            }
            let index = (current?.index ?? -1) + 1
            guard index < questions.count else { throw .noMoreQuestions }
            current = QuestionPlay(index: index)
            if round(of: questions[index]).kind == .risk {
                phase = .wagering
                return changes + [.phase]
            }
            return changes + open(at: now)
        case .close:
            guard phase == .open else { throw .notNow(command, phase) }
            return changes + close()
        case .reveal:
            if phase == .open { changes += close() }
            guard phase == .closed else { throw .notNow(command, phase) }
            return changes + reveal()
        case .leaderboard:
            guard phase == .revealed else { throw .notNow(command, phase) }
            phase = .leaderboard
            return changes + [.phase]
        case .pause:
            guard !isPaused else { return changes }
            isPaused = true
            current?.pausedAt = now
            return changes + [.phase]
        case .resume:
            guard isPaused else { return changes }
            isPaused = false
            if let pausedAt = current?.pausedAt, let paused = current?.pausedMilliseconds, current?.openedAt != nil {
                current?.pausedMilliseconds = paused.saturatingAdding(now.saturatingSubtracting(pausedAt))
            }
            current?.pausedAt = nil
            return changes + [.phase]
        case .finish:
            // Every acknowledged answer counts, even on a question the host did not get to reveal.
            if phase == .open || phase == .wagering { changes += close() }
            if phase == .closed { changes += reveal() }
            phase = .finished
            isPaused = false
            return changes + [.phase]
        }
    }

    public mutating func join(_ seat: Seat, at now: ContestTime) -> (
        outcome: ContestRejection?, changes: [ContestChange]
    ) {
        if phase == .finished { return (.finished, []) }
        if settings.mode == .team,
            seats.values.contains(where: { $0.branchId == seat.branchId && !kicked.contains($0.id) })
        {
            return (.branchTaken, [])
        }
        seats[seat.id] = seat
        scores[seat.id] = scores[seat.id] ?? 0
        return (nil, advance(to: now) + [.seats])
    }

    public mutating func kick(_ seat: Int, at now: ContestTime) -> [ContestChange] {
        guard phase != .finished, seats[seat] != nil, !kicked.contains(seat) else { return [] }
        kicked.insert(seat)
        var changes = advance(to: now) + [.seats]
        // A kicked seat no longer holds anyone up.
        if phase == .open, let play = current, everyoneDone(play) { changes += close() }
        return changes
    }

    // MARK: - Transitions

    private mutating func open(at now: ContestTime) -> [ContestChange] {
        guard var play = current else { return [] }
        let round = self.round(of: questions[play.index])
        play.openedAt = now
        play.pausedAt = isPaused ? now : nil
        switch round.kind {
        case .everyone, .risk, .poll:
            play.activeDeadline = round.timeLimitMilliseconds
        case .buzz:
            play.buzz.opensAt = round.readMilliseconds
            play.buzz.closesAt = play.buzz.opensAt.saturatingAdding(round.timeLimitMilliseconds)
            play.activeDeadline = play.buzz.closesAt
        }
        current = play
        phase = .open
        return [.phase]
    }

    mutating func close() -> [ContestChange] {
        guard phase == .open || phase == .wagering else { return [] }
        phase = .closed
        return [.phase]
    }

    private mutating func reveal() -> [ContestChange] {
        guard let play = current else { return [] }
        let question = questions[play.index]
        let round = self.round(of: question)
        var results: [SeatResult] = []
        for seat in activeSeatIds.sorted() {
            let result = score(seat, in: play, question: question, round: round)
            scores[seat] = scores[seat, default: 0].saturatingAdding(result.points)
            results.append(result)
        }
        phase = .revealed
        let reveal = Reveal(
            number: question.number, key: question.question.answer,
            distribution: Self.distribution(of: play.answers.values.map(\.answer), for: question.question),
            results: results)
        return [.phase, .revealed(reveal)]
    }

    private mutating func score(_ seat: Int, in play: QuestionPlay, question: ContestQuestion, round: RoundSettings)
        -> SeatResult
    {
        let grading = settings.multipleChoice
        switch round.kind {
        case .everyone:
            guard let record = play.answers[seat] else {
                streaks[seat] = 0
                return SeatResult(seat: seat, correctness: nil, points: 0)
            }
            let correctness = question.question.grade(record.answer)
            var points = Scoring.everyone(
                correctness, points: round.points, elapsedMilliseconds: record.elapsedMilliseconds,
                limitMilliseconds: round.timeLimitMilliseconds, multipleChoice: grading)
            if correctness == .correct {
                let bonus = Scoring.streakBonus(bonus: round.streakBonus, previousStreak: streaks[seat, default: 0])
                points = points.saturatingAdding(bonus)
                streaks[seat, default: 0] += 1
            } else {
                streaks[seat] = 0
            }
            return SeatResult(seat: seat, correctness: correctness, points: points)
        case .risk:
            // Staking is compulsory: no choice means the smallest stake, no answer means losing it.
            let stake = play.wagers[seat] ?? round.wagers.min() ?? 0
            guard let record = play.answers[seat] else {
                return SeatResult(seat: seat, correctness: nil, points: stake.saturatingNegated)
            }
            let correctness = question.question.grade(record.answer)
            let points = Scoring.allOrNothing(correctness, gain: stake, loss: stake, multipleChoice: grading)
            return SeatResult(seat: seat, correctness: correctness, points: points)
        case .buzz:
            let correctness = play.answers[seat].map { question.question.grade($0.answer) }
            return SeatResult(seat: seat, correctness: correctness, points: play.buzz.points[seat, default: 0])
        case .poll:
            // A poll has no right answer: nobody's score or streak moves.
            return SeatResult(seat: seat, correctness: nil, points: 0)
        }
    }

    static func distribution(of answers: [PlayerAnswer], for question: Question) -> [Int] {
        switch question.type {
        case .single, .multiple:
            var counts = Array(repeating: 0, count: question.options.count)
            for case .choices(let picked) in answers {
                for index in picked where counts.indices.contains(index) { counts[index] += 1 }
            }
            return counts
        case .trueFalse:
            var counts = [0, 0]
            for case .truth(let value) in answers { counts[value ? 0 : 1] += 1 }
            return counts
        case .fill:
            let correct = answers.filter { question.grade($0) == .correct }.count
            return [correct, answers.count - correct]
        }
    }

    public var activeSeatCount: Int { seats.count - kicked.count }

    /// Runs on every answer, so it counts rather than walks the seats: ten thousand answers must not each cost
    /// ten thousand steps. Kicked seats (few) are subtracted from what they had done before the kick.
    func everyoneDone(_ play: QuestionPlay) -> Bool {
        let active = activeSeatCount
        guard active > 0 else { return false }
        if round(of: questions[play.index]).kind == .buzz {
            return play.buzz.holder == nil
                && play.buzz.tried.count - kicked.filter(play.buzz.tried.contains).count >= active
        }
        return play.answers.count - kicked.filter { play.answers[$0] != nil }.count >= active
    }
}
