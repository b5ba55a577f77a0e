import Foundation

/// Answer-climbing campaigns and their attempts (the attempts are written through `JournalStorage`).
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol CampaignStorage: Sendable {
    func createCampaign(_ new: NewCampaign, now: Date) async throws -> CampaignSummary

    func campaign(id: CampaignID) async throws -> CampaignSummary?

    /// The campaign a display token opens.
    func campaign(displayTokenHash hash: String) async throws -> CampaignSummary?

    /// Campaigns owned by any of `units` (all campaigns when nil), newest first.
    func campaigns(ownedBy units: Set<UnitID>?) async throws -> [CampaignSummary]

    func replaceDisplayToken(ofCampaign id: CampaignID, hash: String) async throws

    /// Every attempt of a campaign with its answers, in the order members made them.
    func campaignAttempts(_ campaignId: CampaignID) async throws -> [StoredAttempt]
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension CampaignStorage {
    /// `createCampaign` with `now` Date().
    public func createCampaign(_ new: NewCampaign) async throws -> CampaignSummary {
        try await createCampaign(new, now: Date())
    }
}
