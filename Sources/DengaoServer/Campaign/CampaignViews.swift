import DengaoCore
import Foundation

/// What members, organizers and big screens are sent about a campaign. Keys and explanations appear only in
/// `Graded` items, which exist only for questions already answered or run out.
enum CampaignView {
    struct LevelInfo: Encodable, Sendable {
        let level: Int
        let title: String
        let questions: Int
        /// "perQuestion" or "perLevel".
        let timeLimitKind: String
        let timeLimitSeconds: Int
        let passPercent: Int
        let correctNeeded: Int
    }

    struct CampaignInfo: Encodable, Sendable {
        let id: CampaignID
        let title: String
        let startDate: String
        let endDate: String
        let timeZone: String
        let attemptsPerDay: Int
        /// The default ladder's levels; on a member's mountain (`Me`), their own ladder's.
        let levels: [LevelInfo]
        /// Every ladder's level count, the default's first (`CampaignSettings.ladders`).
        let ladderLevels: [Int]
        /// The branch board's weights, for the legend that says what 综合 is.
        let composite: CompositeWeights
    }

    struct BranchStanding: Encodable, Sendable {
        let rank: Int
        let id: UnitID
        let name: String
        let roster: Int
        let participants: Int
        let participationRate: Double
        let meanHeight: Double
        let composite: Double
    }

    struct Climber: Encodable, Sendable {
        let rank: Int
        let memberId: MemberID
        let name: String
        let branch: String
        let height: Int
        /// The levels of the climber's own ladder: a big screen draws height as a share of it.
        let levelCount: Int
        let accuracy: Double
        let totalSeconds: Int
    }

    /// The member's mountain: where they stand and what they may do today.
    struct Me: Encodable, Sendable {
        let campaign: CampaignInfo
        /// The member's ladder: 0 the default, k the k-th category ladder (`CampaignSettings.ladder(_:)`).
        let ladder: Int
        let today: String
        /// The campaign is running today (between its dates).
        let open: Bool
        let height: Int
        let levelCount: Int
        let nextLevel: LevelInfo?
        let attemptsToday: Int
        let attemptsLeft: Int
        let answered: Int
        let correct: Int
        let rank: Int?
        let participants: Int
        let rankInBranch: Int?
        let branchParticipants: Int?
        let branch: BranchStanding?
        let branchCount: Int
        /// The attempt under way, if any: the page resumes it rather than starting another.
        let currentAttempt: Int?
    }

    struct QuestionShown: Encodable, Sendable {
        let index: Int
        let type: QuestionType
        let stem: String
        /// In this member's order for this attempt.
        let options: [String]
        let timeLimitMs: Int?
        let remainingMs: Int64
    }

    /// A question after it was answered or ran out: the key in the member's order, and why.
    struct Graded: Encodable, Sendable {
        let index: Int
        let type: QuestionType
        let stem: String
        let options: [String]
        let correct: Bool
        /// nil when time ran out.
        let picks: [Int]?
        let truth: Bool?
        let text: String?
        let keyPicks: [Int]?
        let keyTruth: Bool?
        let keyTexts: [String]?
        let explanation: String
    }

    struct AttemptState: Encodable, Sendable {
        let seq: Int
        let level: Int
        /// The levels of the member's ladder: passing level `levelCount` reaches the summit.
        let levelCount: Int
        let levelTitle: String
        let questionCount: Int
        let correctNeeded: Int
        let status: AttemptStatus
        let answered: Int
        let correct: Int
        /// Time left for the whole attempt (its deadline is the server's).
        let remainingMs: Int64
        let question: QuestionShown?
        /// Every question answered so far, graded; the whole review once the attempt is over.
        let graded: [Graded]
        /// Once over: whether the member climbed, and where they stand now.
        let height: Int?
    }

    struct AnswerReply: Encodable, Sendable {
        let graded: Graded
        let attempt: AttemptState
    }

    struct Board: Encodable, Sendable {
        let type = "board"
        let campaign: CampaignInfo
        let today: String
        let rosterCount: Int
        let participants: Int
        let participantsToday: Int
        let branches: [BranchStanding]
        let top: [Climber]
    }
}

/// Why a member's request changed nothing; each maps to an HTTP status and a code the pages react to.
struct CampaignRefusal: Error, Sendable, Equatable {
    let status: Int
    let code: String
    let message: String

    static let notInCampaign = CampaignRefusal(
        status: 403, code: "not-in-campaign", message: "您不在本活动范围内 (not part of this campaign)")
    static let closed = CampaignRefusal(
        status: 409, code: "campaign-closed", message: "活动不在进行中 (the campaign is not running today)")
    static let noAttemptsLeft = CampaignRefusal(
        status: 409, code: "no-attempts-left", message: "今日挑战次数已用完 (no attempts left today)")
    static let summit = CampaignRefusal(status: 409, code: "summit", message: "您已登顶 (you have reached the top)")
    static let noAttempt = CampaignRefusal(status: 404, code: "no-attempt", message: "没有这次挑战 (no such attempt)")
    static let attemptOver = CampaignRefusal(
        status: 409, code: "attempt-over", message: "本次挑战已结束 (this attempt is over)")
    static let notThisQuestion = CampaignRefusal(
        status: 409, code: "not-this-question", message: "不是当前题目 (not the current question)")
    static let alreadyAnswered = CampaignRefusal(
        status: 409, code: "already-answered", message: "此题已作答 (already answered)")
    static let notServed = CampaignRefusal(
        status: 409, code: "not-served", message: "请先获取题目 (ask for the question first)")
    static let malformed = CampaignRefusal(status: 400, code: "malformed-answer", message: "答案格式不对 (malformed answer)")
    static let late = CampaignRefusal(status: 409, code: "late", message: "已超时 (time was up)")
    static let badLink = CampaignRefusal(status: 404, code: "bad-token", message: "大屏链接无效 (invalid display link)")
    static let poolTooSmall = CampaignRefusal(
        status: 409, code: "pool-too-small", message: "题库题目不足 (the banks hold too few questions for this level)")

    init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    init(_ refusal: CampaignMachine.Refusal) {
        switch refusal {
        case .notInCampaign: self = .notInCampaign
        case .closed: self = .closed
        case .noAttemptsLeft: self = .noAttemptsLeft
        case .summit: self = .summit
        case .noAttempt: self = .noAttempt
        case .attemptOver: self = .attemptOver
        case .notThisQuestion: self = .notThisQuestion
        case .alreadyAnswered: self = .alreadyAnswered
        case .notServed: self = .notServed
        case .malformed: self = .malformed
        case .late: self = .late
        case .poolTooSmall: self = .poolTooSmall
        }
    }
}
