import Foundation

/// A member's answer to one survey question, in the question's form; indices are positions in its options or topics.
public enum SurveyAnswer: Codable, Sendable, Hashable {
    case choice(Int)
    case choices([Int])
    case rating(Int)
    case ranking([Int])
    case text(String)

    private enum CodingKeys: String, CodingKey { case choice, choices, rating, ranking, text }

    // One key names the form: `{"choice": 2}`, `{"choices": [0, 3]}`, `{"rating": 4}`, `{"ranking": [2, 0]}`,
    // `{"text": "…"}`; anything else is refused rather than guessed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: c.codingPath,
                    debugDescription: "expected exactly one of choice, choices, rating, ranking, text"))
        }
        switch key {
        case .choice: self = .choice(try c.decodeLocated(Int.self, forKey: key))
        case .choices: self = .choices(try c.decode([Int].self, forKey: key))
        case .rating: self = .rating(try c.decodeLocated(Int.self, forKey: key))
        case .ranking: self = .ranking(try c.decode([Int].self, forKey: key))
        case .text: self = .text(try c.decode(String.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .choice(let index): try c.encode(index, forKey: .choice)
        case .choices(let indices): try c.encode(indices, forKey: .choices)
        case .rating(let value): try c.encode(value, forKey: .rating)
        case .ranking(let order): try c.encode(order, forKey: .ranking)
        case .text(let text): try c.encode(text, forKey: .text)
        }
    }
}

/// One member's answers to a survey, one entry per question in order; nil leaves an optional question out.
public struct SurveyResponse: Codable, Sendable, Hashable {
    public var answers: [SurveyAnswer?]

    public init(answers: [SurveyAnswer?]) { self.answers = answers }
}
