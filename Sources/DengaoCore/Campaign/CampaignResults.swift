/// A campaign's results read from its stored attempts: every member's climb and rank, the branch board, and
/// participation per group and day — as spreadsheets for the console's export and `dengao export-campaign`.
/// Who counts where is `Participation`'s rule, the same as the live board's.
public struct CampaignResults: Sendable {
    public struct Member: Sendable, Hashable {
        public let memberId: Int64
        public let number: String
        public let name: String
        public let unitId: Int64

        public init(memberId: Int64, number: String, name: String, unitId: Int64) {
            self.memberId = memberId
            self.number = number
            self.name = name
            self.unitId = unitId
        }
    }

    public let climbs: [Int64: Climb]
    public let leaderboard: CampaignLeaderboard
    public let board: BranchBoard
    /// The overall roster: the one of the campaign's last day (while it runs, today's), by member number.
    public let roster: [Member]
    /// Every group on every day up to today.
    public let participation: [Participation.Row]
    /// Numbers and names of every member, also those no longer on the roster (absent on an earlier day).
    public let people: [Int64: Participation.History.Person]
    public let branches: [Int64]
    /// The units whose figures are roll-ups: those of the subtree above the branches.
    public let unitsAboveBranches: [Int64]
    let tree: OrgTree

    /// `owner` is the campaign's unit (nil: the whole organization), `branches` the groups its boards list.
    public init(
        settings: CampaignSettings, calendar: CampaignCalendar, attempts: [StoredAttempt], history: Participation.History,
        owner: Int64?, branches: [Int64], tree: OrgTree, today: CampaignDay
    ) {
        var climbs: [Int64: Climb] = [:]
        for stored in attempts {
            let memberId = stored.started.ref.memberId
            var climb = climbs[memberId] ?? Climb(memberId: memberId)
            climb.started(on: stored.started.day)
            if stored.status.isOver {
                climb.finished(level: stored.started.level, status: stored.status, endedAt: stored.endedAt, answers: stored.answers)
            }
            climbs[memberId] = climb
        }
        let subtree = owner.map { tree.subtreeIds(of: $0) }
        let roster = history.roster(at: Participation.overallMoment(today: today, in: calendar), within: subtree)
            .map { member, unit in
                let person = history.people[member]
                return Member(memberId: member, number: person?.number ?? "", name: person?.name ?? "", unitId: unit)
            }
            .sorted { ($0.number, $0.memberId) < ($1.number, $1.memberId) }
        var leaderboard = CampaignLeaderboard()
        var board = BranchBoard(tree: tree, levelCount: settings.levels.count, weights: settings.composite)
        for member in roster {
            let climb = climbs[member.memberId]
            board.addMember(unit: member.unitId, participated: climb != nil, height: climb?.height ?? 0)
            if let climb { leaderboard.update(climb, unit: member.unitId) }
        }
        self.climbs = climbs
        self.leaderboard = leaderboard
        self.board = board
        self.roster = roster
        self.people = history.people
        self.branches = branches
        self.tree = tree
        unitsAboveBranches = Participation.unitsAboveBranches(owner: owner, branches: branches, tree: tree)
        participation = Participation.daily(
            days: calendar.days(through: today), calendar: calendar, history: history, within: subtree,
            attempts: attempts.map { ($0.started.ref.memberId, $0.started.day) }, branches: branches, tree: tree)
    }

    /// The rows of one day.
    public func rows(on day: CampaignDay) -> [Participation.Row] { participation.filter { $0.day == day } }

    /// Overall figures of the members placed directly on a unit above the branches (roster, participants, height sum).
    func directTotals(of unit: Int64) -> BranchBoard.Totals {
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
    public func sheets(unitNames: [Int64: String]) -> [Spreadsheet.Sheet] {
        let ordered = roster.sorted { a, b in
            switch (leaderboard.rank(of: a.memberId), leaderboard.rank(of: b.memberId)) {
            case (let x?, let y?): return (x, a.memberId) < (y, b.memberId)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.number < b.number
            }
        }
        let members = Spreadsheet.Sheet(
            name: "成绩", header: ["名次", "姓名", "党员编号", "所在组织", "高度", "作答", "答对", "正确率", "用时(秒)", "挑战次数"],
            rows: ordered.map { member in
                let climb = climbs[member.memberId]
                let accuracy = climb.map { $0.answered > 0 ? Double($0.correct) / Double($0.answered) : 0 } ?? 0
                return [
                    leaderboard.rank(of: member.memberId).map { .number($0) } ?? .text("未参与"), .text(member.name), .text(member.number),
                    .text(tree.path(of: member.unitId)), .number(climb?.height ?? 0), .number(climb?.answered ?? 0),
                    .number(climb?.correct ?? 0), .text(Self.percent(accuracy)), .number(Int((climb?.totalMilliseconds ?? 0) / 1000)),
                    .number(climb?.attemptsByDay.values.reduce(0, +) ?? 0),
                ]
            }, widths: [8, 14, 12, 30, 6, 6, 6, 8, 8, 8])
        func groupName(_ unit: Int64, direct: Bool) -> String {
            let name = unitNames[unit] ?? tree.path(of: unit)
            return direct ? name + "（直属）" : name
        }
        var branchRows: [[Spreadsheet.Cell]] = board.standings(of: branches).map { row in
            [.number(row.rank), .text(groupName(row.unitId, direct: false)), .number(row.rosterCount), .number(row.participants),
             .text(Self.percent(row.participationRate)), .text(String(format: "%.2f", row.meanHeight)),
             .text(String(format: "%.1f", row.composite))]
        }
        for unit in unitsAboveBranches {
            let direct = directTotals(of: unit)
            guard direct.rosterCount > 0 else { continue }
            let roster = Double(direct.rosterCount)
            branchRows.append([
                .text("—"), .text(groupName(unit, direct: true)), .number(direct.rosterCount), .number(direct.participants),
                .text(Self.percent(Double(direct.participants) / roster)), .text(String(format: "%.2f", Double(direct.heightSum) / roster)),
                .text("—"),
            ])
        }
        let branchSheet = Spreadsheet.Sheet(
            name: "支部", header: ["名次", "支部", "在册人数", "参与人数", "参与率", "平均高度", "综合得分"], rows: branchRows,
            widths: [6, 30, 8, 8, 8, 8, 8])
        let daily = Spreadsheet.Sheet(
            name: "每日参与", header: ["日期", "支部", "当日在册", "参与人数", "参与率", "未参与人数"],
            rows: participation.map { row in
                [.text(row.day.description), .text(groupName(row.unitId, direct: row.direct)), .number(row.roster.count),
                 .number(row.participants.count), .text(Self.percent(row.rate)), .number(row.absent.count)]
            }, widths: [12, 30, 8, 8, 8, 10])
        let rollup = Spreadsheet.Sheet(
            name: "每日汇总", header: ["日期", "组织", "当日在册", "参与人数", "参与率", "未参与人数"],
            rows: dailyRollUps().flatMap { day, units, total in
                units.map { unit, tally in Self.tallyRow(day, unitNames[unit] ?? tree.path(of: unit), tally) }
                    + [Self.tallyRow(day, "合计", total)]
            }, widths: [12, 30, 8, 8, 8, 10])
        var daysTaken: [Int64: Set<CampaignDay>] = [:]
        for row in participation { for member in row.participants { daysTaken[member, default: []].insert(row.day) } }
        let list = Spreadsheet.Sheet(
            name: "参与名单", header: ["姓名", "党员编号", "所在组织", "参与天数", "参与日期"],
            rows: roster.map { member in
                let days = (daysTaken[member.memberId] ?? []).sorted()
                return [.text(member.name), .text(member.number), .text(tree.path(of: member.unitId)),
                        .number(days.count), .text(days.isEmpty ? "未参与" : days.map(\.description).joined(separator: " "))]
            }, widths: [14, 12, 30, 8, 60])
        return [members, branchSheet, daily, rollup, list]
    }

    /// Day by day, the tally of each unit above the branches (in depth-first order) and of the whole campaign.
    public func dailyRollUps() -> [(day: CampaignDay, units: [(Int64, Participation.Tally)], total: Participation.Tally)] {
        var byDay: [CampaignDay: [Participation.Row]] = [:]
        for row in participation { byDay[row.day, default: []].append(row) }
        return byDay.keys.sorted().map { day in
            let (units, total) = rollUp(byDay[day]!)
            return (day, units, total)
        }
    }

    /// One day's tally of each unit above the branches (in depth-first order) and of the whole campaign.
    public func rollUp(on day: CampaignDay) -> (units: [(Int64, Participation.Tally)], total: Participation.Tally) {
        rollUp(rows(on: day))
    }

    private func rollUp(_ rows: [Participation.Row]) -> (units: [(Int64, Participation.Tally)], total: Participation.Tally) {
        let (units, total) = Participation.rollUp(rows, tree: tree)
        return (unitsAboveBranches.map { ($0, units[$0] ?? Participation.Tally()) }, total)
    }

    private static func tallyRow(_ day: CampaignDay, _ name: String, _ tally: Participation.Tally) -> [Spreadsheet.Cell] {
        [.text(day.description), .text(name), .number(tally.roster), .number(tally.participants), .text(percent(tally.rate)),
         .number(tally.absent)]
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
