import DengaoCore
import Foundation

/// A campaign's results as spreadsheets, read from the store (not from a room in memory), for the console's
/// export and `dengao export-campaign`.
public enum CampaignExport {
    public static let sheetNames = ["members", "branches", "daily", "rollup", "participants", "bands", "ranks"]

    /// The results' sheets, then the report's 等级分布 and 支部排名.
    public static func sheets(campaign id: Int64, storage: any Storage, now: Date = Date()) async throws -> (CampaignSummary, [Spreadsheet.Sheet]) {
        let (campaign, results, units, previous) = try await resultsAndPrevious(campaign: id, storage: storage, now: now)
        return try await reportWork {
            let names = unitNames(units)
            let report = results.report(owner: campaign.ownerUnitId, unitNames: names, previous: previous)
            return (campaign, results.sheets(unitNames: names) + [report.bands.sheet(), report.ranks.sheet()])
        }
    }

    /// `results`, with the branch board's composites at the end of the day before the latest day counted (the
    /// rank tables' previous period): attempts started by then, on that day's roster. nil before the campaign's
    /// second day.
    static func resultsAndPrevious(campaign id: Int64, storage: any Storage, now: Date = Date()) async throws
        -> (
            CampaignSummary, CampaignResults, (branches: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo]),
            previous: (label: String, composites: [Int64: Double])?
        )
    {
        let read = try await read(campaign: id, storage: storage, now: now)
        let days = read.calendar.days(through: read.today)
        let units = (branches: read.units.pickable, subtree: read.units.subtree)
        guard days.count >= 2 else { return (read.campaign, read.results, units, nil) }
        let day = days[days.count - 2]
        let before = try await reportWork {
            CampaignResults(
                settings: read.campaign.settings, calendar: read.calendar, attempts: read.attempts.filter { !(day < $0.started.day) },
                history: read.history, owner: read.campaign.ownerUnitId, branches: read.units.pickable.map(\.id), tree: read.tree,
                today: day)
        }
        return (
            read.campaign, read.results, units,
            ("截至 \(day) 日终的排名 (ranks at the end of \(day))", before.composites())
        )
    }

    /// The campaign's results up to today, counted by `Participation`'s rule, with the units of its subtree (the
    /// board's branches among them) named as the board names them.
    static func results(campaign id: Int64, storage: any Storage, now: Date = Date()) async throws
        -> (CampaignSummary, CampaignResults, (branches: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo]))
    {
        let read = try await read(campaign: id, storage: storage, now: now)
        return (read.campaign, read.results, (read.units.pickable, read.units.subtree))
    }

    /// What both readings share: the campaign, its attempts and roster history, and its results up to today.
    private static func read(campaign id: Int64, storage: any Storage, now: Date) async throws -> (
        campaign: CampaignSummary, calendar: CampaignCalendar, today: CampaignDay, attempts: [StoredAttempt],
        history: Participation.History, tree: OrgTree, units: (pickable: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo]),
        results: CampaignResults
    ) {
        guard let campaign = try await storage.campaign(id: id) else { throw StorageError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StorageError.setAside(reason) }
        guard let calendar = campaign.settings.calendar else { throw StorageError.corrupt("campaign \(id) has no calendar") }
        let tree = try await storage.orgTree()
        let units = ContestHub.branches(of: campaign.ownerUnitId, in: tree)
        let (attempts, history) = (try await storage.campaignAttempts(id), try await storage.rosterHistory())
        let today = calendar.day(of: Int64(now.timeIntervalSince1970 * 1000))
        // Counting every attempt against the roster: report work, off the requests' threads.
        let results = try await reportWork {
            CampaignResults(
                settings: campaign.settings, calendar: calendar, attempts: attempts, history: history,
                owner: campaign.ownerUnitId, branches: units.pickable.map(\.id), tree: tree, today: today)
        }
        return (campaign, calendar, today, attempts, history, tree, (units.pickable, units.subtree), results)
    }

    static func unitNames(_ units: (branches: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo])) -> [Int64: String] {
        Dictionary((units.subtree + units.branches).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
