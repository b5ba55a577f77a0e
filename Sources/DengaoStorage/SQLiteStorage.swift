import DengaoCore
import Foundation
import NIOPosix

/// The SQLite backend behind the `Storage` protocols: the synchronous `Store` (GRDB), each call run on a thread
/// pool so it never blocks the event loops or Swift's cooperative pool.
///
/// Why a second type and not `Store` itself: `Store` keeps its synchronous methods (the CLI and tests call them),
/// and Swift prefers an `async` overload of the same name in every async context, so the same names on one type
/// would turn every synchronous call in an async test into a compile error.
///
/// Two pools, so reports cannot delay requests: short calls (a session lookup, a member, a contest) run on
/// `calls`, one thread per core; report reads (whole activities, up to a second each at the benchmarks' sizes)
/// run on `reports`. With reports on the short calls' pool, one open results page took a 1,000-member climb from
/// 24 ms to 415 ms at p50 (BENCHMARKS.md, "A report page's API while 1,000 members climb").
public struct SQLiteStorage: Storage {
    public let store: Store
    let calls: StorageThreads
    let reports: StorageThreads

    /// Serves `store` on the process-wide pools (`StorageThreads.calls`, `StorageThreads.reports`).
    public init(_ store: Store, calls: StorageThreads = .calls, reports: StorageThreads = .reports) {
        self.store = store
        self.calls = calls
        self.reports = reports
    }

    public var rosterChanges: RosterChanges { store.rosterChanges }

    public func isHealthy() async -> Bool {
        (try? await calls.run { store.isHealthy() }) ?? false
    }

    public func appliedMigrations() async throws -> [String] {
        try await calls.run { try store.appliedMigrations() }
    }

    public func writeJournal(_ records: [JournalRecord]) async throws {
        // GRDB's own async write: it waits for the writer without holding a pool thread.
        try await SQLiteFailure.mapping { try await store.writeJournal(records) }
    }

    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, owner: UnitID?,
        shared: Bool,
        at date: Date
    ) async throws -> BankVersionSummary {
        try await calls.run {
            try store.importBank(
                named: name, questions: questions, format: format, sourceName: sourceName, owner: owner, shared: shared,
                at: date)
        }
    }

    public func importBank(
        named name: String, sourceName: String?, owner: UnitID?, shared: Bool, at date: Date,
        parsing parse: @escaping @Sendable (QuestionDelivery?) async throws -> ParsedBank
    ) async throws -> (bank: ParsedBank, version: BankVersionSummary) {
        // A thread of its own, not `calls`: the transaction waits for the parse, which the server runs on NIO's
        // singleton pool, the same threads as `calls`; two imports blocking both would wait for each other forever.
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try store.importBank(
                            named: name, sourceName: sourceName, owner: owner, shared: shared, at: date,
                            parsing: parse)
                    }.mapError { SQLiteFailure.storageError($0) })
            }.start()
        }
    }

    public func banks() async throws -> [BankSummary] {
        try await calls.run { try store.banks() }
    }

    public func bank(named name: String) async throws -> BankSummary {
        try await calls.run { try store.bank(named: name) }
    }

    public func versions(ofBank name: String) async throws -> [BankVersionSummary] {
        try await calls.run { try store.versions(ofBank: name) }
    }

    public func questions(ofBank name: String, matching query: QuestionQuery) async throws -> QuestionPage {
        try await calls.run { try store.questions(ofBank: name, matching: query) }
    }

    public func allQuestions(ofBank name: String, version: Int?) async throws -> (version: Int, questions: [Question]) {
        try await calls.run { try store.allQuestions(ofBank: name, version: version) }
    }

    public func deleteBank(named name: String) async throws {
        try await calls.run { try store.deleteBank(named: name) }
    }

    public func bankOwnership(named name: String) async throws -> BankOwnership? {
        try await calls.run { try store.bankOwnership(named: name) }
    }

    public func updateBank(named name: String, ownerUnitId: UnitID??, shared: Bool?) async throws -> BankSummary {
        try await calls.run { try store.updateBank(named: name, ownerUnitId: ownerUnitId, shared: shared) }
    }

    public func hasBanks() async throws -> Bool {
        try await calls.run { try store.hasBanks() }
    }

    public func questions(ids: Set<QuestionID>) async throws -> [QuestionID: Question] {
        try await calls.run { try store.questions(ids: ids) }
    }

    public func latestQuestions(ofBanks names: [String]) async throws -> [(id: QuestionID, question: Question)] {
        try await calls.run { try store.latestQuestions(ofBanks: names) }
    }

    public func inviteUninvited(
        _ selection: MemberSelection, createdBy: AccountID?, limit: Int, at date: Date,
        newToken: @Sendable () -> (token: String, hash: String)
    ) async throws -> (created: [BulkInvitation], alreadyInvited: Int) {
        try await withoutActuallyEscaping(newToken) { newToken in
            try await calls.run(lending: newToken) { newToken in
                try store.inviteUninvited(selection, createdBy: createdBy, limit: limit, at: date, newToken: newToken)
            }
        }
    }

    public func revokeInvitations(_ selection: MemberSelection, at date: Date) async throws -> Int {
        try await calls.run { try store.revokeInvitations(selection, at: date) }
    }

    public func rosterHistory(people readPeople: Bool) async throws -> Participation.History {
        try await calls.run { try store.rosterHistory(people: readPeople) }
    }

    public func members(ofUnit unitId: UnitID, matching query: MemberQuery) async throws -> MemberPage {
        try await calls.run { try store.members(ofUnit: unitId, matching: query) }
    }

    public func memberCategories() async throws -> [MemberCategoryView] {
        try await calls.run { try store.memberCategories() }
    }

    @discardableResult
    public func createMemberCategory(name: String, largeText: Bool) async throws -> MemberCategoryView {
        try await calls.run { try store.createMemberCategory(name: name, largeText: largeText) }
    }

    @discardableResult
    public func updateMemberCategory(_ id: MemberCategoryID, name: String?, largeText: Bool?) async throws
        -> MemberCategoryView
    {
        try await calls.run { try store.updateMemberCategory(id, name: name, largeText: largeText) }
    }

    public func deleteMemberCategory(_ id: MemberCategoryID) async throws {
        try await calls.run { try store.deleteMemberCategory(id) }
    }

    public func reorderMemberCategories(_ ids: [MemberCategoryID]) async throws -> [MemberCategoryView] {
        try await calls.run { try store.reorderMemberCategories(ids) }
    }

    public func member(number: String) async throws -> MemberDetail {
        try await calls.run { try store.member(number: number) }
    }

    public func memberUnit(number: String) async throws -> UnitID? {
        try await calls.run { try store.memberUnit(number: number) }
    }

    public func member(id: MemberID) async throws -> MemberView {
        try await calls.run { try store.member(id: id) }
    }

    @discardableResult
    public func addMember(number: String, name: String, unitId: UnitID, phone: String?, at date: Date) async throws
        -> MemberView
    {
        try await calls.run { try store.addMember(number: number, name: name, unitId: unitId, phone: phone, at: date) }
    }

    @discardableResult
    public func updateMember(number: String, _ changes: MemberChanges, at date: Date) async throws -> MemberView {
        try await calls.run { try store.updateMember(number: number, changes, at: date) }
    }

    public func importRoster(
        _ roster: ParsedRoster, readErrors: [ImportIssue], scope: UnitID?, base: UnitID?, createUnits: Bool,
        at date: Date
    ) async throws -> RosterImportResult {
        try await calls.run {
            try store.importRoster(
                roster, readErrors: readErrors, scope: scope, base: base, createUnits: createUnits, at: date)
        }
    }

    public func sameNameMembers(as name: String, inUnit unitId: UnitID, except number: String) async throws -> [String]
    {
        try await calls.run { try store.sameNameMembers(as: name, inUnit: unitId, except: number) }
    }

    public func orgTree() async throws -> OrgTree {
        try await calls.run { try store.orgTree() }
    }

    public func units(under root: UnitID?) async throws -> [UnitSummary] {
        try await calls.run { try store.units(under: root) }
    }

    @discardableResult
    public func createUnit(name: String, parentId: UnitID?, code: String?, at date: Date) async throws -> UnitRef {
        try await calls.run { try store.createUnit(name: name, parentId: parentId, code: code, at: date) }
    }

    @discardableResult
    public func updateUnit(_ id: UnitID, name: String?, code: String??, parentId: UnitID??) async throws -> UnitRef {
        try await calls.run { try store.updateUnit(id, name: name, code: code, parentId: parentId) }
    }

    public func deleteUnit(_ id: UnitID) async throws {
        try await calls.run { try store.deleteUnit(id) }
    }

    public func accounts() async throws -> [AccountView] {
        try await calls.run { try store.accounts() }
    }

    public func account(id: AccountID) async throws -> AccountView {
        try await calls.run { try store.account(id: id) }
    }

    public func credentials(username: String) async throws -> AccountCredentials? {
        try await calls.run { try store.credentials(username: username) }
    }

    public func hasAdministrator() async throws -> Bool {
        try await calls.run { try store.hasAdministrator() }
    }

    @discardableResult
    public func createAccount(
        username: String, displayName: String?, passwordHash: String, role: AccountRole, unitId: UnitID?, at date: Date
    ) async throws -> AccountView {
        try await calls.run {
            try store.createAccount(
                username: username, displayName: displayName, passwordHash: passwordHash, role: role, unitId: unitId,
                at: date)
        }
    }

    @discardableResult
    public func updateAccount(id: AccountID, _ changes: AccountChanges, at date: Date) async throws -> AccountView {
        try await calls.run { try store.updateAccount(id: id, changes, at: date) }
    }

    public func deleteAccount(id: AccountID) async throws {
        try await calls.run { try store.deleteAccount(id: id) }
    }

    public func accountId(username: String) async throws -> AccountID {
        try await calls.run { try store.accountId(username: username) }
    }

    public func createSession(tokenHash: String, csrfToken: String, owner: SessionOwner, expiresAt: Date, at date: Date)
        async throws
    {
        try await calls.run {
            try store.createSession(
                tokenHash: tokenHash, csrfToken: csrfToken, owner: owner, expiresAt: expiresAt, at: date)
        }
    }

    public func session(tokenHash: String, at date: Date) async throws -> SessionView? {
        // Most requests' sessions are in memory: answered without a hop to a storage thread.
        if let cached = store.cachedSession(tokenHash: tokenHash, at: date) { return cached }
        return try await calls.run { try store.session(tokenHash: tokenHash, at: date) }
    }

    public func touchSession(id: Int64, expiresAt: Date, at date: Date) async throws {
        try await calls.run { try store.touchSession(id: id, expiresAt: expiresAt, at: date) }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await calls.run { try store.deleteSession(tokenHash: tokenHash) }
    }

    @discardableResult
    public func deleteExpiredSessions(at date: Date) async throws -> Int {
        try await calls.run { try store.deleteExpiredSessions(at: date) }
    }

    public func createInvitation(memberNumber: String, tokenHash: String, createdBy: AccountID?, at date: Date)
        async throws
        -> InvitationView
    {
        try await calls.run {
            try store.createInvitation(memberNumber: memberNumber, tokenHash: tokenHash, createdBy: createdBy, at: date)
        }
    }

    public func redeemableInvitation(tokenHash: String) async throws -> (
        invitationId: InvitationID, memberId: MemberID
    )? {
        try await calls.run { try store.redeemableInvitation(tokenHash: tokenHash) }
    }

    public func invitationUnit(id: InvitationID) async throws -> UnitID? {
        try await calls.run { try store.invitationUnit(id: id) }
    }

    public func revokeInvitation(id: InvitationID, at date: Date) async throws {
        try await calls.run { try store.revokeInvitation(id: id, at: date) }
    }

    public func createContest(_ new: NewContest, now: Date) async throws -> ContestSummary {
        try await calls.run { try store.createContest(new, now: now) }
    }

    public func contest(id: ContestID) async throws -> ContestSummary? {
        try await calls.run { try store.contest(id: id) }
    }

    public func contest(pin: String) async throws -> ContestSummary? {
        try await calls.run { try store.contest(pin: pin) }
    }

    public func contest(displayTokenHash hash: String) async throws -> ContestSummary? {
        try await calls.run { try store.contest(displayTokenHash: hash) }
    }

    public func contests(ownedBy units: Set<UnitID>?) async throws -> [ContestSummary] {
        try await calls.run { try store.contests(ownedBy: units) }
    }

    public func liveContests() async throws -> [ContestSummary] {
        try await calls.run { try store.liveContests() }
    }

    public func contestQuestions(_ id: ContestID) async throws -> [ContestQuestion] {
        try await calls.run { try store.contestQuestions(id) }
    }

    public func journal(ofContest id: ContestID) async throws -> [JournalEntry] {
        try await calls.run { try store.journal(ofContest: id) }
    }

    public func replaceDisplayToken(ofContest id: ContestID, hash: String) async throws {
        try await calls.run { try store.replaceDisplayToken(ofContest: id, hash: hash) }
    }

    public func contestResults(_ id: ContestID) async throws -> (
        contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?
    ) {
        try await reports.run { try store.contestResults(id) }
    }

    public func contestResultSheets(_ id: ContestID, timeZone: TimeZone) async throws -> (
        contest: ContestSummary, sheets: [Spreadsheet.Sheet]
    ) {
        try await reports.run { try store.contestResultSheets(id, timeZone: timeZone) }
    }

    public func contestResultSheets(
        of replay: (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?),
        timeZone: TimeZone
    ) async throws -> [Spreadsheet.Sheet] {
        try await reports.run { try store.contestResultSheets(of: replay, timeZone: timeZone) }
    }

    public func previousFinishedContest(of id: ContestID, owner: UnitID?, finishedBefore moment: Date) async throws
        -> ContestSummary?
    {
        try await calls.run { try store.previousFinishedContest(of: id, owner: owner, finishedBefore: moment) }
    }

    public func replaceUnplayedContest(_ id: ContestID, with new: NewContest) async throws -> ContestSummary {
        try await calls.run { try store.replaceUnplayedContest(id, with: new) }
    }

    public func deleteUnplayedContest(_ id: ContestID) async throws {
        try await calls.run { try store.deleteUnplayedContest(id) }
    }

    public func createCampaign(_ new: NewCampaign, now: Date) async throws -> CampaignSummary {
        try await calls.run { try store.createCampaign(new, now: now) }
    }

    public func campaign(id: CampaignID) async throws -> CampaignSummary? {
        try await calls.run { try store.campaign(id: id) }
    }

    public func campaign(displayTokenHash hash: String) async throws -> CampaignSummary? {
        try await calls.run { try store.campaign(displayTokenHash: hash) }
    }

    public func campaigns(ownedBy units: Set<UnitID>?) async throws -> [CampaignSummary] {
        try await calls.run { try store.campaigns(ownedBy: units) }
    }

    public func replaceDisplayToken(ofCampaign id: CampaignID, hash: String) async throws {
        try await calls.run { try store.replaceDisplayToken(ofCampaign: id, hash: hash) }
    }

    public func campaignAttempts(_ campaignId: CampaignID) async throws -> [StoredAttempt] {
        try await calls.run { try store.campaignAttempts(campaignId) }
    }

    public func setAsideInterruptedLoads(now: Date) async throws -> [SetAsideRoom] {
        try await calls.run { try store.setAsideInterruptedLoads(now: now) }
    }

    public func beginLoading(_ kind: RoomKind, id: Int64, now: Date) async throws -> String? {
        try await calls.run { try store.beginLoading(kind, id: id, now: now) }
    }

    public func finishLoading(_ kind: RoomKind, id: Int64, setAsideBecause reason: String?, now: Date) async throws {
        try await calls.run { try store.finishLoading(kind, id: id, setAsideBecause: reason, now: now) }
    }

    public func setAsideRooms() async throws -> [SetAsideRoom] {
        try await calls.run { try store.setAsideRooms() }
    }

    @discardableResult
    public func clearSetAside(_ kind: RoomKind, id: Int64) async throws -> Bool {
        try await calls.run { try store.clearSetAside(kind, id: id) }
    }

    public func contestActivity(from start: Int64, until end: Int64) async throws -> [(memberId: MemberID, at: Int64)] {
        try await reports.run { try store.contestActivity(from: start, until: end) }
    }

    public func campaignActivity(from first: CampaignDay, through last: CampaignDay) async throws -> [(
        memberId: MemberID, day: CampaignDay
    )] {
        try await reports.run { try store.campaignActivity(from: first, through: last) }
    }

    public func contestAnswerFacts(contest id: ContestID, _ body: (AnswerFacts) throws -> Void) async throws {
        try await reports.streaming(body) { body in try store.contestAnswerFacts(contest: id, body) }
    }

    public func campaignAnswerFacts(campaign id: CampaignID, _ body: (AnswerFacts) throws -> Void) async throws {
        try await reports.streaming(body) { body in try store.campaignAnswerFacts(campaign: id, body) }
    }

    public func bankAnswerFacts(bank id: BankID, within units: Set<UnitID>?, _ body: (AnswerFacts) throws -> Void)
        async throws
    {
        try await reports.streaming(body) { body in try store.bankAnswerFacts(bank: id, within: units, body) }
    }

    public func answerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [AnswerTally] {
        try await reports.run {
            try store.answerTallies(campaignDays: first, through: last, contestsFrom: start, until: end)
        }
    }

    public func memberAnswerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [MemberAnswerTally] {
        try await reports.run {
            try store.memberAnswerTallies(campaignDays: first, through: last, contestsFrom: start, until: end)
        }
    }

    public func memberHistory(memberId: MemberID) async throws -> MemberHistoryRows {
        try await reports.run { try store.memberHistory(memberId: memberId) }
    }

    public func contestResponses(contest id: ContestID) async throws -> [ResponseRow] {
        try await reports.run { try store.contestResponses(contest: id) }
    }

    public func contestSeats(contest id: ContestID) async throws -> [ContestSeatRow] {
        try await reports.run { try store.contestSeats(contest: id) }
    }

    public func campaignAttempts(days: ClosedRange<CampaignDay>, campaign: CampaignID?) async throws -> [AttemptRow] {
        try await calls.run { try store.campaignAttempts(days: days, campaign: campaign) }
    }

    public func campaignResponses(campaign id: CampaignID, days: ClosedRange<CampaignDay>?) async throws
        -> [ResponseRow]
    {
        try await reports.run { try store.campaignResponses(campaign: id, days: days) }
    }

    public func bankResponses(bank id: BankID, within units: Set<UnitID>?) async throws -> [ResponseRow] {
        try await reports.run { try store.bankResponses(bank: id, within: units) }
    }

    public func questionsForReport(ids: Set<QuestionID>) async throws -> [QuestionID: ReportQuestion] {
        try await reports.run { try store.questionsForReport(ids: ids) }
    }
}
