import DengaoCore
import Foundation
import Testing

/// A 风险 round left without stakes stakes in proportion to the contest's other rounds, so it can change the order.
@Suite struct RiskStakesTests {
    func decode(_ rounds: String) throws -> ContestSettings {
        try JSONDecoder().decode(ContestSettings.self, from: Data(#"{"title":"竞赛","rounds":[\#(rounds)]}"#.utf8))
    }

    let risk = #"{"kind":"risk","banks":["党史"],"draw":{"count":1}}"#

    @Test func stakesFollowTheMostAQuestionOfTheOtherRoundsIsWorth() throws {
        let everyone = #"{"kind":"everyone","banks":["党章"],"draw":{"count":5}}"#
        #expect(
            try decode(everyone + "," + risk).rounds[1].wagers == [500, 1000, 2000], "beside 必答 at its default 1000")
        let buzz = #"{"kind":"buzz","banks":["党章"],"draw":{"count":2},"points":300}"#
        #expect(try decode(buzz + "," + risk).rounds[1].wagers == [150, 300, 600])
        let both = #"{"kind":"everyone","banks":["党章"],"draw":{"count":5},"points":1500}"# + "," + buzz
        #expect(try decode(both + "," + risk).rounds[2].wagers == [750, 1500, 3000], "the larger of the two")
        #expect(try decode(risk).rounds[0].wagers == [500, 1000, 2000], "alone: as if beside 必答 at 1000")
        let odd = #"{"kind":"everyone","banks":["党章"],"draw":{"count":5},"points":333}"#
        #expect(try decode(odd + "," + risk).rounds[1].wagers == [170, 330, 670], "in tens")
    }

    @Test func stakesAnOrganizerGaveAreKept() throws {
        let given = #"{"kind":"risk","banks":["党史"],"draw":{"count":1},"wagers":[10,20,30]}"#
        #expect(
            try decode(#"{"kind":"everyone","banks":["党章"],"draw":{"count":5}}"# + "," + given).rounds[1].wagers == [
                10, 20, 30,
            ])
    }

    @Test func theDefaultsStayWithinTheBounds() {
        let huge = RoundSettings(title: "必答", kind: .everyone, banks: ["党章"], draw: DrawRule(count: 1), points: 100_000)
        #expect(ContestSettings.defaultWagers(for: [huge]) == [50_000, 100_000, 100_000])
        let nothing = RoundSettings(title: "必答", kind: .everyone, banks: ["党章"], draw: DrawRule(count: 1), points: 0)
        #expect(ContestSettings.defaultWagers(for: [nothing]) == [500, 1000, 2000])
        let absurd = RoundSettings(title: "必答", kind: .everyone, banks: ["党章"], draw: DrawRule(count: 1), points: .max)
        #expect(
            ContestSettings.defaultWagers(for: [absurd]) == [100_000, 100_000, 100_000],
            "no overflow on points out of bounds")
        let tiny = RoundSettings(title: "抢答", kind: .buzz, banks: ["党章"], draw: DrawRule(count: 1), points: 3)
        #expect(ContestSettings.defaultWagers(for: [tiny]) == [10, 10, 10])
    }
}
