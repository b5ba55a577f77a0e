import Foundation

/// The reports' reads: activity, answers with their facts, tallies, a member's history and the report rows.
/// These read whole activities and may take up to a second at the benchmarks' sizes; a backend runs them where
/// they cannot delay the short calls of the other protocols (SQLite: a thread pool of their own).
///
/// Streaming reads (`contestAnswerFacts`, `campaignAnswerFacts`, `bankAnswerFacts`) call `body` once per row,
/// in order, on a thread of the store's own, one call at a time, and return after the last call; the caller is
/// suspended meanwhile, so `body` may update the caller's local state but must not block on async work. An error
/// `body` throws ends the read and is rethrown.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol ReportStorage: Sendable {
    /// Members who joined a live contest from `start` (inclusive) to `end` (exclusive), in epoch milliseconds, with
    /// the moment they joined: a contest's part of the organization's activity (its day is read in the
    /// organization's zone by the caller).
    func contestActivity(from start: Int64, until end: Int64) async throws -> [(memberId: MemberID, at: Int64)]

    /// Who made a campaign attempt on which day from `first` through `last`, each member and day once: the
    /// activity of the organization's participation report (a campaign's days are in its own zone).
    func campaignActivity(from first: CampaignDay, through last: CampaignDay) async throws -> [(
        memberId: MemberID, day: CampaignDay
    )]

    /// Every accepted answer of a contest in question order, then seat.
    func contestAnswerFacts(contest id: ContestID, _ body: (AnswerFacts) throws -> Void) async throws

    /// Every answer of a campaign (timed-out questions as `.unanswered`) in attempt order (member, attempt, index).
    func campaignAnswerFacts(campaign id: CampaignID, _ body: (AnswerFacts) throws -> Void) async throws

    /// Every answer to any version of a bank, contest by contest and campaign by campaign (each in the order of the
    /// two walks above); only those given in `units` (the branch at the time) when given. One read transaction.
    ///
    /// The activities are found by skipping through the question indexes (one seek per question and activity);
    /// each is then walked by its primary key and its rows kept when they answer the bank. Walking beats the
    /// three seeks per answer a join by question costs, as long as the bank is a fair share of what an activity
    /// asked.
    func bankAnswerFacts(bank id: BankID, within units: Set<UnitID>?, _ body: (AnswerFacts) throws -> Void) async throws

    /// Answers per unit and question from campaign days `first` through `last` and contest answers from `start`
    /// (inclusive) to `end` (exclusive) epoch milliseconds; a pair answered in both comes as two tallies.
    func answerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [AnswerTally]

    /// The same answers by member (guests left out), per contest and per campaign attempt: the period's weak
    /// categories narrowed to a member category sum those given while the member held it.
    func memberAnswerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [MemberAnswerTally]

    /// Everything one member did, for their history (an organizer in scope, or the member themself).
    func memberHistory(memberId: MemberID) async throws -> MemberHistoryRows

    /// Every accepted answer of a contest, in question order then seat; points are nil until a question is revealed.
    func contestResponses(contest id: ContestID) async throws -> [ResponseRow]

    /// Every seat a contest has had, kicked ones included, in seat order.
    func contestSeats(contest id: ContestID) async throws -> [ContestSeatRow]

    /// The attempts made on `days`, in one campaign or in all of them (the organization's participation over a
    /// period). Rows come in no promised order.
    func campaignAttempts(days: ClosedRange<CampaignDay>, campaign: CampaignID?) async throws -> [AttemptRow]

    /// Every answer of a campaign (on `days` only, when given), timed-out questions included with a nil answer.
    /// Rows come in no promised order.
    func campaignResponses(campaign id: CampaignID, days: ClosedRange<CampaignDay>?) async throws -> [ResponseRow]

    /// Every answer to any question of any version of a bank, from contests and campaigns alike; only those given in
    /// `units` (the branch at the time) when given, e.g. an organizer's subtree. Rows come in no promised order.
    func bankResponses(bank id: BankID, within units: Set<UnitID>?) async throws -> [ResponseRow]

    /// The questions named (those that exist), keys included, with their bank and version: what item analysis
    /// needs to grade, label and link each question. For organizers' reports, never for players.
    func questionsForReport(ids: Set<QuestionID>) async throws -> [QuestionID: ReportQuestion]
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension ReportStorage {
    /// `bankAnswerFacts` with `within` nil.
    public func bankAnswerFacts(bank id: BankID, _ body: (AnswerFacts) throws -> Void) async throws {
        try await bankAnswerFacts(bank: id, within: nil, body)
    }

    /// `campaignAttempts` with `campaign` nil.
    public func campaignAttempts(days: ClosedRange<CampaignDay>) async throws -> [AttemptRow] {
        try await campaignAttempts(days: days, campaign: nil)
    }

    /// `campaignResponses` with `days` nil.
    public func campaignResponses(campaign id: CampaignID) async throws -> [ResponseRow] {
        try await campaignResponses(campaign: id, days: nil)
    }

    /// `bankResponses` with `within` nil.
    public func bankResponses(bank id: BankID) async throws -> [ResponseRow] {
        try await bankResponses(bank: id, within: nil)
    }
}
