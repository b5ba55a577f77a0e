import DengaoCore
import Foundation

/// Question rows as `QuestionColumns` encodes them, read back from PostgreSQL.
enum QuestionText {
    /// A question row's columns as read back; `question()` is the domain question.
    struct Row {
        var id: QuestionID
        var type: String
        var stem: String
        var options: String
        var answer: String
        var explanation: String
        var difficulty: Int
        var category: String
        var tags: String

        /// The columns `Row` reads, in order, for `SELECT`s.
        static let columns = "id, type, stem, options, answer, explanation, difficulty, category, tags"

        init(_ columns: (QuestionID, String, String, String, String, String, Int, String, String)) {
            (id, type, stem, options, answer, explanation, difficulty, category, tags) = columns
        }

        /// The domain question; a row that does not decode is a damaged database, reported as such.
        func question() throws -> Question {
            try QuestionColumns.question(
                id: id, type: type, stem: stem, options: options, answer: answer, explanation: explanation,
                difficulty: difficulty, category: category, tags: tags)
        }
    }
}
