import Foundation

/// Rules every backend applies the same way, and the server checks before it calls one.
public enum StorageRules {
    /// The longest user name an account may have.
    public static let maximumUsernameLength = 40

    /// A bank name as stored: trimmed, 1–100 characters, no control characters or slashes, not "." or ".." (names
    /// appear in URLs and file names).
    public static func validatedBankName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StorageError.invalidBankName("the name is empty") }
        guard trimmed.count <= 100 else { throw StorageError.invalidBankName("longer than 100 characters") }
        // Browsers resolve "." and ".." path segments before sending, so such a bank could never be opened.
        guard trimmed != "." && trimmed != ".." else {
            throw StorageError.invalidBankName("\"\(trimmed)\" is not a usable name")
        }
        guard
            !trimmed.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control || $0 == "/" || $0 == "\\"
            })
        else { throw StorageError.invalidBankName("control characters and slashes are not allowed") }
        return trimmed
    }
}

extension StorageError {
    /// An edit or deletion of a contest someone has joined or played.
    public static let contestPlayed = StorageError.conflict(
        "比赛已有人加入或已开始，不能再修改或删除 (the contest has been joined or played; it can no longer be changed or deleted)")
}
