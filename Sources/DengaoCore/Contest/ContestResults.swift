import Foundation

/// A contest's results recomputed from its journal: every answer with its server time and the points the reveal
/// gave it, and the final standings. The journal is the record; this is its reading.
public struct ContestResults: Sendable {
    public struct AnswerRow: Sendable, Hashable {
        public let number: Int
        public let round: Int
        public let seat: Int
        public let answer: PlayerAnswer
        public let receivedAt: ContestTime
        public let elapsedMilliseconds: Int
        public let correctness: Correctness
        /// What the question gave the seat (speed points, streak bonus, stake or buzzer points and penalties).
        public let points: Int
    }

    public struct StandingRow: Sendable, Hashable {
        public let rank: Int
        public let seat: Seat
        public let score: Int
        public let correct: Int
        public let answered: Int
        public let kicked: Bool
    }

    public let answers: [AnswerRow]
    public let standings: [StandingRow]
    public let phase: ContestPhase
    /// Questions whose answers have been revealed (the whole contest's, once it finished).
    public let revealed: Int
    /// 抢答 questions revealed, by question number.
    public let buzzFigures: [Int: BuzzFigures]
    /// 风险 questions revealed, by question number.
    public let stakeFigures: [Int: StakeFigures]
    /// 投票 questions revealed, in order: how the room answered, which no score or figure above counts.
    public let polls: [PollTally]

    /// One revealed poll question: its options in the organizer's order, how many picked each, how many voted.
    public struct PollTally: Sendable, Hashable, Encodable {
        public let number: Int
        public let prompt: String
        public let options: [String]
        public let multiple: Bool
        public let counts: [Int]
        public let voters: Int
    }

    public init(
        settings: ContestSettings, questions: [ContestQuestion], journal: [(input: ContestInput, at: ContestTime)]
    ) {
        var machine = ContestMachine(settings: settings, questions: questions)
        var answers: [AnswerRow] = []
        var revealed = 0
        var presses: [Int: (won: Int, early: Int)] = [:]
        var buzzFigures: [Int: BuzzFigures] = [:], stakeFigures: [Int: StakeFigures] = [:]
        var polls: [PollTally] = []
        for (input, at) in journal {
            let changes: [ContestChange]
            if case .buzz(let seat, let number) = input {
                // The same step `apply` takes, with its outcome kept: a won buzzer or a false start.
                let (outcome, buzzChanges) = machine.buzz(seat: seat, number: number, at: at)
                switch outcome {
                case .won: presses[number, default: (0, 0)].won += 1
                case .early: presses[number, default: (0, 0)].early += 1
                case .rejected: break
                }
                changes = buzzChanges
            } else {
                changes = machine.apply(input, at: at)
            }
            for case .revealed(let reveal) in changes {
                guard let play = machine.current else { continue }
                let asked = machine.questions[play.index]
                let round = machine.round(of: asked)
                // Opinions, not results: a poll's questions and answers count in no one's figures, only its tally.
                if round.kind == .poll {
                    polls.append(
                        PollTally(
                            number: asked.number, prompt: asked.question.stem, options: asked.question.options,
                            multiple: asked.question.type == .multiple, counts: reveal.distribution,
                            voters: play.answers.count))
                    continue
                }
                revealed += 1
                switch round.kind {
                case .buzz:
                    let graded = play.answers.values.map { asked.question.grade($0.answer) }
                    let pressed = presses[asked.number] ?? (0, 0)
                    buzzFigures[asked.number] = BuzzFigures(
                        buzzes: pressed.won, falseStarts: pressed.early, answered: graded.count,
                        correct: graded.filter { $0 == .correct }.count)
                case .risk:
                    let smallest = round.wagers.min() ?? 0
                    stakeFigures[asked.number] = StakeFigures(
                        allowed: round.wagers,
                        seats: reveal.results.map { result in
                            let chosen = play.wagers[result.seat]
                            return (chosen ?? smallest, chosen != nil, result.points)
                        })
                case .everyone, .poll: break
                }
                let question = machine.questions[play.index]
                let points = Dictionary(
                    reveal.results.map { ($0.seat, $0.points) }, uniquingKeysWith: { first, _ in first })
                for record in play.answers.values.sorted(by: { ($0.receivedAt, $0.seat) < ($1.receivedAt, $1.seat) }) {
                    answers.append(
                        AnswerRow(
                            number: record.number, round: question.round, seat: record.seat, answer: record.answer,
                            receivedAt: record.receivedAt, elapsedMilliseconds: record.elapsedMilliseconds,
                            correctness: question.question.grade(record.answer), points: points[record.seat] ?? 0))
                }
            }
        }
        self.answers = answers
        self.revealed = revealed
        self.buzzFigures = buzzFigures
        self.stakeFigures = stakeFigures
        self.polls = polls
        phase = machine.phase
        var correct: [Int: Int] = [:], answered: [Int: Int] = [:]
        for row in answers {
            answered[row.seat, default: 0] += 1
            if row.correctness == .correct { correct[row.seat, default: 0] += 1 }
        }
        let ordered = machine.seats.values.sorted { a, b in
            let (sa, sb) = (machine.scores[a.id] ?? 0, machine.scores[b.id] ?? 0)
            return sa != sb ? sa > sb : a.id < b.id
        }
        var standings: [StandingRow] = []
        for (index, seat) in ordered.enumerated() {
            let score = machine.scores[seat.id] ?? 0
            let rank = index > 0 && standings[index - 1].score == score ? standings[index - 1].rank : index + 1
            standings.append(
                StandingRow(
                    rank: rank, seat: seat, score: score, correct: correct[seat.id] ?? 0,
                    answered: answered[seat.id] ?? 0,
                    kicked: machine.kicked.contains(seat.id)))
        }
        self.standings = standings
    }

    /// Each branch's mean score over its players still seated (the rank tables' figure).
    public func branchMeanScores() -> [UnitID: Double] {
        var totals: [UnitID: [Int]] = [:]
        for row in standings where !row.kicked { totals[row.seat.branchId, default: []].append(row.score) }
        return totals.compactMapValues { ReportFigures.mean($0) }
    }

    /// The workbook's sheets: standings (成绩), every answer (答题明细, its time local to `timeZone`), and branches (支部).
    public func sheets(
        questions: [ContestQuestion], branchNames: [UnitID: String], memberNumbers: [MemberID: String],
        branchScoring: BranchScoring,
        timeZone: TimeZone
    ) -> [Spreadsheet.Sheet] {
        let seats = Dictionary(standings.map { ($0.seat.id, $0.seat) }, uniquingKeysWith: { first, _ in first })
        func who(_ seat: Seat) -> [Spreadsheet.Cell] {
            [
                .text(seat.name), .text(seat.memberId.flatMap { memberNumbers[$0] } ?? ""),
                .text(branchNames[seat.branchId] ?? ""),
            ]
        }
        let standingsSheet = Spreadsheet.Sheet(
            name: "成绩", header: ["名次", "姓名", "党员编号", "支部", "得分", "答对", "作答", "身份"],
            rows: standings.map { row in
                [.number(row.rank)] + who(row.seat)
                    + [
                        .number(row.score), .number(row.correct), .number(row.answered),
                        .text(row.kicked ? "已移出" : row.seat.memberId == nil ? "访客" : "党员"),
                    ]
            }, widths: [6, 14, 12, 28, 8, 6, 6, 8])
        let byNumber = Dictionary(questions.map { ($0.number, $0.question) }, uniquingKeysWith: { first, _ in first })
        let answerSheet = Spreadsheet.Sheet(
            name: "答题明细", header: ["题号", "轮次", "题干", "姓名", "党员编号", "支部", "作答", "正确答案", "结果", "得分", "用时(毫秒)", "作答时间"],
            rows: answers.compactMap { row in
                guard let seat = seats[row.seat], let question = byNumber[row.number] else { return nil }
                return [.number(row.number), .number(row.round + 1), .text(question.stem)] + who(seat)
                    + [
                        .text(Self.text(of: row.answer, for: question)), .text(question.answerText),
                        .text(row.correctness == .correct ? "对" : row.correctness == .partial ? "部分对" : "错"),
                        .number(row.points), .number(row.elapsedMilliseconds),
                        .text(LocalTime.text(milliseconds: row.receivedAt, in: timeZone)),
                    ]
            }, widths: [6, 6, 40, 14, 12, 28, 10, 10, 6, 8, 10, 20])
        var totals: [UnitID: (score: Int, players: Int)] = [:]
        for row in standings where !row.kicked {
            let total = totals[row.seat.branchId] ?? (0, 0)
            totals[row.seat.branchId] = (total.score.saturatingAdding(row.score), total.players + 1)
        }
        let branchRows = totals.map { branch, total in
            let mean = Int(saturating: Double(total.score) / Double(total.players))
            return (branch, total.players, branchScoring == .sum ? total.score : mean)
        }.sorted { ($0.2, $1.0) > ($1.2, $0.0) }
        let branchSheet = Spreadsheet.Sheet(
            name: "支部", header: ["名次", "支部", "人数", branchScoring == .sum ? "总分" : "平均分"],
            rows: branchRows.enumerated().map { index, row in
                // Competition ranks, as on the boards: equal scores share a rank.
                let rank = (branchRows.firstIndex { $0.2 == row.2 } ?? index) + 1
                return [.number(rank), .text(branchNames[row.0] ?? ""), .number(row.1), .number(row.2)]
            }, widths: [6, 28, 6, 10])
        return [standingsSheet, answerSheet, branchSheet]
    }

    /// The 投票 sheet: every revealed poll question's options with how many picked each and their share of the
    /// voters; nil for a contest without polls.
    public func pollSheet() -> Spreadsheet.Sheet? {
        guard !polls.isEmpty else { return nil }
        return Spreadsheet.Sheet(
            name: "投票", header: ["题号", "投票题", "选项", "人数", "占投票人数"],
            rows: polls.flatMap { poll in
                poll.options.enumerated().map { index, option in
                    let count = poll.counts.indices.contains(index) ? poll.counts[index] : 0
                    let share = poll.voters > 0 ? Double(count) / Double(poll.voters) : 0
                    return [
                        .number(poll.number), .text(poll.prompt), .text(option), .number(count),
                        .text(String(format: "%.1f%%", share * 100)),
                    ]
                }
            }, widths: [6, 40, 24, 8, 10])
    }

    /// An answer written as templates write keys: letters, 对/错, or the text.
    static func text(of answer: PlayerAnswer, for question: Question) -> String {
        switch answer {
        case .choices(let indices):
            String(
                indices.compactMap { Question.optionLetters.indices.contains($0) ? Question.optionLetters[$0] : nil })
        case .truth(let truth): truth ? "对" : "错"
        case .text(let text): text
        }
    }
}
