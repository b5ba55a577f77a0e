import Foundation

/// One question of a needs survey (需求调研). None has a key: every answer within the question's form is valid.
public struct SurveyQuestion: Codable, Sendable, Hashable {
    public var prompt: String
    public var form: SurveyQuestionForm
    /// A required question must be answered; an optional one may be left out.
    public var required: Bool

    public init(prompt: String, form: SurveyQuestionForm, required: Bool = true) {
        self.prompt = prompt
        self.form = form
        self.required = required
    }

    private enum CodingKeys: String, CodingKey {
        case prompt, kind, options, maxPicks, scale, topics, picks, maxLength, required
    }

    // The wire form is flat (`{"kind": "rating", "prompt": "…", "scale": 5}`) so the console's builder can edit a
    // question as one plain object.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try c.decode(String.self, forKey: .prompt)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "single": form = .single(options: try c.decode([String].self, forKey: .options))
        case "multiple":
            form = .multiple(
                options: try c.decode([String].self, forKey: .options),
                maxPicks: try c.decodeIfPresent(Int.self, forKey: .maxPicks))
        case "rating": form = .rating(scale: try c.decodeIfPresent(Int.self, forKey: .scale) ?? 5)
        case "ranking":
            let topics = try c.decode([String].self, forKey: .topics)
            form = .ranking(topics: topics, picks: try c.decodeIfPresent(Int.self, forKey: .picks) ?? topics.count)
        case "text": form = .text(maxLength: try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? 500)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "expected one of single, multiple, rating, ranking, text")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(required, forKey: .required)
        try c.encode(form.kind, forKey: .kind)
        switch form {
        case .single(let options): try c.encode(options, forKey: .options)
        case .multiple(let options, let maxPicks):
            try c.encode(options, forKey: .options)
            try c.encodeIfPresent(maxPicks, forKey: .maxPicks)
        case .rating(let scale): try c.encode(scale, forKey: .scale)
        case .ranking(let topics, let picks):
            try c.encode(topics, forKey: .topics)
            try c.encode(picks, forKey: .picks)
        case .text(let maxLength): try c.encode(maxLength, forKey: .maxLength)
        }
    }
}

/// How a survey question is answered.
public enum SurveyQuestionForm: Sendable, Hashable {
    /// One of the options.
    case single(options: [String])
    /// Any of the options, at most `maxPicks` of them (nil: no limit).
    case multiple(options: [String], maxPicks: Int?)
    /// A whole number from 1 to `scale` (1–5 unless the organizer chose otherwise).
    case rating(scale: Int)
    /// The member's first `picks` topics, most wanted first.
    case ranking(topics: [String], picks: Int)
    /// Free text of at most `maxLength` characters.
    case text(maxLength: Int)

    /// The wire name of the form.
    public var kind: String {
        switch self {
        case .single: "single"
        case .multiple: "multiple"
        case .rating: "rating"
        case .ranking: "ranking"
        case .text: "text"
        }
    }
}
