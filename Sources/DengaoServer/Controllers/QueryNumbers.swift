import DengaoCore
import Hummingbird

/// Numbers in query strings, read one way everywhere (docs/bounds.md): absent or empty takes the default, a whole
/// number is taken (paging clamps it to its bounds), and anything else — "1.5", "NaN", "abc" — is a 400 naming
/// the parameter.
extension Request {
    /// The query parameter `name` as a whole number; nil when absent or empty. Digits beyond `Int` are held at its
    /// limits rather than refused: they are numbers, only absurd ones.
    func wholeNumber(_ name: String) throws -> Int? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let value = Paging.wholeNumber(text[...]) else {
            throw APIError.badRequest("\(name) 须为整数 (\(name) must be a whole number)")
        }
        return value
    }

    /// `page` and the page size (`perPage`, or the parameter named `sizeParameter`), clamped to `Paging`'s bounds.
    func paging(sizeParameter: String = "perPage", defaultSize: Int) throws -> Paging {
        Paging(page: try wholeNumber("page"), perPage: try wholeNumber(sizeParameter), defaultSize: defaultSize)
    }
}

extension AppRequestContext {
    /// The path parameter `name` (default `id`) as a 64-bit id, else a 400 naming it.
    func pathID(_ name: String = "id") throws -> Int64 {
        guard let id = parameters.get(name).flatMap(Int64.init) else {
            throw APIError.badRequest("\(name) 须为整数 (\(name) must be a whole number)")
        }
        return id
    }
}
