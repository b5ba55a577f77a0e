import Testing

@testable import DengaoCore

/// Draws per attempt: no question comes back for a member until the level's pool is used up, and a stored seed
/// replays its draw exactly.
@Suite struct CampaignDrawTests {
    /// 12 questions of difficulty 1–2 (the level's rule) and 8 harder ones the rule leaves out.
    let pool: [(id: Int64, question: Question)] = (1...20).map { id in
        (
            Int64(id),
            Question(
                type: .trueFalse, stem: "题\(id)", answer: .truth(id % 2 == 0), difficulty: id <= 12 ? 1 + id % 2 : 4)
        )
    }
    let rule = DrawRule(count: 5, difficulty: 1...2)

    @Test func noRepeatsUntilThePoolIsUsedUpThenFreshOnesFirst() throws {
        var seen: Set<Int64> = []
        let first = try QuestionDraw.draw(rule, from: pool, seed: 1, excluding: seen)
        seen.formUnion(first)
        let second = try QuestionDraw.draw(rule, from: pool, seed: 2, excluding: seen)
        #expect(Set(second).isDisjoint(with: first))
        seen.formUnion(second)
        #expect(seen.count == 10)
        #expect(seen.allSatisfy { $0 <= 12 })

        // Two unseen questions are left for a draw of five: both come, then three seen ones, none twice.
        let third = try QuestionDraw.draw(rule, from: pool, seed: 3, excluding: seen)
        let unseen = Set(1...12).map(Int64.init).filter { !seen.contains($0) }
        #expect(Set(third.prefix(2)) == Set(unseen))
        #expect(Set(third.suffix(3)).isSubset(of: seen))
        #expect(Set(third).count == 5)
    }

    @Test func aStoredSeedReplaysItsDrawAndAnotherSeedDrawsAnother() throws {
        let seen: Set<Int64> = [1, 2, 3]
        let drawn = try QuestionDraw.draw(rule, from: pool, seed: 20261121, excluding: seen)
        #expect(try QuestionDraw.draw(rule, from: pool, seed: 20261121, excluding: seen) == drawn)
        let others = try (1...5).map { try QuestionDraw.draw(rule, from: pool, seed: UInt64($0), excluding: seen) }
        #expect(others.contains { $0 != drawn })
    }

    @Test func aRuleThatAdmitsTooFewIsRefused() {
        #expect(throws: QuestionDraw.Failure.poolTooSmall(admitted: 12, wanted: 13)) {
            try QuestionDraw.draw(DrawRule(count: 13, difficulty: 1...2), from: pool, seed: 1)
        }
    }
}
