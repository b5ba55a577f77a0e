import DengaoCore
import DengaoStorage
import Foundation

/// A campaign's results as spreadsheets, read from the store (not from a room in memory), for the console's
/// export and `dengao export-campaign`.
public enum CampaignExport {
    public static let sheetNames = ["members", "branches", "daily", "rollup", "participants"]

    /// Blocking (SQLite).
    public static func sheets(campaign id: Int64, store: Store, now: Date = Date()) throws -> (CampaignSummary, [Spreadsheet.Sheet]) {
        let (campaign, results, units) = try results(campaign: id, store: store, now: now)
        return (campaign, results.sheets(unitNames: unitNames(units)))
    }

    /// The campaign's results up to today, counted by `Participation`'s rule, with the units of its subtree (the
    /// board's branches among them) named as the board names them.
    static func results(campaign id: Int64, store: Store, now: Date = Date()) throws
        -> (CampaignSummary, CampaignResults, (branches: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo]))
    {
        guard let campaign = try store.campaign(id: id) else { throw StoreError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StoreError.setAside(reason) }
        guard let calendar = campaign.settings.calendar else { throw StoreError.corrupt("campaign \(id) has no calendar") }
        let tree = try store.orgTree()
        let units = ContestHub.branches(of: campaign.ownerUnitId, in: tree)
        let results = CampaignResults(
            settings: campaign.settings, calendar: calendar, attempts: try store.campaignAttempts(id), history: try store.rosterHistory(),
            owner: campaign.ownerUnitId, branches: units.pickable.map(\.id), tree: tree,
            today: calendar.day(of: Int64(now.timeIntervalSince1970 * 1000)))
        return (campaign, results, (units.pickable, units.subtree))
    }

    static func unitNames(_ units: (branches: [ServerMessage.BranchInfo], subtree: [ServerMessage.BranchInfo])) -> [Int64: String] {
        Dictionary((units.subtree + units.branches).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
