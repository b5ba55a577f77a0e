import Foundation

/// Contests: creation with their drawn questions, lookup by id, PIN or display token, their journal (read back to
/// rebuild a live contest) and results recomputed from it.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol ContestStorage: Sendable {
    /// Creates a contest with a fresh 6-digit PIN not used by any unfinished contest.
    func createContest(_ new: NewContest, now: Date) async throws -> ContestSummary

    func contest(id: ContestID) async throws -> ContestSummary?

    /// The unfinished contest a PIN names.
    func contest(pin: String) async throws -> ContestSummary?

    /// The contest a display token opens.
    func contest(displayTokenHash hash: String) async throws -> ContestSummary?

    /// Contests owned by any of `units` (all contests when nil), newest first.
    func contests(ownedBy units: Set<UnitID>?) async throws -> [ContestSummary]

    /// Contests played but not finished: the ones a restarted server resumes.
    func liveContests() async throws -> [ContestSummary]

    /// A contest's questions with their keys, for the contest's actor only.
    func contestQuestions(_ id: ContestID) async throws -> [ContestQuestion]

    /// A contest's journal in order; replaying it rebuilds the contest.
    func journal(ofContest id: ContestID) async throws -> [JournalEntry]

    /// Replaces the display link's token (the old link stops working).
    func replaceDisplayToken(ofContest id: ContestID, hash: String) async throws

    /// A contest with its questions, its results recomputed from its journal and the moment it started (its first
    /// question brought on; nil before that). Refuses a set-aside contest.
    func contestResults(_ id: ContestID) async throws -> (
        contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?
    )

    /// A contest's results as workbook sheets (standings, every answer, branches), recomputed from its journal;
    /// times are written local to `timeZone`, the organization's.
    func contestResultSheets(_ id: ContestID, timeZone: TimeZone) async throws -> (
        contest: ContestSummary, sheets: [Spreadsheet.Sheet]
    )

    /// The same sheets from a replay the caller already holds (the results download also reads bands from it).
    func contestResultSheets(
        of replay: (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?),
        timeZone: TimeZone
    ) async throws -> [Spreadsheet.Sheet]

    /// The contest a contest's rank table is compared with: the same owner's (the whole organization's for nil)
    /// most recently finished contest that finished before `moment`, other than `id`; set-aside contests are passed
    /// over. nil when there is none.
    func previousFinishedContest(of id: ContestID, owner: UnitID?, finishedBefore moment: Date) async throws
        -> ContestSummary?

    /// Replaces an unplayed contest's settings, owner and drawn questions, keeping its PIN and display link (already
    /// handed out). Refuses, changing nothing, once anything was journaled for it: results would then lie.
    func replaceUnplayedContest(_ id: ContestID, with new: NewContest) async throws -> ContestSummary

    /// Deletes a contest nobody joined yet, with its drawn questions. Refuses, changing nothing, once played.
    func deleteUnplayedContest(_ id: ContestID) async throws
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension ContestStorage {
    /// `createContest` with `now` Date().
    public func createContest(_ new: NewContest) async throws -> ContestSummary {
        try await createContest(new, now: Date())
    }
}
