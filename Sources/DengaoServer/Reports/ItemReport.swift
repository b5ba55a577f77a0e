import DengaoCore
import Foundation

/// What an item-analysis request computes — read the answer rows, build the matrix, analyse, encode — for a
/// contest, a campaign or a bank. `ItemReportController` and `dengao-bench item-report` both call these, so the
/// benchmark measures what a request does.
public enum ItemReport {
    /// What one analysis needs: the matrix, labels for its questions and names for its groups.
    public struct Source: Sendable {
        public let attempts: [ReportAttempt]
        public let questions: [QuestionID: ReportQuestion]
        /// Where each question is shown (a contest's number, else its bank place), by question id.
        let places: [QuestionID: String]
        let unitNames: [UnitID: String]
        let fileBase: String
        let downloadBase: String
        /// The answer rows read.
        public let rowCount: Int
        /// A contest's 抢答 and 风险 figures by question id (none for campaigns and banks).
        var play: [QuestionID: QuestionPlayFigures] = [:]
        /// The member category the attempts are narrowed to; nil: everyone's.
        var filter: MemberCategoryFilter?
    }

    /// The figures of one source: item and test statistics, and the branch × category matrix.
    public struct Figures: Sendable {
        public let analysis: ItemAnalysis
        public let categories: CategoryMatrix
    }

    /// Records how long each phase of a request took, for the benchmark; requests pass nil.
    public final class Laps {
        public private(set) var seconds: [(phase: String, seconds: Double)] = []
        private var last = ContinuousClock.now

        public init() {}

        func lap(_ phase: String) {
            let now = ContinuousClock.now
            let elapsed = now - last
            seconds.append((phase, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            last = now
        }
    }

    /// A contest's matrix: every seat the host kept, over the questions revealed so far. `filter`: only the seats
    /// of members holding that member category when the contest started (the report's roster moment).
    public static func contest(
        storage: any Storage, id: ContestID, filter: MemberCategoryFilter? = nil, laps: Laps? = nil
    ) async throws -> Source {
        guard let contest = try await storage.contest(id: id) else { throw StorageError.contestNotFound(id) }
        if let reason = contest.setAside { throw StorageError.setAside(reason) }
        let tree = try await storage.orgTree()
        let units = Branches(of: contest.ownerUnitId, in: tree)
        let group = grouping(units, tree: tree)
        var seats = try await storage.contestSeats(contest: id)
        if let filter {
            // Before the first question nothing is revealed and the matrix is empty, whatever seats it keeps.
            let moment = try await storage.contestResults(id).startedAt ?? .max
            seats = seats.filter { filter.holds($0.memberId, at: moment) }
        }
        var matrix = ResponseMatrix.Contest(seats: seats, questionCount: contest.questionCount)
        try await storage.contestAnswerFacts(contest: id) { matrix.add($0) }
        let attempts = matrix.attempts(group: group)
        let places = matrix.numbers.mapValues { String(format: "第%02d题", $0) }
        laps?.lap("rows")
        let questions = try await storage.questionsForReport(ids: Set(places.keys))
        laps?.lap("questions")
        // Buzzes and stakes are not in the answer rows; the journal's replay (what the report and the results
        // downloads read too) has them.
        let (_, contestQuestions, results, _) = try await storage.contestResults(id)
        laps?.lap("replay")
        return Source(
            attempts: attempts, questions: questions, places: places,
            unitNames: units.names, fileBase: "contest-\(id)-items",
            downloadBase: "/api/contests/\(id)/items", rowCount: matrix.rowCount,
            play: results.playFigures(questions: contestQuestions),
            filter: filter)
    }

    /// A campaign's matrix: one attempt per level try. `filter`: only the answers given while the member held
    /// that member category.
    public static func campaign(
        storage: any Storage, id: CampaignID, filter: MemberCategoryFilter? = nil, laps: Laps? = nil
    ) async throws -> Source {
        guard let campaign = try await storage.campaign(id: id) else { throw StorageError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StorageError.setAside(reason) }
        let tree = try await storage.orgTree()
        let units = Branches(of: campaign.ownerUnitId, in: tree)
        let group = grouping(units, tree: tree)
        var matrix = ResponseMatrix.Attempts(group: group)
        try await storage.campaignAnswerFacts(campaign: id) { facts in
            if filter?.holds(facts.memberId, at: facts.at) ?? true { matrix.add(facts) }
        }
        let attempts = matrix.finished()
        laps?.lap("rows")
        let questions = try await storage.questionsForReport(ids: matrix.questionIds)
        laps?.lap("questions")
        return Source(
            attempts: attempts, questions: questions, places: bankPlaces(questions),
            unitNames: units.names, fileBase: "campaign-\(id)-items",
            downloadBase: "/api/campaigns/\(id)/items", rowCount: matrix.rowCount, filter: filter)
    }

    /// A bank's matrix across every contest and campaign, from the answers given in `scope`'s subtree (everywhere
    /// when nil). `filter`: only the answers given while the member held that member category.
    public static func bank(
        storage: any Storage, name: String, scope: UnitID?, filter: MemberCategoryFilter? = nil, laps: Laps? = nil
    ) async throws -> Source {
        let bank = try await storage.bank(named: name)
        let tree = try await storage.orgTree()
        let units = Branches(of: scope, in: tree)
        let group = grouping(units, tree: tree)
        var matrix = ResponseMatrix.Attempts(group: group)
        let within = scope.map { Set(tree.subtreeIds(of: $0)) }
        try await storage.bankAnswerFacts(bank: bank.id, within: within) { facts in
            if filter?.holds(facts.memberId, at: facts.at) ?? true { matrix.add(facts) }
        }
        let attempts = matrix.finished()
        laps?.lap("rows")
        let questions = try await storage.questionsForReport(ids: matrix.questionIds)
        laps?.lap("questions")
        return Source(
            attempts: attempts, questions: questions, places: bankPlaces(questions),
            unitNames: units.names, fileBase: "bank-\(bank.id)-items",
            downloadBase: "/api/banks/\(segment(name))/items", rowCount: matrix.rowCount, filter: filter)
    }

    /// Item analysis (docs/statistics.md) and weak categories of a source.
    public static func figures(_ source: Source, laps: Laps? = nil) -> Figures {
        let items = source.questions.values.map(ResponseMatrix.item)
        let analysis = ItemAnalysis.analyze(source.attempts, items: items)
        let categories = CategoryMatrix.build(source.attempts, items: items)
        laps?.lap("statistics")
        return Figures(analysis: analysis, categories: categories)
    }

    /// The JSON body the endpoint answers with (Hummingbird's default response encoder is a plain `JSONEncoder`).
    public static func json(_ figures: Figures, source: Source, laps: Laps? = nil) throws -> Data {
        let data = try JSONEncoder().encode(json(figures, source: source))
        laps?.lap("json")
        return data
    }

    static func json(_ figures: Figures, source: Source) -> ItemReportJSON {
        ItemReportJSON(analysis: figures.analysis, categories: figures.categories, source: source)
    }

    /// The group a report shows a unit in: its branch among `units`, or the unit above the branches it sits on
    /// directly (`Participation.Grouping`, which the campaign reports share).
    static func grouping(_ units: Branches, tree: OrgTree) -> (UnitID) -> UnitID {
        let grouping = Participation.Grouping(branches: units.pickable.map(\.id), tree: tree)
        return { grouping.group(of: $0).unitId }
    }

    static func bankPlaces(_ questions: [QuestionID: ReportQuestion]) -> [QuestionID: String] {
        questions.mapValues { "\($0.bankName) v\($0.bankVersion) 第\($0.position)题" }
    }

    static func segment(_ name: String) -> String {
        name.addingPercentEncoding(
            withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? name
    }
}
