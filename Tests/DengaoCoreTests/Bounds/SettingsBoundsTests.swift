import Foundation
import Testing

@testable import DengaoCore

/// Every number of the contest and campaign settings is checked with a lower and an upper bound, and each refusal
/// names its field and where it is.
@Suite struct SettingsBoundsTests {
    static func contest(_ round: RoundSettings) -> ContestSettings {
        ContestSettings(
            title: "边界",
            rounds: [RoundSettings(title: "必答", kind: .everyone, banks: ["示例"], draw: DrawRule(count: 5)), round])
    }

    static let round = RoundSettings(title: "抢答", kind: .buzz, banks: ["示例"], draw: DrawRule(count: 5))

    /// The refusals of `value` in `field` of round 2, checked at the edges and past them.
    func expectBounded<Value: BoundValue>(
        _ bound: FieldBound<Value>, inside: [Value], outside: [Value], set: (inout RoundSettings, Value) -> Void
    ) {
        for value in inside {
            var round = Self.round
            set(&round, value)
            #expect(Self.contest(round).problems().isEmpty, "\(bound.field) = \(value)")
        }
        for value in outside {
            var round = Self.round
            set(&round, value)
            let problems = Self.contest(round).problems()
            #expect(problems == [bound.message(at: .round(2))], "\(bound.field) = \(value)")
            #expect(problems.first?.contains("round 2: \(bound.field) must be") == true)
            #expect(problems.first?.hasPrefix("第2轮：") == true)
        }
    }

    @Test func everyNumberOfARoundHasBothBounds() {
        typealias B = RoundSettings.Bounds
        let ints: [(FieldBound<Int>, WritableKeyPath<RoundSettings, Int>)] = [
            (B.timeLimitSeconds, \.timeLimitSeconds), (B.points, \.points), (B.streakBonus, \.streakBonus),
            (B.readSeconds, \.readSeconds), (B.answerSeconds, \.answerSeconds),
            (B.earlyBuzzPenalty, \.earlyBuzzPenalty),
            (B.wrongAnswerPenalty, \.wrongAnswerPenalty),
        ]
        for (bound, path) in ints {
            let (low, high) = (bound.range.lowerBound, bound.range.upperBound)
            expectBounded(bound, inside: [low, high], outside: [low - 1, high + 1, .max, .min]) {
                $0[keyPath: path] = $1
            }
        }
        expectBounded(B.wager, inside: [1, 100_000], outside: [0, -1, 100_001, .max, .min]) { $0.wagers = [10, $1] }
        expectBounded(B.wagerCount, inside: [1, 10], outside: [0, 11, 1000]) { round, count in
            round.wagers = Array(repeating: 10, count: count)
        }
        expectBounded(B.banks, inside: [1, 50], outside: [0, 51]) { round, count in
            round.banks = Array(repeating: "示例", count: count)
        }
        expectBounded(B.title, inside: [0, 60], outside: [61]) { round, length in
            round.title = String(repeating: "题", count: length)
        }
        typealias D = DrawRule.Bounds
        expectBounded(D.count, inside: [1, 100], outside: [0, 101, .max, .min]) { $0.draw.count = $1 }
        expectBounded(D.minDifficulty, inside: [1, 5], outside: [0, .min]) { $0.draw.difficulty = $1...5 }
        expectBounded(D.maxDifficulty, inside: [1, 5], outside: [6, .max]) { $0.draw.difficulty = 1...$1 }
        expectBounded(D.categories, inside: [0, 100], outside: [101]) { round, count in
            round.draw.categories = (0..<count).map { "分类\($0)" }
        }
        expectBounded(D.tags, inside: [0, 100], outside: [101]) { round, count in
            round.draw.tags = (0..<count).map { "标签\($0)" }
        }
    }

    @Test func aContestsOwnNumbersHaveBothBounds() {
        var settings = Self.contest(Self.round)
        settings.graceMilliseconds = 5000
        #expect(settings.problems().isEmpty)
        for grace in [-1, 5001, Int.max, Int.min] {
            settings.graceMilliseconds = grace
            #expect(settings.problems() == [ContestSettings.Bounds.graceMilliseconds.message()])
        }
        settings.graceMilliseconds = 0
        settings.rounds = Array(repeating: Self.round, count: 20)
        #expect(settings.problems().isEmpty)
        settings.rounds.append(Self.round)
        #expect(settings.problems() == ["轮数须为 1–20 项 (rounds must be 1–20 entries)"])
        settings.rounds = []
        #expect(settings.problems() == ["轮数须为 1–20 项 (rounds must be 1–20 entries)"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        var round = Self.round
        round.earlyBuzzPenalty = .max
        round.points = -1
        var settings = Self.contest(round)
        settings.graceMilliseconds = -5
        let problems = settings.problems()
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("graceMilliseconds") })
        #expect(problems.contains { $0.contains("round 2: points") })
        #expect(problems.contains("第2轮：抢跑扣分须为 0–100000 (round 2: earlyBuzzPenalty must be 0–100000)"))
    }

    static func campaign(_ level: LevelSettings? = nil) -> CampaignSettings {
        CampaignSettings(
            title: "登高", startDate: "2026-07-01", endDate: "2026-07-31", banks: ["示例"],
            levels: [LevelSettings(title: "第1关", draw: DrawRule(count: 5))] + (level.map { [$0] } ?? []))
    }

    @Test func everyNumberOfACampaignHasBothBounds() {
        typealias B = CampaignSettings.Bounds
        #expect(Self.campaign().problems().isEmpty)
        for (days, problem) in [
            (1, nil), (100, nil), (0, B.attemptsPerDay.message()), (101, B.attemptsPerDay.message()),
            (.max, B.attemptsPerDay.message()), (.min, B.attemptsPerDay.message()),
        ] as [(Int, String?)] {
            var settings = Self.campaign()
            settings.attemptsPerDay = days
            #expect(settings.problems() == (problem.map { [$0] } ?? []), "attemptsPerDay = \(days)")
        }
        // Weights are doubles: NaN and the infinities are outside every range.
        for weight in [0, 100, 0.5] as [Double] {
            var settings = Self.campaign()
            settings.composite = CompositeWeights(participation: weight, height: weight)
            #expect(settings.problems().isEmpty, "weight \(weight)")
        }
        for weight in [-0.001, 100.5, .nan, .infinity, -.infinity, .greatestFiniteMagnitude] as [Double] {
            var settings = Self.campaign()
            settings.composite = CompositeWeights(participation: weight, height: 1)
            #expect(settings.problems() == [B.participationWeight.message()], "participation \(weight)")
            settings.composite = CompositeWeights(participation: 1, height: weight)
            #expect(settings.problems() == [B.heightWeight.message()], "height \(weight)")
        }
        var settings = Self.campaign()
        settings.levels = Array(repeating: settings.levels[0], count: 51)
        #expect(settings.problems() == [B.levels.message()])
        settings.levels = []
        #expect(settings.problems() == [B.levels.message()])
    }

    @Test func everyNumberOfALevelHasBothBounds() {
        typealias L = LevelSettings.Bounds
        func problems(_ change: (inout LevelSettings) -> Void) -> [String] {
            var level = LevelSettings(title: "第2关", draw: DrawRule(count: 5))
            change(&level)
            return Self.campaign(level).problems()
        }
        for threshold in [0.01, 1, 0.8] as [Double] { #expect(problems { $0.passThreshold = threshold }.isEmpty) }
        for threshold in [0, 0.0099, 1.0001, -1, .nan, .infinity, -.infinity] as [Double] {
            #expect(
                problems { $0.passThreshold = threshold } == [
                    "第2关：及格线须为 0.01–1 (level 2: passThreshold must be 0.01–1)"
                ], "\(threshold)")
        }
        for seconds in [5, 3600] {
            #expect(problems { $0.timeLimit = .perQuestion(seconds: seconds) }.isEmpty)
            #expect(problems { $0.timeLimit = .perLevel(seconds: seconds) }.isEmpty)
        }
        for seconds in [4, 3601, .max, .min, 0, -1] {
            #expect(
                problems { $0.timeLimit = .perLevel(seconds: seconds) } == [L.timeLimitSeconds.message(at: .level(2))])
            #expect(
                problems { $0.timeLimit = .perQuestion(seconds: seconds) } == [
                    L.timeLimitSeconds.message(at: .level(2))
                ])
        }
        #expect(problems { $0.draw.count = .max } == [DrawRule.Bounds.count.message(at: .level(2))])
        #expect(problems { $0.title = String(repeating: "关", count: 61) } == [L.title.message(at: .level(2))])
    }

    @Test func campaignDatesStayWithinSaneYears() {
        func problems(_ start: String, _ end: String) -> [String] {
            var settings = Self.campaign()
            settings.startDate = start
            settings.endDate = end
            return settings.problems()
        }
        #expect(problems("2000-01-01", "2099-12-31").isEmpty)
        #expect(problems("1999-12-31", "2026-01-01") == [CampaignSettings.Bounds.startDate.message()])
        #expect(problems("2026-01-01", "2100-01-01") == [CampaignSettings.Bounds.endDate.message()])
        #expect(problems("1000-01-01", "9999-12-31").count == 2)
        #expect(problems("2026-07-31", "2026-07-01") == ["结束日期早于开始日期 (endDate is before startDate)"])
        #expect(
            problems("2026-7-1", "2026-07-31") == ["日期须写作 YYYY-MM-DD (startDate and endDate are written YYYY-MM-DD)"])
    }

    /// The decoder refuses what no field can hold (2^63, 1e400, 1.5 for a count), and says where.
    @Test func unholdableNumbersAreRefusedAtTheirField() throws {
        func path(_ json: String, as type: (some Decodable).Type) -> String? {
            do {
                _ = try JSONDecoder().decode(type, from: Data(json.utf8))
                return nil
            } catch DecodingError.dataCorrupted(let context) {
                return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            } catch {
                return "\(error)"
            }
        }
        let round = #"{"kind":"buzz","banks":["示例"],"draw":{"count":5},"earlyBuzzPenalty":9223372036854775808}"#
        #expect(path(#"{"title":"t","rounds":[\#(round)]}"#, as: ContestSettings.self) == "rounds.[0].earlyBuzzPenalty")
        #expect(
            path(#"{"kind":"risk","banks":["示例"],"draw":{"count":5},"wagers":[10,1e400]}"#, as: RoundSettings.self)
                == "wagers")
        #expect(path(#"{"kind":"risk","banks":["示例"],"draw":{"count":1.5}}"#, as: RoundSettings.self) == "draw.count")
        #expect(
            path(#"{"title":"t","rounds":[],"graceMilliseconds":-9223372036854775809}"#, as: ContestSettings.self)
                == "graceMilliseconds")
        let level = #"{"title":"l","draw":{"count":5},"timeLimit":{"perLevel":{"seconds":1e30}},"passThreshold":0.8}"#
        #expect(path(level, as: LevelSettings.self) == "timeLimit.perLevel.seconds")
        #expect(
            path(
                #"{"title":"l","draw":{"count":5},"timeLimit":{"perLevel":{"seconds":5}},"passThreshold":1e400}"#,
                as: LevelSettings.self) == "passThreshold")
        #expect(path(#"{"participation":1e999,"height":0.5}"#, as: CompositeWeights.self) == "participation")
        #expect(
            path(
                #"{"title":"c","startDate":"2026-07-01","endDate":"2026-07-31","banks":["示例"],"attemptsPerDay":123456789012345678901234567890}"#,
                as: CampaignSettings.self) == "attemptsPerDay")
    }

    /// The time limit keeps the wire form it always had, so stored campaigns read back unchanged.
    @Test func levelTimeLimitsKeepTheirWireForm() throws {
        let encoded = String(decoding: try JSONEncoder().encode(LevelTimeLimit.perQuestion(seconds: 20)), as: UTF8.self)
        #expect(encoded == #"{"perQuestion":{"seconds":20}}"#)
        for limit in [LevelTimeLimit.perQuestion(seconds: 20), .perLevel(seconds: 300)] {
            #expect(try JSONDecoder().decode(LevelTimeLimit.self, from: JSONEncoder().encode(limit)) == limit)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                LevelTimeLimit.self, from: Data(#"{"perQuestion":{"seconds":20},"perLevel":{"seconds":20}}"#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LevelTimeLimit.self, from: Data("{}".utf8)) }
    }

    /// docs/bounds.md states every bound the code checks, with the same numbers.
    @Test func docsStateEveryBound() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lines = try String(contentsOf: root.appendingPathComponent("docs/bounds.md"), encoding: .utf8).split(
            separator: "\n")
        let bounds: [any DocumentedBound] =
            ContestSettings.Bounds.all + RoundSettings.Bounds.all + DrawRule.Bounds.all
            + CampaignSettings.Bounds.all + LevelSettings.Bounds.all + [Paging.pages, Paging.sizes]
            + SurveySettings.Bounds.all + PollQuestion.Bounds.all
        #expect(bounds.count == 47)
        for bound in bounds {
            #expect(
                lines.contains { $0.contains("`\(bound.field)`") && $0.contains(bound.rangeText) },
                "docs/bounds.md has no line with `\(bound.field)` and \(bound.rangeText)")
        }
    }
}
