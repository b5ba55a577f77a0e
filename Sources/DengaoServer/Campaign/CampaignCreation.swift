import DengaoCore

/// Makes a campaign from settings once every level of every ladder can be drawn from its banks as they are now;
/// stores it with a fresh seed and a display token. Used by the console's API and by the demo seeding.
enum CampaignCreation {
    struct LevelProblems: Error {
        let problems: [String]
    }

    /// Returns the campaign and its display token, which is stored only hashed.
    static func create(
        _ settings: CampaignSettings, ownerUnitId: UnitID?, createdById: AccountID?, storage: any Storage
    ) async throws -> (campaign: CampaignSummary, displayToken: String) {
        let pools = try await CampaignHub.ladderPools(of: settings, storage)
        let problems = settings.ladders.flatMap { ladder in
            let pool = pools[ladder.index]
            // The default ladder's levels are located as before ("第2关"); an extra ladder's name it ("分类阶梯1第2关").
            let location: (Int) -> FieldLocation = { level in
                ladder.index == 0 ? .level(level) : FieldLocation.ladder(ladder.index).level(level)
            }
            return ladder.levels.enumerated().compactMap { index, level -> String? in
                let admitted = pool.count { level.draw.admits($0.question) }
                let at = location(index + 1)
                return admitted < level.draw.count
                    ? "\(at.chinese)：题库中符合条件的题目只有 \(admitted) 道，需要 \(level.draw.count) 道 (\(at.english): count \(level.draw.count), but the banks hold \(admitted) matching questions)"
                    : nil
            }
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
