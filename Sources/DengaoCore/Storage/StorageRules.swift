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

/// The refusals both backends give for the same rule, worded once: every one can reach a person (the console shows
/// it), so each is Chinese first.
extension StorageError {
    public static func bankInUse(_ name: String) -> StorageError {
        .conflict("题库「\(name)」已被比赛使用，不能删除 (bank \"\(name)\" is used by a contest and cannot be deleted)")
    }

    public static let noFreeContestPIN = StorageError.conflict("暂时分配不到比赛码，请稍后再试 (no free contest PIN)")

    public static func memberNumberTaken(_ number: String) -> StorageError {
        .conflict("党员编号 \(number) 已在名册中 (member number \(number) is already in the roster)")
    }

    public static let organizerNeedsUnit = StorageError.invalid("组织者账号须指定所属单位 (an organizer needs a unit)")

    public static let administratorHasNoUnit = StorageError.invalid("管理员账号不属于某个单位 (an administrator has no unit)")

    public static func usernameTaken(_ username: String) -> StorageError {
        .conflict("用户名「\(username)」已被使用 (the user name \"\(username)\" is taken)")
    }

    public static let lastAdministratorDisabled = StorageError.conflict(
        "不能停用最后一个管理员 (the last administrator cannot be disabled)")

    public static let lastAdministratorRemoved = StorageError.conflict(
        "不能删除最后一个管理员 (the last administrator cannot be removed)")

    public static let usernameLength = StorageError.invalid(
        "用户名须为 1 至 \(StorageRules.maximumUsernameLength) 个字符 (a user name has 1 to \(StorageRules.maximumUsernameLength) characters)"
    )

    public static let usernameCharacters = StorageError.invalid(
        "用户名不能含空格或控制字符 (a user name has no spaces or control characters)")

    public static let unitBelowItself = StorageError.conflict("单位不能移到它自己的下级 (a unit cannot move below itself)")

    public static func unitNameTaken(_ name: String) -> StorageError {
        .conflict("同一上级下已有名为「\(name)」的单位 (a unit named \"\(name)\" already exists there)")
    }

    public static func unitCodeTaken(_ code: String) -> StorageError {
        .conflict("单位编码「\(code)」已被使用 (the unit code \"\(code)\" is already used)")
    }

    public static let unitInUse = StorageError.conflict(
        "单位下仍有下级单位、党员（现有或曾有）、账号或题库，不能删除 (the unit still has sub-units, members (now or in the past), accounts or banks)"
    )

    public static func memberCategoryTaken(_ name: String) -> StorageError {
        .conflict("已有名为「\(name)」的党员类别 (a member category named \"\(name)\" already exists)")
    }

    public static let tooManyMemberCategories = StorageError.conflict(
        "党员类别最多 \(MemberCategories.maximumCount) 个 (at most \(MemberCategories.maximumCount) member categories)")

    /// A category members hold now, or held once: deleting it would rewrite their history, so it can only be renamed.
    public static func memberCategoryInUse(_ name: String, holders: Int) -> StorageError {
        holders > 0
            ? .conflict(
                "类别「\(name)」还有 \(holders) 名党员，不能删除；可以改名，或先从这些党员身上去掉 (category \"\(name)\" is held by \(holders) members: rename it, or remove it from them first)"
            )
            : .conflict(
                "类别「\(name)」曾有党员属于它，为保留历史不能删除；可以改名 (category \"\(name)\" is in members' history and cannot be deleted; rename it instead)"
            )
    }
}
