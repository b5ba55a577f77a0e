/// What a storage backend refuses or fails at, in terms a caller can map to an HTTP status, a WebSocket error or an
/// exit code. Every backend throws these (and only these) for the outcomes below; the edges (APIError, the sockets,
/// the CLI) decide what a person sees. Messages are Chinese first, with English in parentheses.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    case bankNotFound(String)
    case versionNotFound(bank: String, version: Int)
    case invalidBankName(String)
    case unitNotFound(UnitID)
    case memberNotFound(String)
    case accountNotFound(String)
    case invitationNotFound(InvitationID)
    case contestNotFound(ContestID)
    case campaignNotFound(CampaignID)
    case surveyNotFound(SurveyID)
    case memberCategoryNotFound(MemberCategoryID)
    /// A value a field cannot take (a bad name, a short password…).
    case invalid(String)
    /// The change contradicts what is stored (a taken name, a unit still in use…).
    case conflict(String)
    /// Stored rows that cannot be read back (a damaged file, a hand edit).
    case corrupt(String)
    /// The contest or campaign is set aside (its rows cannot be loaded); the reason says why.
    case setAside(String)
    /// The database cannot be reached or lost its connection mid-call; nothing is known to have been written.
    case unavailable(String)

    /// What kind of refusal this is, for the edges' mappings.
    public enum Category: Sendable {
        case notFound, invalid, conflict, setAside, corrupt, unavailable
    }

    public var category: Category {
        switch self {
        case .bankNotFound, .versionNotFound, .unitNotFound, .memberNotFound, .accountNotFound, .invitationNotFound,
            .contestNotFound, .campaignNotFound, .surveyNotFound, .memberCategoryNotFound:
            .notFound
        case .invalidBankName, .invalid: .invalid
        case .conflict: .conflict
        case .setAside: .setAside
        case .corrupt: .corrupt
        case .unavailable: .unavailable
        }
    }

    public var description: String {
        switch self {
        case .bankNotFound(let name): "找不到题库「\(name)」 (no bank named \"\(name)\")"
        case .versionNotFound(let bank, let version):
            "题库「\(bank)」没有第 \(version) 版 (bank \"\(bank)\" has no version \(version))"
        case .invalidBankName(let why): "题库名称无效 (invalid bank name: \(why))"
        case .unitNotFound(let id): "找不到编号为 \(id) 的组织 (no unit with id \(id))"
        case .memberNotFound(let number): "找不到编号为「\(number)」的党员 (no member with number \"\(number)\")"
        case .accountNotFound(let name): "找不到账号「\(name)」 (no account \"\(name)\")"
        case .invitationNotFound(let id): "找不到编号为 \(id) 的邀请 (no invitation with id \(id))"
        case .contestNotFound(let id): "找不到编号为 \(id) 的竞赛 (no contest with id \(id))"
        case .campaignNotFound(let id): "找不到编号为 \(id) 的闯关活动 (no campaign with id \(id))"
        case .surveyNotFound(let id): "找不到编号为 \(id) 的问卷 (no survey with id \(id))"
        case .memberCategoryNotFound(let id): "找不到编号为 \(id) 的党员类别 (no member category with id \(id))"
        case .invalid(let why): why
        case .conflict(let why): why
        case .corrupt(let what): "数据库已损坏 (the database is damaged: \(what))"
        case .setAside(let reason): "已搁置，暂不可用：\(reason)"
        case .unavailable(let what): "数据库暂时无法访问，请稍后再试 (the database is unavailable: \(what))"
        }
    }
}
