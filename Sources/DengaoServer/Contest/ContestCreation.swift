import DengaoCore

/// Makes a contest from settings: draws each round's questions from its banks with a fresh seed and stores it
/// with a new display token. Used by the console's API and by the demo seeding; also redraws an unplayed
/// contest whose settings the organizer edited.
enum ContestCreation {
    struct DrawProblems: Error {
        let problems: [String]
    }

    /// Returns the contest and its display token, which is stored only hashed.
    static func create(
        _ settings: ContestSettings, ownerUnitId: UnitID?, createdById: AccountID?, storage: any Storage
    ) async throws -> (contest: ContestSummary, displayToken: String) {
        let (seed, questionIds) = try await draw(settings, storage: storage)
        let token = SecretTokens.generate()
        let contest = try await storage.createContest(
            NewContest(
                ownerUnitId: ownerUnitId, createdById: createdById, settings: settings, seed: seed,
                questionIds: questionIds,
                displayTokenHash: SecretTokens.hash(token)))
        return (contest, token)
    }

    /// The edited settings' questions, drawn; a round its banks cannot fill throws `DrawProblems` before
    /// anything changes, so the contest's open screens are not withdrawn for an edit that cannot happen.
    static func redraw(_ settings: ContestSettings, storage: any Storage) async throws -> (
        seed: UInt64, questionIds: [[QuestionID]]
    ) {
        try await draw(settings, storage: storage)
    }

    /// Stores an unplayed contest's edited settings and their drawn questions; its PIN and display link stay.
    static func replace(
        _ id: ContestID, with settings: ContestSettings, drawn: (seed: UInt64, questionIds: [[QuestionID]]),
        ownerUnitId: UnitID?,
        storage: any Storage
    ) async throws -> ContestSummary {
        let (seed, questionIds) = drawn
        return try await storage.replaceUnplayedContest(
            id,
            with: NewContest(
                ownerUnitId: ownerUnitId, createdById: nil, settings: settings, seed: seed, questionIds: questionIds,
                displayTokenHash: ""))
    }

    /// Every round's questions, drawn with a fresh seed; every round its banks cannot fill, named at once.
    private static func draw(_ settings: ContestSettings, storage: any Storage) async throws -> (
        seed: UInt64, questionIds: [[QuestionID]]
    ) {
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: .min ... .max, using: &generator)
        // A 投票 round asks its own questions and draws nothing.
        let drawing = settings.rounds.indices.filter { settings.rounds[$0].kind != .poll }
        var rounds: [(rule: DrawRule, pool: [(id: QuestionID, question: Question)])] = []
        for index in drawing {
            let round = settings.rounds[index]
            let pool = try await storage.latestQuestions(ofBanks: round.banks)
            rounds.append((round.draw, pool))
        }
        // Replayable from the contest's seed; no question twice in one contest while the banks have others.
        let (drawn, drawFailures) = QuestionDraw.drawRounds(rounds, seed: seed)
        var questionIds = Array(repeating: [QuestionID](), count: settings.rounds.count)
        for (position, index) in drawing.enumerated() { questionIds[index] = drawn[position] }
        let failures = Dictionary(uniqueKeysWithValues: drawFailures.map { (drawing[$0.key], $0.value) })
        let problems = failures.keys.sorted().map { index in
            switch failures[index]! {
            case .poolTooSmall(let admitted, let wanted):
                "第\(index + 1)轮：题库中符合条件的题目只有 \(admitted) 道，需要 \(wanted) 道 (round \(index + 1): count \(wanted), but the banks hold \(admitted) matching questions)"
            }
        }
        guard problems.isEmpty else { throw DrawProblems(problems: problems) }
        return (seed, questionIds)
    }
}
