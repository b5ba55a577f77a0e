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
    /// Why the server will not load this campaign, when it will not; nil for a healthy campaign.
    public var setAside: String? = nil

    enum CodingKeys: String, CodingKey { case id, title, ownerUnitId, settings, createdAt, setAside }

    public init(
        id: Int64, title: String, ownerUnitId: Int64? = nil, settings: CampaignSettings, seed: UInt64, createdAt: Date,
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
    public var ownerUnitId: Int64?
    public var createdById: Int64?
    public var settings: CampaignSettings
    public var seed: UInt64
    public var displayTokenHash: String

    public init(
        ownerUnitId: Int64?, createdById: Int64?, settings: CampaignSettings, seed: UInt64, displayTokenHash: String
    ) {
        self.ownerUnitId = ownerUnitId
        self.createdById = createdById
        self.settings = settings
        self.seed = seed
        self.displayTokenHash = displayTokenHash
    }
}
