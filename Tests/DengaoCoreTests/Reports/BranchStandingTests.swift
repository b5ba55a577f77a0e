import Testing

@testable import DengaoCore

/// Branch rankings of a 通报: competition ranks by rate, ties kept in the report's order, change since the range
/// before.
@Suite struct BranchStandingTests {
    func figures(_ groups: [(UnitID, Bool, Int, Int)]) -> PeriodParticipation.Figures {
        let day = CampaignDay(year: 2026, month: 11, day: 1)
        return PeriodParticipation.Figures(
            period: ReportPeriod(length: .month, first: day, last: day),
            groups: groups.map {
                PeriodParticipation.Group(
                    unitId: $0.0, direct: $0.1, tally: Participation.Tally(roster: $0.2, participants: $0.3))
            },
            units: [:], total: Participation.Tally(), groupOfMember: [], tookPart: [])
    }

    @Test func equalRatesShareARankAndTheNextRankSkips() {
        // 3/4 = 75 %, 6/8 = 75 % exactly, 1/2 = 50 %, 9/10 = 90 %; the 直属 group and an empty branch are not ranked.
        let current = figures([
            (2, false, 4, 3), (3, false, 8, 6), (4, false, 2, 1), (5, false, 10, 9), (1, true, 5, 5), (6, false, 0, 0),
        ])
        let standings = BranchStanding.rank(current, previous: nil)
        #expect(standings.map(\.unitId) == [5, 2, 3, 4])
        #expect(standings.map(\.rank) == [1, 2, 2, 4])
        #expect(standings.allSatisfy { $0.rankChange == nil && $0.rateChange == nil })
    }

    @Test func theChangeComparesWithTheSameBranchBefore() throws {
        let previous = figures([(2, false, 4, 1), (3, false, 5, 5), (4, false, 0, 0)])
        let current = figures([(2, false, 4, 4), (3, false, 5, 4), (4, false, 3, 0)])
        let standings = BranchStanding.rank(current, previous: previous)
        let byUnit = Dictionary(uniqueKeysWithValues: standings.map { ($0.unitId, $0) })
        #expect(byUnit[2]?.rank == 1 && byUnit[2]?.previousRank == 2 && byUnit[2]?.rankChange == 1)
        #expect(abs(try #require(byUnit[2]?.rateChange) - 75) < 1e-9, "25 % → 100 %: up 75 points")
        #expect(byUnit[3]?.rankChange == -1)
        #expect(abs(try #require(byUnit[3]?.rateChange) - -20) < 1e-9)
        #expect(
            byUnit[4]?.previousRank == nil && byUnit[4]?.rankChange == nil, "nobody on its roster before: no comparison"
        )
    }

    @Test func thePreviousRangeIsAsLongAndEndsTheDayBefore() {
        let range = ReportPeriod.previousRange(CampaignDay("2026-03-01")!, CampaignDay("2026-03-31")!)
        #expect(range.first == CampaignDay("2026-01-29")! && range.last == CampaignDay("2026-02-28")!)
        #expect(ReportPeriod.day(1, after: CampaignDay("2028-02-28")!) == CampaignDay("2028-02-29")!)
    }
}
