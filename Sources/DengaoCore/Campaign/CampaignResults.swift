/// A campaign's results read from its stored attempts: every member's climb and rank, the branch board, and
/// participation per group and day — as spreadsheets for the console's export and `dengao export-campaign`.
/// Who counts where is `Participation`'s rule, the same as the live board's.
public struct CampaignResults: Sendable {
    public struct Member: Sendable, Hashable {
        public let memberId: MemberID
        public let number: String
        public let name: String
        public let unitId: UnitID

        public init(memberId: MemberID, number: String, name: String, unitId: UnitID) {
            self.memberId = memberId
            self.number = number
            self.name = name
            self.unitId = unitId
        }
    }

    /// What the results need of one attempt: whose, on which day and level, how it ended, and its answers' totals.
    public struct AttemptSummary: Sendable, Hashable {
        public let memberId: MemberID
        public let day: CampaignDay
        public let level: Int
        public let status: AttemptStatus
        public let endedAt: Int64?
        public let answered: Int
        public let correct: Int
        /// Time spent answering, saturating.
        public let milliseconds: Int64
        /// The member's ladder (`StartedAttempt.ladder`).
        public let ladder: Int

        public init(
            memberId: MemberID, day: CampaignDay, level: Int, status: AttemptStatus, endedAt: Int64?, answered: Int,
            correct: Int,
            milliseconds: Int64, ladder: Int = 0
        ) {
            (self.memberId, self.day, self.level, self.status, self.endedAt) = (memberId, day, level, status, endedAt)
            (self.answered, self.correct, self.milliseconds, self.ladder) = (answered, correct, milliseconds, ladder)
        }

        public init(_ stored: StoredAttempt) {
            self.init(
                memberId: stored.started.ref.memberId, day: stored.started.day, level: stored.started.level,
                status: stored.status,
                endedAt: stored.endedAt, answered: stored.answers.count,
                correct: stored.answers.filter { $0.correctness == .correct }.count,
                milliseconds: stored.answers.reduce(Int64(0)) { $0.saturatingAdding(Int64($1.elapsedMilliseconds)) },
                ladder: stored.started.ladder)
        }
    }

    public let climbs: [MemberID: Climb]
    /// The ladder of each member who climbed (pinned by their first attempt).
    public let ladders: [MemberID: Int]
    public let leaderboard: CampaignLeaderboard
    public let board: BranchBoard
    /// The overall roster: the one of the campaign's last day (while it runs, today's), by member number.
    public let roster: [Member]
    /// Every group on every day up to today, counted when asked.
    public let participation: CampaignParticipation
    /// Numbers and names of every member, also those no longer on the roster (absent on an earlier day).
    public let people: [MemberID: Participation.History.Person]
    public let branches: [UnitID]
    /// The units whose figures are roll-ups: those of the subtree above the branches.
    public let unitsAboveBranches: [UnitID]
    let tree: OrgTree

    /// `owner` is the campaign's unit (nil: the whole organization), `branches` the groups its boards list.
    public init(
        settings: CampaignSettings, calendar: CampaignCalendar, attempts: [StoredAttempt],
        history: Participation.History,
        owner: UnitID?, branches: [UnitID], tree: OrgTree, today: CampaignDay
    ) {
        self.init(
            settings: settings, calendar: calendar, summaries: attempts.map(AttemptSummary.init), history: history,
            owner: owner,
            branches: branches, tree: tree, today: today)
    }

    /// The same from attempts' summaries, in the order they started.
    public init(
        settings: CampaignSettings, calendar: CampaignCalendar, summaries attempts: [AttemptSummary],
        history: Participation.History,
        owner: UnitID?, branches: [UnitID], tree: OrgTree, today: CampaignDay
    ) {
        var climbs: [MemberID: Climb] = [:]
        var ladders: [MemberID: Int] = [:]
        for attempt in attempts {
            if ladders[attempt.memberId] == nil { ladders[attempt.memberId] = attempt.ladder }
            var climb = climbs[attempt.memberId] ?? Climb(memberId: attempt.memberId)
            climb.started(on: attempt.day)
            if attempt.status.isOver {
                climb.finished(
                    level: attempt.level, status: attempt.status, endedAt: attempt.endedAt, answered: attempt.answered,
                    correct: attempt.correct, milliseconds: attempt.milliseconds)
            }
            climbs[attempt.memberId] = climb
        }
        let subtree = owner.map { Set(tree.subtreeIds(of: $0)) }
        let roster = history.roster(at: Participation.overallMoment(today: today, in: calendar), within: subtree)
            .map { member, unit in
                let person = history.people[member]
                return Member(memberId: member, number: person?.number ?? "", name: person?.name ?? "", unitId: unit)
            }
            .sorted { ($0.number, $0.memberId) < ($1.number, $1.memberId) }
        var leaderboard = CampaignLeaderboard()
        var board = BranchBoard(
            tree: tree, ladderLevels: settings.ladders.map(\.levels.count), weights: settings.composite)
        for member in roster {
            let climb = climbs[member.memberId]
            board.addMember(
                unit: member.unitId, participated: climb != nil, height: climb?.height ?? 0,
                ladder: ladders[member.memberId] ?? 0)
            if let climb { leaderboard.update(climb, unit: member.unitId) }
        }
        self.climbs = climbs
        self.ladders = ladders
        self.leaderboard = leaderboard
        self.board = board
        self.roster = roster
        self.people = history.people
        self.branches = branches
        self.tree = tree
        participation = CampaignParticipation(
            calendar: calendar, today: today, history: history, owner: owner, branches: branches, tree: tree,
            attempts: attempts.map { ($0.memberId, $0.day) })
        unitsAboveBranches = participation.unitsAboveBranches
    }

    /// The rows of one day.
    public func rows(on day: CampaignDay) -> [Participation.Row] { participation.rows(on: day) }

    /// Overall figures of the members placed directly on a unit above the branches (roster, participants, height sum).
    func directTotals(of unit: UnitID) -> BranchBoard.Totals {
        var totals = board.totals(of: unit)
        for child in tree.children(of: unit) {
            let below = board.totals(of: child.id)
            totals.rosterCount -= below.rosterCount
            totals.participants -= below.participants
            totals.heightSum -= below.heightSum
        }
        return totals
    }

    /// 成绩 (every roster member, ranked climbers first), 支部 (the branch board, then the members placed directly
    /// on units above the branches), 每日参与 (group × day: every counted member in one row), 每日汇总 (the units
    /// above the branches and the whole campaign, day by day) and 参与名单 (each member, with the days they took
    /// part). `unitNames` names every unit of the subtree.
    public func sheets(unitNames: [UnitID: String]) -> [Spreadsheet.Sheet] {
        let ordered = roster.sorted { a, b in
            switch (leaderboard.rank(of: a.memberId), leaderboard.rank(of: b.memberId)) {
            case (let x?, let y?): return (x, a.memberId) < (y, b.memberId)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.number < b.number
            }
        }
        // With category ladders, each climber's own ladder's levels (empty before their first attempt pins it).
        let severalLadders = board.ladderLevels.count > 1
        let members = Spreadsheet.Sheet(
            name: "成绩",
            header: ["名次", "姓名", "党员编号", "所在组织", "高度", "作答", "答对", "正确率", "用时(秒)", "挑战次数"]
                + (severalLadders ? ["阶梯关数"] : []),
            rows: ordered.map { member in
                let climb = climbs[member.memberId]
                let accuracy = climb.map { $0.answered > 0 ? Double($0.correct) / Double($0.answered) : 0 } ?? 0
                return [
                    leaderboard.rank(of: member.memberId).map { .number($0) } ?? .text("未参与"), .text(member.name),
                    .text(member.number),
                    .text(tree.path(of: member.unitId)),
                    .number(climb?.height ?? 0), .number(climb?.answered ?? 0),
                    .number(climb?.correct ?? 0), .text(Self.percent(accuracy)),
                    .number(Int((climb?.totalMilliseconds ?? 0) / 1000)),
                    .number(climb?.attemptsByDay.values.reduce(0, +) ?? 0),
                ]
                    + (severalLadders
                        ? [ladders[member.memberId].map { .number(board.levels(ofLadder: $0)) } ?? .text("")] : [])
            }, widths: [8, 14, 12, 30, 6, 6, 6, 8, 8, 8] + (severalLadders ? [8] : []))
        func groupName(_ unit: UnitID, direct: Bool) -> String {
            let name = unitNames[unit] ?? tree.path(of: unit)
            return direct ? name + "（直属）" : name
        }
        var branchRows: [[Spreadsheet.Cell]] = board.standings(of: branches).map { row in
            [
                .number(row.rank), .text(groupName(row.unitId, direct: false)), .number(row.rosterCount),
                .number(row.participants),
                .text(Self.percent(row.participationRate)), .text(String(format: "%.2f", row.meanHeight)),
                .text(String(format: "%.1f", row.composite)),
            ]
        }
        for unit in unitsAboveBranches {
            let direct = directTotals(of: unit)
            guard direct.rosterCount > 0 else { continue }
            let roster = Double(direct.rosterCount)
            branchRows.append([
                .text("—"), .text(groupName(unit, direct: true)), .number(direct.rosterCount),
                .number(direct.participants),
                .text(Self.percent(Double(direct.participants) / roster)),
                .text(String(format: "%.2f", Double(direct.heightSum) / roster)),
                .text("—"),
            ])
        }
        let branchSheet = Spreadsheet.Sheet(
            name: "支部", header: ["名次", "支部", "在册人数", "参与人数", "参与率", "平均高度", "综合得分"], rows: branchRows,
            widths: [6, 30, 8, 8, 8, 8, 8])
        let counted = participation.everyDay()
        // Most days repeat a few rates (every day before the first climb is 0.0%), and `String(format:)` costs
        // microseconds on Linux: the two day-by-day sheets format each distinct rate once.
        var percents: [Double: String] = [:]
        func percent(_ share: Double) -> String {
            if let text = percents[share] { return text }
            let text = Self.percent(share)
            percents[share] = text
            return text
        }
        let daily = Spreadsheet.Sheet(
            name: "每日参与", header: ["日期", "支部", "当日在册", "参与人数", "参与率", "未参与人数"],
            rows: counted.days.flatMap { day in
                let date = Spreadsheet.Cell.text(day.day.description)
                return day.groups.map { group -> [Spreadsheet.Cell] in
                    [
                        date, .text(groupName(group.unitId, direct: group.direct)), .number(group.tally.roster),
                        .number(group.tally.participants), .text(percent(group.tally.rate)),
                        .number(group.tally.absent),
                    ]
                }
            }, widths: [12, 30, 8, 8, 8, 10])
        let rollup = Spreadsheet.Sheet(
            name: "每日汇总", header: ["日期", "组织", "当日在册", "参与人数", "参与率", "未参与人数"],
            rows: dailyRollUps(counted).flatMap { day, units, total in
                units.map { unit, tally in
                    Self.tallyRow(day, groupName(unit, direct: false), tally, percent(tally.rate))
                } + [Self.tallyRow(day, "合计", total, percent(total.rate))]
            }, widths: [12, 30, 8, 8, 8, 10])
        let list = Spreadsheet.Sheet(
            name: "参与名单", header: ["姓名", "党员编号", "所在组织", "参与天数", "参与日期"],
            rows: roster.map { member in
                let days = counted.daysTaken[member.memberId] ?? []
                return [
                    .text(member.name), .text(member.number), .text(tree.path(of: member.unitId)),
                    .number(days.count), .text(days.isEmpty ? "未参与" : days.map(\.description).joined(separator: " ")),
                ]
            }, widths: [14, 12, 30, 8, 60])
        return [members, branchSheet, daily, rollup, list]
    }

    /// Day by day, the tally of each unit above the branches (in depth-first order) and of the whole campaign.
    public func dailyRollUps() -> [(
        day: CampaignDay, units: [(UnitID, Participation.Tally)], total: Participation.Tally
    )] {
        dailyRollUps(participation.everyDay())
    }

    private func dailyRollUps(_ counted: CampaignParticipation.Daily)
        -> [(day: CampaignDay, units: [(UnitID, Participation.Tally)], total: Participation.Tally)]
    {
        // A day with no group (no branch listed, nobody placed above them) has no row, as in 每日参与.
        counted.days.filter { !$0.groups.isEmpty }.map { day in
            let (units, total) = participation.rollUp(day)
            return (day.day, units, total)
        }
    }

    /// One day's tally of each unit above the branches (in depth-first order) and of the whole campaign.
    public func rollUp(on day: CampaignDay) -> (units: [(UnitID, Participation.Tally)], total: Participation.Tally) {
        participation.rollUp(on: day)
    }

    private static func tallyRow(
        _ day: CampaignDay, _ name: String, _ tally: Participation.Tally, _ rate: String
    ) -> [Spreadsheet.Cell] {
        [
            .text(day.description), .text(name), .number(tally.roster), .number(tally.participants),
            .text(rate),
            .number(tally.absent),
        ]
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
