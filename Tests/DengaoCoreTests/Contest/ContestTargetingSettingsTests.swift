import Foundation
import Testing

@testable import DengaoCore

/// A contest's member categories (分层分类) in its settings: old settings read as untargeted, guests cannot be let
/// into a targeted contest, and only holders of a category are admitted.
@Suite struct ContestTargetingSettingsTests {
    private static let stored = """
        {"title": "旧比赛", "membersOnly": true,
         "rounds": [{"kind": "everyone", "banks": ["党史"], "draw": {"count": 3}}]}
        """

    @Test func settingsStoredBeforeCategoriesAreUntargeted() throws {
        let settings = try JSONDecoder().decode(ContestSettings.self, from: Data(Self.stored.utf8))
        #expect(settings.memberCategoryIds.isEmpty)
        #expect(settings.admits(memberHolding: []))
        #expect(settings.problems().isEmpty)
        let again = try JSONDecoder().decode(ContestSettings.self, from: try JSONEncoder().encode(settings))
        #expect(again == settings)
    }

    @Test func onlyHoldersOfACategoryAreAdmitted() throws {
        var settings = try JSONDecoder().decode(ContestSettings.self, from: Data(Self.stored.utf8))
        settings.memberCategoryIds = [3, 5]
        #expect(settings.admits(memberHolding: [5, 8]))
        #expect(!settings.admits(memberHolding: [1, 2]))
        #expect(!settings.admits(memberHolding: []))
        let again = try JSONDecoder().decode(ContestSettings.self, from: try JSONEncoder().encode(settings))
        #expect(again.memberCategoryIds == [3, 5])
    }

    @Test func aTargetedContestMustBeMembersOnly() throws {
        var settings = try JSONDecoder().decode(ContestSettings.self, from: Data(Self.stored.utf8))
        settings.memberCategoryIds = [3]
        settings.membersOnly = false
        #expect(settings.problems() == ["按党员类别限定的比赛须仅限党员参加 (memberCategoryIds needs membersOnly)"])
    }
}
