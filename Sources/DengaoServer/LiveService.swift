import DengaoCore
import ServiceLifecycle

/// Runs the contests' and campaigns' clocks and the journal's writer for the life of the server. On shutdown the
/// rooms stop first, then the journal writes everything still pending before the process exits.
struct LiveService: Service {
    let contests: ContestHub
    let campaigns: CampaignHub
    let journal: Journal

    func run() async throws {
        async let written: Void = journal.run()
        await withGracefulShutdownHandler {
            async let campaignClocks: Void = campaigns.run()
            await contests.run()
            await campaignClocks
        } onGracefulShutdown: {
            Task {
                await contests.stop()
                await campaigns.stop()
            }
        }
        journal.finish()
        await written
    }
}
