import DengaoCore
import Foundation
import Hummingbird

/// The organization's participation over a range of dates, period by period (参与率 and 未参与名单 across every
/// activity): `GET /api/reports/participation?unit=&from=&to=&period=`, as JSON, or as a spreadsheet with
/// `format=xlsx|csv&sheet=rates|trend|absent`, or one group's absent members with `absent=UNIT[&direct=true]`.
/// An organizer reads their own subtree (the default) or any unit in it; administrators the whole organization.
struct ParticipationReportController {
    let storage: any Storage
    let authorizer: Authorizer
    let journal: Journal
    let clock: any ServerClock
    let timeZone: TimeZone

    static let sheetNames = ["rates", "trend", "absent", "standings"]

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("reports/participation", .staff, use: participation)
    }

    struct Tally: Encodable {
        var roster: Int
        var participants: Int
        var absent: Int
        /// participants / roster, 0…1; nil with nobody on the roster.
        var rate: Double?

        init(_ tally: Participation.Tally) {
            roster = tally.roster
            participants = tally.participants
            absent = tally.absent
            rate = tally.roster > 0 ? tally.rate : nil
        }
    }

    struct Period: Encodable {
        var label: String
        var first: String
        var last: String
        var total: Tally
    }

    struct Line: Encodable {
        var unitId: UnitID
        var name: String
        var depth: Int
        var branch: Bool
        var direct: Bool
        var periods: [Tally]
        var overall: Tally
    }

    struct Standing: Encodable {
        var unitId: UnitID
        var name: String
        var rank: Int
        var tally: Tally
        var previousRank: Int?
        var previousRate: Double?
        /// Places moved up (negative: down) and the rate's change in percentage points, against the previous range.
        var rankChange: Int?
        var rateChange: Double?
    }

    struct Report: ResponseEncodable {
        var unitId: UnitID?
        var unitName: String
        var timeZone: String
        var from: String
        var to: String
        var period: String
        var periods: [Period]
        var overall: Period
        /// The range of as many days just before this one (上期), counted the same way.
        var previous: Period
        var units: [Line]
        /// Branches by rate over the range, with their change since the previous range.
        var standings: [Standing]
        /// Each member category's figures over the range (the whole roster's, whatever `category` narrows the
        /// rest to), in the list's order.
        var memberCategories: [CategoryLine]
    }

    /// One member category's line of the split: its holders on the roster, those who took part, the rate.
    struct CategoryLine: Encodable {
        var id: MemberCategoryID
        var name: String
        var tally: Tally
    }

    struct Person: Encodable {
        var number: String
        var name: String
    }

    struct AbsentList: ResponseEncodable {
        var unitId: UnitID
        var direct: Bool
        var members: [Person]
    }

    /// What the query asks for, checked before anything is read.
    struct Query {
        var unit: UnitID?
        var first: CampaignDay
        var last: CampaignDay
        var length: ReportPeriod.Length

        /// `periodic`: the report splits the range into periods (`period=`, at most a year by day); otherwise the
        /// range is one whole and `period` is not read.
        init(_ request: Request, principal: Principal, today: CampaignDay, periodic: Bool = true) throws {
            let parameters = request.uri.queryParameters
            if let text = parameters.get("unit") {
                guard let unit = UnitID(text) else { throw APIError.badRequest("单位须以编号给出 (unit must be a unit id)") }
                self.unit = unit
            } else {
                unit = principal.scopeRoot
            }
            func day(_ name: String) throws -> CampaignDay? {
                guard let text = parameters.get(name) else { return nil }
                guard let day = CampaignDay(text) else {
                    throw APIError(
                        status: .unprocessableContent,
                        message:
                            "\(name == "from" ? "起始" : "结束")日期须形如 2026-11-01 (\(name) must be a date like 2026-11-01)")
                }
                return day
            }
            last = min(try day("to") ?? today, today)
            // `days=N` without `from`: the N days ending at `to` (today by default) in the organization's zone, so a
            // page whose browser keeps another zone still asks for the organization's "last 30 days".
            let trailing = try parameters.get("days").map { text in
                guard let count = Int(text), (1...366).contains(count) else {
                    throw APIError(
                        status: .unprocessableContent, message: "天数须为 1–366 的整数 (days must be a whole number 1–366)")
                }
                return count
            }
            if let from = try day("from") {
                first = from
            } else if let trailing {
                first = ReportPeriod.day(1 - trailing, after: last)
            } else {
                first = ReportPeriod.days(CampaignDay(year: last.year, month: last.month, day: 1), last).first ?? last
            }
            let lengthText = periodic ? parameters.get("period") ?? "day" : "month"
            guard let length = ReportPeriod.Length(rawValue: lengthText) else {
                throw APIError(
                    status: .unprocessableContent,
                    message: "统计周期须为 day（日）、week（周）、month（月）或 quarter（季度）(period must be day, week, month or quarter)")
            }
            self.length = length
            guard first <= last else {
                throw APIError(
                    status: .unprocessableContent, message: "起始日期晚于结束日期（或晚于今天）(from is after to, or after today)")
            }
            guard length != .day || ReportPeriod.dayCount(first, last) <= ReportPeriod.maximumDailyPeriods else {
                throw APIError(
                    status: .unprocessableContent,
                    message:
                        "按日统计最多 \(ReportPeriod.maximumDailyPeriods) 天，更长的区间请按周、月或季度统计 (at most \(ReportPeriod.maximumDailyPeriods) days by day; use week, month or quarter)"
                )
            }
            guard ReportPeriod.dayCount(first, last) <= ReportPeriod.maximumDays else {
                throw APIError(
                    status: .unprocessableContent,
                    message:
                        "一次最多统计 \(ReportPeriod.maximumDays) 天 (at most \(ReportPeriod.maximumDays) days per report)")
            }
        }
    }

    /// The `category` parameter: an id of the organization's member categories, or nil when absent or empty.
    static func category(_ text: String?, storage: any Storage) async throws -> MemberCategoryID? {
        guard let text, !text.isEmpty else { return nil }
        let known = try await storage.memberCategories().map(\.id)
        guard let id = MemberCategoryID(text), known.contains(id) else {
            throw APIError.badRequest("没有编号为 \(text) 的党员类别 (category: no member category \(text))")
        }
        return id
    }

    @Sendable func participation(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let zone = timeZone
        let today = CampaignCalendar.day(of: clock.nowMilliseconds(), in: zone)
        let query = try Query(request, principal: principal, today: today)
        if let unit = query.unit {
            try await authorizer.demandManage(unit: unit, principal: principal)
        } else {
            try await authorizer.demand(.administrator, principal: principal)
        }
        let parameters = request.uri.queryParameters
        let download = parameters.get("format") == nil ? nil : try ResultsDownload(request, sheetNames: Self.sheetNames)
        let absentGroup = try parameters.get("absent").map { text in
            guard let unit = UnitID(text) else { throw APIError.badRequest("未参与名单须以单位编号指定 (absent must be a unit id)") }
            return (unit: unit, direct: parameters.get("direct") == "true")
        }
        let storage = self.storage
        let category = try await Self.category(parameters.get("category"), storage: storage)
        // Every attempt acknowledged so far is on disk before the activity is read.
        try await journal.holdUntilDurable()
        let needsNames = download != nil || absentGroup != nil
        // The split by member category only where it is shown: the JSON report.
        let split = needsNames ? [] : try await MemberCategoryReports.categories(storage: storage)
        let figures = try await ParticipationFigures.read(
            storage: storage, unit: query.unit, first: query.first, last: query.last, length: query.length,
            timeZone: zone,
            names: needsNames, category: category, splitBy: split)
        let (report, previous, tree, history) = (figures.report, figures.previous, figures.tree, figures.history)
        let units = Branches(of: query.unit, in: tree)
        let names = units.names
        let lines = report.lines(owner: query.unit, tree: tree, names: names)
        let standings = BranchStanding.rank(report.overall, previous: previous.overall)

        if let group = absentGroup {
            guard
                let index = report.overall.groups.firstIndex(where: {
                    $0.unitId == group.unit && $0.direct == group.direct
                })
            else {
                throw APIError(status: .notFound, message: "该单位不在本报表的分组中 (no such group in this report)")
            }
            let members = report.members(of: index, in: report.overall, tookPart: false).map { id in
                let person = history.people[id]
                return Person(number: person?.number ?? "", name: person?.name ?? "")
            }
            return try AbsentList(unitId: group.unit, direct: group.direct, members: members).response(
                from: request, context: context)
        }
        if let download {
            let base = "participation-\(query.first)-\(query.last)-\(query.length.rawValue)"
            let sheets =
                report.sheets(lines: lines, people: history.people, groupNames: names)
                + [BranchStanding.sheet(standings, names: names, previous: previous.overall.period)]
            return download.response(sheets, fileBase: base)
        }
        func period(_ figures: PeriodParticipation.Figures) -> Period {
            Period(
                label: figures.period.label, first: figures.period.first.description,
                last: figures.period.last.description, total: Tally(figures.total))
        }
        return try Report(
            unitId: query.unit, unitName: query.unit.flatMap { tree.unit($0)?.name } ?? "全组织",
            timeZone: zone.identifier,
            from: query.first.description, to: query.last.description, period: query.length.rawValue,
            periods: report.periods.map(period), overall: period(report.overall), previous: period(previous.overall),
            units: lines.map { line in
                Line(
                    unitId: line.unitId, name: line.name, depth: line.depth, branch: line.isBranch, direct: line.direct,
                    periods: line.periods.map(Tally.init), overall: Tally(line.overall))
            },
            standings: standings.map { standing in
                Standing(
                    unitId: standing.unitId, name: names[standing.unitId] ?? String(standing.unitId),
                    rank: standing.rank,
                    tally: Tally(standing.tally), previousRank: standing.previousRank,
                    previousRate: standing.previousRate,
                    rankChange: standing.rankChange, rateChange: standing.rateChange)
            },
            memberCategories: figures.categories.map {
                CategoryLine(id: $0.id, name: $0.name, tally: Tally($0.total))
            }
        ).response(from: request, context: context)
    }
}
