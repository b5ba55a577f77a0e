import DengaoCore

/// Makes a campaign from settings once every level can be drawn from its banks as they are now; stores it with a
/// fresh seed and a display token. Used by the console's API and by the demo seeding.
enum CampaignCreation {
    struct LevelProblems: Error {
        let problems: [String]
    }

    /// Returns the campaign and its display token, which is stored only hashed.
    static func create(
        _ settings: CampaignSettings, ownerUnitId: Int64?, createdById: Int64?, storage: any Storage
    ) async throws -> (campaign: CampaignSummary, displayToken: String) {
        let pool = try await storage.latestQuestions(ofBanks: settings.banks)
        let problems = settings.levels.enumerated().compactMap { index, level -> String? in
            let admitted = pool.count { level.draw.admits($0.question) }
            return admitted < level.draw.count
                ? "第\(index + 1)关：题库中符合条件的题目只有 \(admitted) 道，需要 \(level.draw.count) 道 (level \(index + 1): count \(level.draw.count), but the banks hold \(admitted) matching questions)"
                : nil
        }
        guard problems.isEmpty else { throw LevelProblems(problems: problems) }
        var generator = SystemRandomNumberGenerator()
        let token = SecretTokens.generate()
        let campaign = try await storage.createCampaign(
            NewCampaign(
                ownerUnitId: ownerUnitId, createdById: createdById, settings: settings,
                seed: UInt64.random(in: .min ... .max, using: &generator), displayTokenHash: SecretTokens.hash(token)))
        return (campaign, token)
    }
}
