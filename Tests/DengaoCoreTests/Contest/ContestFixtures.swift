@testable import DengaoCore

/// Small contests built by hand: a single-choice question keyed B, a true/false keyed true, a multiple keyed A+C.
enum ContestFixtures {
    static let single = Question(
        type: .single, stem: "遵义会议召开于哪一年？", options: ["1934", "1935", "1936", "1937"], answer: .choices([1]))
    static let truth = Question(type: .trueFalse, stem: "党的最高领导机关是党的全国代表大会和它所产生的中央委员会。", answer: .truth(true))
    static let multiple = Question(
        type: .multiple, stem: "下列哪些是“四个意识”？", options: ["政治意识", "经济意识", "大局意识", "市场意识"], answer: .choices([0, 2]))
    static let fill = Question(type: .fill, stem: "中国共产党第一次全国代表大会在____召开。", answer: .texts(["上海", "上海市"]))

    static func round(_ kind: RoundKind, count: Int, limit: Int = 20, streak: Int = 0) -> RoundSettings {
        RoundSettings(
            title: kind.chineseName, kind: kind, banks: ["示例"], draw: DrawRule(count: count), timeLimitSeconds: limit,
            points: kind == .everyone ? 1000 : 100, streakBonus: streak, readSeconds: 3, answerSeconds: 10,
            earlyBuzzPenalty: 50, wrongAnswerPenalty: 100, wagers: [10, 20, 30])
    }

    /// A machine with the given rounds, each round's questions taken in turn from `pool`, and `seats` seated guests
    /// (seat i in branch 100 + i % 2).
    static func machine(
        _ rounds: [RoundSettings], pool: [Question] = [single, truth, multiple, fill], seats: Int = 3,
        mode: ContestMode = .individual, multipleChoice: MultipleChoiceScoring = .allOrNothing, grace: Int = 500
    ) -> ContestMachine {
        var questions: [ContestQuestion] = []
        for (roundIndex, round) in rounds.enumerated() {
            for _ in 0..<round.draw.count {
                let number = questions.count + 1
                questions.append(
                    ContestQuestion(
                        number: number, round: roundIndex, questionId: QuestionID(Int64(number)),
                        question: pool[(number - 1) % pool.count]))
            }
        }
        let settings = ContestSettings(
            title: "测试", mode: mode, multipleChoice: multipleChoice, graceMilliseconds: grace, rounds: rounds)
        var machine = ContestMachine(settings: settings, questions: questions)
        for id in 1...max(seats, 1) where seats > 0 {
            _ = machine.join(Seat(id: id, branchId: UnitID(Int64(100 + id % 2)), name: "选手\(id)", memberId: nil), at: 0)
        }
        return machine
    }
}
