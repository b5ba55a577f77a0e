import DengaoCore
import Foundation
import Hummingbird

/// The results page's figures: `GET /api/contests/:id/report` and `GET /api/campaigns/:id/report`, guarded and
/// refused (404, 403, 409 set-aside) exactly as the results downloads are, and read from the same replay and the
/// same participation rule, so the page and the spreadsheets always agree.
struct ReportController {
    let storage: any Storage
    let contests: ContestHub
    let campaigns: CampaignHub
    /// The organization's zone: a contest's times are written in it (a campaign uses its own).
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("contests/:id/report", .contest(parameter: "id"), use: contestReport)
        routes.get("campaigns/:id/report", .campaign(parameter: "id"), use: campaignReport)
    }

    /// A spreadsheet the page offers: one sheet as CSV (the workbook holds them all).
    struct Download: Encodable {
        var sheet: String
        var name: String
        var csv: String
    }

    struct Downloads: Encodable {
        var workbook: String
        var sheets: [Download]
    }

    struct ContestReportResponse: ResponseEncodable {
        var kind = "contest"
        var id: ContestID
        var title: String
        var status: ContestStatus
        var timeZone: String
        /// When these figures were read, local to `timeZone`.
        var generatedAt: String
        /// When the first question was brought on (the roster is read then); nil before that.
        var startedAt: String?
        var headline: ContestReport.Headline
        var participation: ReportParticipation
        var branches: [ContestReport.BranchScores]
        var histogram: [ReportFigures.Bin]
        var bands: ReportBands
        var ranks: ReportRanks
        var top: [ContestReport.Standing]
        /// 投票 questions revealed so far, with how the room answered.
        var polls: [ContestResults.PollTally]
        var downloads: Downloads
        /// The member category the figures are narrowed to (`?memberCategory=ID`); absent: every player.
        var memberCategory: MemberCategoryReports.Named?
        /// The whole contest split by member category.
        var memberCategories: MemberCategorySplit
    }

    struct CampaignReportResponse: ResponseEncodable {
        var kind = "campaign"
        var id: CampaignID
        var title: String
        /// upcoming, open or ended, by the campaign's own calendar.
        var status: String
        var timeZone: String
        var startDate: String
        var endDate: String
        var generatedAt: String
        var headline: CampaignReport.Headline
        var participation: ReportParticipation
        var groups: [CampaignReport.GroupScores]
        var histogram: [ReportFigures.Bin]
        var bands: ReportBands
        var ranks: ReportRanks
        var trend: [CampaignReport.Day]
        var top: [CampaignReport.Standing]
        var downloads: Downloads
        var memberCategory: MemberCategoryReports.Named?
        var memberCategories: MemberCategorySplit
    }

    static let contestSheets = [
        ("standings", "成绩"), ("answers", "答题明细"), ("branches", "支部"), ("bands", "等级分布"), ("ranks", "支部排名"),
        ("memberCategories", "党员类别"),
        // Last, and only for a contest with polls: the sheets are addressed by position.
        ("polls", "投票"),
    ]
    static let campaignSheets = zip(
        CampaignExport.sheetNames, ["成绩", "支部", "每日参与", "每日汇总", "参与名单", "等级分布", "支部排名", "党员类别"]
    ).map { ($0, $1) }

    @Sendable func contestReport(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> ContestReportResponse
    {
        let id = ContestID(try context.pathID())
        // Every answer acknowledged so far is on disk before the journal is read.
        try await contests.journal.holdUntilDurable()
        let (storage, zone, clock) = (self.storage, timeZone, contests.clock)
        let now = clock.nowMilliseconds()
        let (contest, questions, whole, startedAt) = try await storage.contestResults(id)
        let tree = try await storage.orgTree()
        // A contest for some member categories counts its roster among their holders only.
        let history = contest.settings.rosterHistory(try await storage.rosterHistory())
        let filter = try await MemberCategoryReports.filter(request, storage: storage, spans: history.categorySpans)
        let categories = try await MemberCategoryReports.categories(storage: storage)
        let units = Branches(of: contest.ownerUnitId, in: tree)
        let names = units.names
        // A member counts for a category they held when the contest started (its roster's moment).
        let moment = startedAt ?? now
        let results = ContestRanks.restricted(whole, filter, at: moment)
        let ranks = try await ContestRanks.read(
            contest: contest, results: results, names: names, tree: tree, storage: storage,
            now: Date(timeIntervalSince1970: Double(now) / 1000), filter: filter)
        return try await reportWork {
            let subtree = contest.ownerUnitId.map { Set(tree.subtreeIds(of: $0)) }
            let everyone = history.roster(at: moment, within: subtree)
            let roster = filter.map { filter in everyone.filter { filter.holds($0.key, at: moment) } } ?? everyone
            let split = MemberCategoryReports.contestSplit(
                results: whole, history: history, moment: moment, subtree: subtree, categories: categories)
            let report = ContestReport(
                results: results, questionCount: questions.drawnCount(in: contest.settings), roster: roster,
                branches: units.pickable.map(\.id),
                owner: contest.ownerUnitId, tree: tree, names: names)
            return ContestReportResponse(
                id: contest.id, title: contest.title, status: contest.status, timeZone: zone.identifier,
                generatedAt: LocalTime.text(milliseconds: now, in: zone),
                startedAt: startedAt.map { LocalTime.text(milliseconds: $0, in: zone) }, headline: report.headline,
                participation: report.participation, branches: report.branches, histogram: report.histogram,
                bands: report.bands, ranks: ranks, top: report.top, polls: whole.polls,
                downloads: Self.downloads(
                    "/api/contests/\(contest.id)/results",
                    Self.contestSheets.filter { $0.0 != "polls" || !whole.polls.isEmpty }, filter),
                memberCategory: filter.map(MemberCategoryReports.Named.init), memberCategories: split)
        }
    }

    @Sendable func campaignReport(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignReportResponse
    {
        let id = try CampaignController.id(context)
        // Every answer a member was told of is on disk before the attempts are read.
        try await campaigns.journal.holdUntilDurable()
        let (storage, clock) = (self.storage, campaigns.clock)
        let now = clock.now()
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let (campaign, results, units, previous, split) = try await CampaignExport.resultsAndPrevious(
            campaign: id, storage: storage, now: now, filter: filter)
        return try await reportWork {
            let calendar = campaign.settings.calendar!
            let report = results.report(owner: campaign.ownerUnitId, unitNames: units.names, previous: previous)
            let today = calendar.day(of: Int64(now.timeIntervalSince1970 * 1000))
            return CampaignReportResponse(
                id: campaign.id, title: campaign.title,
                status: today < calendar.first ? "upcoming" : today > calendar.last ? "ended" : "open",
                timeZone: calendar.timeZone.identifier, startDate: calendar.first.description,
                endDate: calendar.last.description,
                generatedAt: LocalTime.text(
                    milliseconds: Int64(now.timeIntervalSince1970 * 1000), in: calendar.timeZone),
                headline: report.headline, participation: report.participation, groups: report.groups,
                histogram: report.histogram, bands: report.bands, ranks: report.ranks, trend: report.trend,
                top: report.top,
                downloads: Self.downloads("/api/campaigns/\(campaign.id)/results", Self.campaignSheets, filter),
                memberCategory: filter.map(MemberCategoryReports.Named.init), memberCategories: split)
        }
    }

    private static func downloads(_ base: String, _ sheets: [(String, String)], _ filter: MemberCategoryFilter?)
        -> Downloads
    {
        Downloads(
            workbook: MemberCategoryReports.link(base + "?format=xlsx", filter),
            sheets: sheets.map {
                Download(
                    sheet: $0.0, name: $0.1,
                    csv: MemberCategoryReports.link(base + "?format=csv&sheet=" + $0.0, filter))
            })
    }
}
