import DengaoCore
import Foundation
import Hummingbird

/// The weak categories of a period across every activity (精准滴灌 for a month or a quarter, not one contest):
/// `GET /api/reports/categories?unit=&from=&to=`, the branch × category accuracy of every answer given in the range
/// by the unit's members against the whole range's, each branch's weakest categories, and the range's hardest
/// questions; `format=xlsx|csv` downloads the 薄弱分类 sheet. Scope and dates are read as the participation report reads them.
struct CategoryReportController {
    let storage: any Storage
    let authorizer: Authorizer
    let journal: Journal
    let clock: any ServerClock
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("reports/categories", .staff, use: categories)
    }

    /// One question's answers over the range: how hard it was across every activity that asked it.
    struct Question: Encodable {
        var questionId: QuestionID
        /// "题库 v2 第5题": where to correct it.
        var place: String
        var bankName: String
        var stem: String
        var category: String
        var count: Int
        /// Mean credit × 100 (Moodle's facility index of a question, here over every answer of the range).
        var facilityIndex: Double
        /// Too easy / too hard only: without a common test there is no discrimination to judge.
        var flags: [String]
    }

    struct Report: ResponseEncodable {
        var unitId: UnitID?
        var unitName: String
        var timeZone: String
        var from: String
        var to: String
        /// Answers counted (contests' revealed answers and campaigns' resolved questions).
        var answers: Int
        var categories: ItemReportJSON.Categories
        /// The hardest questions answered at least `minimumCount` times, lowest facility first (at most 50).
        var questions: [Question]
        /// The member category the answers are narrowed to (`?memberCategory=ID`); absent: everyone's.
        var memberCategory: MemberCategoryReports.Named?
    }

    /// Questions with fewer answers than this are not ranked among the hardest: a handful says nothing.
    static let minimumCount = ItemFlagThresholds().minimumCount
    static let hardestListed = 50

    @Sendable func categories(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let zone = timeZone
        let today = CampaignCalendar.day(of: clock.nowMilliseconds(), in: zone)
        let query = try ParticipationReportController.Query(
            request, principal: principal, today: today, periodic: false)
        if let unit = query.unit {
            try await authorizer.demandManage(unit: unit, principal: principal)
        } else {
            try await authorizer.demand(.administrator, principal: principal)
        }
        let download =
            request.uri.queryParameters.get("format") == nil
            ? nil : try ResultsDownload(request, sheetNames: ["categories"])
        // Every answer acknowledged so far is on disk before it is read.
        try await journal.holdUntilDurable()
        let storage = self.storage
        let calendar = CampaignCalendar(timeZone: zone, first: query.first, last: query.last)
        let tree = try await storage.orgTree()
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let (contestsFrom, until) = (
            calendar.end(of: ReportPeriod.day(-1, after: query.first)), calendar.end(of: query.last)
        )
        let read: [AnswerTally]
        if let filter {
            read = try await storage.memberAnswerTallies(
                campaignDays: query.first, through: query.last, contestsFrom: contestsFrom, until: until
            ).filter { filter.holds($0.memberId, at: $0.at) }.map(\.tally)
        } else {
            read = try await storage.answerTallies(
                campaignDays: query.first, through: query.last, contestsFrom: contestsFrom, until: until)
        }
        let tallies = Self.grouped(read, unit: query.unit, tree: tree)
        let questions = try await storage.questionsForReport(ids: Set(tallies.map(\.questionId)))
        let matrix = CategoryMatrix.build(
            tallies: tallies.map {
                CategoryTally(
                    unitId: $0.unitId, category: questions[$0.questionId]?.question.category ?? "",
                    count: $0.count,
                    credit: $0.credit)
            })
        let units = Branches(of: query.unit, in: tree)
        let names = units.names
        if let download {
            let sheets = [matrix.sheet(unitNames: names)]
            return download.response(
                filter.map { $0.caption(sheets) } ?? sheets, fileBase: "categories-\(query.first)-\(query.last)")
        }
        return try Report(
            unitId: query.unit, unitName: query.unit.flatMap { tree.unit($0)?.name } ?? "全组织",
            timeZone: zone.identifier,
            from: query.first.description, to: query.last.description, answers: tallies.reduce(0) { $0 + $1.count },
            categories: ItemReportJSON.Categories(matrix, unitNames: names),
            questions: Self.hardest(tallies, questions: questions),
            memberCategory: filter.map(MemberCategoryReports.Named.init)
        ).response(from: request, context: context)
    }

    /// Each question's answers summed over the units, the hardest first (ties: more answers first, then id).
    static func hardest(_ tallies: [AnswerTally], questions: [QuestionID: ReportQuestion]) -> [Question] {
        var sums: [QuestionID: (count: Int, credit: Double)] = [:]
        for tally in tallies {
            let sum = sums[tally.questionId] ?? (0, 0)
            sums[tally.questionId] = (sum.count + tally.count, sum.credit + tally.credit)
        }
        let places = ItemReport.bankPlaces(questions)
        let thresholds = ItemFlagThresholds()
        return sums.compactMap { id, sum -> Question? in
            guard sum.count >= minimumCount, let question = questions[id] else { return nil }
            let facility = 100 * sum.credit / Double(sum.count)
            return Question(
                questionId: id, place: places[id] ?? "", bankName: question.bankName, stem: question.question.stem,
                category: question.question.category, count: sum.count, facilityIndex: facility,
                flags: ItemFlag.allCases.filter(thresholds.facilityFlags(facility).contains).map(\.rawValue))
        }
        .sorted { ($0.facilityIndex, -$0.count, $0.questionId) < ($1.facilityIndex, -$1.count, $1.questionId) }
        .prefix(hardestListed).map { $0 }
    }

    /// Tallies of units in the scope, moved to the group reports show them in (their branch, or the unit above the
    /// branches they sit on directly), like the participation report's rows.
    static func grouped(_ tallies: [AnswerTally], unit: UnitID?, tree: OrgTree) -> [AnswerTally] {
        let group = ItemReport.grouping(Branches(of: unit, in: tree), tree: tree)
        let scope = unit.map { Set(tree.subtreeIds(of: $0)) }
        return tallies.compactMap { tally in
            guard scope?.contains(tally.unitId) ?? true else { return nil }
            var moved = tally
            moved.unitId = group(tally.unitId)
            return moved
        }
    }
}
