import DengaoCore
import Foundation
import Logging

/// Every campaign in use on this server: loads a campaign's room on first use (rebuilding its climbs and boards
/// from the store), and drives each room's clock — deadlines, pushes to big screens, roster changes.
actor CampaignHub {
    let storage: any Storage
    let journal: Journal
    let logger: Logger
    let clock: any ServerClock
    private var rooms: [Int64: CampaignRoom] = [:]
    private var loading: [Int64: Task<CampaignRoom, any Error>] = [:]
    /// The roster re-read under way per room, and the store's count it reads at: the requests that arrive meanwhile
    /// (a hall of members opening the campaign right after an import) wait for it instead of each reading again.
    private var refreshing: [ObjectIdentifier: (version: Int, task: Task<Void, Never>)] = [:]
    private let started: AsyncStream<CampaignRoom>.Continuation
    private let starts: AsyncStream<CampaignRoom>

    static let pulseInterval = Duration.seconds(1)
    /// How often a room re-reads the roster even when this process wrote nothing to it: the day's roster moment
    /// moves at midnight, and a `dengao` command may write from another process. Writes through this server
    /// reach the rooms at once (`freshRoster`).
    static let rosterInterval = 30

    init(storage: any Storage, journal: Journal, logger: Logger, clock: any ServerClock = WallClock()) {
        self.storage = storage
        self.clock = clock
        self.journal = journal
        self.logger = logger
        (starts, started) = AsyncStream.makeStream(of: CampaignRoom.self)
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            for await room in starts {
                group.addTask { await Self.drive(room, hub: self) }
            }
            group.cancelAll()
        }
    }

    func stop() { started.finish() }

    private static func drive(_ room: CampaignRoom, hub: CampaignHub) async {
        var pulses = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: pulseInterval)
            await room.pulse()
            pulses += 1
            // A roster write shows on the big screens within a pulse, not at the next periodic re-read.
            await hub.freshRoster(room, force: pulses % rosterInterval == 0)
        }
    }

    /// Re-reads the room's roster when the store's roster has changed since the room read it (or when `force`d).
    /// Every way to a room (`room(id:)`) passes here, so a member added, moved or deactivated a moment ago is
    /// already what the campaign answers them by.
    private func freshRoster(_ room: CampaignRoom, force: Bool = false) async {
        let version = storage.rosterChanges.current
        let held = await room.rosterVersion
        guard force || version != held else { return }
        let key = ObjectIdentifier(room)
        if let running = refreshing[key], running.version >= version { return await running.task.value }
        let storage = self.storage
        let task = Task {
            guard let (roster, tree) = try? await Self.loadRoster(of: room.summary, calendar: room.calendar, storage)
            else { return }
            await room.updateRoster(roster, tree: tree, version: version)
        }
        refreshing[key] = (version, task)
        await task.value
        if refreshing[key]?.version == version { refreshing[key] = nil }
    }

    func room(id: Int64) async throws -> CampaignRoom? {
        if let room = rooms[id] {
            await freshRoster(room)
            return room
        }
        if let task = loading[id] { return try await task.value }
        let (storage, journal, logger, clock) = (self.storage, self.journal, self.logger, self.clock)
        guard let summary = try await storage.campaign(id: id) else { return nil }
        // Another request may have started loading it during that read: one room per campaign, always.
        if let room = rooms[id] { return room }
        if let task = loading[id] { return try await task.value }
        if let reason = summary.setAside { throw APIError(StorageError.setAside(reason)) }
        let task = Task {
            try await RoomLoading.guarded(.campaign, id: id, storage: storage, logger: logger) {
                try await Self.load(summary, storage: storage, journal: journal, clock: clock, logger: logger)
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
        _ summary: CampaignSummary, storage: any Storage, journal: Journal, clock: any ServerClock, logger: Logger
    ) async throws -> CampaignRoom {
        guard let calendar = summary.settings.calendar else { throw StorageError.corrupt("campaign \(summary.id) has no calendar") }
        // Read before the roster: a write meanwhile leaves the room a version behind, and it reads again.
        let rosterVersion = storage.rosterChanges.current
        let (roster, tree) = try await loadRoster(of: summary, calendar: calendar, storage)
        let pool = try await storage.latestQuestions(ofBanks: summary.settings.banks)
        let attempts = try await storage.campaignAttempts(summary.id)
        let inPool = Set(pool.map(\.id))
        let attempted = try await storage.questions(ids: Set(attempts.flatMap(\.started.questionIds)).subtracting(inPool))
        return CampaignRoom(
            summary: summary, calendar: calendar, tree: tree, roster: roster, rosterVersion: rosterVersion, pool: pool, attempted: attempted, attempts: attempts,
            journal: journal, clock: clock, logger: logger)
    }

    /// The campaign's overall roster by `Participation`'s rule — members active and placed in its subtree at the
    /// end of today, or of the campaign's last day once it is over — with the tree it was read against.
    static func loadRoster(
        of summary: CampaignSummary, calendar: CampaignCalendar, _ storage: any Storage, now: Date = Date()
    ) async throws -> ([Int64: CampaignRoom.RosterEntry], OrgTree) {
        let tree = try await storage.orgTree()
        let history = try await storage.rosterHistory()
        let today = calendar.day(of: Int64(now.timeIntervalSince1970 * 1000))
        let counted = history.roster(
            at: Participation.overallMoment(today: today, in: calendar), within: summary.ownerUnitId.map { tree.subtreeIds(of: $0) })
        var roster: [Int64: CampaignRoom.RosterEntry] = [:]
        for (memberId, unitId) in counted {
            roster[memberId] = CampaignRoom.RosterEntry(unitId: unitId, name: history.people[memberId]?.name ?? "")
        }
        return (roster, tree)
    }
}
