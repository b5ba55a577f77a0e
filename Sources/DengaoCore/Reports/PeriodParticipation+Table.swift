/// The organization's participation as organizers read it: every unit of the subtree in tree order, with its
/// figures in each period and over the range, and the 未参与名单 of each group — as the endpoint's rows and as
/// spreadsheets (参与率 by period and unit, 趋势 of the totals, 未参与名单).
extension PeriodParticipation {
    /// One unit of the subtree, or one 直属 group, with its figures per period and over the range.
    public struct UnitLine: Sendable, Hashable {
        public let unitId: UnitID
        public let name: String
        public let depth: Int
        /// A listed branch (its members count in it), or — `direct` — the members placed on a unit above the branches.
        public let isBranch: Bool
        public let direct: Bool
        public let periods: [Participation.Tally]
        public let overall: Participation.Tally
    }

    /// Units in depth-first order from `owner` (nil: every top unit), each followed by its 直属 group when it has
    /// members placed on it directly. `names` gives each unit's shown name (e.g. its path below the owner).
    public func lines(owner: UnitID?, tree: OrgTree, names: [UnitID: String]) -> [UnitLine] {
        let branches = Set(overall.groups.filter { !$0.direct }.map(\.unitId))
        func directTally(_ unit: UnitID, _ figures: Figures) -> Participation.Tally? {
            figures.groups.first { $0.direct && $0.unitId == unit }?.tally
        }
        var lines: [UnitLine] = []
        for (node, depth) in tree.depthFirst(from: owner) {
            let unit = (id: node.id, name: node.name)
            let name = names[unit.id] ?? unit.name
            lines.append(
                UnitLine(
                    unitId: unit.id, name: name, depth: depth, isBranch: branches.contains(unit.id), direct: false,
                    periods: periods.map { $0.units[unit.id] ?? Participation.Tally() },
                    overall: overall.units[unit.id] ?? Participation.Tally()))
            let everyDirect = periods.map { directTally(unit.id, $0) } + [directTally(unit.id, overall)]
            if everyDirect.contains(where: { $0 != nil && $0!.roster > 0 }) {
                lines.append(
                    UnitLine(
                        unitId: unit.id, name: name + "（直属）", depth: depth + 1, isBranch: false, direct: true,
                        periods: periods.map { directTally(unit.id, $0) ?? Participation.Tally() },
                        overall: directTally(unit.id, overall) ?? Participation.Tally()))
            }
        }
        return lines
    }

    /// The members of each group over the whole range who did not take part, by group in the report's order.
    public func absentOverall() -> [(group: Group, members: [MemberID])] {
        overall.groups.enumerated().map { index, group in (group, members(of: index, in: overall, tookPart: false)) }
    }

    /// The spreadsheets: 参与率 (a row per period and unit, then the range), 趋势 (the totals per period) and
    /// 未参与名单 (over the whole range, by group, with numbers and names from `people`).
    public func sheets(
        lines: [UnitLine], people: [MemberID: Participation.History.Person], groupNames: [UnitID: String]
    )
        -> [Spreadsheet.Sheet]
    {
        func percent(_ tally: Participation.Tally) -> Spreadsheet.Cell {
            .text(tally.roster == 0 ? "" : String(format: "%.1f%%", tally.rate * 100))
        }
        func indented(_ line: UnitLine) -> String { String(repeating: "　", count: line.depth) + line.name }
        var rateRows: [[Spreadsheet.Cell]] = []
        for (index, figures) in periods.enumerated() {
            for line in lines {
                let tally = line.periods[index]
                rateRows.append([
                    .text(figures.period.label), .text(indented(line)), .number(tally.roster),
                    .number(tally.participants), percent(tally),
                ])
            }
        }
        for line in lines {
            rateRows.append([
                .text("合计 \(overall.period.first)～\(overall.period.last)"), .text(indented(line)),
                .number(line.overall.roster), .number(line.overall.participants), percent(line.overall),
            ])
        }
        let rates = Spreadsheet.Sheet(
            name: "参与率", header: ["期间", "单位", "应参人数", "参与人数", "参与率"], rows: rateRows, widths: [22, 36, 10, 10, 10])
        let trend = Spreadsheet.Sheet(
            name: "趋势", header: ["期间", "起", "止", "应参人数", "参与人数", "参与率"],
            rows: (periods + [overall]).enumerated().map { index, figures in
                [
                    .text(index == periods.count ? "合计" : figures.period.label),
                    .text(figures.period.first.description),
                    .text(figures.period.last.description), .number(figures.total.roster),
                    .number(figures.total.participants),
                    percent(figures.total),
                ]
            }, widths: [22, 12, 12, 10, 10, 10])
        var absentRows: [[Spreadsheet.Cell]] = []
        for (group, members) in absentOverall() {
            let name = (groupNames[group.unitId] ?? String(group.unitId)) + (group.direct ? "（直属）" : "")
            for member in members {
                absentRows.append([.text(name), .text(people[member]?.number ?? ""), .text(people[member]?.name ?? "")])
            }
        }
        let absent = Spreadsheet.Sheet(
            name: "未参与名单", header: ["支部", "党员编号", "姓名"], rows: absentRows, widths: [36, 14, 14])
        return [rates, trend, absent]
    }
}
