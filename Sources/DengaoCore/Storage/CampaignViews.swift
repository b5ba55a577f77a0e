import Foundation

/// A campaign as lists and the console show it.
public struct CampaignSummary: Encodable, Sendable, Equatable {
    public var id: CampaignID
    public var title: String
    /// nil for a campaign of the whole organization.
    public var ownerUnitId: UnitID?
    public var settings: CampaignSettings
    /// Seeds every attempt's draw and option orders; stays on the server.
    public var seed: UInt64
    public var createdAt: Date
    /// Why the server will not load this campaign, when it will not; nil for a healthy campaign.
    public var setAside: String? = nil

    enum CodingKeys: String, CodingKey { case id, title, ownerUnitId, settings, createdAt, setAside }

    public init(
        id: CampaignID, title: String, ownerUnitId: UnitID? = nil, settings: CampaignSettings, seed: UInt64,
        createdAt: Date,
        setAside: String? = nil
    ) {
        self.id = id
        self.title = title
        self.ownerUnitId = ownerUnitId
        self.settings = settings
        self.seed = seed
        self.createdAt = createdAt
        self.setAside = setAside
    }
}

public struct NewCampaign: Sendable {
    public var ownerUnitId: UnitID?
    public var createdById: AccountID?
    public var settings: CampaignSettings
    public var seed: UInt64
    public var displayTokenHash: String

    public init(
        ownerUnitId: UnitID?, createdById: AccountID?, settings: CampaignSettings, seed: UInt64,
        displayTokenHash: String
    ) {
        self.ownerUnitId = ownerUnitId
        self.createdById = createdById
        self.settings = settings
        self.seed = seed
        self.displayTokenHash = displayTokenHash
    }
}
