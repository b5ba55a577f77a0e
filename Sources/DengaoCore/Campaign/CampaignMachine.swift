/// The rules of a running campaign as a value: a member's requests and the passing of time go in with the moment
/// they happen, the changes to journal come out, with the climbs, the leaderboard and the branch board kept up to
/// date. No clock, no I/O, no concurrency — the campaign's actor owns one, the tests drive one by hand, and a
/// restart rebuilds one from the stored attempts.
public struct CampaignMachine: Sendable {
    public let campaignId: CampaignID
    /// Seeds every attempt's draw and option orders.
    public let seed: UInt64
    public let settings: CampaignSettings
    public let calendar: CampaignCalendar
    /// nil for a campaign of the whole organization.
    public let ownerUnitId: UnitID?
    /// Each ladder's levels' questions: those of the ladder's banks each level's rule admits.
    let pools: [[[(id: QuestionID, question: Question)]]]
    /// The pool's questions, and those earlier attempts drew from a bank version since replaced.
    let questionsById: [QuestionID: Question]
    public internal(set) var tree: OrgTree
    /// The branches the boards show, recomputed when the tree changes.
    public internal(set) var branches: Branches
    /// Who counts: the members of the campaign's roster, each in their unit.
    public internal(set) var roster: [MemberID: CampaignMember]
    public internal(set) var climbs: [MemberID: Climb] = [:]
    /// How many attempts each member has started, ever (the next one is numbered one more).
    public internal(set) var attemptCount: [MemberID: Int] = [:]
    /// The ladder each member who has started climbs, pinned by their first attempt (`StartedAttempt.ladder`).
    public internal(set) var ladderOf: [MemberID: Int] = [:]
    /// Attempts under way, one per member at most.
    public internal(set) var open: [MemberID: MemberAttempt] = [:]
    /// Each member's latest finished attempt, for the results screen after the last answer.
    public internal(set) var lastFinished: [MemberID: MemberAttempt] = [:]
    /// Questions each member has been given, so none repeats before the level's pool is used up.
    var seen: [MemberID: Set<QuestionID>] = [:]
    /// Members of the roster who made at least one attempt, per campaign day.
    public internal(set) var participantsByDay: [CampaignDay: Int] = [:]
    public internal(set) var leaderboard = CampaignLeaderboard()
    public internal(set) var board: BranchBoard
    /// Moves whenever the boards change, so the owner knows when big screens need a new frame.
    public internal(set) var boardRevision = 0

    /// Why a member's request changed nothing.
    public enum Refusal: String, Error, Sendable, Equatable {
        case notInCampaign = "not-in-campaign"
        case closed = "campaign-closed"
        case noAttemptsLeft = "no-attempts-left"
        case summit
        case noAttempt = "no-attempt"
        case attemptOver = "attempt-over"
        case notThisQuestion = "not-this-question"
        case alreadyAnswered = "already-answered"
        case notServed = "not-served"
        case malformed = "malformed-answer"
        /// The question's time ran out before the answer arrived.
        case late
        case poolTooSmall = "pool-too-small"

        init(_ refusal: Attempt.Refusal) {
            switch refusal {
            case .over: self = .attemptOver
            case .notThisQuestion: self = .notThisQuestion
            case .notServed: self = .notServed
            case .malformed: self = .malformed
            case .late: self = .late
            }
        }
    }

    /// What one request did: its outcome, and the changes to journal whatever the outcome (time may have run out
    /// on the member's attempt before a request that is then refused).
    public struct Step<Value: Sendable>: Sendable {
        public let outcome: Result<Value, Refusal>
        public let changes: [CampaignChange]

        /// The outcome's value, or the refusal thrown.
        public func get() throws(Refusal) -> Value { try outcome.get() }
    }

    /// A campaign whose ladders all draw from one pool of questions (`init(…ladderPools:…)`).
    public init(
        campaignId: CampaignID, seed: UInt64, settings: CampaignSettings, calendar: CampaignCalendar,
        ownerUnitId: UnitID?, tree: OrgTree, roster: [MemberID: CampaignMember],
        pool: [(id: QuestionID, question: Question)],
        attempted: [QuestionID: Question],
        attempts: [StoredAttempt]
    ) {
        self.init(
            campaignId: campaignId, seed: seed, settings: settings, calendar: calendar, ownerUnitId: ownerUnitId,
            tree: tree, roster: roster, ladderPools: settings.ladders.map { _ in pool }, attempted: attempted,
            attempts: attempts)
    }

    /// A campaign as stored: its roster and tree now, each ladder's questions (those of its banks, in
    /// `settings.ladders`' order), and every attempt made so far (rebuilt into the climbs, the open attempts and
    /// the boards).
    public init(
        campaignId: CampaignID, seed: UInt64, settings: CampaignSettings, calendar: CampaignCalendar,
        ownerUnitId: UnitID?, tree: OrgTree, roster: [MemberID: CampaignMember],
        ladderPools: [[(id: QuestionID, question: Question)]], attempted: [QuestionID: Question],
        attempts: [StoredAttempt]
    ) {
        self.campaignId = campaignId
        self.seed = seed
        self.settings = settings
        self.calendar = calendar
        self.ownerUnitId = ownerUnitId
        self.tree = tree
        self.roster = roster
        branches = Branches(of: ownerUnitId, in: tree)
        pools = settings.ladders.map { ladder in
            let pool = ladderPools.indices.contains(ladder.index) ? ladderPools[ladder.index] : []
            return ladder.levels.map { level in pool.filter { level.draw.admits($0.question) } }
        }
        // Attempts keep the question rows they drew, even from a bank version since replaced.
        questionsById = Dictionary(
            ladderPools.joined().map { ($0.id, $0.question) }, uniquingKeysWith: { first, _ in first }
        )
        .merging(attempted, uniquingKeysWith: { first, _ in first })
        board = BranchBoard(
            tree: tree, ladderLevels: settings.ladders.map(\.levels.count), weights: settings.composite)
        for stored in attempts {
            let memberId = stored.started.ref.memberId
            if ladderOf[memberId] == nil { ladderOf[memberId] = stored.started.ladder }
            attemptCount[memberId] = max(attemptCount[memberId] ?? 0, stored.started.ref.seq)
            seen[memberId, default: []].formUnion(stored.started.questionIds)
            var climb = climbs[memberId] ?? Climb(memberId: memberId)
            climb.started(on: stored.started.day)
            let attempt = Self.attempt(from: stored, settings: settings, questions: questionsById)
            if stored.status.isOver {
                climb.finished(
                    level: stored.started.level, status: stored.status, endedAt: stored.endedAt, answers: stored.answers
                )
                if let attempt { lastFinished[memberId] = MemberAttempt(started: stored.started, attempt: attempt) }
            } else if let attempt {
                open[memberId] = MemberAttempt(started: stored.started, attempt: attempt)
            }
            climbs[memberId] = climb
        }
        recountBoards()
    }

    /// A stored attempt as the rules see it; nil only if the store lost its level or questions.
    private static func attempt(
        from stored: StoredAttempt, settings: CampaignSettings, questions: [QuestionID: Question]
    )
        -> Attempt?
    {
        let level = stored.started.level
        let levels = settings.ladder(stored.started.ladder).levels
        guard levels.indices.contains(level - 1) else { return nil }
        let drawn = stored.started.questionIds.compactMap { questions[$0] }
        guard drawn.count == stored.started.questionIds.count else { return nil }
        return Attempt(
            restoring: level, questions: drawn, settings: levels[level - 1],
            startedAt: stored.started.startedAt,
            status: stored.status, answers: stored.answers, servedAt: stored.servedAt, endedAt: stored.endedAt)
    }

    /// The branch board, the leaderboard and the participants per day, counted afresh over the roster: only its
    /// members count, each in their unit of the roster (the participation rule of `Participation`).
    private mutating func recountBoards() {
        board = BranchBoard(
            tree: tree, ladderLevels: settings.ladders.map(\.levels.count), weights: settings.composite)
        leaderboard = CampaignLeaderboard()
        participantsByDay = [:]
        for (memberId, entry) in roster {
            let climb = climbs[memberId]
            board.addMember(
                unit: entry.unitId, participated: climb != nil, height: climb?.height ?? 0,
                ladder: ladderOf[memberId] ?? 0)
            guard let climb else { continue }
            leaderboard.update(climb, unit: entry.unitId)
            for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] += 1 }
        }
        boardRevision += 1
    }

    // MARK: - Time passing

    /// Lets time act on a member's open attempt: a question whose time ran out is recorded as unanswered, an
    /// attempt past its deadline expires; a finished attempt is folded into the member's climb. Settles everything
    /// due by `now`, so a second call at the same moment changes nothing.
    public mutating func settle(_ memberId: MemberID, at now: Int64) -> [CampaignChange] {
        guard var entry = open[memberId] else { return [] }
        let before = entry.attempt.answers.count
        entry.attempt.advance(to: now)
        let ref = entry.started.ref
        var changes: [CampaignChange] = entry.attempt.answers[before...].map { answer in
            .answered(ref, answer, status: entry.attempt.status, endedAt: entry.attempt.endedAt)
        }
        if entry.attempt.status == .expired {
            changes.append(.ended(ref, status: .expired, at: entry.attempt.endedAt ?? now))
        }
        if entry.attempt.status.isOver {
            close(entry)
        } else {
            open[memberId] = entry
        }
        return changes
    }

    /// Settles every open attempt with something due by `now` (a question run out, an attempt expired), whether or
    /// not its member is still there to ask: the owner's sweep.
    public mutating func advance(to now: Int64) -> [CampaignChange] {
        let due = open.filter { $0.value.attempt.isDue(at: now) }.keys.sorted()
        return due.flatMap { settle($0, at: now) }
    }

    /// A finished attempt leaves the open ones; a pass lifts the member and their branch.
    mutating func close(_ entry: MemberAttempt) {
        let memberId = entry.started.ref.memberId
        open[memberId] = nil
        lastFinished[memberId] = entry
        var climb = climbs[memberId] ?? Climb(memberId: memberId)
        let before = climb.height
        climb.finished(entry.attempt)
        climbs[memberId] = climb
        if let unit = roster[memberId]?.unitId {
            if climb.height > before {
                board.climbed(unit: unit, from: before, to: climb.height, ladder: ladderOf[memberId] ?? 0)
            }
            leaderboard.update(climb, unit: unit)
        }
        boardRevision += 1
    }

    // MARK: - Roster

    /// The roster as it is now: joiners count from now on (with the days they climbed), leavers leave the boards
    /// (and the days they climbed), and members who moved count in their new branch with their height. A changed
    /// tree (units added, moved, renamed) changes the branches and the roll-ups: the boards are recounted.
    public mutating func updateRoster(_ latest: [MemberID: CampaignMember], tree: OrgTree) {
        if tree != self.tree {
            self.tree = tree
            roster = latest
            branches = Branches(of: ownerUnitId, in: tree)
            recountBoards()
            return
        }
        var changed = false
        for (memberId, old) in roster where latest[memberId] == nil {
            let climb = climbs[memberId]
            board.removeMember(
                unit: old.unitId, participated: climb != nil, height: climb?.height ?? 0,
                ladder: ladderOf[memberId] ?? 0)
            leaderboard.remove(memberId)
            if let climb { for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] -= 1 } }
            changed = true
        }
        for (memberId, entry) in latest {
            let climb = climbs[memberId]
            if let old = roster[memberId] {
                guard old.unitId != entry.unitId else { continue }
                board.moved(
                    from: old.unitId, to: entry.unitId, participated: climb != nil, height: climb?.height ?? 0,
                    ladder: ladderOf[memberId] ?? 0)
                leaderboard.move(memberId, to: entry.unitId)
            } else {
                board.addMember(
                    unit: entry.unitId, participated: climb != nil, height: climb?.height ?? 0,
                    ladder: ladderOf[memberId] ?? 0)
                if let climb {
                    leaderboard.update(climb, unit: entry.unitId)
                    for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] += 1 }
                }
            }
            changed = true
        }
        roster = latest
        if changed { boardRevision += 1 }
    }

    // MARK: - Queries

    /// The board's branch a unit counts under: itself or the nearest ancestor the board lists.
    public func branchShown(for unit: UnitID) -> UnitID? {
        branches.pickable(for: unit, in: tree)
    }

    /// The ladder the member climbs: the one pinned by their first attempt, or the one their categories choose now.
    public func ladder(of memberId: MemberID) -> Ladder {
        settings.ladder(
            ladderOf[memberId] ?? settings.ladderIndex(forCategories: roster[memberId]?.categoryIds ?? []))
    }
}

/// A member of a campaign's roster as the rules see them: the unit they count in, the name the boards show, the
/// member categories they hold now (which choose their ladder at their first attempt).
public struct CampaignMember: Sendable, Hashable {
    public let unitId: UnitID
    public let name: String
    public let categoryIds: Set<MemberCategoryID>

    public init(unitId: UnitID, name: String, categoryIds: Set<MemberCategoryID> = []) {
        self.unitId = unitId
        self.name = name
        self.categoryIds = categoryIds
    }
}

/// A member's attempt with the draw it was started with.
public struct MemberAttempt: Sendable, Hashable {
    public let started: StartedAttempt
    public internal(set) var attempt: Attempt

    public init(started: StartedAttempt, attempt: Attempt) {
        self.started = started
        self.attempt = attempt
    }

    /// The member's option order for one of the attempt's questions, from the attempt's stored seed.
    public func order(of index: Int) -> OptionOrder {
        OptionOrder(seed: started.seed, player: 0, question: index, optionCount: attempt.questions[index].options.count)
    }
}
