import Foundation

/// Question banks: their versions, questions and ownership. An import adds a version; earlier versions stay, so
/// contests and campaigns drawn from them keep their questions.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol BankStorage: Sendable {
    /// Stores `questions` as a new version of the bank `name`, creating the bank if needed; one transaction.
    /// A new bank gets `owner` (nil: the whole organization's) and `shared`; an existing one keeps its own.
    func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, owner: UnitID?,
        shared: Bool,
        at date: Date
    ) async throws -> BankVersionSummary

    /// Parses a file with `parse` and stores its bank as a new version of `name` (as `importBank(named:questions:…)`),
    /// in one transaction that any parse error rolls back: a broken file changes nothing. A backend may insert the
    /// questions `parse` delivers while it reads on (SQLite does); one that does not passes it no delivery.
    func importBank(
        named name: String, sourceName: String?, owner: UnitID?, shared: Bool, at date: Date,
        parsing parse: @escaping @Sendable (QuestionDelivery?) async throws -> ParsedBank
    ) async throws -> (bank: ParsedBank, version: BankVersionSummary)

    /// Every bank with its latest version's counts, by name.
    func banks() async throws -> [BankSummary]

    /// One bank's summary.
    func bank(named name: String) async throws -> BankSummary

    /// Every version of a bank, newest first.
    func versions(ofBank name: String) async throws -> [BankVersionSummary]

    /// A page of a bank's questions (the latest version unless the query names one), filtered, in bank order.
    func questions(ofBank name: String, matching query: QuestionQuery) async throws -> QuestionPage

    /// All questions of one version (the latest by default), in bank order; for export.
    func allQuestions(ofBank name: String, version: Int?) async throws -> (version: Int, questions: [Question])

    /// Deletes a bank with all its versions and questions.
    func deleteBank(named name: String) async throws

    /// Whether the store holds any bank.
    /// Who owns a bank and whether it is shared; nil when there is no such bank.
    func bankOwnership(named name: String) async throws -> BankOwnership?

    /// Changes a bank's owner or sharing.
    func updateBank(named name: String, ownerUnitId: UnitID??, shared: Bool?) async throws -> BankSummary

    func hasBanks() async throws -> Bool

    /// Questions by row id, keys included: for the campaign's actor only.
    func questions(ids: Set<QuestionID>) async throws -> [QuestionID: Question]

    /// The latest version's questions of each named bank, with their row ids: the pool a round draws from.
    func latestQuestions(ofBanks names: [String]) async throws -> [(id: QuestionID, question: Question)]
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension BankStorage {
    /// Parses first, then stores: for a backend whose inserts would not overlap the parse (PostgreSQL's travel in a
    /// few large statements already).
    public func importBank(
        named name: String, sourceName: String?, owner: UnitID?, shared: Bool, at date: Date,
        parsing parse: @escaping @Sendable (QuestionDelivery?) async throws -> ParsedBank
    ) async throws -> (bank: ParsedBank, version: BankVersionSummary) {
        let bank = try await parse(nil)
        let version = try await importBank(
            named: name, questions: bank.questions, format: bank.format, sourceName: sourceName, owner: owner,
            shared: shared, at: date)
        return (bank, version)
    }

    /// `importBank(named:sourceName:owner:shared:at:parsing:)` for the whole organization, now.
    public func importBank(
        named name: String, sourceName: String?,
        parsing parse: @escaping @Sendable (QuestionDelivery?) async throws -> ParsedBank
    ) async throws -> (bank: ParsedBank, version: BankVersionSummary) {
        try await importBank(
            named: name, sourceName: sourceName, owner: nil, shared: false, at: Date(), parsing: parse)
    }

    /// `importBank` with `owner` nil.
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, shared: Bool, at date: Date
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: nil, shared: shared,
            at: date)
    }

    /// `importBank` with `shared` false.
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, owner: UnitID?,
        at date: Date
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: owner, shared: false,
            at: date)
    }

    /// `importBank` with `at` Date().
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, owner: UnitID?, shared: Bool
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: owner, shared: shared,
            at: Date())
    }

    /// `importBank` with `owner` nil, `shared` false.
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, at date: Date
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: nil, shared: false,
            at: date)
    }

    /// `importBank` with `owner` nil, `at` Date().
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, shared: Bool
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: nil, shared: shared,
            at: Date())
    }

    /// `importBank` with `shared` false, `at` Date().
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?, owner: UnitID?
    ) async throws -> BankVersionSummary {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: owner, shared: false,
            at: Date())
    }

    /// `importBank` with `owner` nil, `shared` false, `at` Date().
    public func importBank(named name: String, questions: [Question], format: BankFormat, sourceName: String?)
        async throws -> BankVersionSummary
    {
        try await importBank(
            named: name, questions: questions, format: format, sourceName: sourceName, owner: nil, shared: false,
            at: Date())
    }

    /// `questions` with `matching` QuestionQuery().
    public func questions(ofBank name: String) async throws -> QuestionPage {
        try await questions(ofBank: name, matching: QuestionQuery())
    }

    /// `allQuestions` with `version` nil.
    public func allQuestions(ofBank name: String) async throws -> (version: Int, questions: [Question]) {
        try await allQuestions(ofBank: name, version: nil)
    }

    /// `updateBank` with `ownerUnitId` nil.
    public func updateBank(named name: String, shared: Bool?) async throws -> BankSummary {
        try await updateBank(named: name, ownerUnitId: nil, shared: shared)
    }

    /// `updateBank` with `shared` nil.
    public func updateBank(named name: String, ownerUnitId: UnitID??) async throws -> BankSummary {
        try await updateBank(named: name, ownerUnitId: ownerUnitId, shared: nil)
    }

    /// `updateBank` with `ownerUnitId` nil, `shared` nil.
    public func updateBank(named name: String) async throws -> BankSummary {
        try await updateBank(named: name, ownerUnitId: nil, shared: nil)
    }
}
