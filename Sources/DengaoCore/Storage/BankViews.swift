import Foundation

/// A bank as lists show it: its latest version and what that version holds.
public struct BankSummary: Codable, Sendable, Equatable {
    public var id: BankID
    public var name: String
    public var createdAt: Date
    /// The unit that owns the bank; nil for the whole organization's banks (the sample banks, CLI imports).
    public var owner: UnitRef?
    /// Whether organizers below the owner may use the bank.
    public var shared: Bool
    public var latest: BankVersionSummary
    public var versionCount: Int
    /// Question counts of the latest version by type (`single`…), category, and difficulty ("1"…"5").
    public var countsByType: [String: Int]
    public var countsByCategory: [String: Int]
    public var countsByDifficulty: [String: Int]

    public init(
        id: BankID, name: String, createdAt: Date, owner: UnitRef? = nil, shared: Bool, latest: BankVersionSummary,
        versionCount: Int, countsByType: [String: Int], countsByCategory: [String: Int],
        countsByDifficulty: [String: Int]
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.owner = owner
        self.shared = shared
        self.latest = latest
        self.versionCount = versionCount
        self.countsByType = countsByType
        self.countsByCategory = countsByCategory
        self.countsByDifficulty = countsByDifficulty
    }
}

/// One import of a bank.
public struct BankVersionSummary: Codable, Sendable, Equatable {
    public var version: Int
    public var questionCount: Int
    public var sourceFormat: String
    public var sourceName: String?
    public var importedAt: Date

    public init(version: Int, questionCount: Int, sourceFormat: String, sourceName: String? = nil, importedAt: Date) {
        self.version = version
        self.questionCount = questionCount
        self.sourceFormat = sourceFormat
        self.sourceName = sourceName
        self.importedAt = importedAt
    }
}

/// A question with its place in the store.
public struct StoredQuestion: Sendable, Equatable {
    public var id: QuestionID
    /// 1-based order within its bank version.
    public var number: Int
    public var question: Question

    public init(id: QuestionID, number: Int, question: Question) {
        self.id = id
        self.number = number
        self.question = question
    }
}

/// Which questions of a bank to list; every filter is optional.
public struct QuestionQuery: Sendable, Equatable {
    public var version: Int?
    public var type: QuestionType?
    public var category: String?
    public var difficulty: ClosedRange<Int>?
    public var tag: String?
    /// Matched against the stem, the options and the explanation.
    public var text: String?
    public var offset: Int
    public var limit: Int

    public init(
        version: Int? = nil, type: QuestionType? = nil, category: String? = nil, difficulty: ClosedRange<Int>? = nil,
        tag: String? = nil, text: String? = nil, offset: Int = 0, limit: Int = 50
    ) {
        self.version = version
        self.type = type
        self.category = category
        self.difficulty = difficulty
        self.tag = tag
        self.text = text
        self.offset = offset
        self.limit = limit
    }
}

/// One page of a filtered question list, with the total the filters match.
public struct QuestionPage: Sendable, Equatable {
    public var version: Int
    public var total: Int
    public var questions: [StoredQuestion]

    public init(version: Int, total: Int, questions: [StoredQuestion]) {
        self.version = version
        self.total = total
        self.questions = questions
    }
}
