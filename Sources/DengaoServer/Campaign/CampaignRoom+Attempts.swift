import DengaoCore

/// A member's requests. Each settles the member's open attempt first (time may have run out since the last
/// request), is refused without changing anything when it does not fit, and otherwise journals its change.
extension CampaignRoom {
    func me(_ memberId: Int64) throws(CampaignRefusal) -> CampaignView.Me {
        let now = now()
        settle(memberId, at: now)
        guard let entry = roster[memberId] else { throw .notInCampaign }
        let climb = climbs[memberId] ?? Climb(memberId: memberId)
        let today = calendar.day(of: now)
        let levels = levelInfos()
        let inUnit = leaderboard.rankInUnit(of: memberId)
        let branchId = branchShown(for: entry.unitId)
        return CampaignView.Me(
            campaign: info(levels), today: today.description, open: calendar.isOpen(at: now), height: climb.height,
            levelCount: levels.count, nextLevel: levels.indices.contains(climb.height) ? levels[climb.height] : nil,
            attemptsToday: climb.attempts(on: today),
            attemptsLeft: climb.attemptsLeft(on: today, limit: summary.settings.attemptsPerDay), answered: climb.answered,
            correct: climb.correct, rank: leaderboard.rank(of: memberId), participants: leaderboard.count,
            rankInBranch: inUnit?.rank, branchParticipants: inUnit?.of,
            branch: branchId.flatMap { id in branchStandings().first { $0.id == id } }, branchCount: branches.count,
            currentAttempt: open[memberId]?.started.ref.seq)
    }

    /// Starts the member's next level, or hands back the attempt already under way (a refresh, a retried
    /// request): an attempt is never drawn twice.
    func start(_ memberId: Int64) throws(CampaignRefusal) -> CampaignView.AttemptState {
        let now = now()
        settle(memberId, at: now)
        guard let entry = roster[memberId] else { throw .notInCampaign }
        if let current = open[memberId] { return state(of: current, at: now) }
        guard calendar.isOpen(at: now) else { throw .closed }
        var climb = climbs[memberId] ?? Climb(memberId: memberId)
        let level = climb.height + 1
        guard level <= summary.settings.levels.count else { throw .summit }
        let day = calendar.day(of: now)
        guard climb.attemptsLeft(on: day, limit: summary.settings.attemptsPerDay) > 0 else { throw .noAttemptsLeft }

        let seq = (attemptCount[memberId] ?? 0) + 1
        // The seed is stored with the attempt; it replays the draw and orders the options.
        var generator = SeededGenerator(seed: summary.seed, UInt64(bitPattern: memberId), UInt64(seq))
        let seed = generator.next()
        let settings = summary.settings.levels[level - 1]
        let ids: [Int64]
        do {
            ids = try QuestionDraw.draw(settings.draw, from: pools[level - 1], seed: seed, excluding: seen[memberId] ?? [])
        } catch {
            throw .poolTooSmall
        }
        let started = StartedAttempt(
            ref: AttemptRef(campaignId: summary.id, memberId: memberId, seq: seq), unitId: entry.unitId, level: level, day: day,
            seed: seed, questionIds: ids, startedAt: now)
        var attempt = Attempt(level: level, questions: ids.map { questionsById[$0]! }, settings: settings, startedAt: now)
        record(.started(started))
        // The first question is on screen as soon as the member pressed start.
        if let served = attempt.serve(at: now) { record(.served(started.ref, index: served.index, at: now)) }

        let firstAttempt = climbs[memberId] == nil
        if climb.attempts(on: day) == 0 { participantsByDay[day, default: 0] += 1 }
        climb.started(on: day)
        climbs[memberId] = climb
        attemptCount[memberId] = seq
        seen[memberId, default: []].formUnion(ids)
        if firstAttempt {
            board.participated(unit: entry.unitId)
            leaderboard.update(climb, unit: entry.unitId)
        }
        boardChanged = true
        let opened = OpenAttempt(started: started, attempt: attempt)
        open[memberId] = opened
        return state(of: opened, at: now)
    }

    /// The attempt `seq`: the one under way (its next question served if none is on show, unless `serve` is
    /// false — a page showing the key of a question whose time ran out must not start the next one's clock), or
    /// the member's latest finished one with its review.
    func attempt(_ memberId: Int64, seq: Int, serve: Bool = true) throws(CampaignRefusal) -> CampaignView.AttemptState {
        let now = now()
        settle(memberId, at: now)
        if var entry = open[memberId], entry.started.ref.seq == seq {
            if serve, entry.attempt.servedAt == nil, let served = entry.attempt.serve(at: now) {
                record(.served(entry.started.ref, index: served.index, at: now))
                open[memberId] = entry
            }
            return state(of: entry, at: now)
        }
        if let finished = lastFinished[memberId], finished.started.ref.seq == seq { return state(of: finished, at: now) }
        throw .noAttempt
    }

    func answer(
        _ memberId: Int64, seq: Int, index: Int, picks: [Int]?, truth: Bool?, text: String?
    ) throws(CampaignRefusal) -> CampaignView.AnswerReply {
        let now = now()
        settle(memberId, at: now)
        guard var entry = open[memberId], entry.started.ref.seq == seq else {
            if let finished = lastFinished[memberId], finished.started.ref.seq == seq {
                throw finished.attempt.answers.indices.contains(index) && finished.attempt.answers[index].answer != nil
                    ? .alreadyAnswered : .attemptOver
            }
            throw seq <= (attemptCount[memberId] ?? 0) && seq > 0 ? .attemptOver : .noAttempt
        }
        guard entry.attempt.questions.indices.contains(index) else { throw .notThisQuestion }
        if index < entry.attempt.answers.count {
            throw entry.attempt.answers[index].answer == nil ? .late : .alreadyAnswered
        }
        let question = entry.attempt.questions[index]
        guard let answer = order(entry, index).canonicalAnswer(to: question, picks: picks, truth: truth, text: text) else {
            throw .malformed
        }
        let recorded: AttemptAnswer
        do {
            recorded = try entry.attempt.answer(index, answer, at: now)
        } catch {
            throw CampaignRefusal(error)
        }
        record(.answered(entry.started.ref, recorded, status: entry.attempt.status, endedAt: entry.attempt.endedAt))
        if entry.attempt.status.isOver {
            close(entry)
        } else {
            open[memberId] = entry
        }
        return CampaignView.AnswerReply(graded: graded(entry, recorded), attempt: state(of: entry, at: now))
    }

    /// Gives up the attempt; it still counts against the day.
    func abandon(_ memberId: Int64, seq: Int) throws(CampaignRefusal) -> CampaignView.AttemptState {
        let now = now()
        settle(memberId, at: now)
        guard var entry = open[memberId], entry.started.ref.seq == seq else {
            throw seq <= (attemptCount[memberId] ?? 0) && seq > 0 ? .attemptOver : .noAttempt
        }
        do {
            try entry.attempt.abandon(at: now)
        } catch {
            throw CampaignRefusal(error)
        }
        record(.ended(entry.started.ref, status: .abandoned, at: now))
        close(entry)
        return state(of: entry, at: now)
    }

    // MARK: - Views

    func state(of entry: OpenAttempt, at now: Int64) -> CampaignView.AttemptState {
        let attempt = entry.attempt
        let settings = summary.settings.levels[attempt.level - 1]
        var question: CampaignView.QuestionShown?
        if attempt.status == .answering, attempt.servedAt != nil, let deadline = attempt.questionDeadline {
            let index = attempt.currentIndex
            let shown = attempt.questions[index]
            let limit: Int? = if case .perQuestion = attempt.timeLimit { attempt.timeLimit.milliseconds } else { nil }
            question = CampaignView.QuestionShown(
                index: index, type: shown.type, stem: shown.stem, options: order(entry, index).shown.map { shown.options[$0] },
                timeLimitMs: limit, remainingMs: max(0, deadline - now))
        }
        return CampaignView.AttemptState(
            seq: entry.started.ref.seq, level: attempt.level, levelTitle: settings.title, questionCount: attempt.questions.count,
            correctNeeded: attempt.correctNeeded, status: attempt.status, answered: attempt.answers.count,
            correct: attempt.correctCount, remainingMs: max(0, attempt.attemptDeadline - now), question: question,
            graded: attempt.answers.map { graded(entry, $0) },
            height: attempt.status.isOver ? climbs[entry.started.ref.memberId]?.height ?? 0 : nil)
    }

    func graded(_ entry: OpenAttempt, _ answer: AttemptAnswer) -> CampaignView.Graded {
        let question = entry.attempt.questions[answer.index]
        let order = order(entry, answer.index)
        var picks: [Int]?, truth: Bool?, text: String?
        switch answer.answer {
        case .choices(let chosen)?: picks = order.displayed(chosen)
        case .truth(let value)?: truth = value
        case .text(let value)?: text = value
        case nil: break
        }
        var keyPicks: [Int]?, keyTruth: Bool?, keyTexts: [String]?
        switch question.answer {
        case .choices(let key): keyPicks = order.displayed(key)
        case .truth(let value): keyTruth = value
        case .texts(let accepted): keyTexts = accepted
        }
        return CampaignView.Graded(
            index: answer.index, type: question.type, stem: question.stem, options: order.shown.map { question.options[$0] },
            correct: answer.correctness == .correct, picks: picks, truth: truth, text: text, keyPicks: keyPicks, keyTruth: keyTruth,
            keyTexts: keyTexts, explanation: question.explanation)
    }

    /// The member's option order for one question of one attempt, from the attempt's stored seed.
    func order(_ entry: OpenAttempt, _ index: Int) -> OptionOrder {
        OptionOrder(seed: entry.started.seed, player: 0, question: index, optionCount: entry.attempt.questions[index].options.count)
    }

    func levelInfos() -> [CampaignView.LevelInfo] {
        summary.settings.levels.enumerated().map { index, level in
            let kind: String, seconds: Int
            switch level.timeLimit {
            case .perQuestion(let s): (kind, seconds) = ("perQuestion", s)
            case .perLevel(let s): (kind, seconds) = ("perLevel", s)
            }
            return CampaignView.LevelInfo(
                level: index + 1, title: level.title, questions: level.draw.count, timeLimitKind: kind, timeLimitSeconds: seconds,
                passPercent: Int((level.passThreshold * 100).rounded()), correctNeeded: level.correctNeeded(of: level.draw.count))
        }
    }

    func info(_ levels: [CampaignView.LevelInfo]) -> CampaignView.CampaignInfo {
        let settings = summary.settings
        return CampaignView.CampaignInfo(
            id: summary.id, title: summary.title, startDate: settings.startDate, endDate: settings.endDate, timeZone: settings.timeZone,
            attemptsPerDay: settings.attemptsPerDay, levels: levels, composite: settings.composite)
    }
}
