import Testing

@testable import DengaoCore

/// A ladder seeded from a survey's ranking and the weak categories: topics matched to the banks' categories, in
/// order, once each; one per level of the default ladder.
@Suite struct LadderSeedTests {
    let available: Set<String> = ["党史", "党章", "党规", "政治理论"]

    @Test func topicsFindTheBanksCategoriesInOrder() {
        let (ordered, unmatched) = LadderSeed.categories(
            wanted: ["党史学习", "乡村振兴与产业技能", " 党章 ", "党史"], weak: ["政治理论", "党规", "党章"],
            available: available)
        // 党史学习 contains 党史; 党章 is itself; the second 党史 and the weak 党章 are already there.
        #expect(ordered == ["党史", "党章", "政治理论", "党规"])
        #expect(unmatched == ["乡村振兴与产业技能"])
    }

    @Test func aCategoryContainingTheTopicMatchesToo() {
        let (ordered, _) = LadderSeed.categories(wanted: ["理论"], weak: [], available: available)
        #expect(ordered == ["政治理论"])
    }

    @Test func levelsTakeOneCategoryEachAndGoRoundAgain() {
        let levels = LadderSeed.levels(categories: ["党史", "党章"], count: 5)
        let defaults = CampaignSettings.defaultLadder(count: 5)
        #expect(levels.map(\.draw.categories) == [["党史"], ["党章"], ["党史"], ["党章"], ["党史"]])
        #expect(levels.map(\.title) == ["第1关 · 党史", "第2关 · 党章", "第3关 · 党史", "第4关 · 党章", "第5关 · 党史"])
        // Everything else is the default ladder's.
        #expect(levels.map(\.draw.count) == defaults.map(\.draw.count))
        #expect(levels.map(\.draw.difficulty) == defaults.map(\.draw.difficulty))
        #expect(levels.allSatisfy { $0.problems(at: .level(1)).isEmpty })
        #expect(LadderSeed.levels(categories: [], count: 3) == CampaignSettings.defaultLadder(count: 3))
    }
}
