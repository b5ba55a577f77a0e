import PostgresNIO

/// What went wrong talking to PostgreSQL, in words an operator can act on; PostgresNIO's own errors say little
/// unless reflected, and must not leak queries into a page.
public enum PostgresFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The connection broke (server restarted, backend terminated, network): a transaction under way was not
    /// committed, except that a connection lost while `COMMIT` itself was on the wire leaves the outcome unknown.
    case connectionLost(String)
    /// No connection could be made when the store opened (wrong host or port, server down, refused login).
    case unreachable(String)
    /// The server refused a statement; the SQLSTATE and its message.
    case server(sqlState: String, message: String)

    public var description: String {
        switch self {
        case .connectionLost(let detail):
            "数据库连接中断，本次写入未确认 (the database connection was lost; the write was not acknowledged): \(detail)"
        case .unreachable(let detail): "无法连接数据库 (could not connect to the database): \(detail)"
        case .server(let state, let message): "数据库拒绝了请求 (the database refused the request): \(state) \(message)"
        }
    }

    /// The failure `error` stands for, if it is one of PostgresNIO's; nil for anything else (a `StorageError`…).
    static func from(_ error: any Error) -> PostgresFailure? {
        if let failure = error as? PostgresFailure { return failure }
        if let closed = error as? ClosedBeforeSending { return .connectionLost(closed.description) }
        guard let error = error as? PSQLError else { return nil }
        let state = error.serverInfo?[.sqlState]
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        // Class 08 is "connection exception"; 57P01–57P03 are the server terminating or refusing the backend.
        if let state, state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) {
            return .connectionLost("\(state) \(message)")
        }
        switch error.code {
        case .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return .connectionLost("\(error.code)")
        default:
            return .server(sqlState: state ?? "", message: message)
        }
    }

    /// The SQLSTATE of a refused statement; nil for a lost connection.
    var sqlState: String? {
        if case .server(let state, _) = self { return state }
        return nil
    }

    /// Whether `error` is the server refusing a duplicate under a unique constraint (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// Whether `error` is a foreign key refusing the change (SQLSTATE 23503).
    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23503"
    }
}
