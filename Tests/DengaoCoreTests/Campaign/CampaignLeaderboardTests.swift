import Testing

@testable import DengaoCore

/// The campaign leaderboard: competition ranks overall and within a unit, the top N, moved members.
@Suite struct CampaignLeaderboardTests {
    func key(
        height: Int, correct: Int = 4, answered: Int = 5, ms: Int64 = 1_000, reachedAt: Int64 = 10, member: MemberID
    )
        -> ClimbRankKey
    {
        ClimbRankKey(
            height: height, correct: correct, answered: answered, totalMilliseconds: ms, reachedAt: reachedAt,
            memberId: member)
    }

    @Test func equalStandingsShareARankAndTheNextRankSkips() {
        var board = CampaignLeaderboard()
        board.update(key(height: 5, member: 7), unit: 1)
        board.update(key(height: 3, member: 3), unit: 1)
        board.update(key(height: 3, member: 9), unit: 2)  // equal to member 3 on everything but the id
        board.update(key(height: 3, correct: 5, member: 4), unit: 2)  // same height, more accurate
        board.update(key(height: 1, member: 1), unit: 1)

        #expect(board.rank(of: 7) == 1)
        #expect(board.rank(of: 4) == 2)
        #expect(board.rank(of: 3) == 3)
        #expect(board.rank(of: 9) == 3)
        #expect(board.rank(of: 1) == 5)
        #expect(board.rank(of: 42) == nil)
        #expect(board.top(10).map(\.rank) == [1, 2, 3, 3, 5])
        #expect(board.top(2).map(\.memberId) == [7, 4])
        #expect(board.count == 5)
    }

    @Test func ranksWithinAUnitCountOnlyItsParticipants() {
        var board = CampaignLeaderboard()
        board.update(key(height: 5, member: 7), unit: 1)
        board.update(key(height: 3, member: 3), unit: 1)
        board.update(key(height: 4, member: 9), unit: 2)
        #expect(board.rankInUnit(of: 3)! == (rank: 2, of: 2))
        #expect(board.rankInUnit(of: 9)! == (rank: 1, of: 1))
        #expect(board.top(5, inUnit: 1).map(\.memberId) == [7, 3])
        #expect(board.top(5, inUnit: 3).isEmpty)
    }

    @Test func aClimbUpdatesInPlaceAndAMovedMemberKeepsTheirStanding() {
        var board = CampaignLeaderboard()
        board.update(key(height: 2, member: 1), unit: 1)
        board.update(key(height: 3, member: 2), unit: 1)
        board.update(key(height: 4, member: 1), unit: 1)
        #expect(board.rank(of: 1) == 1)
        #expect(board.count == 2)

        board.move(1, to: 2)
        #expect(board.unit(of: 1) == 2)
        #expect(board.rank(of: 1) == 1)
        #expect(board.rankInUnit(of: 1)! == (rank: 1, of: 1))
        #expect(board.rankInUnit(of: 2)! == (rank: 1, of: 1))
        #expect(board.top(5, inUnit: 1).map(\.memberId) == [2])
        // A climb reported under the new unit does not bring the member back to the old one.
        board.update(key(height: 5, member: 1), unit: 2)
        #expect(board.top(5, inUnit: 1).map(\.memberId) == [2])
    }

    @Test func manyMembersAgreeWithASortedList() {
        var board = CampaignLeaderboard()
        var generator = SeededGenerator(seed: 11)
        var keys: [MemberID: ClimbRankKey] = [:]
        for round in 0..<3 {
            for number in Int64(1)...2_000 where round == 0 || number % 3 == Int64(round) {
                let member = MemberID(number)
                let k = key(
                    height: Int(generator.next() % 11), correct: Int(generator.next() % 6), answered: 5,
                    ms: Int64(generator.next() % 4) * 1000, reachedAt: Int64(generator.next() % 3), member: member)
                keys[member] = k
                board.update(k, unit: UnitID(number % 7))
            }
        }
        let sorted = keys.values.sorted()
        func expectedRank(_ k: ClimbRankKey) -> Int { sorted.filter { $0 < k.firstAmongEquals }.count + 1 }
        for number in stride(from: Int64(1), through: 2_000, by: 97) {
            let member = MemberID(number)
            let expected = expectedRank(keys[member]!)
            #expect(board.rank(of: member) == expected)
        }
        let top = board.top(100)
        #expect(top.map(\.memberId) == sorted.prefix(100).map(\.memberId))
        #expect(top.map(\.rank) == top.map { expectedRank($0.key) }, "ranks walked down the page equal counted ones")
    }
}
