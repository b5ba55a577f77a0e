import DengaoStorage
import ServiceLifecycle

/// Runs the contests' clocks and the journal's writer for the life of the server. On shutdown the rooms stop
/// first, then the journal writes everything still pending before the process exits.
struct ContestService: Service {
    let hub: ContestHub
    let journal: ContestJournal

    func run() async throws {
        async let written: Void = journal.run()
        await withGracefulShutdownHandler {
            await hub.run()
        } onGracefulShutdown: {
            Task { await hub.stop() }
        }
        journal.finish()
        await written
    }
}
