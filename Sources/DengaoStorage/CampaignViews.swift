import DengaoCore
import Foundation

/// A campaign as lists and the console show it.
public struct CampaignSummary: Encodable, Sendable, Equatable {
    public var id: Int64
    public var title: String
    /// nil for a campaign of the whole organization.
    public var ownerUnitId: Int64?
    public var settings: CampaignSettings
    /// Seeds every attempt's draw and option orders; stays on the server.
    public var seed: UInt64
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, title, ownerUnitId, settings, createdAt }
}

public struct NewCampaign: Sendable {
    public var ownerUnitId: Int64?
    public var createdById: Int64?
    public var settings: CampaignSettings
    public var seed: UInt64
    public var displayTokenHash: String

    public init(ownerUnitId: Int64?, createdById: Int64?, settings: CampaignSettings, seed: UInt64, displayTokenHash: String) {
        self.ownerUnitId = ownerUnitId
        self.createdById = createdById
        self.settings = settings
        self.seed = seed
        self.displayTokenHash = displayTokenHash
    }
}

/// Names one attempt: a member's attempts in a campaign are numbered 1, 2, 3…
public struct AttemptRef: Sendable, Hashable, Codable {
    public let campaignId: Int64
    public let memberId: Int64
    public let seq: Int

    public init(campaignId: Int64, memberId: Int64, seq: Int) {
        self.campaignId = campaignId
        self.memberId = memberId
        self.seq = seq
    }
}

/// An attempt as it began: which level, for whom (and in which unit then), on which campaign day, and the
/// questions drawn with the seed that drew them.
public struct StartedAttempt: Sendable, Hashable {
    public let ref: AttemptRef
    public let unitId: Int64
    public let level: Int
    public let day: CampaignDay
    public let seed: UInt64
    public let questionIds: [Int64]
    public let startedAt: Int64

    public init(ref: AttemptRef, unitId: Int64, level: Int, day: CampaignDay, seed: UInt64, questionIds: [Int64], startedAt: Int64) {
        self.ref = ref
        self.unitId = unitId
        self.level = level
        self.day = day
        self.seed = seed
        self.questionIds = questionIds
        self.startedAt = startedAt
    }
}

/// One change to an attempt, written by the journal before the member hears of it.
public enum CampaignChange: Sendable, Hashable {
    case started(StartedAttempt)
    /// A question was put before the member at `at` (its deadline runs from then).
    case served(AttemptRef, index: Int, at: Int64)
    /// An answer (or a question's time running out, with no answer), and where the attempt stands after it.
    case answered(AttemptRef, AttemptAnswer, status: AttemptStatus, endedAt: Int64?)
    /// Abandoned or expired.
    case ended(AttemptRef, status: AttemptStatus, at: Int64)
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
}
