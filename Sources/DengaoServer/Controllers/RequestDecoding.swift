import Foundation
import Hummingbird

extension Request {
    /// The JSON body as `T`, or a 400 naming what was expected and, when the decoder knows it, the field at fault:
    /// `settings.rounds[0].earlyBuzzPenalty` for a number no `Int` holds.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        do {
            // The context's decoder itself, not `Request.decode(as:)`, which turns the error into a message
            // without the field's path.
            return try await context.requestDecoder.decode(type, from: self, context: context)
        } catch let error as DecodingError {
            let base = "请求内容不是此接口需要的 JSON (the request body is not the JSON this endpoint expects: \(T.self))"
            guard let detail = Self.describe(error) else { throw APIError.badRequest(base) }
            throw APIError.badRequest("\(base): \(detail)")
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest(
                "请求内容不是此接口需要的 JSON (the request body is not the JSON this endpoint expects: \(T.self))")
        }
    }

    /// "settings.rounds[1].points: expected Int", or nil when the error names no field.
    private static func describe(_ error: DecodingError) -> String? {
        switch error {
        case .typeMismatch(let type, let context): return located(context.codingPath, "expected \(type)")
        case .valueNotFound(let type, let context): return located(context.codingPath, "expected \(type), found null")
        case .keyNotFound(let key, let context): return located(context.codingPath + [key], "missing")
        case .dataCorrupted(let context): return located(context.codingPath, context.debugDescription)
        @unknown default: return nil
        }
    }

    private static func located(_ path: [any CodingKey], _ problem: String) -> String? {
        guard !path.isEmpty else { return nil }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "\(text): \(problem)"
    }
}
