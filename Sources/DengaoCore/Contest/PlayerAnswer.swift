/// What a player submitted, in the question's canonical terms (option indices of the bank, not of the player's
/// shuffled screen).
public enum PlayerAnswer: Hashable, Sendable, Codable {
    case choices([Int])
    case truth(Bool)
    case text(String)

    public static let textLimit = 200
}

/// How right an answer is; only the reveal and the scorer ever see it.
public enum Correctness: String, Sendable, Codable {
    case correct
    /// A multiple-choice answer picking part of the key and nothing wrong.
    case partial
    case wrong
}

extension Question {
    /// Grades an answer against the canonical key. Fill answers compare letters and digits only, so spacing,
    /// punctuation, full-width forms and ASCII case do not decide a contest.
    public func grade(_ answer: PlayerAnswer) -> Correctness {
        switch (self.answer, answer) {
        case (.choices(let key), .choices(let picked)):
            let keySet = Set(key), pickedSet = Set(picked)
            if keySet == pickedSet { return .correct }
            if type == .multiple, !pickedSet.isEmpty, pickedSet.isSubset(of: keySet) { return .partial }
            return .wrong
        case (.truth(let key), .truth(let picked)):
            return key == picked ? .correct : .wrong
        case (.texts(let accepted), .text(let written)):
            let writtenKey = TextKey.of(written)
            return !writtenKey.isEmpty && accepted.contains { TextKey.of($0) == writtenKey } ? .correct : .wrong
        default:
            return .wrong
        }
    }

    /// Whether `answer` is of the shape this question takes (a valid option index, one pick for single choice…);
    /// a malformed answer is refused rather than graded wrong.
    public func accepts(_ answer: PlayerAnswer) -> Bool {
        switch (type, answer) {
        case (.single, .choices(let picked)):
            return picked.count == 1 && options.indices.contains(picked[0])
        case (.multiple, .choices(let picked)):
            return !picked.isEmpty && Set(picked).count == picked.count && picked.allSatisfy(options.indices.contains)
        case (.trueFalse, .truth):
            return true
        case (.fill, .text(let text)):
            return !text.isEmpty && text.count <= PlayerAnswer.textLimit
        default:
            return false
        }
    }
}

/// The comparison key of free text: letters and digits, full-width folded, ASCII lower-cased.
public enum TextKey {
    public static func of(_ text: String) -> [UInt32] { DuplicateStems.normalized(text) }
}
