import DengaoCore
import DengaoStorage
import Logging

/// Every campaign in use on this server: loads a campaign's room on first use (rebuilding its climbs and boards
/// from the store), and drives each room's clock — deadlines, pushes to big screens, roster changes.
actor CampaignHub {
    let store: Store
    let journal: Journal
    let logger: Logger
    let clock: any ServerClock
    private var rooms: [Int64: CampaignRoom] = [:]
    private var loading: [Int64: Task<CampaignRoom, any Error>] = [:]
    private let started: AsyncStream<CampaignRoom>.Continuation
    private let starts: AsyncStream<CampaignRoom>

    static let pulseInterval = Duration.seconds(1)
    /// How often a room re-reads the roster (members added, moved, deactivated in the console).
    static let rosterInterval = 30

    init(store: Store, journal: Journal, logger: Logger, clock: any ServerClock = WallClock()) {
        self.store = store
        self.clock = clock
        self.journal = journal
        self.logger = logger
        (starts, started) = AsyncStream.makeStream(of: CampaignRoom.self)
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            for await room in starts {
                group.addTask { await Self.drive(room, store: self.store) }
            }
            group.cancelAll()
        }
    }

    func stop() { started.finish() }

    private static func drive(_ room: CampaignRoom, store: Store) async {
        var pulses = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: pulseInterval)
            await room.pulse()
            pulses += 1
            if pulses % rosterInterval == 0, let (roster, tree) = try? await blocking({ try loadRoster(room.subtree, store) }) {
                await room.updateRoster(roster, tree: tree)
            }
        }
    }

    func room(id: Int64) async throws -> CampaignRoom? {
        if let room = rooms[id] { return room }
        if let task = loading[id] { return try await task.value }
        let (store, journal, logger, clock) = (self.store, self.journal, self.logger, self.clock)
        guard let summary = try await blocking({ try store.campaign(id: id) }) else { return nil }
        // Another request may have started loading it during that read: one room per campaign, always.
        if let room = rooms[id] { return room }
        if let task = loading[id] { return try await task.value }
        if let reason = summary.setAside { throw APIError(StoreError.setAside(reason)) }
        let task = Task {
            try await blocking {
                try RoomLoading.guarded(.campaign, id: id, store: store, logger: logger) {
                    try Self.load(summary, store: store, journal: journal, clock: clock, logger: logger)
                }
            }
        }
        loading[id] = task
        defer { loading[id] = nil }
        let room = try await task.value
        rooms[id] = room
        started.yield(room)
        return room
    }

    private static func load(
        _ summary: CampaignSummary, store: Store, journal: Journal, clock: any ServerClock, logger: Logger
    ) throws -> CampaignRoom {
        guard let calendar = summary.settings.calendar else { throw StoreError.corrupt("campaign \(summary.id) has no calendar") }
        let subtree = try summary.ownerUnitId.map { try store.orgTree().subtreeIds(of: $0) }
        let (roster, tree) = try loadRoster(subtree, store)
        let pool = try store.latestQuestions(ofBanks: summary.settings.banks)
        let attempts = try store.campaignAttempts(summary.id)
        let inPool = Set(pool.map(\.id))
        let attempted = try store.questions(ids: Set(attempts.flatMap(\.started.questionIds)).subtracting(inPool))
        return CampaignRoom(
            summary: summary, calendar: calendar, tree: tree, roster: roster, pool: pool, attempted: attempted, attempts: attempts,
            journal: journal, clock: clock, logger: logger)
    }

    /// Active members of the campaign's subtree (everyone when it has no owner).
    private static func loadRoster(_ subtree: Set<Int64>?, _ store: Store) throws -> ([Int64: CampaignRoom.RosterEntry], OrgTree) {
        let tree = try store.orgTree()
        var roster: [Int64: CampaignRoom.RosterEntry] = [:]
        for member in try store.activeMembers() where subtree?.contains(member.unitId) ?? true {
            roster[member.memberId] = CampaignRoom.RosterEntry(unitId: member.unitId, name: member.name)
        }
        return (roster, tree)
    }
}
