/// A stored row's id that knows what it names: a member's id cannot be passed where a contest's is expected, and a
/// signature says which row it wants (`contest(id: ContestID)`), not just `Int64`.
///
/// On the wire and in the database it is the bare integer (Codable as a single value; each backend binds
/// `rawValue`), so nothing a client or an older database file sees changes. Integer literals stay literals
/// (`let id: ContestID = 7`) for tests and fixed rows.
///
/// Written here rather than taken from pointfreeco's swift-tagged: it is these few lines, and a dependency outside the
/// project's chosen stack is not worth them (DEVELOPERS.md, "Dependencies: chosen, not accumulated").
public struct Identifier<Kind: IdentifierKind>: RawRepresentable, Hashable, Comparable, Sendable {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What an `Identifier` names; each is an empty enum below, used only as a type.
public protocol IdentifierKind {}

extension Identifier: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self.rawValue = value }
}

extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension Identifier: CustomStringConvertible, LosslessStringConvertible {
    /// The bare number, as in a URL path (`/api/contests/7`) or a message.
    public var description: String { String(rawValue) }

    /// Parses a path parameter or an option: a decimal integer, nothing else.
    public init?(_ description: String) {
        guard let value = Int64(description) else { return nil }
        rawValue = value
    }
}

/// The kinds of rows that have ids, one per table whose rows are named by id.
public enum IDKind {
    public enum Unit: IdentifierKind {}
    public enum Member: IdentifierKind {}
    public enum MemberCategory: IdentifierKind {}
    public enum Account: IdentifierKind {}
    public enum Invitation: IdentifierKind {}
    public enum Bank: IdentifierKind {}
    public enum BankVersion: IdentifierKind {}
    public enum Question: IdentifierKind {}
    public enum Contest: IdentifierKind {}
    public enum Campaign: IdentifierKind {}
    public enum Survey: IdentifierKind {}
}

public typealias UnitID = Identifier<IDKind.Unit>
public typealias MemberID = Identifier<IDKind.Member>
public typealias MemberCategoryID = Identifier<IDKind.MemberCategory>
public typealias AccountID = Identifier<IDKind.Account>
public typealias InvitationID = Identifier<IDKind.Invitation>
public typealias BankID = Identifier<IDKind.Bank>
public typealias BankVersionID = Identifier<IDKind.BankVersion>
public typealias QuestionID = Identifier<IDKind.Question>
public typealias ContestID = Identifier<IDKind.Contest>
public typealias CampaignID = Identifier<IDKind.Campaign>
public typealias SurveyID = Identifier<IDKind.Survey>
