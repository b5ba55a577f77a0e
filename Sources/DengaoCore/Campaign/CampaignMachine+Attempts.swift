/// A member's requests. Each settles the member's open attempt first (time may have run out since the last
/// request), is refused without changing anything more when it does not fit, and otherwise returns its changes.
extension CampaignMachine {
    /// Where a member stands today, for their campaign page.
    public struct Standing: Sendable {
        public let member: CampaignMember
        public let climb: Climb
        public let today: CampaignDay
        public let isOpen: Bool
        public let attemptsToday: Int
        public let attemptsLeft: Int
        /// The attempt under way, if one is.
        public let currentSeq: Int?
        /// The ladder the member climbs (or will, from their first attempt).
        public let ladder: Ladder
    }

    /// The member's standing after settling their open attempt.
    public mutating func standing(of memberId: MemberID, at now: Int64) -> Step<Standing> {
        let changes = settle(memberId, at: now)
        guard let member = roster[memberId] else { return Step(outcome: .failure(.notInCampaign), changes: changes) }
        let climb = climbs[memberId] ?? Climb(memberId: memberId)
        let today = calendar.day(of: now)
        let standing = Standing(
            member: member, climb: climb, today: today, isOpen: calendar.isOpen(at: now),
            attemptsToday: climb.attempts(on: today),
            attemptsLeft: climb.attemptsLeft(on: today, limit: settings.attemptsPerDay),
            currentSeq: open[memberId]?.started.ref.seq, ladder: ladder(of: memberId))
        return Step(outcome: .success(standing), changes: changes)
    }

    /// A graded answer and the attempt as it stands after it.
    public struct Answered: Sendable {
        public let attempt: MemberAttempt
        public let answer: AttemptAnswer
    }

    /// Starts the member's next level, or hands back the attempt already under way (a refresh, a retried
    /// request): an attempt is never drawn twice. The first question is served at once.
    public mutating func start(_ memberId: MemberID, at now: Int64) -> Step<MemberAttempt> {
        var changes = settle(memberId, at: now)
        func refuse(_ refusal: Refusal) -> Step<MemberAttempt> { Step(outcome: .failure(refusal), changes: changes) }
        guard let member = roster[memberId] else { return refuse(.notInCampaign) }
        if let current = open[memberId] { return Step(outcome: .success(current), changes: changes) }
        guard calendar.isOpen(at: now) else { return refuse(.closed) }
        var climb = climbs[memberId] ?? Climb(memberId: memberId)
        let level = climb.height + 1
        // The first attempt pins the ladder the member's categories choose now; later ones keep it.
        let ladder = ladder(of: memberId)
        guard level <= ladder.levels.count else { return refuse(.summit) }
        let day = calendar.day(of: now)
        guard climb.attemptsLeft(on: day, limit: settings.attemptsPerDay) > 0 else { return refuse(.noAttemptsLeft) }

        let seq = (attemptCount[memberId] ?? 0) + 1
        // The seed is stored with the attempt; it replays the draw and orders the options.
        var generator = SeededGenerator(seed: self.seed, UInt64(bitPattern: memberId.rawValue), UInt64(seq))
        let seed = generator.next()
        let levelSettings = ladder.levels[level - 1]
        guard
            let ids = try? QuestionDraw.draw(
                levelSettings.draw, from: pools[ladder.index][level - 1], seed: seed, excluding: seen[memberId] ?? [])
        else { return refuse(.poolTooSmall) }
        let started = StartedAttempt(
            ref: AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq), unitId: member.unitId, level: level,
            day: day,
            seed: seed, questionIds: ids, startedAt: now, ladder: ladder.index)
        // Every drawn id comes from the pools, whose questions `questionsById` holds.
        var attempt = Attempt(
            level: level, questions: ids.map { questionsById[$0]! }, settings: levelSettings, startedAt: now)
        changes.append(.started(started))
        // The first question is on screen as soon as the member pressed start.
        if let served = attempt.serve(at: now) { changes.append(.served(started.ref, index: served.index, at: now)) }

        let firstAttempt = climbs[memberId] == nil
        if climb.attempts(on: day) == 0 { participantsByDay[day, default: 0] += 1 }
        climb.started(on: day)
        climbs[memberId] = climb
        attemptCount[memberId] = seq
        ladderOf[memberId] = ladder.index
        seen[memberId, default: []].formUnion(ids)
        if firstAttempt {
            board.participated(unit: member.unitId)
            leaderboard.update(climb, unit: member.unitId)
        }
        boardRevision += 1
        let opened = MemberAttempt(started: started, attempt: attempt)
        open[memberId] = opened
        return Step(outcome: .success(opened), changes: changes)
    }

    /// The attempt `seq`: the one under way (its next question served if none is on show, unless `serve` is
    /// false — a page showing the key of a question whose time ran out must not start the next one's clock), or
    /// the member's latest finished one with its review.
    public mutating func attempt(_ memberId: MemberID, seq: Int, serve: Bool = true, at now: Int64) -> Step<
        MemberAttempt
    > {
        var changes = settle(memberId, at: now)
        if var entry = open[memberId], entry.started.ref.seq == seq {
            if serve, entry.attempt.servedAt == nil, let served = entry.attempt.serve(at: now) {
                changes.append(.served(entry.started.ref, index: served.index, at: now))
                open[memberId] = entry
            }
            return Step(outcome: .success(entry), changes: changes)
        }
        if let finished = lastFinished[memberId], finished.started.ref.seq == seq {
            return Step(outcome: .success(finished), changes: changes)
        }
        return Step(outcome: .failure(.noAttempt), changes: changes)
    }

    /// An answer as the member's screen gave it (positions in their own option order, true/false, or text) to
    /// question `index` of attempt `seq`: graded, and the attempt as it stands after it.
    public mutating func answer(
        _ memberId: MemberID, seq: Int, index: Int, picks: [Int]?, truth: Bool?, text: String?, at now: Int64
    ) -> Step<Answered> {
        var changes = settle(memberId, at: now)
        func refuse(_ refusal: Refusal) -> Step<Answered> {
            Step(outcome: .failure(refusal), changes: changes)
        }
        guard var entry = open[memberId], entry.started.ref.seq == seq else {
            if let finished = lastFinished[memberId], finished.started.ref.seq == seq {
                let answered =
                    finished.attempt.answers.indices.contains(index) && finished.attempt.answers[index].answer != nil
                return refuse(answered ? .alreadyAnswered : .attemptOver)
            }
            return refuse(isPast(seq, of: memberId) ? .attemptOver : .noAttempt)
        }
        guard entry.attempt.questions.indices.contains(index) else { return refuse(.notThisQuestion) }
        if index < entry.attempt.answers.count {
            return refuse(entry.attempt.answers[index].answer == nil ? .late : .alreadyAnswered)
        }
        let question = entry.attempt.questions[index]
        guard let answer = entry.order(of: index).canonicalAnswer(to: question, picks: picks, truth: truth, text: text)
        else {
            return refuse(.malformed)
        }
        let recorded: AttemptAnswer
        do {
            recorded = try entry.attempt.answer(index, answer, at: now)
        } catch {
            return refuse(Refusal(error))
        }
        changes.append(
            .answered(entry.started.ref, recorded, status: entry.attempt.status, endedAt: entry.attempt.endedAt))
        if entry.attempt.status.isOver {
            close(entry)
        } else {
            open[memberId] = entry
        }
        return Step(outcome: .success(Answered(attempt: entry, answer: recorded)), changes: changes)
    }

    /// Gives up the attempt; it still counts against the day.
    public mutating func abandon(_ memberId: MemberID, seq: Int, at now: Int64) -> Step<MemberAttempt> {
        var changes = settle(memberId, at: now)
        guard var entry = open[memberId], entry.started.ref.seq == seq else {
            return Step(outcome: .failure(isPast(seq, of: memberId) ? .attemptOver : .noAttempt), changes: changes)
        }
        do {
            try entry.attempt.abandon(at: now)
        } catch {
            return Step(outcome: .failure(Refusal(error)), changes: changes)
        }
        changes.append(.ended(entry.started.ref, status: .abandoned, at: now))
        close(entry)
        return Step(outcome: .success(entry), changes: changes)
    }

    /// Whether `seq` names an attempt the member made before (over by now) rather than none at all.
    private func isPast(_ seq: Int, of memberId: MemberID) -> Bool { seq <= (attemptCount[memberId] ?? 0) && seq > 0 }
}
