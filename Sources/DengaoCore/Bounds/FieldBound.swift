/// The allowed values of one number (or length, count or date) a client sends, stated once: the check at creation,
/// the message it gives, and the table in docs/bounds.md — which a test holds to these values — all read it.
public struct FieldBound<Value: BoundValue>: Sendable, DocumentedBound {
    /// The JSON key or query parameter, as a client writes it; every message names it.
    public let field: String
    /// What the console calls it, in Chinese.
    public let label: String
    public let range: ClosedRange<Value>
    public let unit: BoundUnit

    public init(_ field: String, _ label: String, _ range: ClosedRange<Value>, _ unit: BoundUnit = .plain) {
        self.field = field
        self.label = label
        self.range = range
        self.unit = unit
    }

    /// The refusal of `value`, located ("第2轮 (round 2)"), or nil when it is allowed. NaN is never allowed: it is
    /// in no range.
    public func problem(_ value: Value, at location: FieldLocation? = nil) -> String? {
        range.contains(value) ? nil : message(at: location)
    }

    /// "第2轮：抢跑扣分须为 0–100000 (round 2: earlyBuzzPenalty must be 0–100000)".
    public func message(at location: FieldLocation? = nil) -> String {
        let chinese = "\(label)须为 \(rangeText)\(unit.chinese)"
        let english = "\(field) must be \(rangeText)\(unit.english)"
        guard let location else { return "\(chinese) (\(english))" }
        return "\(location.chinese)：\(chinese) (\(location.english): \(english))"
    }

    /// "5–600", as the messages and docs/bounds.md write the range.
    public var rangeText: String { "\(range.lowerBound.boundText)–\(range.upperBound.boundText)" }
}

/// Where in a settings document a field sits, for located messages.
public struct FieldLocation: Sendable, Hashable {
    public let chinese: String
    public let english: String

    public static func round(_ number: Int) -> FieldLocation {
        FieldLocation(chinese: "第\(number)轮", english: "round \(number)")
    }
    public static func level(_ number: Int) -> FieldLocation {
        FieldLocation(chinese: "第\(number)关", english: "level \(number)")
    }
}

/// What the numbers of a bound count, for its message.
public enum BoundUnit: Sendable, Hashable {
    case plain
    case seconds
    case milliseconds
    /// The length of a text.
    case characters
    /// The length of a list.
    case entries

    var chinese: String {
        switch self {
        case .plain: ""
        case .seconds: " 秒"
        case .milliseconds: " 毫秒"
        case .characters: " 个字"
        case .entries: " 项"
        }
    }

    var english: String {
        switch self {
        case .plain: ""
        case .seconds: " seconds"
        case .milliseconds: " milliseconds"
        case .characters: " characters"
        case .entries: " entries"
        }
    }
}

/// A type whose values can bound a field: comparable, and written plainly in messages and docs.
public protocol BoundValue: Comparable, Sendable {
    var boundText: String { get }
}

extension Int: BoundValue {
    public var boundText: String { String(self) }
}

extension Double: BoundValue {
    /// "0.01", "1", "100": no trailing ".0".
    public var boundText: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension CampaignDay: BoundValue {
    public var boundText: String { description }
}

/// Any bound, for the list that docs/bounds.md is checked against.
public protocol DocumentedBound: Sendable {
    var field: String { get }
    var label: String { get }
    var rangeText: String { get }
}
