import DengaoCore
import Foundation
import Logging

/// An answer-climbing campaign for `--demo` and fresh data directories: the default ten-level ladder over the
/// three sample banks, open for 30 days from today (Shanghai time), for the whole organization. Its links are
/// logged once (the display token is stored hashed).
enum DemoCampaign {
    static func settings(startingOn start: Date) -> CampaignSettings {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: CampaignSettings.defaultTimeZone)!
        func text(_ date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return CampaignDay(year: parts.year!, month: parts.month!, day: parts.day!).description
        }
        return CampaignSettings(
            title: "答题登高（演示）", startDate: text(start),
            endDate: text(calendar.date(byAdding: .day, value: 30, to: start)!),
            banks: ["党章党规党纪", "政治理论与常识", "党史与革命传统"])
    }

    static func seedIfNone(_ storage: any Storage, publicBaseURL: String, logger: Logger, now: Date = Date())
        async throws
    {
        guard try await storage.campaigns(ownedBy: nil).isEmpty else { return }
        let (campaign, token): (CampaignSummary, String)
        do {
            (campaign, token) = try await CampaignCreation.create(
                settings(startingOn: now), ownerUnitId: nil, createdById: nil, storage: storage)
        } catch is CampaignCreation.LevelProblems {
            return  // the sample banks are not all there (a custom samples folder): no demo campaign
        } catch StorageError.bankNotFound {
            return
        }
        logger.notice(
            "demo campaign \"\(campaign.title)\" is open: members climb at \(publicBaseURL)/climb.html#campaign=\(campaign.id) after opening their invitation link; the big screen opens \(publicBaseURL)/climb-display.html#campaign=\(campaign.id)&token=\(token)"
        )
    }
}
