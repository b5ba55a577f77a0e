/// What the store refuses, in terms a caller can map to an HTTP status or an exit code.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case bankNotFound(String)
    case versionNotFound(bank: String, version: Int)
    case invalidBankName(String)
    case unitNotFound(Int64)
    case memberNotFound(String)
    case accountNotFound(String)
    case invitationNotFound(Int64)
    case contestNotFound(Int64)
    case campaignNotFound(Int64)
    /// A value a field cannot take (a bad name, a short password…).
    case invalid(String)
    /// The change contradicts what is stored (a taken name, a unit still in use…).
    case conflict(String)
    case corrupt(String)
    /// The contest or campaign is set aside (its rows cannot be loaded); the reason says why.
    case setAside(String)

    public var description: String {
        switch self {
        case .bankNotFound(let name): "no bank named \"\(name)\""
        case .versionNotFound(let bank, let version): "bank \"\(bank)\" has no version \(version)"
        case .invalidBankName(let why): "invalid bank name: \(why)"
        case .unitNotFound(let id): "no unit with id \(id)"
        case .memberNotFound(let number): "no member with number \"\(number)\""
        case .accountNotFound(let name): "no account \"\(name)\""
        case .invitationNotFound(let id): "no invitation with id \(id)"
        case .contestNotFound(let id): "no contest with id \(id)"
        case .campaignNotFound(let id): "no campaign with id \(id)"
        case .invalid(let why): why
        case .conflict(let why): why
        case .corrupt(let what): "the database is damaged: \(what)"
        case .setAside(let reason): "已搁置，暂不可用：\(reason)"
        }
    }
}
