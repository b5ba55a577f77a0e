/// A campaign's climbers, ranked without sorting: everyone who has taken part, in one order-statistic set, and
/// each unit's own participants in another, so a member's rank (overall and in their branch) and the top N are
/// answered in logarithmic time however many members the campaign has. Ranks are competition ranks: members
/// equal on height, accuracy, time and the moment they reached their height share a rank.
public struct CampaignLeaderboard: Sendable {
    public struct Entry: Sendable, Hashable {
        public let rank: Int
        public let memberId: MemberID
        public let key: ClimbRankKey
    }

    /// Blocks of 128: at a million members the boards are ten times the cache, and a smaller block is fewer
    /// cold bytes moved per update (measured: 6.4–6.8 µs at 256, 5.2–5.8 at 128, no better at 64).
    static let blockCapacity = 128

    private var everyone = RankedSet<MemberID, ClimbRankKey>(blockCapacity: blockCapacity)
    private var byUnit: [UnitID: RankedSet<MemberID, ClimbRankKey>] = [:]
    private var unitOf: [MemberID: UnitID] = [:]

    public init() {}

    public var count: Int { everyone.count }

    /// Puts a member's current standing in (or moves it), counted under `unit`.
    public mutating func update(_ climb: Climb, unit: UnitID) {
        update(climb.rankKey, unit: unit)
    }

    public mutating func update(_ key: ClimbRankKey, unit: UnitID) {
        let memberId = key.memberId
        everyone.update(memberId, to: key)
        // One hash operation for the member's unit (a million entries: each lookup is a cache miss).
        if let previous = unitOf.updateValue(unit, forKey: memberId), previous != unit {
            byUnit[previous]?.remove(memberId)
        }
        byUnit[unit, default: RankedSet(blockCapacity: Self.blockCapacity)].update(memberId, to: key)
    }

    /// A member who moved to another unit keeps their standing; the branch boards count them where they are now.
    public mutating func move(_ memberId: MemberID, to unit: UnitID) {
        guard let key = everyone.key(of: memberId), let previous = unitOf[memberId], previous != unit else { return }
        byUnit[previous]?.remove(memberId)
        unitOf[memberId] = unit
        byUnit[unit, default: RankedSet(blockCapacity: Self.blockCapacity)].update(memberId, to: key)
    }

    /// A member who left the roster leaves the boards.
    public mutating func remove(_ memberId: MemberID) {
        everyone.remove(memberId)
        if let unit = unitOf.removeValue(forKey: memberId) { byUnit[unit]?.remove(memberId) }
    }

    public func key(of memberId: MemberID) -> ClimbRankKey? { everyone.key(of: memberId) }

    public func unit(of memberId: MemberID) -> UnitID? { unitOf[memberId] }

    /// The member's competition rank among everyone who has taken part; nil before their first attempt.
    public func rank(of memberId: MemberID) -> Int? {
        everyone.key(of: memberId).map { everyone.countBefore($0.firstAmongEquals) + 1 }
    }

    /// The member's rank among their unit's participants, and how many those are.
    public func rankInUnit(of memberId: MemberID) -> (rank: Int, of: Int)? {
        guard let unit = unitOf[memberId], let set = byUnit[unit], let key = set.key(of: memberId) else { return nil }
        return (set.countBefore(key.firstAmongEquals) + 1, set.count)
    }

    public func top(_ n: Int) -> [Entry] { entries(of: everyone, n) }

    public func top(_ n: Int, inUnit unit: UnitID) -> [Entry] { byUnit[unit].map { entries(of: $0, n) } ?? [] }

    /// The page starts at position 1 and equal standings sit side by side, so ranks come from walking it: a
    /// member takes their position unless they tie the one before, whose rank they share.
    private func entries(of set: RankedSet<MemberID, ClimbRankKey>, _ n: Int) -> [Entry] {
        var entries: [Entry] = []
        for (position, item) in set.top(n).enumerated() {
            let tiesPrevious = entries.last.map { !($0.key.firstAmongEquals < item.key.firstAmongEquals) } ?? false
            entries.append(
                Entry(rank: tiesPrevious ? entries.last!.rank : position + 1, memberId: item.id, key: item.key))
        }
        return entries
    }
}

extension ClimbRankKey {
    /// The same standing with the smallest member id: the entries strictly before it are those ranked above
    /// every member tied at this standing.
    var firstAmongEquals: ClimbRankKey {
        ClimbRankKey(
            height: height, correct: correct, answered: answered, totalMilliseconds: totalMilliseconds,
            reachedAt: reachedAt,
            memberId: MemberID(rawValue: .min))
    }
}
