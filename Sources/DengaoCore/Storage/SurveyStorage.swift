import Foundation

/// Needs surveys (需求调研) and their responses.
///
/// Every method is one transaction, as in `CampaignStorage`. A member answers a survey once: the store keeps who
/// answered apart from what they answered, so an anonymous survey's response rows hold no member at all and the
/// once-only rule still holds.
public protocol SurveyStorage: Sendable {
    func createSurvey(_ new: NewSurvey, now: Date) async throws -> SurveySummary

    func survey(id: SurveyID) async throws -> SurveySummary?

    /// Surveys owned by any of `units` (all surveys when nil), newest first.
    func surveys(ownedBy units: Set<UnitID>?) async throws -> [SurveySummary]

    /// Stops a survey taking answers; closing a closed survey keeps its first closing time.
    func closeSurvey(id: SurveyID, now: Date) async throws -> SurveySummary

    /// Stores one member's response, checked against the survey by the caller. Throws `.conflict` when the member
    /// has answered it before and `.invalid` when it is closed; either way nothing is written.
    func submitSurveyResponse(_ submission: SurveySubmission, now: Date) async throws

    /// The surveys among all that `member` has answered.
    func answeredSurveys(member: MemberID) async throws -> Set<SurveyID>

    /// Every response of a survey in the order they arrived; anonymous ones carry no member and no time.
    func surveyResponses(_ surveyId: SurveyID) async throws -> [StoredSurveyResponse]
}

/// A survey to make.
public struct NewSurvey: Sendable {
    /// nil: the whole organization (administrators only).
    public var ownerUnitId: UnitID?
    public var createdById: AccountID?
    public var settings: SurveySettings

    public init(ownerUnitId: UnitID?, createdById: AccountID?, settings: SurveySettings) {
        self.ownerUnitId = ownerUnitId
        self.createdById = createdById
        self.settings = settings
    }
}

/// A survey as the console and members see it.
public struct SurveySummary: Codable, Sendable, Hashable {
    public var id: SurveyID
    public var ownerUnitId: UnitID?
    public var settings: SurveySettings
    public var createdAt: Date
    /// When it stopped taking answers; nil while open.
    public var closedAt: Date?
    public var responseCount: Int

    public init(
        id: SurveyID, ownerUnitId: UnitID?, settings: SurveySettings, createdAt: Date, closedAt: Date?,
        responseCount: Int
    ) {
        self.id = id
        self.ownerUnitId = ownerUnitId
        self.settings = settings
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.responseCount = responseCount
    }

    public var isOpen: Bool { closedAt == nil }
}

/// One member's response on its way to the store, with the unit they belong to when answering (kept for the
/// response rates per unit, anonymous or not).
public struct SurveySubmission: Sendable {
    public var surveyId: SurveyID
    public var memberId: MemberID
    public var unitId: UnitID
    public var response: SurveyResponse

    public init(surveyId: SurveyID, memberId: MemberID, unitId: UnitID, response: SurveyResponse) {
        self.surveyId = surveyId
        self.memberId = memberId
        self.unitId = unitId
        self.response = response
    }
}

/// A stored response. Anonymous: `member` and `submittedAt` are nil, by construction of the rows.
public struct StoredSurveyResponse: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var id: MemberID
        public var number: String
        public var name: String

        public init(id: MemberID, number: String, name: String) {
            self.id = id
            self.number = number
            self.name = name
        }
    }

    public var unitId: UnitID
    public var member: Member?
    public var submittedAt: Date?
    public var response: SurveyResponse

    public init(unitId: UnitID, member: Member?, submittedAt: Date?, response: SurveyResponse) {
        self.unitId = unitId
        self.member = member
        self.submittedAt = submittedAt
        self.response = response
    }
}
