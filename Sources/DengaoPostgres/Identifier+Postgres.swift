import DengaoCore
import NIOCore
import PostgresNIO

// A typed id is its `bigint` in PostgreSQL, alone or in an array (`= ANY($1)`, `unnest`): it encodes and decodes as
// its `rawValue`. Written out rather than taken from postgres-nio's `RawRepresentable` defaults because those
// throw, and a query's interpolation (`"… WHERE id = \(id)"`) takes only non-throwing values.
extension Identifier: PostgresNonThrowingEncodable, PostgresArrayEncodable, PostgresDecodable, PostgresArrayDecodable {
    public static var psqlType: PostgresDataType { Int64.psqlType }
    public static var psqlFormat: PostgresFormat { Int64.psqlFormat }
    public static var psqlArrayType: PostgresDataType { Int64.psqlArrayType }

    @inlinable
    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(rawValue: try Int64(from: &buffer, type: type, format: format, context: context))
    }
}
