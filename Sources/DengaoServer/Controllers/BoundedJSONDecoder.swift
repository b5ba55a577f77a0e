import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Reads a JSON request body of at most `JSONBodyLimit.bytes`. Only uploads (banks, rosters) need the context's
/// 64 MiB, and they read their bodies themselves; every other body is a form's JSON, so a bigger one is refused with
/// `413` before it is buffered, decoded or copied into a string (a 60 MiB user name signing in held its 60 MiB in
/// the sign-in throttle, for anyone, without an account).
struct BoundedJSONDecoder: RequestDecoder {
    let decoder = JSONDecoder()

    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: JSONBodyLimit.bytes)
        } catch is NIOTooManyBytesError {
            throw JSONBodyLimit.tooLarge
        }
        return try decoder.decode(T.self, from: buffer)
    }
}

enum JSONBodyLimit {
    /// The largest legitimate body, a contest of 20 poll rounds of 20 questions with 8 options of 100 Chinese
    /// characters each, is about 1 MiB of UTF-8.
    static let bytes = 4 * 1024 * 1024

    static let tooLarge = APIError(
        status: .contentTooLarge, message: "请求内容过大，最多 4 MiB (the request body is over 4 MiB)")
}
