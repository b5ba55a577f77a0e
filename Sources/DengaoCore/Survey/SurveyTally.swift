import Foundation

/// A survey's results, added up one response at a time: counts per option, the distribution and mean of ratings,
/// topics ordered by points, and the free-text answers. Anonymous or not, a tally never holds who answered.
public struct SurveyTally: Sendable, Hashable {
    public private(set) var respondents = 0
    public private(set) var questions: [QuestionTally]

    public init(settings: SurveySettings) {
        questions = settings.questions.map { QuestionTally(form: $0.form) }
    }

    /// Adds one response; a response that does not fit the survey (checked before it was stored) is not counted.
    public mutating func add(_ response: SurveyResponse) {
        guard response.answers.count == questions.count else { return }
        respondents += 1
        for index in questions.indices {
            if let answer = response.answers[index] { questions[index].add(answer) }
        }
    }

    /// One question's figures.
    public struct QuestionTally: Sendable, Hashable {
        /// Responses that answered this question.
        public private(set) var answered = 0
        /// Per option (choices), per rating value 1…scale, or per topic: how often it was picked.
        public private(set) var counts: [Int]
        /// Ranking only: per topic, the points it earned (first of k picks earns k points, the last earns 1).
        public private(set) var points: [Int]
        /// Ranking only: per topic, how often it was ranked first.
        public private(set) var firsts: [Int]
        /// Rating only: the sum of the ratings, for the mean.
        public private(set) var ratingSum = 0
        /// Free text only: the non-empty answers in the order they were added.
        public private(set) var texts: [String] = []
        /// The question's form, which decides which figures mean something.
        public let form: SurveyQuestionForm
        let picks: Int

        init(form: SurveyQuestionForm) {
            self.form = form
            switch form {
            case .single(let options), .multiple(let options, _): counts = Array(repeating: 0, count: options.count)
            case .rating(let scale): counts = Array(repeating: 0, count: max(0, scale))
            case .ranking(let topics, _): counts = Array(repeating: 0, count: topics.count)
            case .text: counts = []
            }
            if case .ranking(let topics, let picks) = form {
                points = Array(repeating: 0, count: topics.count)
                firsts = points
                self.picks = picks
            } else {
                points = []
                firsts = []
                picks = 0
            }
        }

        mutating func add(_ answer: SurveyAnswer) {
            switch answer {
            case .choice(let index):
                guard counts.indices.contains(index) else { return }
                counts[index] += 1
            case .choices(let indices):
                let valid = Set(indices.filter(counts.indices.contains))
                guard !valid.isEmpty else { return }
                for index in valid { counts[index] += 1 }
            case .rating(let value):
                guard counts.indices.contains(value - 1) else { return }
                counts[value - 1] += 1
                ratingSum += value
            case .ranking(let order):
                guard !order.isEmpty, order.allSatisfy(counts.indices.contains) else { return }
                for (position, topic) in order.enumerated() {
                    counts[topic] += 1
                    points[topic] += max(picks, order.count) - position
                }
                firsts[order[0]] += 1
            case .text(let text):
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { return }
                texts.append(trimmed)
            }
            answered += 1
        }

        /// Rating only: the mean rating, nil before the first.
        public var meanRating: Double? {
            guard case .rating = form, answered > 0 else { return nil }
            return Double(ratingSum) / Double(answered)
        }

        /// Ranking only: topic indices from the most wanted down; ties keep the organizer's order.
        public var topicOrder: [Int] {
            points.indices.sorted { a, b in
                if points[a] != points[b] { return points[a] > points[b] }
                if firsts[a] != firsts[b] { return firsts[a] > firsts[b] }
                return a < b
            }
        }
    }
}
