import DengaoCore
import Foundation
import Hummingbird

/// The member-category (分层分类) dimension of the results reports: `?memberCategory=ID` narrows a contest's or a
/// campaign's report, its downloads and its item analysis to the members who held that category at the time, and
/// every report carries the split of its figures by category.
public enum MemberCategoryReports {
    /// The query parameter (not `category`: item analysis and weak categories speak of questions' categories).
    static let parameter = "memberCategory"

    /// The organization's categories in their list order.
    static func categories(storage: any Storage) async throws -> [(id: MemberCategoryID, name: String)] {
        try await storage.memberCategories().sorted { ($0.position, $0.id) < ($1.position, $1.id) }
            .map { (id: $0.id, name: $0.name) }
    }

    /// The filter `?memberCategory=ID` asks for, or nil when absent or empty; an id the organization's list does
    /// not have is a 400 naming it (the participation report's `category` answers the same).
    static func filter(_ request: Request, storage: any Storage, spans: [Participation.CategorySpan]) async throws
        -> MemberCategoryFilter?
    {
        guard let text = request.uri.queryParameters.get(parameter), !text.isEmpty else { return nil }
        guard let id = MemberCategoryID(text),
            let category = try await categories(storage: storage).first(where: { $0.id == id })
        else {
            throw APIError.badRequest("没有编号为 \(text) 的党员类别 (memberCategory: no member category \(text))")
        }
        return MemberCategoryFilter(categoryId: category.id, name: category.name, spans: spans)
    }

    /// The filter for category `id`, as `dengao export-results --member-category` asks for it: the same narrowing
    /// as `?memberCategory=ID`; an id the list does not have is `StorageError.memberCategoryNotFound`.
    public static func filter(category id: MemberCategoryID, storage: any Storage) async throws -> MemberCategoryFilter
    {
        guard let category = try await categories(storage: storage).first(where: { $0.id == id }) else {
            throw StorageError.memberCategoryNotFound(id)
        }
        return MemberCategoryFilter(
            categoryId: category.id, name: category.name, spans: try await storage.rosterHistory().categorySpans)
    }

    /// The same filter, reading the category spans itself (for reports that do not read the roster history).
    static func filter(_ request: Request, storage: any Storage) async throws -> MemberCategoryFilter? {
        guard let text = request.uri.queryParameters.get(parameter), !text.isEmpty else { return nil }
        return try await filter(request, storage: storage, spans: storage.rosterHistory().categorySpans)
    }

    /// The filter as the report names it: `{"id", "name"}`.
    struct Named: Encodable {
        var id: MemberCategoryID
        var name: String

        init(_ filter: MemberCategoryFilter) {
            id = filter.categoryId
            name = filter.name
        }
    }

    /// `url` with the filter's parameter added, so a report's download links download what it shows.
    static func link(_ url: String, _ filter: MemberCategoryFilter?) -> String {
        guard let filter else { return url }
        return url + (url.contains("?") ? "&" : "?") + "\(parameter)=\(filter.categoryId)"
    }

    /// A contest's split: its roster read at `moment` (the contest's start), each member's score from the seats
    /// the host kept.
    static func contestSplit(
        results: ContestResults, history: Participation.History, moment: Int64, subtree: Set<UnitID>?,
        categories: [(id: MemberCategoryID, name: String)]
    ) -> MemberCategorySplit {
        var scores: [MemberID: Int] = [:]
        for row in results.standings where !row.kicked {
            if let member = row.seat.memberId, scores[member] == nil { scores[member] = row.score }
        }
        let roster = history.roster(at: moment, within: subtree)
        return MemberCategorySplit(
            categories: categories, roster: roster, scores: scores,
            moment: moment, spans: history.categorySpans, measure: "平均分")
    }

    /// A campaign's split: its overall roster (read at the end of its last day counted), each climber's height.
    static func campaignSplit(
        results: CampaignResults, moment: Int64, spans: [Participation.CategorySpan],
        categories: [(id: MemberCategoryID, name: String)]
    ) -> MemberCategorySplit {
        var roster: [MemberID: UnitID] = [:]
        for member in results.roster { roster[member.memberId] = member.unitId }
        let scores = results.climbs.mapValues(\.height)
        return MemberCategorySplit(
            categories: categories, roster: roster, scores: scores, moment: moment,
            spans: spans, measure: "平均高度")
    }
}
