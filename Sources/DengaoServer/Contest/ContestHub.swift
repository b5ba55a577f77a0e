import DengaoCore
import Logging
import Synchronization

/// Every live contest of this server: finds or loads a contest's room, resumes contests a restart interrupted,
/// counts connections per address, and drives each room's clock.
actor ContestHub {
    let storage: any Storage
    let journal: Journal
    let logger: Logger
    let silenceLimit: Duration
    let clock: any ServerClock
    private var rooms: [ContestID: ContestRoom] = [:] {
        didSet { journal.metrics.liveContests.set(rooms.count) }
    }
    /// Loaded rooms by PIN, so a join storm does not query the database once per phone.
    private var roomsByPin: [String: ContestRoom] = [:]
    private var loading: [ContestID: Task<ContestRoom, any Error>] = [:]
    /// Contests being edited or deleted: no room is loaded for them meanwhile.
    private var withdrawing: Set<ContestID> = []
    private var pinGuesses: PinGuesses
    /// Atomic rather than actor state: every connection takes one, and a join storm should not queue on the hub.
    private nonisolated let lastConnectionId = Atomic<UInt64>(0)
    private let started: AsyncStream<ContestRoom>.Continuation
    private let starts: AsyncStream<ContestRoom>

    /// How often rooms are pulsed: the precision of deadline broadcasts and the coalescing granularity.
    static let pulseInterval = Duration.milliseconds(50)
    /// How often a room with nothing to do (finished, unwatched) is looked at.
    static let idleInterval = Duration.seconds(1)
    /// How long the room of a finished contest stays in memory once no one is connected (on the server's clock).
    static let idleUnloadMilliseconds: ContestTime = 10 * 60_000

    init(
        storage: any Storage, journal: Journal, logger: Logger, silenceLimit: Duration,
        clock: any ServerClock = WallClock(), pinGuessLimits: PinGuessLimits = PinGuessLimits()
    ) {
        self.storage = storage
        pinGuesses = PinGuesses(pinGuessLimits)
        self.clock = clock
        self.journal = journal
        self.logger = logger
        self.silenceLimit = silenceLimit
        (starts, started) = AsyncStream.makeStream(of: ContestRoom.self)
    }

    /// Drives every room's clock until the server stops. Each room is a child task, so shutdown waits for them.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await room in starts {
                group.addTask { await Self.drive(room, hub: self) }
            }
            // Shutting down: the rooms' clocks stop; what they journaled is written by the journal's own loop.
            group.cancelAll()
        }
    }

    nonisolated func stop() { started.finish() }

    /// Set once the server is shutting down: sockets identify no one any more (`ContestSocket`).
    nonisolated let isClosingForRestart = Atomic(false)

    /// The server is shutting down: no connection is seated from now on, and every loaded room pauses and closes
    /// its connections with 1001 (`ContestRoom.closeForRestart`). Returns the outboxes closed.
    func closeForRestart() async -> [Outbox] {
        isClosingForRestart.store(true, ordering: .releasing)
        var outboxes: [Outbox] = []
        for room in rooms.values { outboxes += await room.closeForRestart() }
        return outboxes
    }

    private static func drive(_ room: ContestRoom, hub: ContestHub) async {
        var interval = pulseInterval
        while !Task.isCancelled {
            try? await hub.clock.sleep(for: interval)
            // A room with nothing to do is looked at less often, and unloaded once idle long enough.
            interval = await room.pulse() ? pulseInterval : idleInterval
            if interval == idleInterval, await hub.unloadIfIdle(room) { return }
        }
    }

    /// Drops the room if it is idle after its contest finished (`ContestRoom.isIdleAfterFinish`); the next
    /// connection loads it again from the journal. True when the room is no longer this hub's, so its clock can stop.
    private func unloadIfIdle(_ room: ContestRoom) async -> Bool {
        let id = room.summary.id
        guard rooms[id] === room else { return true }
        guard await room.isIdleAfterFinish(for: Self.idleUnloadMilliseconds), rooms[id] === room else {
            return rooms[id] !== room
        }
        rooms[id] = nil
        if roomsByPin[room.summary.pin] === room { roomsByPin[room.summary.pin] = nil }
        logger.debug("idle contest unloaded", metadata: ["contest": .stringConvertible(id)])
        return true
    }

    /// Whether the contest's room is in memory.
    func isLoaded(_ id: ContestID) -> Bool { rooms[id] != nil }

    // MARK: - Connections

    /// A new connection's id, unique for the life of the process. (How many connections one address may hold is
    /// decided when the connection is accepted, for HTTP and WebSockets alike: `AddressConnections`.)
    nonisolated func connectionId() -> UInt64 {
        lastConnectionId.add(1, ordering: .relaxed).newValue
    }

    // MARK: - Rooms

    /// The room a PIN names, or nil; `address` is the client's, counted against its `PinGuessLimits` when the
    /// PIN names nothing. Throws 429 while the address is over its limit, whatever the PIN.
    func room(pin: String, from address: String) async throws -> ContestRoom? {
        let now = Double(clock.nowMilliseconds()) / 1000
        if let wait = pinGuesses.retryAfter(address, now: now) { throw APIError.tooManyAttempts(retryAfter: wait) }
        guard let room = try await room(pin: pin) else {
            pinGuesses.recordUnknown(address, now: now)
            return nil
        }
        return room
    }

    private func room(pin: String) async throws -> ContestRoom? {
        guard pin.count == 6, pin.allSatisfy(\.isASCIIDigit) else { return nil }
        // A PIN is reused once its contest is finished, so a finished room's PIN is asked of the database again.
        if let room = roomsByPin[pin], await !room.isFinished { return room }
        let storage = self.storage
        guard let summary = try await storage.contest(pin: pin) else { return nil }
        return try await room(for: summary)
    }

    func room(id: ContestID) async throws -> ContestRoom? {
        let storage = self.storage
        guard let summary = try await storage.contest(id: id) else { return nil }
        return try await room(for: summary)
    }

    private func room(for summary: ContestSummary) async throws -> ContestRoom {
        if let room = rooms[summary.id] { return room }
        if let task = loading[summary.id] { return try await task.value }
        if withdrawing.contains(summary.id) { throw Self.beingChanged }
        if let reason = summary.setAside { throw APIError(StorageError.setAside(reason)) }
        let (storage, journal, logger, silenceLimit, clock) = (
            self.storage, self.journal, self.logger, self.silenceLimit, self.clock
        )
        let task = Task {
            let room = try await RoomLoading.guarded(
                .contest, id: summary.id.rawValue, storage: storage, logger: logger
            ) {
                let questions = try await storage.contestQuestions(summary.id)
                let entries = try await storage.journal(ofContest: summary.id)
                let tree = try await storage.orgTree()
                // Replaying a long journal is CPU work (a 10,000-player contest's is seconds): off Swift's pool.
                return try await onCPUThreads {
                    let units = Branches(of: summary.ownerUnitId, in: tree)
                    return ContestRoom(
                        summary: summary, questions: questions, journalEntries: entries, branches: units.pickable,
                        subtree: units.subtree, journal: journal, silenceLimit: silenceLimit, clock: clock,
                        logger: logger)
                }
            }
            // Only finished rooms are unloaded, so loading one under way means the server restarted since it was
            // last played: a contest caught mid-question comes back paused, whatever its
            // status column had time to say before the stop. Done before anyone else gets the room.
            await room.pauseAfterRecovery()
            return room
        }
        loading[summary.id] = task
        defer { loading[summary.id] = nil }
        let room = try await task.value
        rooms[summary.id] = room
        roomsByPin[summary.pin] = room
        started.yield(room)
        return room
    }

    static let beingChanged = APIError(
        status: .conflict, message: "比赛正在修改，请稍后再试 (the contest is being changed; try again)")

    /// Runs `change` (an edit or a deletion of an unplayed contest, which the store refuses once it was played)
    /// with the contest's room out of the way: a loaded room nobody joined is retired (its host and screens are
    /// told to reload) and dropped, so the next join loads what `change` stored; a room with a journal refuses.
    func withdraw<T: Sendable>(_ id: ContestID, then change: @Sendable () async throws -> T) async throws -> T {
        guard !withdrawing.contains(id), loading[id] == nil else { throw Self.beingChanged }
        withdrawing.insert(id)
        defer { withdrawing.remove(id) }
        if let room = rooms[id] {
            guard await room.retireIfUnplayed() else { throw APIError(StorageError.contestPlayed) }
            rooms[id] = nil
            if roomsByPin[room.summary.pin] === room { roomsByPin[room.summary.pin] = nil }
        }
        return try await change()
    }

    /// Contests that were under way when the server stopped come back, paused where they were. One that cannot be
    /// loaded is set aside with its reason logged (and shown in the console); the others start regardless.
    func recover() async -> Int {
        let storage = self.storage
        let live: [ContestSummary]
        do {
            live = try await storage.liveContests()
        } catch {
            logger.error("live contests could not be listed; none resumed", metadata: ["error": "\(error)"])
            return 0
        }
        var resumed = 0
        for summary in live {
            do {
                _ = try await room(for: summary)
                resumed += 1
            } catch {
                logger.error(
                    "contest set aside, not resumed",
                    metadata: ["contest": .stringConvertible(summary.id), "reason": .string(Self.reason(error))])
            }
        }
        return resumed
    }

    private static func reason(_ error: any Error) -> String {
        (error as? APIError)?.message ?? String(describing: error)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
