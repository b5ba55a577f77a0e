import DengaoCore
import DengaoStorage
import Foundation
import Logging
import Testing

@testable import DengaoServer

/// Rooms of contests and campaigns that are over leave memory once idle on the server's clock, and come back from
/// the store on the next use; rooms that can still change stay.
@Suite struct IdleRoomUnloadTests {
    /// Runs the hub's clocks and the journal's writer around `body`, and stops them after.
    func running<Hub: Sendable>(
        _ hub: Hub, journal: Journal, run: @escaping @Sendable (Hub) async -> Void,
        stop: @escaping @Sendable (Hub) async -> Void,
        _ body: () async throws -> Void
    ) async throws {
        let written = Task { await journal.run() }
        let clocks = Task { await run(hub) }
        do {
            try await body()
        } catch {
            await stop(hub)
            await clocks.value
            journal.finish()
            await written.value
            throw error
        }
        await stop(hub)
        await clocks.value
        journal.finish()
        await written.value
    }

    /// Waits (boundedly) for the hub's pulse, which runs on its own task once the clock has moved, to drop the
    /// room; the clock creeps on meanwhile, so a pulse that went back to sleep after the last move still wakes.
    func waitUntil(_ clock: ManualClock, _ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if await condition() { return true }
            clock.advance(by: .milliseconds(100))
            try await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }

    @Test func aFinishedContestsRoomIsUnloadedOnceUnwatchedForTenMinutesAndReloads() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let (finished, unfinished) = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            return (
                ContestID(try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest.id),
                ContestID(try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest.id)
            )
        }
        let store = try TestBackend.storage(configuration)
        let journal = Journal(storage: store)
        let clock = ManualClock()
        let hub = ContestHub(
            storage: store, journal: journal, logger: Logger(label: "test"), silenceLimit: .seconds(75),
            clock: clock)
        try await running(hub, journal: journal, run: { await $0.run() }, stop: { $0.stop() }) {
            let room = try #require(try await hub.room(id: finished))
            _ = try #require(try await hub.room(id: unfinished))
            #expect(await room.command(.finish) == nil)
            clock.advance(by: .seconds(9 * 60))
            #expect(await hub.isLoaded(finished))
            clock.advance(by: .seconds(61))
            #expect(try await waitUntil(clock) { await !hub.isLoaded(finished) })
            // A contest still in its lobby can be joined at any time: it stays.
            #expect(await hub.isLoaded(unfinished))
            let reloaded = try #require(try await hub.room(id: finished))
            #expect(reloaded !== room)
            #expect(await reloaded.isFinished)
        }
    }

    @Test func aCampaignsRoomIsUnloadedOnceItsLastDayIsOverAndNothingUsesItAndReloads() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let id = try await withLiveApp(configuration) { client in
            try await client.signIn("root").createCampaign(settings: climbSettings(levels: 1)).campaign.id
        }
        let store = try TestBackend.storage(configuration)
        // climbSettings runs until 2099-12-31; the first clock is on its last day, the second after it.
        for (start, over) in [(Int64(4_102_401_600_000), false), (4_102_488_000_000, true)] {
            let journal = Journal(storage: store)
            let clock = ManualClock(startingAt: start)
            let hub = CampaignHub(
                storage: store, journal: journal, logger: Logger(label: "test"), clock: clock)
            try await running(hub, journal: journal, run: { await $0.run() }, stop: { $0.stop() }) {
                let room = try #require(try await hub.room(id: id))
                clock.advance(by: .seconds(9 * 60))
                #expect(await hub.isLoaded(id))
                clock.advance(by: .seconds(61))
                if over {
                    #expect(try await waitUntil(clock) { await !hub.isLoaded(id) })
                    let reloaded = try #require(try await hub.room(id: id))
                    #expect(reloaded !== room)
                } else {
                    // Members may still climb today: a few pulses later it is still there.
                    for _ in 0..<3 { clock.advance(by: .seconds(1)) }
                    try await Task.sleep(for: .milliseconds(100))
                    #expect(await hub.isLoaded(id))
                    #expect(try await hub.room(id: id) === room)
                }
            }
        }
    }
}
