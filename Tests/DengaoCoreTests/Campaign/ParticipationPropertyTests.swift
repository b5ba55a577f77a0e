import Foundation
import Testing

@testable import DengaoCore

/// Participation checked against an independent model on generated organizations: seeded random trees, rosters,
/// moves, deactivations, reactivations and attempts over many days (midnights and the last millisecond of days
/// included, in a zone with and one without daylight saving). Each day's rows must count exactly the members the
/// model has active inside the subtree at the day's end, each once, in the right group; per group
/// roster = participants + absent; roll-ups equal the sums below them; and the overall figures, the board and
/// the export sheets must say the same.
@Suite struct ParticipationPropertyTests {
    static let seeds: Range<UInt64> = 0..<150

    @Test func generatedOrganizationsKeepEveryInvariant() throws {
        for seed in Self.seeds {
            let world = World(seed: seed)
            try world.check()
        }
    }
}

/// One generated organization and its history; `check()` holds the rule against a replay of the events.
private struct World {
    enum Change {
        case create(unit: UnitID, active: Bool)
        case move(to: UnitID)
        case setActive(Bool)
        case attempt(passed: Bool)
    }

    struct Event {
        let member: MemberID
        let at: Int64
        let change: Change
    }

    let seed: UInt64
    let units: [OrgUnit]
    let tree: OrgTree
    let owner: UnitID?
    let subtree: Set<UnitID>?
    let branches: [UnitID]
    let calendar: CampaignCalendar
    let today: CampaignDay
    /// In time order (a member's own events in the order they happened).
    let events: [Event]

    init(seed: UInt64) {
        self.seed = seed
        var random = SeededGenerator(seed: 0x5EED, seed)
        // A forest of 3–18 units, each under an earlier one (a few at the top).
        var units: [OrgUnit] = []
        for number in Int64(1)...Int64.random(in: 3...18, using: &random) {
            let parent: UnitID? =
                number == 1 || Int.random(in: 0..<8, using: &random) == 0
                ? nil : UnitID(Int64.random(in: 1..<number, using: &random))
            units.append(OrgUnit(id: UnitID(number), parentId: parent, name: "单位\(number)"))
        }
        let tree = OrgTree(units)
        let owner = Bool.random(using: &random) ? nil : units.randomElement(using: &random)!.id
        (self.units, self.tree, self.owner) = (units, tree, owner)
        subtree = owner.map { Set(tree.subtreeIds(of: $0)) }
        let candidates = tree.depthFirst(from: owner).map(\.unit.id)
        if Int.random(in: 0..<3, using: &random) > 0 {
            // As the server lists them: the bottom of the owner's subtree.
            branches = candidates.filter { tree.children(of: $0).isEmpty }
        } else {
            // Any units none of which lies under another (branches are never nested): members of the units left
            // out and above them count in those units' direct groups.
            var chosen: [UnitID] = []
            for unit in candidates where Int.random(in: 0..<3, using: &random) == 0 {
                if !chosen.contains(where: { tree.isWithin(unit, subtreeOf: $0) }) {
                    chosen.append(unit)
                }
            }
            branches = chosen
        }

        let zone = TimeZone(identifier: Bool.random(using: &random) ? "Asia/Shanghai" : "America/New_York")!
        let length = Int.random(in: 3...40, using: &random)
        let wide = CampaignCalendar(timeZone: zone, first: CampaignDay("2026-02-25")!, last: CampaignDay("2026-05-31")!)
        let allDays = wide.days(through: wide.last)
        let first = CampaignDay("2026-03-01")!
        let firstIndex = allDays.firstIndex(of: first)!
        calendar = CampaignCalendar(timeZone: zone, first: first, last: allDays[firstIndex + length - 1])
        today = allDays[firstIndex + Int.random(in: -2...(length + 3), using: &random)]

        /// A moment on a day near the campaign: often midnight or the day's last millisecond.
        func moment(dayIndex: Int) -> Int64 {
            let day = allDays[dayIndex]
            let end = wide.end(of: day)
            let start = wide.end(of: allDays[dayIndex - 1])
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return start
            case 1: return end - 1
            default: return Int64.random(in: start..<end, using: &random)
            }
        }
        var events: [Event] = []
        for number in Int64(100)..<Int64(100 + Int.random(in: 1...50, using: &random)) {
            let member = MemberID(number)
            var dayIndex = Int.random(in: 1...(firstIndex + length / 2), using: &random)
            var at = moment(dayIndex: dayIndex)
            let unit = units.randomElement(using: &random)!.id
            events.append(
                Event(
                    member: member, at: at,
                    change: .create(unit: unit, active: Int.random(in: 0..<5, using: &random) > 0)))
            for _ in 0..<Int.random(in: 0...25, using: &random) {
                // Often the same moment or the same day: changes and climbs crowd together.
                switch Int.random(in: 0..<6, using: &random) {
                case 0: break
                case 1, 2: at = max(at, moment(dayIndex: dayIndex))
                default:
                    dayIndex = min(dayIndex + Int.random(in: 1...4, using: &random), firstIndex + length + 3)
                    at = max(at, moment(dayIndex: dayIndex))
                }
                let change: Change
                switch Int.random(in: 0..<10, using: &random) {
                case 0, 1: change = .move(to: units.randomElement(using: &random)!.id)
                case 2: change = .setActive(false)
                case 3: change = .setActive(true)
                default: change = .attempt(passed: Bool.random(using: &random))
                }
                events.append(Event(member: member, at: at, change: change))
            }
        }
        // Stable: a member's events at one moment keep the order they happened in.
        self.events = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(
            \.element)
    }

    /// The history as the store keeps it: placements and active spans opened and closed by the events.
    var history: Participation.History {
        var placements: [Participation.Placement] = []
        var openPlacement: [MemberID: (unit: UnitID, since: Int64)] = [:]
        var spans: [Participation.ActiveSpan] = []
        var openSpan: [MemberID: Int64] = [:]
        var people: [MemberID: Participation.History.Person] = [:]
        for event in events {
            let member = event.member
            switch event.change {
            case .create(let unit, let active):
                people[member] = .init(number: String(format: "DG%04d", member.rawValue), name: "党员\(member)")
                openPlacement[member] = (unit, event.at)
                if active { openSpan[member] = event.at }
            case .move(let unit):
                let open = openPlacement[member]!
                placements.append(.init(memberId: member, unitId: open.unit, since: open.since, until: event.at))
                openPlacement[member] = (unit, event.at)
            case .setActive(true):
                if openSpan[member] == nil { openSpan[member] = event.at }
            case .setActive(false):
                if let since = openSpan.removeValue(forKey: member) {
                    spans.append(.init(memberId: member, since: since, until: event.at))
                }
            case .attempt:
                break
            }
        }
        placements += openPlacement.map {
            .init(memberId: $0.key, unitId: $0.value.unit, since: $0.value.since, until: nil)
        }
        spans += openSpan.map { .init(memberId: $0.key, since: $0.value, until: nil) }
        return Participation.History(people: people, placements: placements, activeSpans: spans)
    }

    /// Attempts as the store keeps them, numbered per member; only on the campaign's days (the server refuses
    /// others) but from members in any state, so the rule, not the server's refusal, keeps the wrong ones out.
    var attempts: [StoredAttempt] {
        var seq: [MemberID: Int] = [:]
        var height: [MemberID: Int] = [:]
        var stored: [StoredAttempt] = []
        for event in events {
            guard case .attempt(let passed) = event.change else { continue }
            let day = calendar.day(of: event.at)
            guard calendar.first <= day, day <= calendar.last else { continue }
            seq[event.member, default: 0] += 1
            let level = height[event.member, default: 0] + 1
            if passed { height[event.member] = level }
            stored.append(
                StoredAttempt(
                    started: StartedAttempt(
                        ref: AttemptRef(campaignId: 1, memberId: event.member, seq: seq[event.member]!), unitId: 0,
                        level: level,
                        day: day, seed: 0, questionIds: [], startedAt: event.at),
                    status: passed ? .passed : .abandoned, endedAt: event.at, servedIndex: nil, servedAt: nil,
                    answers: []))
        }
        return stored
    }

    // MARK: - The model

    /// Each member's unit and status at `instant`, by replaying every event up to it.
    func replay(through instant: Int64) -> [MemberID: (unit: UnitID, active: Bool)] {
        var state: [MemberID: (unit: UnitID, active: Bool)] = [:]
        for event in events where event.at <= instant {
            switch event.change {
            case .create(let unit, let active): state[event.member] = (unit, active)
            case .move(let unit): state[event.member]!.unit = unit
            case .setActive(let active): state[event.member]!.active = active
            case .attempt: break
            }
        }
        return state
    }

    /// Who the model counts at `instant`: active members placed inside the subtree.
    func counted(at instant: Int64) -> [MemberID: UnitID] {
        replay(through: instant).compactMapValues { state in
            state.active && (subtree?.contains(state.unit) ?? true) ? state.unit : nil
        }
    }

    /// Units are numbered 1, 2, 3… in `units`' order.
    func parent(of unit: UnitID) -> UnitID? { units[Int(unit.rawValue) - 1].parentId }

    func isWithin(_ unit: UnitID, _ ancestor: UnitID) -> Bool {
        var current: UnitID? = unit
        while let id = current {
            if id == ancestor { return true }
            current = parent(of: id)
        }
        return false
    }

    /// The model's group: the nearest listed branch from the unit up, or the unit itself.
    func group(of unit: UnitID) -> (unitId: UnitID, direct: Bool) {
        var current: UnitID? = unit
        while let id = current {
            if branches.contains(id) { return (id, false) }
            current = parent(of: id)
        }
        return (unit, true)
    }

    // MARK: - The check

    /// A failure's note, naming the seed that reproduces it.
    func note(_ text: String = "") -> Comment { Comment(rawValue: "seed \(seed) \(text)") }

    func check() throws {
        let history = self.history
        let attempts = self.attempts
        let days = calendar.days(through: today)
        let rows = Participation.daily(
            days: days, calendar: calendar, history: history, within: subtree,
            attempts: attempts.map { ($0.started.ref.memberId, $0.started.day) }, branches: branches, tree: tree)
        var attemptedOn: [CampaignDay: Set<MemberID>] = [:]
        for attempt in attempts { attemptedOn[attempt.started.day, default: []].insert(attempt.started.ref.memberId) }

        for day in days {
            let dayRows = rows.filter { $0.day == day }
            let expected = counted(at: calendar.end(of: day) - 1)
            let took = attemptedOn[day] ?? []

            // Every listed branch first, in order; then only non-empty direct groups of units under no branch.
            let branchRows = dayRows.prefix(branches.count)
            #expect(branchRows.map(\.unitId) == branches && branchRows.allSatisfy { !$0.direct }, note())
            for row in dayRows.dropFirst(branches.count) {
                #expect(row.direct && !row.roster.isEmpty && group(of: row.unitId).direct, note())
            }
            // Each counted member once, in the model's group; nobody else.
            let everyone = dayRows.flatMap(\.roster)
            #expect(everyone.count == Set(everyone).count, note("a member counted twice on \(day)"))
            #expect(Set(everyone) == Set(expected.keys), note("roster of \(day)"))
            for row in dayRows {
                for member in row.roster {
                    guard let placed = expected[member] else { continue }  // reported just above
                    let (unit, direct) = group(of: placed)
                    #expect(row.unitId == unit && row.direct == direct, note("member \(member) on \(day)"))
                }
                #expect(row.participants == row.roster.intersection(took), note())
                #expect(row.roster.count == row.participants.count + row.absent.count, note())
            }
            // Roll-ups: each branch and unit above the branches is the sum of what lies under it, and of its direct
            // group and children. (Units below a branch have no figures of their own: their members count in it.)
            let (tallies, total) = Participation.rollUp(dayRows, tree: tree)
            #expect(
                total
                    == Participation.Tally(
                        roster: expected.count, participants: expected.keys.filter(took.contains).count), note())
            for unit in units.map(\.id) where branches.contains(unit) || group(of: unit).direct {
                let under = expected.filter { isWithin($0.value, unit) }
                let tally = tallies[unit] ?? Participation.Tally()
                let modelled = Participation.Tally(
                    roster: under.count, participants: under.keys.filter(took.contains).count)
                #expect(tally == modelled, note("unit \(unit) on \(day)"))
                let direct = dayRows.first { $0.unitId == unit }
                    .map { Participation.Tally(roster: $0.roster.count, participants: $0.participants.count) }
                let children = tree.children(of: unit).map { tallies[$0.id] ?? Participation.Tally() }
                    .reduce(
                        Participation.Tally(), +)
                #expect(tally == (direct ?? Participation.Tally()) + children, note("unit \(unit) on \(day)"))
            }
        }
        try checkOverall(history: history, attempts: attempts, rows: rows)
    }

    /// The overall figures, the board and the sheets.
    func checkOverall(history: Participation.History, attempts: [StoredAttempt], rows: [Participation.Row]) throws {
        let settings = CampaignSettings(
            title: "生成", startDate: calendar.first.description, endDate: calendar.last.description, banks: ["题库"],
            levels: (1...30).map { LevelSettings(title: "第\($0)关", draw: DrawRule(count: 1)) })
        let results = CampaignResults(
            settings: settings, calendar: calendar, attempts: attempts, history: history, owner: owner,
            branches: branches, tree: tree,
            today: today)
        let expected = counted(at: calendar.end(of: min(today, calendar.last)) - 1)
        #expect(Dictionary(uniqueKeysWithValues: results.roster.map { ($0.memberId, $0.unitId) }) == expected, note())
        if let lastDay = rows.last?.day {
            #expect(
                Set(rows.filter { $0.day == lastDay }.flatMap(\.roster)) == Set(expected.keys),
                note("overall = the last day's roster"))
        }
        var heights: [MemberID: Int] = [:]
        for attempt in attempts where attempt.status == .passed {
            heights[attempt.started.ref.memberId, default: 0] += 1
        }
        let climbed = Set(attempts.map(\.started.ref.memberId))
        for unit in units.map(\.id) {
            let under = expected.filter { isWithin($0.value, unit) }
            let totals = results.board.totals(of: unit)
            #expect(totals.rosterCount == under.count, note("board roster of unit \(unit)"))
            #expect(
                totals.participants == under.keys.filter(climbed.contains).count,
                note("board participants of unit \(unit)"))
            #expect(totals.heightSum == under.keys.map { heights[$0] ?? 0 }.reduce(0, +), note())
        }

        // The sheets: 每日参与 is a partition of each day's roster, 每日汇总 its roll-up, 参与名单 its days.
        let sheets = results.sheets(unitNames: [:])
        #expect(sheets.map(\.name) == ["成绩", "支部", "每日参与", "每日汇总", "参与名单"], note())
        let number: (Spreadsheet.Cell) -> Int = { if case .number(let value) = $0 { value } else { -1 } }
        let text: (Spreadsheet.Cell) -> String = { if case .text(let value) = $0 { value } else { "" } }
        let (branchSheet, daily, rollup, list) = (sheets[1], sheets[2], sheets[3], sheets[4])
        #expect(
            branchSheet.rows.map { number($0[2]) }.reduce(0, +) == expected.count, note("支部 rows add up to the roster"))
        #expect(daily.rows.count == rows.count, note())
        var dailyTotals: [String: Int] = [:]
        for row in daily.rows {
            #expect(number(row[2]) == number(row[3]) + number(row[5]), note("在册 = 参与 + 未参与"))
            dailyTotals[text(row[0]), default: 0] += number(row[2])
        }
        let totalRows = rollup.rows.filter { text($0[1]) == "合计" }
        #expect(totalRows.count == Set(rows.map(\.day)).count, note())
        for row in totalRows { #expect(number(row[2]) == dailyTotals[text(row[0])], note("合计 of \(text(row[0]))")) }
        for row in rollup.rows { #expect(number(row[2]) == number(row[3]) + number(row[5]), note()) }
        for (member, entry) in zip(results.roster, list.rows) {
            let days = rows.filter { $0.participants.contains(member.memberId) }.count
            #expect(number(entry[3]) == days, note("参与天数 of \(member.number)"))
        }
    }
}
