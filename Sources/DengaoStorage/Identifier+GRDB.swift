import DengaoCore
import GRDB

// A typed id is its integer in SQLite: GRDB's defaults for `RawRepresentable` bind and read `rawValue`.
extension Identifier: SQLExpressible, StatementBinding, DatabaseValueConvertible, StatementColumnConvertible {}
