// The inputs change the current play through a local copy (`guard var play = current`); each clears `current`
// before changing `play`, so the play's dictionaries have one owner and grow in place. Without that, every
// answer copied every earlier answer, and a surge of n answers cost O(n²) in copying alone.
extension ContestMachine {
    /// A player's answer to question `number`, in canonical terms (the caller has mapped the player's shuffled
    /// positions back through their `OptionOrder`).
    public mutating func answer(seat: Int, number: Int, _ answer: PlayerAnswer, at now: ContestTime)
        -> (outcome: AnswerOutcome, changes: [ContestChange])
    {
        guard seats[seat] != nil, !kicked.contains(seat) else { return (.rejected(.notSeated), []) }
        if phase == .finished { return (.late, []) }
        var changes = advance(to: now)
        guard var play = current, questions[play.index].number == number else {
            // An answer to a question already gone by is late; one to a question not yet asked is nonsense.
            let late = current.map { number < questions[$0.index].number && number >= 1 } ?? false
            return (late ? .late : .rejected(.notThisQuestion), changes)
        }
        if let first = play.answers[seat] { return (.duplicate(first), changes) }
        switch phase {
        case .open: break
        case .closed, .revealed, .leaderboard: return (.late, changes)
        default: return (.rejected(.notOpen), changes)
        }
        if isPaused { return (.rejected(.paused), changes) }
        let question = questions[play.index]
        guard question.question.accepts(answer) else { return (.rejected(.malformedAnswer), changes) }
        let round = self.round(of: question)
        let elapsed = play.activeElapsed(at: now)

        switch round.kind {
        case .everyone, .risk, .poll:
            let limit = round.timeLimitMilliseconds
            let record = AnswerRecord(
                seat: seat, number: number, answer: answer, receivedAt: now, elapsedMilliseconds: min(elapsed, limit))
            current = nil  // see the note at the top
            play.answers[seat] = record
            current = play
            changes.append(.progress)
            if everyoneDone(play) { changes += close() }
            return (.accepted(record), changes)
        case .buzz:
            guard play.buzz.holder == seat, let answerBy = play.buzz.holderDeadline else {
                return (.rejected(.notYourTurn), changes)
            }
            let record = AnswerRecord(
                seat: seat, number: number, answer: answer, receivedAt: now, elapsedMilliseconds: min(elapsed, answerBy)
            )
            current = nil  // see the note at the top
            play.answers[seat] = record
            let correctness = question.question.grade(answer)
            let delta = Scoring.allOrNothing(
                correctness, gain: round.points, loss: round.wrongAnswerPenalty, multipleChoice: settings.multipleChoice
            )
            if delta > 0 {
                play.buzz.points[seat] = play.buzz.points[seat, default: 0].saturatingAdding(delta)
                play.buzz.holder = nil
                play.buzz.holderDeadline = nil
                current = play
                return (.accepted(record), changes + [.buzzer] + close())
            }
            play.buzz.resolveWrong(
                seat, penalty: delta.saturatingNegated, at: elapsed, window: round.timeLimitMilliseconds)
            play.followBuzzer()
            current = play
            changes.append(.buzzer)
            if everyoneDone(play) { changes += close() }
            return (.accepted(record), changes)
        }
    }

    /// 抢答: a seat presses the buzzer on question `number`.
    public mutating func buzz(seat: Int, number: Int, at now: ContestTime) -> (
        outcome: BuzzOutcome, changes: [ContestChange]
    ) {
        guard seats[seat] != nil, !kicked.contains(seat) else { return (.rejected(.notSeated), []) }
        if phase == .finished { return (.rejected(.finished), []) }
        var changes = advance(to: now)
        guard var play = current, questions[play.index].number == number else {
            return (.rejected(.notThisQuestion), changes)
        }
        let round = self.round(of: questions[play.index])
        guard round.kind == .buzz, phase == .open else { return (.rejected(.notOpen), changes) }
        if isPaused { return (.rejected(.paused), changes) }
        guard !play.buzz.tried.contains(seat) else { return (.rejected(.alreadyTried), changes) }
        let elapsed = play.activeElapsed(at: now)
        if elapsed < play.buzz.opensAt {
            // 抢跑: pressing before the buzzer opens is penalized and costs the seat its turn on this question.
            current = nil  // see the note at the top
            play.buzz.tried.insert(seat)
            play.buzz.points[seat] = play.buzz.points[seat, default: 0].saturatingSubtracting(round.earlyBuzzPenalty)
            current = play
            changes.append(.buzzer)
            if everyoneDone(play) { changes += close() }
            return (.early(penalty: round.earlyBuzzPenalty), changes)
        }
        guard play.buzz.holder == nil else { return (.rejected(.buzzerTaken), changes) }
        let answerBy = elapsed.saturatingAdding(round.answerMilliseconds)
        current = nil  // see the note at the top
        play.buzz.holder = seat
        play.buzz.holderDeadline = answerBy
        play.buzz.tried.insert(seat)
        play.followBuzzer()
        current = play
        return (.won(answerBy: answerBy), changes + [.buzzer])
    }

    /// 风险: a seat chooses (or changes) its stake while the question is in its wagering step.
    public mutating func wager(seat: Int, number: Int, amount: Int, at now: ContestTime)
        -> (outcome: WagerOutcome, changes: [ContestChange])
    {
        guard seats[seat] != nil, !kicked.contains(seat) else { return (.rejected(.notSeated), []) }
        if phase == .finished { return (.rejected(.finished), []) }
        let changes = advance(to: now)
        guard var play = current, questions[play.index].number == number else {
            return (.rejected(.notThisQuestion), changes)
        }
        guard phase == .wagering else { return (.rejected(.notWagering), changes) }
        guard round(of: questions[play.index]).wagers.contains(amount) else {
            return (.rejected(.wagerNotAllowed), changes)
        }
        current = nil  // see the note at the top
        play.wagers[seat] = amount
        current = play
        return (.accepted(amount: amount), changes + [.progress])
    }
}
