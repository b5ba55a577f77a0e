/// A question a 投票 round asks the room, written by the organizer in the round itself: it has no key and scores
/// nothing; after the reveal the big screen shows how the room answered (as Kahoot's and Mentimeter's polls do).
public struct PollQuestion: Codable, Sendable, Hashable {
    public var prompt: String
    public var options: [String]
    /// Whether a player may pick several options.
    public var multiple: Bool

    public init(prompt: String, options: [String], multiple: Bool = false) {
        self.prompt = prompt
        self.options = options
        self.multiple = multiple
    }

    enum CodingKeys: String, CodingKey { case prompt, options, multiple }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            prompt: try c.decode(String.self, forKey: .prompt),
            options: try c.decode([String].self, forKey: .options),
            multiple: try c.decodeIfPresent(Bool.self, forKey: .multiple) ?? false)
    }

    /// The question the contest's rules play: a choice question with no key, so no answer can be right.
    public var question: Question {
        Question(type: multiple ? .multiple : .single, stem: prompt, options: options, answer: .choices([]))
    }

    /// Every reason this poll question cannot be asked, located at its round and place ("第2轮第3题").
    public func problems(in round: FieldLocation, number: Int) -> [String] {
        let location = FieldLocation(
            chinese: "\(round.chinese)第\(number)题", english: "\(round.english) poll question \(number)")
        var problems = [
            Bounds.prompt.problem(prompt.trimmingCharacters(in: .whitespacesAndNewlines).count, at: location),
            Bounds.options.problem(options.count, at: location),
        ]
        if let option = options.first(where: {
            !Bounds.option.range.contains($0.trimmingCharacters(in: .whitespacesAndNewlines).count)
        }) {
            problems.append(Bounds.option.problem(option.count, at: location))
        }
        if Set(options).count != options.count {
            problems.append(
                "\(location.chinese)：选项不能重复 (\(location.english): options must differ)")
        }
        return problems.compactMap { $0 }
    }

    /// The allowed sizes of a poll (docs/bounds.md).
    public enum Bounds {
        public static let questions = FieldBound("poll", "投票题", 1...20, .entries)
        public static let prompt = FieldBound("prompt", "投票题目", 1...200, .characters)
        public static let options = FieldBound("options", "投票选项", 2...8, .entries)
        public static let option = FieldBound("options", "每个投票选项", 1...100, .characters)

        public static let all: [any DocumentedBound] = [questions, prompt, options, option]
    }
}

extension ContestSettings {
    /// Where each drawn question is stored: numbered across the whole contest in round order, leaving each poll
    /// round's numbers to its own questions, so a journal naming question 7 means the same question live, after a
    /// restart and in the reports.
    public func questionSlots(drawn: [[QuestionID]]) -> [(number: Int, round: Int, questionId: QuestionID)] {
        var slots: [(number: Int, round: Int, questionId: QuestionID)] = []
        var number = 0
        for (round, ids) in drawn.enumerated() {
            if rounds.indices.contains(round), rounds[round].kind == .poll {
                number += rounds[round].poll.count
                continue
            }
            for id in ids {
                number += 1
                slots.append((number, round, id))
            }
        }
        return slots
    }

    /// The contest's questions in play order: the drawn ones as stored, with each poll round's own questions at
    /// the numbers `questionSlots` left them. A poll question names no bank question (`questionId` 0).
    public func questions(drawn stored: [ContestQuestion]) -> [ContestQuestion] {
        guard rounds.contains(where: { $0.kind == .poll }) else { return stored }
        let byRound = Dictionary(grouping: stored, by: \.round)
        var questions: [ContestQuestion] = []
        for (index, round) in rounds.enumerated() {
            if round.kind == .poll {
                for poll in round.poll {
                    questions.append(
                        ContestQuestion(
                            number: questions.count + 1, round: index, questionId: 0, question: poll.question))
                }
            } else {
                questions += (byRound[index] ?? []).sorted { $0.number < $1.number }
            }
        }
        return questions
    }

    /// How many questions the poll rounds ask, which no drawn row counts.
    public var pollQuestionCount: Int { rounds.filter { $0.kind == .poll }.map(\.poll.count).reduce(0, +) }
}

extension [ContestQuestion] {
    /// The questions drawn from banks, which the results count; a poll round's questions are nobody's results.
    public func drawnCount(in settings: ContestSettings) -> Int { count - settings.pollQuestionCount }
}
