/// What the store refuses, in terms a caller can map to an HTTP status or an exit code.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case bankNotFound(String)
    case versionNotFound(bank: String, version: Int)
    case invalidBankName(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .bankNotFound(let name): "no bank named \"\(name)\""
        case .versionNotFound(let bank, let version): "bank \"\(bank)\" has no version \(version)"
        case .invalidBankName(let why): "invalid bank name: \(why)"
        case .corrupt(let what): "the database is damaged: \(what)"
        }
    }
}
