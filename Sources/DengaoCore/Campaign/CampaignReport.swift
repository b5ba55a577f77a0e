/// What the results page shows of a campaign, read from `CampaignResults` so every figure is the exports' own:
/// the roster is the overall one (the last day's, today's while it runs), participation per unit is the branch
/// board's (the 支部 sheet), the trend is 每日汇总's total, and heights are the climbs'.
public struct CampaignReport: Sendable, Encodable {
    public struct Headline: Sendable, Encodable {
        public let roster: Int
        /// Members of the roster who made at least one attempt.
        public let participants: Int
        /// 覆盖率: participants / roster over the whole campaign so far (0 for an empty roster).
        public let coverageRate: Double
        /// The latest day counted (today while the campaign runs, its last day after); nil before it opens.
        public let latestDay: String?
        public let latestDayRoster: Int
        public let latestDayParticipants: Int
        /// 参与率 of the latest day: that day's participants / that day's roster.
        public let latestDayRate: Double
        /// The default ladder's levels.
        public let levels: Int
        /// Every ladder's levels, the default's first: a campaign with category ladders compares members by height
        /// as a share of their own ladder (the bands, the composite); mean and median heights are plain levels.
        public let ladderLevels: [Int]
        /// Mean height over the participants only; nil when nobody took part.
        public let meanHeightOverParticipants: Double?
        public let medianHeightOverParticipants: Double?
        /// Mean height over the whole roster, non-participants counting 0 (the board's figure); nil for no roster.
        public let meanHeightOverRoster: Double?
    }

    /// One group of the 支部 sheet: a branch (ranked by the board's composite) or a unit's directly placed members.
    public struct GroupScores: Sendable, Encodable {
        public let id: UnitID
        public let name: String
        public let direct: Bool
        public let rank: Int?
        public let composite: Double?
        public let roster: Int
        public let participants: Int
        public let rate: Double
        public let meanHeightOverRoster: Double?
        public let meanHeightOverParticipants: Double?
        public let medianHeightOverParticipants: Double?
    }

    /// The whole campaign's participation on one day (每日汇总's 合计 row).
    public struct Day: Sendable, Encodable {
        public let day: String
        public let roster: Int
        public let participants: Int
        public let rate: Double
    }

    public struct Standing: Sendable, Encodable {
        public let rank: Int
        public let name: String
        public let number: String
        public let unit: String
        public let height: Int
        public let correct: Int
        public let answered: Int
    }

    public let headline: Headline
    public let participation: ReportParticipation
    public let groups: [GroupScores]
    /// Heights of the participants, one bin per height 0…the longest ladder's levels.
    public let histogram: [ReportFigures.Bin]
    /// Participants per performance band, on their height as a share of their own ladder's levels.
    public let bands: ReportBands
    /// Branches ranked by the board's composite, against the previous period's ranks.
    public let ranks: ReportRanks
    public let trend: [Day]
    public let top: [Standing]

    /// What a campaign's bands are counted on.
    public static let bandBasis =
        "高度占本人阶梯层数的百分比，仅计参与者 (height as a percent of the member's own ladder's levels; participants only)"
    /// What a campaign's branches are ranked by.
    public static let rankMeasure = "综合得分 (composite)"
}

extension CampaignResults {
    /// Each branch's composite on the branch board (the rank tables' figure).
    public func composites() -> [UnitID: Double] {
        Dictionary(
            board.standings(of: branches).map { ($0.unitId, $0.composite) }, uniquingKeysWith: { first, _ in first })
    }
}

extension CampaignResults {
    /// The report of these results; `owner` is the campaign's unit (nil: the whole organization), `unitNames` names
    /// the units of its subtree; `previous` is the period the ranks are compared with (nil: none came before).
    public func report(
        owner: UnitID?, unitNames: [UnitID: String], previous: (label: String, composites: [UnitID: Double])? = nil,
        topCount: Int = 10
    ) -> CampaignReport {
        let grouping = Participation.Grouping(branches: branches, tree: tree)
        var heights: [Participation.Grouping.Group: (all: [Int], climbers: [Int])] = [:]
        var percents: [Participation.Grouping.Group: [Double]] = [:]
        for member in roster {
            let group = grouping.group(of: member.unitId)
            let climb = climbs[member.memberId]
            heights[group, default: ([], [])].all.append(climb?.height ?? 0)
            if let climb {
                heights[group, default: ([], [])].climbers.append(climb.height)
                let levels = board.levels(ofLadder: ladders[member.memberId] ?? 0)
                percents[group, default: []].append(ReportBands.percent(climb.height, of: levels))
            }
        }
        var tallies: [Participation.Grouping.Group: Participation.Tally] = [:]
        for branch in branches {
            let totals = board.totals(of: branch)
            tallies[.init(unitId: branch, direct: false)] = .init(
                roster: totals.rosterCount, participants: totals.participants)
        }
        for unit in unitsAboveBranches {
            let totals = directTotals(of: unit)
            tallies[.init(unitId: unit, direct: true)] = .init(
                roster: totals.rosterCount, participants: totals.participants)
        }
        let participation = ReportParticipation(
            groups: tallies, branches: branches, owner: owner, tree: tree, names: unitNames)
        let standings = Dictionary(
            board.standings(of: branches).map { ($0.unitId, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = participation.groups.map { line in
            let group = Participation.Grouping.Group(unitId: line.id!, direct: line.direct)
            let (all, climbers) = heights[group] ?? ([], [])
            let standing = line.direct ? nil : standings[line.id!]
            return CampaignReport.GroupScores(
                id: line.id!, name: line.name, direct: line.direct, rank: standing?.rank,
                composite: standing?.composite,
                roster: line.roster, participants: line.participants, rate: line.rate,
                meanHeightOverRoster: ReportFigures.mean(all), meanHeightOverParticipants: ReportFigures.mean(climbers),
                medianHeightOverParticipants: ReportFigures.median(climbers))
        }
        let everyHeight = roster.map { climbs[$0.memberId]?.height ?? 0 }
        let climberHeights = roster.compactMap { climbs[$0.memberId]?.height }
        let trend = dailyRollUps().map { day, _, total in
            CampaignReport.Day(
                day: day.description, roster: total.roster, participants: total.participants, rate: total.rate)
        }
        let latest = trend.last
        let headline = CampaignReport.Headline(
            roster: roster.count, participants: climberHeights.count,
            coverageRate: roster.isEmpty ? 0 : Double(climberHeights.count) / Double(roster.count),
            latestDay: latest?.day,
            latestDayRoster: latest?.roster ?? 0, latestDayParticipants: latest?.participants ?? 0,
            latestDayRate: latest?.rate ?? 0,
            levels: board.levelCount, ladderLevels: board.ladderLevels,
            meanHeightOverParticipants: ReportFigures.mean(climberHeights),
            medianHeightOverParticipants: ReportFigures.median(climberHeights),
            meanHeightOverRoster: ReportFigures.mean(everyHeight))
        let top = leaderboard.top(topCount).map { entry in
            let person = people[entry.memberId]
            let climb = climbs[entry.memberId]
            return CampaignReport.Standing(
                rank: entry.rank, name: person?.name ?? "", number: person?.number ?? "",
                unit: leaderboard.unit(of: entry.memberId).map { tree.path(of: $0) } ?? "",
                height: climb?.height ?? 0,
                correct: climb?.correct ?? 0, answered: climb?.answered ?? 0)
        }
        let bands = ReportBands(
            basis: CampaignReport.bandBasis,
            groups: participation.groups.map { line in
                let group = Participation.Grouping.Group(unitId: line.id!, direct: line.direct)
                return ReportBands.Group(
                    id: group.unitId, name: line.name, direct: line.direct,
                    percents: percents[group] ?? [])
            })
        let ranks = ReportRanks(
            measure: CampaignReport.rankMeasure, current: composites(), previous: previous.map(\.composites),
            previousLabel: previous?.label, names: unitNames)
        return CampaignReport(
            headline: headline, participation: participation, groups: groups,
            histogram: ReportFigures.histogram(
                climberHeights, lowest: 0, highest: board.ladderLevels.max() ?? board.levelCount, width: 1),
            bands: bands, ranks: ranks, trend: trend, top: top)
    }
}
