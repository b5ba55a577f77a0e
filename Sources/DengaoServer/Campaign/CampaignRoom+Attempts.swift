import DengaoCore

/// A member's requests, decided by the machine at the room's time; what it decides is journaled before the reply
/// is built (the request then waits for the journal to have it on disk).
extension CampaignRoom {
    func me(_ memberId: MemberID) throws(CampaignRefusal) -> CampaignView.Me {
        let now = now()
        let standing = try journaled(machine.standing(of: memberId, at: now))
        let climb = standing.climb
        // The member's own ladder: the mountain, the level count and the next level are its.
        let levels = levelInfos(standing.ladder.levels)
        let inUnit = machine.leaderboard.rankInUnit(of: memberId)
        let branchId = machine.branchShown(for: standing.member.unitId)
        return CampaignView.Me(
            campaign: info(levels), ladder: standing.ladder.index, today: standing.today.description,
            open: standing.isOpen, height: climb.height,
            levelCount: levels.count, nextLevel: levels.indices.contains(climb.height) ? levels[climb.height] : nil,
            attemptsToday: standing.attemptsToday, attemptsLeft: standing.attemptsLeft, answered: climb.answered,
            correct: climb.correct, rank: machine.leaderboard.rank(of: memberId),
            participants: machine.leaderboard.count,
            rankInBranch: inUnit?.rank, branchParticipants: inUnit?.of,
            branch: branchId.flatMap { id in branchStandings().first { $0.id == id } },
            branchCount: machine.branches.pickable.count,
            currentAttempt: standing.currentSeq)
    }

    /// Starts the member's next level, or hands back the attempt already under way.
    func start(_ memberId: MemberID) throws(CampaignRefusal) -> CampaignView.AttemptState {
        let now = now()
        return state(of: try journaled(machine.start(memberId, at: now)), at: now)
    }

    /// The attempt `seq`, its next question served unless `serve` is false (`CampaignMachine.attempt`).
    func attempt(_ memberId: MemberID, seq: Int, serve: Bool = true) throws(CampaignRefusal)
        -> CampaignView.AttemptState
    {
        let now = now()
        return state(of: try journaled(machine.attempt(memberId, seq: seq, serve: serve, at: now)), at: now)
    }

    func answer(
        _ memberId: MemberID, seq: Int, index: Int, picks: [Int]?, truth: Bool?, text: String?
    ) throws(CampaignRefusal) -> CampaignView.AnswerReply {
        let now = now()
        let answered = try journaled(
            machine.answer(memberId, seq: seq, index: index, picks: picks, truth: truth, text: text, at: now))
        return CampaignView.AnswerReply(
            graded: graded(answered.attempt, answered.answer), attempt: state(of: answered.attempt, at: now))
    }

    /// Gives up the attempt; it still counts against the day.
    func abandon(_ memberId: MemberID, seq: Int) throws(CampaignRefusal) -> CampaignView.AttemptState {
        let now = now()
        return state(of: try journaled(machine.abandon(memberId, seq: seq, at: now)), at: now)
    }

    // MARK: - Views

    func state(of entry: MemberAttempt, at now: Int64) -> CampaignView.AttemptState {
        let attempt = entry.attempt
        let ladder = summary.settings.ladder(entry.started.ladder)
        let settings = ladder.levels[attempt.level - 1]
        var question: CampaignView.QuestionShown?
        if attempt.status == .answering, attempt.servedAt != nil, let deadline = attempt.questionDeadline {
            let index = attempt.currentIndex
            let shown = attempt.questions[index]
            let limit: Int? = if case .perQuestion = attempt.timeLimit { attempt.timeLimit.milliseconds } else { nil }
            question = CampaignView.QuestionShown(
                index: index, type: shown.type, stem: shown.stem,
                options: entry.order(of: index).shown.map { shown.options[$0] },
                timeLimitMs: limit, remainingMs: max(0, deadline - now))
        }
        return CampaignView.AttemptState(
            seq: entry.started.ref.seq, level: attempt.level, levelCount: ladder.levels.count,
            levelTitle: settings.title,
            questionCount: attempt.questions.count,
            correctNeeded: attempt.correctNeeded, status: attempt.status, answered: attempt.answers.count,
            correct: attempt.correctCount, remainingMs: max(0, attempt.attemptDeadline - now), question: question,
            graded: attempt.answers.map { graded(entry, $0) },
            height: attempt.status.isOver ? machine.climbs[entry.started.ref.memberId]?.height ?? 0 : nil)
    }

    func graded(_ entry: MemberAttempt, _ answer: AttemptAnswer) -> CampaignView.Graded {
        let question = entry.attempt.questions[answer.index]
        let order = entry.order(of: answer.index)
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
            index: answer.index, type: question.type, stem: question.stem,
            options: order.shown.map { question.options[$0] },
            correct: answer.correctness == .correct, picks: picks, truth: truth, text: text, keyPicks: keyPicks,
            keyTruth: keyTruth,
            keyTexts: keyTexts, explanation: question.explanation)
    }

    /// The levels of a ladder (the default one unless given) as pages show them.
    func levelInfos(_ levels: [LevelSettings]? = nil) -> [CampaignView.LevelInfo] {
        (levels ?? summary.settings.levels).enumerated().map { index, level in
            let kind: String, seconds: Int
            switch level.timeLimit {
            case .perQuestion(let s): (kind, seconds) = ("perQuestion", s)
            case .perLevel(let s): (kind, seconds) = ("perLevel", s)
            }
            return CampaignView.LevelInfo(
                level: index + 1, title: level.title, questions: level.draw.count, timeLimitKind: kind,
                timeLimitSeconds: seconds,
                passPercent: Int((level.passThreshold * 100).rounded()),
                correctNeeded: level.correctNeeded(of: level.draw.count))
        }
    }

    func info(_ levels: [CampaignView.LevelInfo]) -> CampaignView.CampaignInfo {
        let settings = summary.settings
        return CampaignView.CampaignInfo(
            id: summary.id, title: summary.title, startDate: settings.startDate, endDate: settings.endDate,
            timeZone: settings.timeZone,
            attemptsPerDay: settings.attemptsPerDay, levels: levels, ladderLevels: settings.ladders.map(\.levels.count),
            composite: settings.composite)
    }
}
