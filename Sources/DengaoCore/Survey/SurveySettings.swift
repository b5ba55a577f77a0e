import Foundation

/// What an organizer decides about a needs survey (问卷): its questions and whether answers are anonymous.
public struct SurveySettings: Codable, Sendable, Hashable {
    public var title: String
    /// Shown above the first question: why the survey is asked and how its answers are used.
    public var introduction: String
    /// Anonymous answers are stored without a link to the member; each member still answers once.
    public var anonymous: Bool
    public var questions: [SurveyQuestion]
    /// The member categories (分层分类, ids of the organization's list) the survey is sent to, within its owner's
    /// subtree: only members holding one of them see and answer it, and its reach counts only them. Empty: everyone.
    public var memberCategoryIds: [MemberCategoryID]

    public init(
        title: String, introduction: String = "", anonymous: Bool = false, questions: [SurveyQuestion],
        memberCategoryIds: [MemberCategoryID] = []
    ) {
        self.title = title
        self.introduction = introduction
        self.anonymous = anonymous
        self.questions = questions
        self.memberCategoryIds = memberCategoryIds
    }

    private enum CodingKeys: String, CodingKey { case title, introduction, anonymous, questions, memberCategoryIds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try c.decode(String.self, forKey: .title),
            introduction: try c.decodeIfPresent(String.self, forKey: .introduction) ?? "",
            anonymous: try c.decodeIfPresent(Bool.self, forKey: .anonymous) ?? false,
            questions: try c.decode([SurveyQuestion].self, forKey: .questions),
            memberCategoryIds: try c.decodeIfPresent([MemberCategoryID].self, forKey: .memberCategoryIds) ?? [])
    }

    /// Whether a member holding `categories` (ids) is among those the survey is sent to (its subtree aside).
    public func isFor(memberHolding categories: Set<MemberCategoryID>) -> Bool {
        memberCategoryIds.isEmpty || !categories.isDisjoint(with: memberCategoryIds)
    }

    /// Every reason the survey cannot be sent, Chinese first and located at its question ("第2题").
    public func problems() -> [String] {
        var found = [
            Bounds.title.problem(title.trimmingCharacters(in: .whitespacesAndNewlines).count),
            Bounds.introduction.problem(introduction.count),
            Bounds.questions.problem(questions.count),
        ].compactMap { $0 }
        for (index, question) in questions.enumerated() {
            found += question.problems(at: .question(index + 1))
        }
        return found
    }

    /// The refusal of `response`, or nil when every answer fits its question and every required one is there.
    public func problem(with response: SurveyResponse) -> String? {
        guard response.answers.count == questions.count else {
            return
                "答案数与题目数不符：应为 \(questions.count) 个 (expected \(questions.count) answers, got \(response.answers.count))"
        }
        for (index, (question, answer)) in zip(questions, response.answers).enumerated() {
            if let problem = question.problem(with: answer, at: .question(index + 1)) { return problem }
        }
        return nil
    }

    /// The allowed sizes of a survey (docs/bounds.md).
    public enum Bounds {
        public static let title = FieldBound("title", "问卷标题", 1...100, .characters)
        public static let introduction = FieldBound("introduction", "问卷说明", 0...2000, .characters)
        public static let questions = FieldBound("questions", "题目数", 1...60, .entries)
        public static let prompt = FieldBound("prompt", "题干", 1...500, .characters)
        public static let options = FieldBound("options", "选项数", 2...20, .entries)
        public static let optionText = FieldBound("option", "选项", 1...200, .characters)
        public static let scale = FieldBound("scale", "评分档数", 2...10)
        public static let topics = FieldBound("topics", "排序主题数", 2...20, .entries)
        public static let maxLength = FieldBound("maxLength", "填空字数上限", 1...2000, .characters)

        public static let all: [any DocumentedBound] = [
            title, introduction, questions, prompt, options, optionText, scale, topics, maxLength,
        ]
    }
}

extension FieldLocation {
    /// "第3题 (question 3)".
    public static func question(_ number: Int) -> FieldLocation {
        FieldLocation(chinese: "第\(number)题", english: "question \(number)")
    }
}

extension SurveyQuestion {
    /// Every reason this question cannot be asked.
    func problems(at location: FieldLocation) -> [String] {
        typealias Bounds = SurveySettings.Bounds
        var found = [Bounds.prompt.problem(prompt.trimmingCharacters(in: .whitespacesAndNewlines).count, at: location)]
        func check(choices: [String], bound: FieldBound<Int>) {
            found.append(bound.problem(choices.count, at: location))
            for choice in choices {
                found.append(
                    Bounds.optionText.problem(
                        choice.trimmingCharacters(in: .whitespacesAndNewlines).count, at: location))
            }
            if Set(choices.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }).count != choices.count {
                found.append("\(location.chinese)：选项重复 (\(location.english): duplicate options)")
            }
        }
        switch form {
        case .single(let options): check(choices: options, bound: Bounds.options)
        case .multiple(let options, let maxPicks):
            check(choices: options, bound: Bounds.options)
            if let maxPicks, !(1...max(1, options.count)).contains(maxPicks) {
                found.append(
                    "\(location.chinese)：最多可选须为 1–\(options.count) (\(location.english): maxPicks must be 1–\(options.count))"
                )
            }
        case .rating(let scale): found.append(Bounds.scale.problem(scale, at: location))
        case .ranking(let topics, let picks):
            check(choices: topics, bound: Bounds.topics)
            if !(1...max(1, topics.count)).contains(picks) {
                found.append(
                    "\(location.chinese)：排序项数须为 1–\(topics.count) (\(location.english): picks must be 1–\(topics.count))"
                )
            }
        case .text(let maxLength): found.append(Bounds.maxLength.problem(maxLength, at: location))
        }
        return found.compactMap { $0 }
    }

    /// The refusal of `answer` to this question, or nil when it fits.
    func problem(with answer: SurveyAnswer?, at location: FieldLocation) -> String? {
        func refuse(_ chinese: String, _ english: String) -> String {
            "\(location.chinese)：\(chinese) (\(location.english): \(english))"
        }
        guard let answer else { return required ? refuse("此题必答", "an answer is required") : nil }
        switch (form, answer) {
        case (.single(let options), .choice(let index)):
            return options.indices.contains(index) ? nil : refuse("没有这个选项", "no such option")
        case (.multiple(let options, let maxPicks), .choices(let indices)):
            if indices.isEmpty { return required ? refuse("请至少选择一项", "pick at least one option") : nil }
            if !indices.allSatisfy(options.indices.contains) { return refuse("没有这个选项", "no such option") }
            if Set(indices).count != indices.count { return refuse("选项重复", "an option is picked twice") }
            if let maxPicks, indices.count > maxPicks {
                return refuse("最多选择 \(maxPicks) 项", "pick at most \(maxPicks) options")
            }
            return nil
        case (.rating(let scale), .rating(let value)):
            return (1...max(1, scale)).contains(value) ? nil : refuse("评分须为 1–\(scale)", "rating must be 1–\(scale)")
        case (.ranking(let topics, let picks), .ranking(let order)):
            if order.count != picks { return refuse("请排出前 \(picks) 项", "rank exactly \(picks) topics") }
            if !order.allSatisfy(topics.indices.contains) { return refuse("没有这个主题", "no such topic") }
            if Set(order).count != order.count { return refuse("主题重复", "a topic is ranked twice") }
            return nil
        case (.text(let maxLength), .text(let text)):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return required ? refuse("此题必答", "an answer is required") : nil }
            return trimmed.count <= maxLength ? nil : refuse("最多 \(maxLength) 字", "at most \(maxLength) characters")
        default:
            return refuse("答案形式与题型不符", "the answer does not fit a \(form.kind) question")
        }
    }
}
