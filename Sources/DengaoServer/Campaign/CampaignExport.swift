import DengaoCore
import DengaoStorage
import Foundation

/// A campaign's results as spreadsheets, read from the store (not from a room in memory), for the console's
/// export and `dengao export-campaign`.
public enum CampaignExport {
    public static let sheetNames = ["members", "branches", "daily", "participants"]

    /// Blocking (SQLite).
    public static func sheets(campaign id: Int64, store: Store, now: Date = Date()) throws -> (CampaignSummary, [Spreadsheet.Sheet]) {
        let (campaign, results, roster, branches) = try results(campaign: id, store: store, now: now)
        let names = Dictionary(branches.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return (campaign, results.sheets(roster: roster, branchNames: names, tree: try store.orgTree()))
    }

    /// The campaign's results up to today, with the roster and the board's branches they were counted against.
    static func results(campaign id: Int64, store: Store, now: Date = Date()) throws
        -> (CampaignSummary, CampaignResults, [CampaignResults.Member], [ServerMessage.BranchInfo])
    {
        guard let campaign = try store.campaign(id: id) else { throw StoreError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StoreError.setAside(reason) }
        guard let calendar = campaign.settings.calendar else { throw StoreError.corrupt("campaign \(id) has no calendar") }
        let tree = try store.orgTree()
        let roster = try store.rosterMembers(in: campaign.ownerUnitId.map { tree.subtreeIds(of: $0) })
        let branches = ContestHub.branches(of: campaign.ownerUnitId, in: tree).pickable
        let results = CampaignResults(
            settings: campaign.settings, calendar: calendar, attempts: try store.campaignAttempts(id), roster: roster,
            placements: try store.placements(), branches: branches.map(\.id), tree: tree,
            today: calendar.day(of: Int64(now.timeIntervalSince1970 * 1000)))
        return (campaign, results, roster, branches)
    }
}
