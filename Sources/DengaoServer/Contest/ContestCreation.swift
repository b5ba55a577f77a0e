import DengaoCore
import DengaoStorage

/// Makes a contest from settings: draws each round's questions from its banks with a fresh seed and stores it
/// with a new display token. Used by the console's API and by the demo seeding.
enum ContestCreation {
    struct DrawProblems: Error {
        let problems: [String]
    }

    /// Blocking (SQLite); returns the contest and its display token, which is stored only hashed.
    static func create(
        _ settings: ContestSettings, ownerUnitId: Int64?, createdById: Int64?, store: Store
    ) throws -> (contest: ContestSummary, displayToken: String) {
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: .min ... .max, using: &generator)
        var questionIds: [[Int64]] = []
        var problems: [String] = []
        for (index, round) in settings.rounds.enumerated() {
            let pool = try store.latestQuestions(ofBanks: round.banks)
            // A round's draw is replayable from the contest's seed and the round's index.
            var roundGenerator = SeededGenerator(seed: seed, UInt64(index))
            do {
                questionIds.append(try QuestionDraw.draw(round.draw, from: pool, seed: roundGenerator.next()))
            } catch {
                guard case .poolTooSmall(let admitted, let wanted) = error else { continue }
                problems.append("第\(index + 1)轮：题库中符合条件的题目只有 \(admitted) 道，需要 \(wanted) 道 (round \(index + 1): count \(wanted), but the banks hold \(admitted) matching questions)")
            }
        }
        guard problems.isEmpty else { throw DrawProblems(problems: problems) }
        let token = SecretTokens.generate()
        let contest = try store.createContest(
            NewContest(
                ownerUnitId: ownerUnitId, createdById: createdById, settings: settings, seed: seed, questionIds: questionIds,
                displayTokenHash: SecretTokens.hash(token)))
        return (contest, token)
    }
}
