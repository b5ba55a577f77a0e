/// A campaign's results read from its stored attempts: every member's climb and rank, the branch board, and
/// participation per branch and day — as spreadsheets for the console's export and `dengao export-campaign`.
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
    public let participation: [Participation.Row]

    /// `roster` is the campaign's roster now (the boards' denominator); `placements` every placement of its
    /// members over time (participation per day is counted against the roster of that day).
    public init(
        settings: CampaignSettings, calendar: CampaignCalendar, attempts: [StoredAttempt], roster: [Member],
        placements: [Participation.Placement], branches: [Int64], tree: OrgTree, today: CampaignDay
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
        participation = Participation.daily(
            days: calendar.days(through: today), endOfDay: calendar.end(of:), placements: placements,
            attempts: attempts.map { ($0.started.ref.memberId, $0.started.unitId, $0.started.day) }, branches: branches, tree: tree)
    }

    /// 成绩 (every roster member, ranked climbers first), 支部 (the branch board), 每日参与 (branch × day) and
    /// 参与名单 (each member, with the days they took part).
    public func sheets(roster: [Member], branchNames: [Int64: String], tree: OrgTree) -> [Spreadsheet.Sheet] {
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
        let standings = board.standings(of: Array(branchNames.keys))
        let branches = Spreadsheet.Sheet(
            name: "支部", header: ["名次", "支部", "在册人数", "参与人数", "参与率", "平均高度", "综合得分"],
            rows: standings.map { row in
                [.number(row.rank), .text(branchNames[row.unitId] ?? ""), .number(row.rosterCount), .number(row.participants),
                 .text(Self.percent(row.participationRate)), .text(String(format: "%.2f", row.meanHeight)),
                 .text(String(format: "%.1f", row.composite))]
            }, widths: [6, 30, 8, 8, 8, 8, 8])
        let daily = Spreadsheet.Sheet(
            name: "每日参与", header: ["日期", "支部", "当日在册", "参与人数", "参与率", "未参与人数"],
            rows: participation.map { row in
                [.text(row.day.description), .text(branchNames[row.branchId] ?? ""), .number(row.roster.count),
                 .number(row.participants.count), .text(Self.percent(row.rate)), .number(row.absent.count)]
            }, widths: [12, 30, 8, 8, 8, 10])
        var daysTaken: [Int64: [CampaignDay]] = [:]
        for row in participation { for member in row.participants { daysTaken[member, default: []].append(row.day) } }
        let names = Dictionary(roster.map { ($0.memberId, $0) }, uniquingKeysWith: { first, _ in first })
        let list = Spreadsheet.Sheet(
            name: "参与名单", header: ["姓名", "党员编号", "所在组织", "参与天数", "参与日期"],
            rows: roster.sorted { $0.number < $1.number }.map { member in
                let days = Set(daysTaken[member.memberId] ?? []).sorted()
                return [.text(names[member.memberId]?.name ?? ""), .text(member.number), .text(tree.path(of: member.unitId)),
                        .number(days.count), .text(days.isEmpty ? "未参与" : days.map(\.description).joined(separator: " "))]
            }, widths: [14, 12, 30, 8, 60])
        return [members, branches, daily, list]
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
