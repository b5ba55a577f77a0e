import DengaoCore
import Foundation
import Logging

/// One campaign in memory: its roster, every member's climb, the open attempts with their deadlines, the
/// leaderboards and the branch board, and the big screens watching it. Every change is applied here, one at a
/// time, and journaled; a member hears of it only once the journal has it on disk (the climbing request waits for
/// the journal; big screens' outboxes hold their frames likewise). Rebuilt from the store when first used after a start.
actor CampaignRoom {
    /// An attempt under way, with the draw it was started with.
    struct OpenAttempt {
        let started: StartedAttempt
        var attempt: Attempt
    }

    nonisolated let summary: CampaignSummary
    nonisolated let calendar: CampaignCalendar
    /// The branches the boards show: the units at the bottom of the owner's subtree (recomputed when the tree changes).
    var branches: [ServerMessage.BranchInfo]
    let journal: Journal
    let clock: any ServerClock
    let logger: Logger
    /// Each level's questions: those of the campaign's banks its rule admits.
    let pools: [[(id: Int64, question: Question)]]
    let questionsById: [Int64: Question]
    var tree: OrgTree
    var roster: [Int64: RosterEntry]
    /// The store's `rosterChanges` count the roster was read at: when the store's moves on, the roster is stale.
    var rosterVersion: Int
    var climbs: [Int64: Climb] = [:]
    var attemptCount: [Int64: Int] = [:]
    var open: [Int64: OpenAttempt] = [:]
    /// Each member's latest finished attempt, for the results screen after the last answer.
    var lastFinished: [Int64: OpenAttempt] = [:]
    /// Questions each member has been given, so none repeats before the level's pool is used up.
    var seen: [Int64: Set<Int64>] = [:]
    /// Members of the roster who made at least one attempt, per campaign day.
    var participantsByDay: [CampaignDay: Int] = [:]
    var leaderboard = CampaignLeaderboard()
    var board: BranchBoard
    var clockFloor: Int64 = 0
    var displays: [UInt64: Outbox] = [:]
    var boardChanged = true
    var lastPush: Int64 = 0

    struct RosterEntry: Sendable {
        let unitId: Int64
        let name: String
    }

    /// Big screens get the boards at most this often, however fast members climb.
    static let pushInterval: Int64 = 1_000
    /// Screens ping every 20 s; one silent this long is gone (as in contests).
    static let silenceLimit: Int64 = 75_000

    init(
        summary: CampaignSummary, calendar: CampaignCalendar, tree: OrgTree, roster: [Int64: RosterEntry], rosterVersion: Int,
        pool: [(id: Int64, question: Question)], attempted: [Int64: Question], attempts: [StoredAttempt], journal: Journal,
        clock: any ServerClock = WallClock(), logger: Logger
    ) {
        self.summary = summary
        self.clock = clock
        self.calendar = calendar
        self.journal = journal
        self.logger = logger
        self.tree = tree
        self.roster = roster
        self.rosterVersion = rosterVersion
        branches = ContestHub.branches(of: summary.ownerUnitId, in: tree).pickable
        pools = summary.settings.levels.map { level in pool.filter { level.draw.admits($0.question) } }
        // Attempts keep the question rows they drew, even from a bank version since replaced.
        questionsById = Dictionary(pool.map { ($0.id, $0.question) }, uniquingKeysWith: { first, _ in first })
            .merging(attempted, uniquingKeysWith: { first, _ in first })
        for stored in attempts {
            let memberId = stored.started.ref.memberId
            attemptCount[memberId] = max(attemptCount[memberId] ?? 0, stored.started.ref.seq)
            seen[memberId, default: []].formUnion(stored.started.questionIds)
            var climb = climbs[memberId] ?? Climb(memberId: memberId)
            climb.started(on: stored.started.day)
            let attempt = Self.attempt(from: stored, settings: summary.settings, questions: questionsById)
            if stored.status.isOver {
                climb.finished(level: stored.started.level, status: stored.status, endedAt: stored.endedAt, answers: stored.answers)
                if let attempt { lastFinished[memberId] = OpenAttempt(started: stored.started, attempt: attempt) }
            } else if let attempt {
                open[memberId] = OpenAttempt(started: stored.started, attempt: attempt)
            }
            climbs[memberId] = climb
        }
        (board, leaderboard, participantsByDay) = Self.boards(roster: roster, climbs: climbs, tree: tree, settings: summary.settings)
    }

    /// The branch board, the leaderboard and the participants per day, counted afresh over the roster: only its
    /// members count, each in their unit of the roster (the participation rule of `Participation`).
    static func boards(
        roster: [Int64: RosterEntry], climbs: [Int64: Climb], tree: OrgTree, settings: CampaignSettings
    ) -> (BranchBoard, CampaignLeaderboard, [CampaignDay: Int]) {
        var board = BranchBoard(tree: tree, levelCount: settings.levels.count, weights: settings.composite)
        var leaderboard = CampaignLeaderboard()
        var participantsByDay: [CampaignDay: Int] = [:]
        for (memberId, entry) in roster {
            let climb = climbs[memberId]
            board.addMember(unit: entry.unitId, participated: climb != nil, height: climb?.height ?? 0)
            guard let climb else { continue }
            leaderboard.update(climb, unit: entry.unitId)
            for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] += 1 }
        }
        return (board, leaderboard, participantsByDay)
    }

    /// A stored attempt as the rules see it; nil only if the store lost its level or questions.
    private static func attempt(from stored: StoredAttempt, settings: CampaignSettings, questions: [Int64: Question]) -> Attempt? {
        let level = stored.started.level
        guard settings.levels.indices.contains(level - 1) else { return nil }
        let drawn = stored.started.questionIds.compactMap { questions[$0] }
        guard drawn.count == stored.started.questionIds.count else { return nil }
        return Attempt(
            restoring: level, questions: drawn, settings: settings.levels[level - 1], startedAt: stored.started.startedAt,
            status: stored.status, answers: stored.answers, servedAt: stored.servedAt, endedAt: stored.endedAt)
    }

    // MARK: - Clock

    func now() -> Int64 {
        clockFloor = max(clockFloor, clock.nowMilliseconds())
        return clockFloor
    }

    // MARK: - Journal

    func record(_ change: CampaignChange) {
        journal.append(change)
    }

    // MARK: - Time passing

    /// Lets time act on a member's open attempt: a question whose time ran out is recorded as unanswered, an
    /// attempt past its deadline expires; a finished attempt is folded into the member's climb.
    func settle(_ memberId: Int64, at now: Int64) {
        guard var entry = open[memberId] else { return }
        let before = entry.attempt.answers.count
        entry.attempt.advance(to: now)
        let ref = entry.started.ref
        for answer in entry.attempt.answers[before...] {
            record(.answered(ref, answer, status: entry.attempt.status, endedAt: entry.attempt.endedAt))
        }
        if entry.attempt.status == .expired { record(.ended(ref, status: .expired, at: entry.attempt.endedAt ?? now)) }
        if entry.attempt.status.isOver {
            close(entry)
        } else {
            open[memberId] = entry
        }
    }

    /// Called every second or so by the hub: expires what is due, and pushes the boards to the big screens.
    func pulse() {
        let now = now()
        for (memberId, entry) in open where entry.attempt.isDue(at: now) { settle(memberId, at: now) }
        if boardChanged, !displays.isEmpty, now - lastPush >= Self.pushInterval { pushBoard(at: now) }
        for (id, outbox) in displays where outbox.silentMilliseconds > Self.silenceLimit {
            outbox.send(FrameEncoder.encode(.error(.init(code: "silent", message: "连接已超时，正在重连 (nothing heard for too long)"))))
            outbox.close()
            displays[id] = nil
        }
    }

    /// A finished attempt leaves the open ones; a pass lifts the member and their branch.
    func close(_ entry: OpenAttempt) {
        let memberId = entry.started.ref.memberId
        open[memberId] = nil
        lastFinished[memberId] = entry
        var climb = climbs[memberId] ?? Climb(memberId: memberId)
        let before = climb.height
        climb.finished(entry.attempt)
        climbs[memberId] = climb
        if let unit = roster[memberId]?.unitId {
            if climb.height > before { board.climbed(unit: unit, by: climb.height - before) }
            leaderboard.update(climb, unit: unit)
        }
        boardChanged = true
    }

    // MARK: - Roster

    /// The roster as the store has it now: joiners count from now on (with the days they climbed), leavers leave
    /// the boards (and the days they climbed), and members who moved count in their new branch with their height.
    /// A changed tree (units added, moved, renamed) changes the branches and the roll-ups: the boards are recounted.
    /// `version` is the store's count the roster was read at; a read that finishes after a newer one is dropped.
    func updateRoster(_ latest: [Int64: RosterEntry], tree: OrgTree, version: Int) {
        guard version >= rosterVersion else { return }
        rosterVersion = version
        if tree != self.tree {
            self.tree = tree
            roster = latest
            branches = ContestHub.branches(of: summary.ownerUnitId, in: tree).pickable
            (board, leaderboard, participantsByDay) = Self.boards(roster: latest, climbs: climbs, tree: tree, settings: summary.settings)
            boardChanged = true
            return
        }
        for (memberId, old) in roster where latest[memberId] == nil {
            let climb = climbs[memberId]
            board.removeMember(unit: old.unitId, participated: climb != nil, height: climb?.height ?? 0)
            leaderboard.remove(memberId)
            if let climb { for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] -= 1 } }
            boardChanged = true
        }
        for (memberId, entry) in latest {
            let climb = climbs[memberId]
            if let old = roster[memberId] {
                guard old.unitId != entry.unitId else { continue }
                board.moved(from: old.unitId, to: entry.unitId, participated: climb != nil, height: climb?.height ?? 0)
                leaderboard.move(memberId, to: entry.unitId)
            } else {
                board.addMember(unit: entry.unitId, participated: climb != nil, height: climb?.height ?? 0)
                if let climb {
                    leaderboard.update(climb, unit: entry.unitId)
                    for day in climb.attemptsByDay.keys { participantsByDay[day, default: 0] += 1 }
                }
            }
            boardChanged = true
        }
        roster = latest
    }
}
