// Attempts as the store keeps them: what the journal wrote, enough to rebuild an attempt or a climb.

/// Names one attempt: a member's attempts in a campaign are numbered 1, 2, 3…
public struct AttemptRef: Sendable, Hashable, Codable {
    public let campaignId: CampaignID
    public let memberId: MemberID
    public let seq: Int

    public init(campaignId: CampaignID, memberId: MemberID, seq: Int) {
        self.campaignId = campaignId
        self.memberId = memberId
        self.seq = seq
    }
}

/// An attempt as it began: which level, for whom (and in which unit then), on which campaign day, and the
/// questions drawn with the seed that drew them.
public struct StartedAttempt: Sendable, Hashable {
    public let ref: AttemptRef
    public let unitId: UnitID
    public let level: Int
    public let day: CampaignDay
    public let seed: UInt64
    public let questionIds: [QuestionID]
    public let startedAt: Int64
    /// The ladder the member climbs (`CampaignSettings.ladder(_:)`), pinned at their first attempt: every attempt
    /// of a member names the same one, so a restart or a later change of their categories keeps them on it.
    public let ladder: Int

    public init(
        ref: AttemptRef, unitId: UnitID, level: Int, day: CampaignDay, seed: UInt64, questionIds: [QuestionID],
        startedAt: Int64, ladder: Int = 0
    ) {
        self.ref = ref
        self.unitId = unitId
        self.level = level
        self.day = day
        self.seed = seed
        self.questionIds = questionIds
        self.startedAt = startedAt
        self.ladder = ladder
    }
}

/// An attempt as stored, with what is needed to rebuild it.
public struct StoredAttempt: Sendable, Hashable {
    public let started: StartedAttempt
    public let status: AttemptStatus
    public let endedAt: Int64?
    /// The question on show, if one is.
    public let servedIndex: Int?
    public let servedAt: Int64?
    public let answers: [AttemptAnswer]

    public init(
        started: StartedAttempt, status: AttemptStatus, endedAt: Int64?, servedIndex: Int?, servedAt: Int64?,
        answers: [AttemptAnswer]
    ) {
        self.started = started
        self.status = status
        self.endedAt = endedAt
        self.servedIndex = servedIndex
        self.servedAt = servedAt
        self.answers = answers
    }
}
