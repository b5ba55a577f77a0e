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
    private var rooms: [CampaignID: CampaignRoom] = [:] {
        didSet { journal.metrics.liveCampaigns.set(rooms.count) }
    }
    private var loading: [CampaignID: Task<CampaignRoom, any Error>] = [:]
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
    /// How long the room of a campaign that is over stays in memory once nothing uses it (on the server's clock).
    static let idleUnloadMilliseconds: Int64 = 10 * 60_000

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

    nonisolated func stop() { started.finish() }

    /// The server is shutting down: every loaded campaign closes its big screens with 1001. Returns their outboxes.
    func closeForRestart() async -> [Outbox] {
        var outboxes: [Outbox] = []
        for room in rooms.values { outboxes += await room.closeForRestart() }
        return outboxes
    }

    private static func drive(_ room: CampaignRoom, hub: CampaignHub) async {
        var pulses = 0
        while !Task.isCancelled {
            try? await hub.clock.sleep(for: pulseInterval)
            await room.pulse()
            pulses += 1
            // A roster write shows on the big screens within a pulse, not at the next periodic re-read.
            await hub.freshRoster(room, force: pulses % rosterInterval == 0)
            if await hub.unloadIfIdle(room) { return }
        }
    }

    /// Drops the room if it is idle after its campaign's end (`CampaignRoom.isIdleAfterItsEnd`); the next request
    /// loads it again from the store. True when the room is no longer this hub's, so its clock can stop.
    private func unloadIfIdle(_ room: CampaignRoom) async -> Bool {
        let id = room.summary.id
        guard rooms[id] === room else { return true }
        guard await room.isIdleAfterItsEnd(for: Self.idleUnloadMilliseconds), rooms[id] === room else {
            return rooms[id] !== room
        }
        rooms[id] = nil
        refreshing[ObjectIdentifier(room)] = nil
        logger.debug("idle campaign unloaded", metadata: ["campaign": .stringConvertible(id)])
        return true
    }

    /// Whether the campaign's room is in memory.
    func isLoaded(_ id: CampaignID) -> Bool { rooms[id] != nil }

    /// Re-reads the room's roster when the store's roster has changed since the room read it (or when `force`d).
    /// Every way to a room (`room(id:)`) passes here, so a member added, moved or deactivated a moment ago is
    /// already what the campaign answers them by.
    private func freshRoster(_ room: CampaignRoom, force: Bool = false) async {
        let version = storage.rosterChanges.current
        let held = await room.rosterVersion
        guard force || version != held else { return }
        let key = ObjectIdentifier(room)
        if let running = refreshing[key], running.version >= version { return await running.task.value }
        let (storage, now) = (self.storage, clock.nowMilliseconds())
        let task = Task {
            guard
                let (roster, tree) = try? await Self.loadRoster(
                    of: room.summary, calendar: room.calendar, storage, now: now)
            else { return }
            await room.updateRoster(roster, tree: tree, version: version)
        }
        refreshing[key] = (version, task)
        await task.value
        if refreshing[key]?.version == version { refreshing[key] = nil }
    }

    func room(id: CampaignID) async throws -> CampaignRoom? {
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
            try await RoomLoading.guarded(.campaign, id: id.rawValue, storage: storage, logger: logger) {
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
        guard let calendar = summary.settings.calendar else {
            throw StorageError.corrupt("campaign \(summary.id) has no calendar")
        }
        // Read before the roster: a write meanwhile leaves the room a version behind, and it reads again.
        let rosterVersion = storage.rosterChanges.current
        let (roster, tree) = try await loadRoster(
            of: summary, calendar: calendar, storage, now: clock.nowMilliseconds())
        let ladderPools = try await ladderPools(of: summary.settings, storage)
        let attempts = try await storage.campaignAttempts(summary.id)
        let inPool = Set(ladderPools.joined().map(\.id))
        let attempted = try await storage.questions(
            ids: Set(attempts.flatMap(\.started.questionIds)).subtracting(inPool))
        return CampaignRoom(
            summary: summary, calendar: calendar, tree: tree, roster: roster, rosterVersion: rosterVersion,
            ladderPools: ladderPools,
            attempted: attempted, attempts: attempts,
            journal: journal, clock: clock, logger: logger)
    }

    /// Each ladder's questions, in `settings.ladders`' order: only its own banks' latest versions (ladders naming
    /// the same banks share one read).
    static func ladderPools(of settings: CampaignSettings, _ storage: any Storage) async throws
        -> [[(id: QuestionID, question: Question)]]
    {
        var read: [[String]: [(id: QuestionID, question: Question)]] = [:]
        var pools: [[(id: QuestionID, question: Question)]] = []
        for ladder in settings.ladders {
            if read[ladder.banks] == nil {
                read[ladder.banks] = try await storage.latestQuestions(ofBanks: ladder.banks)
            }
            pools.append(read[ladder.banks] ?? [])
        }
        return pools
    }

    /// The campaign's overall roster by `Participation`'s rule — members active and placed in its subtree at the
    /// end of today, or of the campaign's last day once it is over — with the tree it was read against.
    static func loadRoster(
        of summary: CampaignSummary, calendar: CampaignCalendar, _ storage: any Storage, now: Int64
    ) async throws -> ([MemberID: CampaignMember], OrgTree) {
        let tree = try await storage.orgTree()
        // A campaign for some member categories counts only the members holding one.
        let history = summary.settings.rosterHistory(try await storage.rosterHistory())
        let today = calendar.day(of: now)
        let counted = history.roster(
            at: Participation.overallMoment(today: today, in: calendar),
            within: summary.ownerUnitId.map { Set(tree.subtreeIds(of: $0)) })
        // The categories held now choose a member's ladder at their first attempt.
        let categories = history.categories(at: now)
        var roster: [MemberID: CampaignMember] = [:]
        for (memberId, unitId) in counted {
            roster[memberId] = CampaignMember(
                unitId: unitId, name: history.people[memberId]?.name ?? "", categoryIds: categories[memberId] ?? [])
        }
        return (roster, tree)
    }
}
