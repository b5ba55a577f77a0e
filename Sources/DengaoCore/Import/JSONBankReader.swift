import Foundation

/// Reads Dengao's own JSON bank schema (see docs/formats.md): `{"format": "dengao-bank", "questions": [...]}`
/// or a bare array of questions.
enum JSONBankReader {
    static func read(_ data: Data, maximumQuestions: Int = ImportLimits.questions) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        // The decoder indexes every value of the document before anything else runs: the values are counted first.
        let values = valueCount(text)
        guard values <= maximumQuestions * ImportLimits.jsonValuesPerQuestion else {
            throw ImportFailure(
                .file,
                "JSON 内容太多，超出 \(ImportLimits.grouped(maximumQuestions)) 道题的上限，请把题库分成几个文件 "
                    + "(more JSON values (\(ImportLimits.grouped(values))) than \(ImportLimits.grouped(maximumQuestions)) questions "
                    + "can hold; split the bank into several files)")
        }
        let root: BankRoot
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[BankRoot.maximumQuestions] = maximumQuestions
            // A file already in UTF-8 is decoded as it is, without a second copy.
            root = try decoder.decode(BankRoot.self, from: text.utf8.elementsEqual(data) ? data : Data(text.utf8))
        } catch let failure as ImportFailure {
            throw failure
        } catch {
            throw ImportFailure(.file, "不是有效的 JSON 文件 (not valid JSON: \(describe(error)))")
        }

        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        for (index, record) in root.records.enumerated() {
            guard case .object(let object) = record else {
                issues.error(.record(index: index, field: nil), "这一题应是一个对象 {…} (expected an object)")
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

    /// Values (scalars, arrays, objects) and keys in a JSON text, counted from its structure without decoding it:
    /// the commas, colons and opening brackets outside strings. A real bank has about 21 per question.
    static func valueCount(_ text: String) -> Int {
        var count = 1
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
            } else if byte == 0x22 {
                inString = true
            } else if byte == 0x2C || byte == 0x3A || byte == 0x5B || byte == 0x7B {
                count += 1
            }
        }
        return count
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
        _ object: [String: BankField], index: Int, issues: inout IssueCollector
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
                // Whole numbers as "3"; anything else as written, for the builder to refuse.
                let whole = number == number.rounded() && abs(number) < 1e15
                return field(key, whole ? String(Int(number)) : String(number))
            default:
                issues.error(.record(index: index, field: key), "应是文字 (expected a string)")
                usable = false
                return nil
            }
        }
        func strings(_ key: String) -> [String]? {
            switch object[key] {
            case nil, .null: return nil
            case .strings(let array): return array
            case .string(let string) where key == "tags": return [string]
            default:
                issues.error(.record(index: index, field: key), "应是文字列表 (expected an array of strings)")
                usable = false
                return nil
            }
        }

        for (key, value) in object where value == .unknown {
            issues.warning(.record(index: index, field: key), "不认识的字段，已忽略 (unknown field ignored)")
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
        case .strings(let parts):
            // Letters are joined as "ABD"; accepted fill answers as "a|b".
            let allLetters = parts.allSatisfy { FieldParsing.optionIndices($0)?.count == 1 && $0.count == 1 }
            raw.answer = field("answer", parts.joined(separator: allLetters && !raw.options.isEmpty ? "" : "|"))
        default:
            issues.error(
                .record(index: index, field: "answer"),
                "答案应是文字、文字列表或 true/false (expected a string, an array of strings or a boolean)")
            usable = false
        }
        return usable ? raw : nil
    }
}

/// The document: an array of questions, or an object whose "questions" is one. Records are counted before any is
/// decoded, and each is read field by field into what the schema can use, so no tree of arbitrary JSON is built.
private struct BankRoot: Decodable {
    static let maximumQuestions = CodingUserInfoKey(rawValue: "maximumQuestions")!

    var records: [BankRecord]

    init(from decoder: any Decoder) throws {
        let limit = decoder.userInfo[Self.maximumQuestions] as? Int ?? ImportLimits.questions
        if var array = try? decoder.unkeyedContainer() {
            records = try Self.records(&array, limit: limit)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self),
            var array = try? object.nestedUnkeyedContainer(forKey: AnyKey("questions"))
        {
            records = try Self.records(&array, limit: limit)
        } else {
            throw ImportFailure(
                .file,
                "文件应是含 \"questions\" 列表的对象，或题目列表 "
                    + "(expected an object with a \"questions\" array, or an array of questions)")
        }
    }

    private static func records(_ array: inout any UnkeyedDecodingContainer, limit: Int) throws -> [BankRecord] {
        if let count = array.count, count > limit {
            throw ImportFailure(.record(index: limit, field: nil), ImportLimits.tooManyQuestions(limit))
        }
        var records: [BankRecord] = []
        records.reserveCapacity(array.count ?? 0)
        while !array.isAtEnd { records.append(try array.decode(BankRecord.self)) }
        return records
    }
}

/// One element of the questions array: an object's fields, or anything else (refused by the reader).
private enum BankRecord: Decodable {
    case object([String: BankField])
    case other

    static let knownKeys: Set<String> = [
        "type", "stem", "options", "answer", "explanation", "difficulty", "category", "tags",
    ]

    init(from decoder: any Decoder) throws {
        guard let object = try? decoder.container(keyedBy: AnyKey.self) else {
            self = .other
            return
        }
        var fields: [String: BankField] = [:]
        for key in object.allKeys {
            // An unknown field is only named in a warning; its value is never decoded.
            fields[key.stringValue] =
                Self.knownKeys.contains(key.stringValue) ? try object.decode(BankField.self, forKey: key) : .unknown
        }
        self = .object(fields)
    }
}

/// A known field's value in the kinds the schema uses; any other value (an object, numbers in an array) is `.other`
/// and reported with the field's expected kind.
private enum BankField: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), strings([String]), other, unknown

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? value.decode(Double.self) {
            self = .number(number)
        } else if let strings = try? value.decode([String].self) {
            self = .strings(strings)
        } else {
            self = .other
        }
    }
}

/// Any key of a JSON object.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
