import DengaoCore
import ServiceLifecycle

/// The first step of a graceful shutdown (SIGTERM), before the HTTP server stops: every live contest is paused and
/// journaled, every phone, screen and host is told to reconnect (close 1001, seat kept) once what it was sent is on
/// disk, and every commit under way finishes. Only then does the application's own shutdown run: the listener
/// closes, HTTP requests under way finish, the rooms' clocks stop and the journal writes what is left.
///
/// A service of its own, run beside the application in `runServer`'s group, because Hummingbird stops its server
/// before the application's services: by then WebSocket Core would already have closed every socket with 1000,
/// which tells a phone nothing about coming back, and would race the answers still being acknowledged.
struct ShutdownDrain: Service {
    let contests: ContestHub
    let campaigns: CampaignHub
    let journal: Journal
    let clock: any ServerClock

    /// How long the drain waits for close frames to go out before it lets the server's shutdown go on regardless.
    static let closeFramesLimit = Duration.seconds(3)

    func run() async throws {
        do { try await gracefulShutdown() } catch { return }
        await drain()
    }

    /// Pauses, tells everyone, waits for the commits and the close frames; returns when the server may stop.
    func drain() async {
        var outboxes = await contests.closeForRestart()
        outboxes += await campaigns.closeForRestart()
        // Everything decided so far, the pauses included, is on disk before the server's shutdown starts.
        try? await journal.durable(journal.lastAppended)
        // Each outbox sends its frames (each after its commit) and then its 1001; the HTTP server's shutdown must
        // not begin before, or WebSocket Core would close with 1000 first.
        var waited = Duration.zero
        let step = Duration.milliseconds(10)
        while waited < Self.closeFramesLimit, outboxes.contains(where: { !$0.isCloseFinished }) {
            try? await clock.sleep(for: step)
            waited += step
        }
    }
}
