extension KeyedDecodingContainer {
    /// `decode`, but a number this field cannot hold (2^63 for an `Int`, 1e400, 1.5 for a whole number) is reported
    /// at its key. Foundation's JSONDecoder raises those as its own parse error, which reaches the caller as "not
    /// valid JSON" with no coding path, and a refusal must name the field.
    public func decodeLocated<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        do {
            return try decode(type, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw unholdable(at: key, error)
        }
    }

    /// `decodeIfPresent`, with the same location of unholdable numbers as `decodeLocated`.
    public func decodeLocatedIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        do {
            return try decodeIfPresent(type, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw unholdable(at: key, error)
        }
    }

    private func unholdable(at key: Key, _ error: any Error) -> DecodingError {
        .dataCorrupted(
            DecodingError.Context(
                codingPath: codingPath + [key], debugDescription: "not a number this field can hold",
                underlyingError: error))
    }
}
