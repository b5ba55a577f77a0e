import DengaoCore
import Foundation

/// A JSON document as a tree the fuzz tests can walk and rewrite: the numbers of a settings template are found by
/// walking it, and any leaf can be replaced by a raw literal (2^63, 1e400, "NaN") no Swift encoder would write.
indirect enum JSONTree: Decodable, Equatable {
    case null
    case bool(Bool)
    /// Templates hold small numbers only: a double holds them exactly. Extremes go in as `raw` literals.
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([(String, JSONTree)])
    /// Written out as is.
    case raw(String)

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? single.decode(Double.self) {
            self = .number(number)
        } else if let string = try? single.decode(String.self) {
            self = .string(string)
        } else if let array = try? single.decode([JSONTree].self) {
            self = .array(array)
        } else {
            let object = try decoder.container(keyedBy: AnyKey.self)
            self = .object(
                try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                    ($0.stringValue, try object.decode(JSONTree.self, forKey: $0))
                })
        }
    }

    static func == (a: JSONTree, b: JSONTree) -> Bool { a.text == b.text }

    /// The tree of any encodable value.
    static func of(_ value: some Encodable) throws -> JSONTree {
        try JSONDecoder().decode(JSONTree.self, from: JSONEncoder().encode(value))
    }

    var text: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number):
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let string): String(decoding: try! JSONEncoder().encode(string), as: UTF8.self)
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let fields):
            "{" + fields.map { JSONTree.string($0.0).text + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .raw(let literal): literal
        }
    }

    /// The paths of every number in the tree, array indices written `[]`: `rounds[].draw.count`.
    func numberPaths(_ prefix: String = "") -> Set<String> {
        switch self {
        case .number: [prefix]
        case .array(let items): items.reduce(into: []) { $0.formUnion($1.numberPaths(prefix + "[]")) }
        case .object(let fields):
            fields.reduce(into: []) { $0.formUnion($1.1.numberPaths(prefix.isEmpty ? $1.0 : prefix + "." + $1.0)) }
        default: []
        }
    }

    /// The tree with the value at `path` (`rounds[0].draw.count`; a missing key is added) replaced.
    func replacing(_ path: String, with value: JSONTree) -> JSONTree {
        replacing(JSONTree.steps(path)[...], with: value)
    }

    private func replacing(_ steps: ArraySlice<Step>, with value: JSONTree) -> JSONTree {
        guard let step = steps.first else { return value }
        switch (self, step) {
        case (.object(var fields), .key(let key)):
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                fields[index].1 = fields[index].1.replacing(steps.dropFirst(), with: value)
            } else {
                fields.append((key, JSONTree.null.replacing(steps.dropFirst(), with: value)))
            }
            return .object(fields)
        case (.array(var items), .index(let index)) where items.indices.contains(index):
            items[index] = items[index].replacing(steps.dropFirst(), with: value)
            return .array(items)
        default:
            return self
        }
    }

    enum Step { case key(String), index(Int) }

    static func steps(_ path: String) -> [Step] {
        path.split(separator: ".").flatMap { part -> [Step] in
            var steps: [Step] = []
            let name = part.prefix { $0 != "[" }
            if !name.isEmpty { steps.append(.key(String(name))) }
            for index in part.split(separator: "[").dropFirst() { steps.append(.index(Int(index.dropLast())!)) }
            return steps
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Random and extreme values, from a seeded generator so a failing run can be replayed from its seed.
struct FuzzValues {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[random.uniform(below: values.count)] }

    /// JSON literals for a number field: edges, the limits of Int and of doubles, things that are not numbers.
    static let extremeLiterals = [
        "0", "-1", "1", "2", "3", "5", "6", "60", "61", "100", "101", "120", "600", "3600", "3601", "5000", "5001",
        "100000", "100001", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809",
        "9007199254740992", "-9007199254740993", "123456789012345678901234567890", "1e3", "1.5", "0.01", "0.8", "-0.0",
        "1e308", "1e400", "-1e400", "4.9e-324", #""NaN""#, #""Infinity""#, #""-Infinity""#, #""""#, #""abc""#, #""5""#,
        "null", "true", "[]", "{}",
    ]

    /// A JSON literal for a number field: mostly extremes, sometimes a random integer of random size or a
    /// random finite double.
    mutating func jsonLiteral() -> String {
        switch random.uniform(below: 6) {
        case 0:
            let bits = random.uniform(below: 64)
            let value = Int64(truncatingIfNeeded: random.next()) >> (63 - bits)
            return String(value)
        case 1:
            let value = Double(bitPattern: random.next())
            return value.isFinite ? "\(value)" : "-2.5e-7"
        default:
            return pick(Self.extremeLiterals)
        }
    }

    /// JSON literals for a date field.
    static let dateLiterals = [
        #""2026-07-01""#, #""2000-01-01""#, #""2099-12-31""#, #""1999-12-31""#, #""2100-01-01""#, #""0000-01-01""#,
        #""9999-12-31""#, #""2026-02-30""#, #""2026-13-01""#, #""2026-7-1""#, #""+202-07-01""#, #""""#, #""abc""#,
        "20260701",
        "null", "1e400",
    ]

    /// Query and path texts for a number parameter.
    static let extremeTexts = [
        "0", "-1", "1", "2", "200", "201", "100000", "100001", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "9007199254740992", "99999999999999999999999999999", "1.5",
        "1e3",
        "NaN", "Infinity", "-Infinity", "abc", "0x10", "+1", "１", " 1", "1-5", "5-1", "0-9", "--", "2026-07-01",
        "2026-02-30", "9999-12-31", "",
    ]

    /// A query or path text: mostly extremes, sometimes a random integer.
    mutating func text() -> String {
        random.uniform(below: 4) == 0
            ? String(Int64(truncatingIfNeeded: random.next()) >> random.uniform(below: 64)) : pick(Self.extremeTexts)
    }

    /// A text that names no real row (ids here are small): for routes that delete or change what they name.
    mutating func harmlessText() -> String {
        while true {
            let text = self.text()
            guard let value = Int64(text), (1...1_000_000).contains(value) else { return text }
        }
    }

    /// A JSON literal that names no real row, for ids in bodies.
    mutating func harmlessLiteral() -> String {
        while true {
            let literal = jsonLiteral()
            guard let value = Double(literal), (1...1_000_000).contains(value) else { return literal }
        }
    }
}

extension String {
    /// Percent-encoded for a path segment or a query value.
    var percentEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}
