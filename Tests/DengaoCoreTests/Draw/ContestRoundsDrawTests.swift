import Testing

@testable import DengaoCore

/// A contest's rounds drawn together: no question twice in one contest while the banks hold others (two rounds
/// drawing one question made the item report lose a question's place, a flaky server test found it).
struct ContestRoundsDrawTests {
    private let bank: [(id: Int64, question: Question)] = (1...6).map { id -> (id: Int64, question: Question) in
        let question: Question =
            id <= 3
            ? Question(type: .single, stem: "题\(id)", options: ["甲", "乙"], answer: .choices([0]))
            : Question(type: .trueFalse, stem: "题\(id)", answer: .truth(true))
        return (Int64(id), question)
    }

    @Test func roundsFromOneBankNeverRepeatAQuestionWhileItHasOthers() {
        let rule = DrawRule(count: 2)
        for seed in UInt64(0)..<200 {
            let (ids, failures) = QuestionDraw.drawRounds([(rule, bank), (rule, bank), (rule, bank)], seed: seed)
            #expect(failures.isEmpty)
            #expect(Set(ids.flatMap { $0 }).count == 6, "seed \(seed): \(ids)")
        }
    }

    @Test func repeatsComeOnlyOnceTheBanksAreUsedUpAndTheDrawReplays() {
        let rule = DrawRule(count: 1, types: [.trueFalse])
        let rounds = Array(repeating: (rule: rule, pool: bank), count: 4)
        for seed in UInt64(0)..<50 {
            let (ids, failures) = QuestionDraw.drawRounds(rounds, seed: seed)
            #expect(failures.isEmpty)
            // Three true/false questions for four rounds: the first three distinct, the fourth one of them again.
            #expect(Set(ids.prefix(3).flatMap { $0 }).count == 3)
            #expect(Set(ids.flatMap { $0 }).isSubset(of: [4, 5, 6]))
            #expect(QuestionDraw.drawRounds(rounds, seed: seed).questionIds == ids)
        }
    }

    @Test func aRoundItsBanksCannotFillIsNamedAndTheOthersStillDraw() {
        let (ids, failures) = QuestionDraw.drawRounds(
            [(DrawRule(count: 2), bank), (DrawRule(count: 4, types: [.single]), bank)], seed: 7)
        #expect(failures == [1: .poolTooSmall(admitted: 3, wanted: 4)])
        #expect(ids[0].count == 2 && ids[1].isEmpty)
    }
}
