import DengaoCore
import ServiceLifecycle

// The live rooms and the journal are three services, one per lifecycle. They are handed to the service group in
// this order, and a service group shuts its services down in reverse, each after the previous one has returned:
// the HTTP server stops first, then the campaigns' clocks, then the contests' clocks, and the journal last, so it
// writes everything the rooms journaled while they stopped.

/// The server's live services in the order they must start (and, reversed, stop).
func liveServices(contests: ContestHub, campaigns: CampaignHub, journal: Journal) -> [any Service] {
    [
        JournalService(journal: journal), ContestClockService(contests: contests),
        CampaignClockService(campaigns: campaigns),
    ]
}

/// Writes the journal for the life of the server; on shutdown it writes what is pending, then returns.
struct JournalService: Service {
    let journal: Journal

    func run() async {
        await withGracefulShutdownHandler {
            await journal.run()
        } onGracefulShutdown: {
            journal.finish()
        }
    }
}

/// Drives every loaded contest's clock until shutdown.
struct ContestClockService: Service {
    let contests: ContestHub

    func run() async {
        await withGracefulShutdownHandler {
            await contests.run()
        } onGracefulShutdown: {
            contests.stop()
        }
    }
}

/// Drives every loaded campaign's clock until shutdown.
struct CampaignClockService: Service {
    let campaigns: CampaignHub

    func run() async {
        await withGracefulShutdownHandler {
            await campaigns.run()
        } onGracefulShutdown: {
            campaigns.stop()
        }
    }
}
