/// What the results page shows of a contest: headline figures, participation against the roster of the owner's
/// subtree per unit, scores per branch, the score histogram and the top of the standings. Read from
/// `ContestResults` (the journal's replay); kicked seats are left out of every score figure.
public struct ContestReport: Sendable, Encodable {
    public struct Headline: Sendable, Encodable {
        /// Seats that played (not removed by the host): members and guests.
        public let players: Int
        public let members: Int
        public let guests: Int
        public let questions: Int
        /// Over the players; nil when nobody played.
        public let meanScore: Double?
        public let medianScore: Double?
        /// Active members of the owner's subtree at the contest's start (参与率's denominator).
        public let roster: Int
        /// Members of that roster who joined.
        public let rosterParticipants: Int
        /// 参与率: rosterParticipants / roster (0 for an empty roster).
        public let participationRate: Double
        /// The roster's members' scores summed over the whole roster, non-participants counting 0; nil for an
        /// empty roster.
        public let meanScoreOverRoster: Double?
    }

    /// Scores of the players who joined for one branch (members and guests).
    public struct BranchScores: Sendable, Encodable {
        public let id: UnitID
        public let name: String
        public let players: Int
        public let members: Int
        public let meanScore: Double?
        public let medianScore: Double?
    }

    public struct Standing: Sendable, Encodable {
        public let rank: Int
        public let name: String
        public let branch: String
        public let score: Int
        public let correct: Int
        public let answered: Int
        public let guest: Bool
    }

    public let headline: Headline
    public let participation: ReportParticipation
    public let branches: [BranchScores]
    public let histogram: [ReportFigures.Bin]
    /// Players per performance band, on the share of the revealed questions each answered correctly.
    public let bands: ReportBands
    public let top: [Standing]

    /// What a contest's bands are counted on: the maximum score is not well defined (speed points, streaks,
    /// stakes and buzzer penalties), the questions are.
    public static let bandBasis = "答对题数占已揭晓题数的百分比 (percent of the revealed questions answered correctly)"

    /// `roster` is every active member of the owner's subtree at the contest's start with the unit they were placed
    /// in; `branches` the branches players pick from; `names` names the units. A member counts as taking part in
    /// the group of the branch they joined for — members join as the roster places them, so that is their own.
    public init(
        results: ContestResults, questionCount: Int, roster: [MemberID: UnitID], branches: [UnitID], owner: UnitID?,
        tree: OrgTree,
        names: [UnitID: String], topCount: Int = 10
    ) {
        let playing = results.standings.filter { !$0.kicked }
        let scores = playing.map(\.score)
        let grouping = Participation.Grouping(branches: branches, tree: tree)
        var tallies: [Participation.Grouping.Group: Participation.Tally] = [:]
        for unit in roster.values { tallies[grouping.group(of: unit), default: .init()].roster += 1 }
        var joined = Set<MemberID>()
        var rosterScoreSum = 0
        for row in results.standings {
            guard let member = row.seat.memberId, roster[member] != nil, joined.insert(member).inserted
            else { continue }
            tallies[grouping.group(of: row.seat.branchId), default: .init()].participants += 1
            if !row.kicked { rosterScoreSum = rosterScoreSum.saturatingAdding(row.score) }
        }
        let members = playing.filter { $0.seat.memberId != nil }.count
        headline = Headline(
            players: playing.count, members: members, guests: playing.count - members, questions: questionCount,
            meanScore: ReportFigures.mean(scores), medianScore: ReportFigures.median(scores), roster: roster.count,
            rosterParticipants: joined.count,
            participationRate: roster.isEmpty ? 0 : Double(joined.count) / Double(roster.count),
            meanScoreOverRoster: roster.isEmpty ? nil : Double(rosterScoreSum) / Double(roster.count))
        participation = ReportParticipation(groups: tallies, branches: branches, owner: owner, tree: tree, names: names)
        var byBranch: [UnitID: [ContestResults.StandingRow]] = [:]
        for row in playing { byBranch[row.seat.branchId, default: []].append(row) }
        let listed = branches + byBranch.keys.filter { !branches.contains($0) }.sorted()
        self.branches = listed.compactMap { branch in
            guard let rows = byBranch[branch] else { return nil }
            let scores = rows.map(\.score)
            return BranchScores(
                id: branch, name: names[branch] ?? tree.path(of: branch), players: rows.count,
                members: rows.filter { $0.seat.memberId != nil }.count, meanScore: ReportFigures.mean(scores),
                medianScore: ReportFigures.median(scores))
        }
        histogram = ReportFigures.histogram(scores)
        let revealed = results.revealed
        bands = ReportBands(
            basis: Self.bandBasis,
            groups: listed.compactMap { branch in
                byBranch[branch].map { rows in
                    ReportBands.Group(
                        id: branch, name: names[branch] ?? tree.path(of: branch),
                        percents: revealed == 0 ? [] : rows.map { ReportBands.percent($0.correct, of: revealed) })
                }
            })
        top = playing.prefix(topCount).map { row in
            Standing(
                rank: row.rank, name: row.seat.name,
                branch: names[row.seat.branchId] ?? tree.path(of: row.seat.branchId),
                score: row.score, correct: row.correct, answered: row.answered, guest: row.seat.memberId == nil)
        }
    }
}
