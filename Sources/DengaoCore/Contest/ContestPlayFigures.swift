/// 抢答 on one question, as its replay saw it: who pressed, who pressed too early, and how the buzz winners did.
public struct BuzzFigures: Sendable, Hashable, Encodable {
    /// Presses that won the buzzer, i.e. the turn to answer.
    public let buzzes: Int
    /// 抢跑 (false starts) as the machine defines them: presses before the buzzer opened (the question's reading
    /// time), penalized by the round's `earlyBuzzPenalty` and out of the question.
    public let falseStarts: Int
    /// Buzz winners who answered right, answered otherwise (wrong, or partly right), or let their time run out.
    public let correct: Int
    public let wrong: Int
    public let timedOut: Int
    /// correct / buzzes × 100 (a winner who timed out counts as not right); nil without buzzes.
    public let winnerAccuracy: Double?

    /// Figures from the counts; `answered` are the winners who answered, `correct` of them right.
    public init(buzzes: Int, falseStarts: Int, answered: Int, correct: Int) {
        self.buzzes = buzzes
        self.falseStarts = falseStarts
        self.correct = correct
        wrong = answered - correct
        timedOut = max(0, buzzes - answered)
        winnerAccuracy = buzzes > 0 ? 100 * Double(correct) / Double(buzzes) : nil
    }
}

/// 风险 on one question: the stakes the seats played for and what they won and lost.
public struct StakeFigures: Sendable, Hashable, Encodable {
    public struct Level: Sendable, Hashable, Encodable {
        public let stake: Int
        /// Seats that played for this stake (the smallest one includes those who chose none).
        public let count: Int
    }

    /// Every stake the round allows, smallest first.
    public let levels: [Level]
    /// Seats scored on the question.
    public let players: Int
    /// Seats that chose no stake and played for the smallest.
    public let defaulted: Int
    /// Mean stake over `players`; nil without players.
    public let meanStake: Double?
    /// Points gained by right answers and lost by wrong or missing ones (a positive number).
    public let pointsWon: Int
    public let pointsLost: Int

    /// Figures of one reveal: each scored seat's stake (`chosen` false when it defaulted) and points.
    public init(allowed: [Int], seats: [(stake: Int, chosen: Bool, points: Int)]) {
        var counts: [Int: Int] = [:]
        for seat in seats { counts[seat.stake, default: 0] += 1 }
        levels = Set(allowed).union(counts.keys).sorted().map { Level(stake: $0, count: counts[$0] ?? 0) }
        players = seats.count
        defaulted = seats.filter { !$0.chosen }.count
        meanStake =
            seats.isEmpty ? nil : Double(seats.reduce(0) { $0.saturatingAdding($1.stake) }) / Double(seats.count)
        pointsWon = seats.reduce(0) { $0.saturatingAdding(max($1.points, 0)) }
        pointsLost = seats.reduce(0) { $0.saturatingAdding(max($1.points.saturatingNegated, 0)) }
    }
}

/// What a contest question's round adds to its item analysis: 抢答's buzzes or 风险's stakes (at most one is set).
public struct QuestionPlayFigures: Sendable, Hashable, Encodable {
    public let buzz: BuzzFigures?
    public let stakes: StakeFigures?

    public init(buzz: BuzzFigures?, stakes: StakeFigures?) {
        self.buzz = buzz
        self.stakes = stakes
    }

    /// The sheet's columns for these figures: 抢答次数, 抢跑, 抢到者答对, 抢到者正确率(%), 押分分布, 平均押分, 押分得分, 押分失分.
    public static let header = ["抢答次数", "抢跑次数", "抢到者答对", "抢到者正确率(%)", "押分分布", "平均押分", "押分赢得", "押分输掉"]

    /// This question's cells under `header` (empty where the round does not apply).
    public var cells: [Spreadsheet.Cell] {
        let buzzCells: [Spreadsheet.Cell] =
            buzz.map { b in
                [
                    .number(b.buzzes), .number(b.falseStarts), .number(b.correct),
                    .text(b.winnerAccuracy.map { String(format: "%.1f", $0) } ?? ""),
                ]
            } ?? Array(repeating: .text(""), count: 4)
        let stakeCells: [Spreadsheet.Cell] =
            stakes.map { s in
                [
                    .text(s.levels.map { "\($0.stake)分×\($0.count)" }.joined(separator: " ")),
                    .text(s.meanStake.map { String(format: "%.1f", $0) } ?? ""), .number(s.pointsWon),
                    .number(s.pointsLost),
                ]
            } ?? Array(repeating: .text(""), count: 4)
        return buzzCells + stakeCells
    }
}

extension ContestResults {
    /// The 抢答 and 风险 figures of the revealed questions, by the bank question they were drawn from.
    public func playFigures(questions: [ContestQuestion]) -> [QuestionID: QuestionPlayFigures] {
        var figures: [QuestionID: QuestionPlayFigures] = [:]
        for question in questions {
            let buzz = buzzFigures[question.number], stakes = stakeFigures[question.number]
            if buzz != nil || stakes != nil {
                figures[question.questionId] = QuestionPlayFigures(buzz: buzz, stakes: stakes)
            }
        }
        return figures
    }
}
