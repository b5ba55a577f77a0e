import Foundation

/// How the players of an activity spread over the performance bands (优秀/良好/合格/待提高), overall and per group,
/// on a percentage the activity defines (a contest: questions answered correctly; a campaign: height on the ladder).
public struct ReportBands: Sendable, Encodable {
    /// A band as JSON can carry it: the lowest band's lower bound (−∞) is nil.
    public struct Band: Sendable, Hashable, Encodable {
        public let name: String
        public let lowerBound: Double?
    }

    /// The players of the whole activity (id nil) or of one group, counted per band in `bands`' order.
    public struct Line: Sendable, Hashable, Encodable {
        public let id: UnitID?
        public let name: String
        /// A unit's directly placed members rather than a branch (campaigns only).
        public let direct: Bool
        public let players: Int
        public let counts: [Int]
        /// counts / players, 0…1; all 0 without players.
        public let shares: [Double]
    }

    /// A group's players' percentages.
    public struct Group: Sendable {
        public let id: UnitID
        public let name: String
        public let direct: Bool
        public let percents: [Double]

        public init(id: UnitID, name: String, direct: Bool = false, percents: [Double]) {
            self.id = id
            self.name = name
            self.direct = direct
            self.percents = percents
        }
    }

    /// What the percentage is, in the page's words.
    public let basis: String
    /// Highest band first.
    public let bands: [Band]
    public let overall: Line
    public let groups: [Line]

    /// Counts every percentage into `bands`; the overall line counts every group's players plus `others` (players
    /// in no listed group).
    public init(
        basis: String, groups: [Group], others: [Double] = [], bands: [PerformanceBand] = PerformanceBand.defaults
    ) {
        let ordered = bands.sorted { $0.lowerBound > $1.lowerBound }
        self.basis = basis
        self.bands = ordered.map { Band(name: $0.name, lowerBound: $0.lowerBound.isFinite ? $0.lowerBound : nil) }
        func line(_ id: UnitID?, _ name: String, _ direct: Bool, _ percents: [Double]) -> Line {
            let counted = BandCount.count(percents, bands: ordered)
            let players = counted.reduce(0) { $0 + $1.count }
            return Line(
                id: id, name: name, direct: direct, players: players, counts: counted.map(\.count),
                shares: counted.map { players == 0 ? 0 : Double($0.count) / Double(players) })
        }
        overall = line(nil, "合计 (all)", false, groups.flatMap(\.percents) + others)
        self.groups = groups.map { line($0.id, $0.name, $0.direct, $0.percents) }
    }

    /// part / whole × 100; 0 when there is no whole (a contest before its first question).
    public static func percent(_ part: Int, of whole: Int) -> Double {
        whole > 0 ? 100 * Double(part) / Double(whole) : 0
    }

    /// 等级分布: one row per group and the total, the count and share of each band; a last row names the basis.
    public func sheet() -> Spreadsheet.Sheet {
        let header =
            ["组织", "人数"]
            + bands.flatMap { band in
                let name = band.name.split(separator: " ").first.map(String.init) ?? band.name
                return [name + "人数", name + "占比"]
            }
        let rows = (groups + [overall]).map { line -> [Spreadsheet.Cell] in
            [.text(line.direct ? line.name + "（直属）" : line.name), .number(line.players)]
                + zip(line.counts, line.shares).flatMap {
                    [Spreadsheet.Cell.number($0), .text(String(format: "%.1f%%", $1 * 100))]
                }
        }
        return Spreadsheet.Sheet(
            name: "等级分布", header: header, rows: rows + [[.text("依据 (basis)"), .text(basis)]],
            widths: [30, 8] + Array(repeating: 8, count: bands.count * 2))
    }
}
