import DengaoCore
import Foundation
import Logging

/// One campaign in memory: its `CampaignMachine` (the roster, every member's climb, the open attempts with their
/// deadlines, the boards) and the big screens watching it. Every request and the passing of time go through the
/// machine here, one at a time, and what it decides is journaled; a member hears of it only once the journal has it on disk (the climbing request waits for
/// the journal; big screens' outboxes hold their frames likewise). Rebuilt from the store when first used after a start.
actor CampaignRoom {
    nonisolated let summary: CampaignSummary
    nonisolated let calendar: CampaignCalendar
    let journal: Journal
    let clock: any ServerClock
    let logger: Logger
    /// The campaign's rules and state: what it decides is journaled here and told to whoever asked.
    var machine: CampaignMachine
    /// The store's `rosterChanges` count the roster was read at: when the store's moves on, the roster is stale.
    var rosterVersion: Int
    var clockFloor: Int64 = 0
    var displays: [UInt64: Outbox] = [:]
    /// Set when the server is shutting down (`closeForRestart`).
    var closedForRestart = false
    /// The machine's board revision the big screens were last sent.
    var pushedRevision = 0
    var lastPush: Int64 = 0
    /// When a member's request or a big screen last used the room, for unloading it once the campaign is over.
    var lastUsed: Int64

    /// Big screens get the boards at most this often, however fast members climb.
    static let pushInterval: Int64 = 1_000
    /// Screens ping every 20 s; one silent this long is gone (as in contests).
    static let silenceLimit: Int64 = 75_000

    init(
        summary: CampaignSummary, calendar: CampaignCalendar, tree: OrgTree, roster: [MemberID: CampaignMember],
        rosterVersion: Int,
        ladderPools: [[(id: QuestionID, question: Question)]], attempted: [QuestionID: Question],
        attempts: [StoredAttempt],
        journal: Journal,
        clock: any ServerClock = WallClock(), logger: Logger
    ) {
        self.summary = summary
        self.clock = clock
        self.calendar = calendar
        self.journal = journal
        self.logger = logger
        self.rosterVersion = rosterVersion
        lastUsed = clock.nowMilliseconds()
        machine = CampaignMachine(
            campaignId: summary.id, seed: summary.seed, settings: summary.settings, calendar: calendar,
            ownerUnitId: summary.ownerUnitId,
            tree: tree, roster: roster, ladderPools: ladderPools, attempted: attempted, attempts: attempts)
    }

    // MARK: - Clock

    func now() -> Int64 {
        clockFloor = max(clockFloor, clock.nowMilliseconds())
        return clockFloor
    }

    // MARK: - Journal

    /// Journals what the machine decided, then hands back its outcome (or throws its refusal, as the pages know it).
    func journaled<Value>(_ step: CampaignMachine.Step<Value>) throws(CampaignRefusal) -> Value {
        lastUsed = clockFloor
        for change in step.changes {
            journal.append(change)
            journal.metrics.recordClimb(change)
        }
        switch step.outcome {
        case .success(let value): return value
        case .failure(let refusal): throw CampaignRefusal(refusal)
        }
    }

    // MARK: - Time passing

    /// Called every second or so by the hub: expires what is due, and pushes the boards to the big screens.
    func pulse() {
        let now = now()
        for change in machine.advance(to: now) {
            journal.append(change)
            journal.metrics.recordClimb(change)
        }
        if machine.boardRevision != pushedRevision, !displays.isEmpty, now - lastPush >= Self.pushInterval {
            pushBoard(at: now)
        }
        for (id, outbox) in displays where outbox.silentMilliseconds > Self.silenceLimit {
            outbox.send(
                FrameEncoder.encode(.error(.init(code: "silent", message: "连接已超时，正在重连 (nothing heard for too long)"))))
            outbox.close()
            displays[id] = nil
        }
    }

    /// Whether the room can leave memory: the campaign's last day is over, no attempt is open and no big screen
    /// watches, so nothing can change it any more (a reload rebuilds the same), and nothing has used it for `limit`.
    func isIdleAfterItsEnd(for limit: Int64) -> Bool {
        let now = now()
        return calendar.last < calendar.day(of: now) && machine.open.isEmpty && displays.isEmpty
            && now - lastUsed >= limit
    }

    // MARK: - Roster

    /// The roster as the store has it now (see `CampaignMachine.updateRoster`). `version` is the store's count the
    /// roster was read at; a read that finishes after a newer one is dropped.
    func updateRoster(_ latest: [MemberID: CampaignMember], tree: OrgTree, version: Int) {
        guard version >= rosterVersion else { return }
        rosterVersion = version
        machine.updateRoster(latest, tree: tree)
    }
}
