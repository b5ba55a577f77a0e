import Foundation

/// Reads Dengao's own JSON bank schema (see docs/formats.md): `{"format": "dengao-bank", "questions": [...]}`
/// or a bare array of questions.
enum JSONBankReader {
    static func read(_ data: Data) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw ImportFailure(.file, "not valid JSON: \(describe(error))")
        }
        let records: [JSONValue]
        if case .array(let array) = root {
            records = array
        } else if case .object(let object) = root, case .array(let array)? = object["questions"] {
            records = array
        } else {
            throw ImportFailure(.file, "expected an object with a \"questions\" array, or an array of questions")
        }

        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        for (index, record) in records.enumerated() {
            guard case .object(let object) = record else {
                issues.error(.record(index: index, field: nil), "expected an object")
                continue
            }
            if let raw = rawQuestion(object, index: index, issues: &issues),
                let question = QuestionBuilder.build(raw, issues: &issues)
            {
                questions.append(LocatedQuestion(question: question, location: .record(index: index, field: nil)))
            }
        }
        return try issues.finish(.json, questions)
    }

    private static func describe(_ error: Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        switch decodingError {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            return context.debugDescription + (context.underlyingError.map { " (\($0))" } ?? "")
        @unknown default:
            return "\(error)"
        }
    }

    private static let knownKeys: Set<String> = [
        "type", "stem", "options", "answer", "explanation", "difficulty", "category", "tags",
    ]

    /// Maps one JSON object onto the same raw fields the text formats produce, so one builder interprets all.
    private static func rawQuestion(
        _ object: [String: JSONValue], index: Int, issues: inout IssueCollector
    ) -> RawQuestion? {
        var raw = RawQuestion(location: .record(index: index, field: nil))
        var usable = true
        func field(_ key: String, _ text: String) -> RawField {
            RawField(text: text, location: .record(index: index, field: key))
        }
        func text(_ key: String) -> RawField? {
            switch object[key] {
            case nil, .null: return nil
            case .string(let string): return field(key, string)
            case .number(let number) where key == "difficulty":
                return field(key, number == number.rounded() ? String(Int(number)) : String(number))
            default:
                issues.error(.record(index: index, field: key), "expected a string")
                usable = false
                return nil
            }
        }
        func strings(_ key: String) -> [String]? {
            switch object[key] {
            case nil, .null: return nil
            case .array(let array) where array.allSatisfy(\.isString): return array.compactMap(\.string)
            case .string(let string) where key == "tags": return [string]
            default:
                issues.error(.record(index: index, field: key), "expected an array of strings")
                usable = false
                return nil
            }
        }

        for key in object.keys where !knownKeys.contains(key) {
            issues.warning(.record(index: index, field: key), "unknown field ignored")
        }
        raw.type = text("type")
        raw.stem = text("stem")
        raw.explanation = text("explanation")
        raw.difficulty = text("difficulty")
        raw.category = text("category")
        if let tags = strings("tags") { raw.tags = field("tags", tags.joined(separator: ",")) }
        raw.options = (strings("options") ?? []).enumerated().map { option in
            RawField(text: option.element, location: .record(index: index, field: "options[\(option.offset)]"))
        }
        switch object["answer"] {
        case nil, .null: break
        case .string(let string): raw.answer = field("answer", string)
        case .bool(let truth): raw.answer = field("answer", truth ? "对" : "错")
        case .array(let array) where array.allSatisfy(\.isString):
            let parts = array.compactMap(\.string)
            // Letters are joined as "ABD"; accepted fill answers as "a|b".
            let allLetters = parts.allSatisfy { FieldParsing.optionIndices($0)?.count == 1 && $0.count == 1 }
            raw.answer = field("answer", parts.joined(separator: allLetters && !raw.options.isEmpty ? "" : "|"))
        default:
            issues.error(.record(index: index, field: "answer"), "expected a string, an array of strings or a boolean")
            usable = false
        }
        return usable ? raw : nil
    }
}

/// Any JSON value, so a record with a wrong-typed field can be reported field by field instead of failing whole.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var string: String? {
        if case .string(let string) = self { string } else { nil }
    }

    var isString: Bool { string != nil }
}
