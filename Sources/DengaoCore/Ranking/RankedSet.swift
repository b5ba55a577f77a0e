/// An in-memory order-statistic set for live leaderboards: each `ID` has one `Key`, entries are kept in ascending
/// key order (smallest first, so callers encode "best" as smallest, e.g. `(-score, time, sequence)`), and both
/// "where does this player stand" and "who is on this page" cost O(log n) plus the size of the answer.
///
/// Entries live in sorted blocks of at most `blockCapacity`: small enough that inserting into one is a short
/// memmove, large enough that the per-block bookkeeping (a floor key per block to binary-search for the right one,
/// a Fenwick tree of block sizes to turn an index inside a block into a global position) stays under ten thousand
/// items for a million entries. A dictionary from ID to key lets an update find the entry it moves without a scan.
///
/// Equal keys stay in the order they arrived at that key; an update to the key an ID already has keeps its place.
/// Finding an ID among equal keys walks over them, so a large tie makes that ID's updates and positions linear in
/// the tie: keys that should be distinct are best made distinct, for instance with a sequence number.
///
/// Everything is `@inlinable` so that callers in other modules get code specialized to their `ID` and `Key`;
/// without it they run the generic code (witness-table calls for every hash and comparison), which measured 3.5
/// times slower per update and 15 times slower to bulk-load. Callers inside DengaoCore are specialized anyway.
public struct RankedSet<ID: Hashable & Sendable, Key: Comparable & Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var key: Key
        @usableFromInline var id: ID

        @inlinable
        init(key: Key, id: ID) {
            self.key = key
            self.id = id
        }
    }

    /// Measured on a million entries with random updates, each followed by `position(of:)` and `top(100)`: 128 to
    /// 512 were within noise of each other and 1024 was a third slower, as a cold block's binary search and memmove
    /// grow with it. Smaller blocks mean more of them, and splits and merges cost O(blocks).
    @inlinable public static var defaultBlockCapacity: Int { 256 }

    /// The most entries a block holds before it splits in two.
    public let blockCapacity: Int
    @usableFromInline var keysByID: [ID: Key] = [:]
    /// Never empty, each sorted, and in order across blocks: equal keys may straddle a boundary.
    @usableFromInline var blocks: [[Entry]] = []
    /// For each block a key no greater than any of its own and no less than any of the block before: its first key
    /// when it was made. Kept apart so finding a block binary-searches one contiguous array, and left alone when
    /// the first entry leaves, because it still separates the blocks, which is all the searches rely on.
    @usableFromInline var floors: [Key] = []
    @usableFromInline var blockSizes = FenwickTree()

    @inlinable
    public init(blockCapacity: Int = RankedSet.defaultBlockCapacity) {
        precondition(blockCapacity >= 2, "a block must be able to split in two")
        self.blockCapacity = blockCapacity
    }

    /// Builds from unsorted entries with one sort instead of n binary-searched inserts, for loading a leaderboard
    /// at start-up. When an ID appears more than once the last key wins, and the result is exactly what calling
    /// `update` for each entry in turn would give, ties included.
    @inlinable
    public init<S: Sequence>(_ entries: S, blockCapacity: Int = RankedSet.defaultBlockCapacity)
    where S.Element == (ID, Key) {
        self.init(blockCapacity: blockCapacity)
        // `since` is when the ID last changed key, which is what orders equal keys under `update`.
        var latest: [ID: (key: Key, since: Int)] = [:]
        latest.reserveCapacity(entries.underestimatedCount)
        for (offset, (id, key)) in entries.enumerated() where latest[id]?.key != key {
            latest[id] = (key, offset)
        }
        var sorted = latest.map { (key: $0.value.key, since: $0.value.since, id: $0.key) }
        sorted.sort { ($0.key, $0.since) < ($1.key, $1.since) }

        keysByID = latest.mapValues(\.key)
        // Half-full blocks can take inserts and removals for a while before any split or merge.
        let fill = max(blockCapacity / 2, 1)
        blocks = stride(from: 0, to: sorted.count, by: fill).map { start in
            sorted[start..<min(start + fill, sorted.count)].map { Entry(key: $0.key, id: $0.id) }
        }
        floors = blocks.map { $0[0].key }
        blockSizes = FenwickTree(blocks.lazy.map(\.count))
    }

    @inlinable public var count: Int { keysByID.count }

    @inlinable
    public func key(of id: ID) -> Key? {
        keysByID[id]
    }

    /// Inserts `id` at `key`, or moves it there. Returns the previous key, if any.
    @inlinable @discardableResult
    public mutating func update(_ id: ID, to key: Key) -> Key? {
        let previous = keysByID.updateValue(key, forKey: id)
        if let previous {
            // Re-inserting would send the entry behind its equals and cost two memmoves for nothing.
            if previous == key { return previous }
            removeEntry(id, at: previous)
        }
        insertEntry(id, at: key)
        return previous
    }

    /// Removes `id`. Returns its key, or nil if it was absent.
    @inlinable @discardableResult
    public mutating func remove(_ id: ID) -> Key? {
        guard let key = keysByID.removeValue(forKey: id) else { return nil }
        removeEntry(id, at: key)
        return key
    }

    /// 1-based position of `id` in ascending key order, equal keys in the order they arrived; nil if absent.
    @inlinable
    public func position(of id: ID) -> Int? {
        guard let key = keysByID[id] else { return nil }
        let (block, index) = location(of: id, at: key)
        return blockSizes.prefixSum(upTo: block) + index + 1
    }

    /// Number of entries whose key is strictly less than `key`. `countBefore(k) + 1` is the competition rank
    /// ("1, 2, 2, 4") of everyone tied at `k`, which is what a leaderboard shows instead of the arbitrary
    /// order among equals that `position(of:)` reports.
    @inlinable
    public func countBefore(_ key: Key) -> Int {
        // Blocks before the last one whose floor is below `key` lie wholly below it, later ones wholly at or above.
        let block = floors.partitionPoint { $0 >= key } - 1
        guard block >= 0 else { return 0 }
        return blockSizes.prefixSum(upTo: block) + blocks[block].partitionPoint { $0.key >= key }
    }

    /// The first `n` entries in order, fewer if there are not that many.
    @inlinable
    public func top(_ n: Int) -> [(id: ID, key: Key)] {
        entries(from: 1, count: n)
    }

    /// The entries at 1-based positions `start ..< start + n`, for paging a leaderboard or showing a player's
    /// neighbours. Positions outside `1 ... count` are skipped rather than trapping, so a window around position
    /// 2 or near the end can be asked for without clamping first.
    @inlinable
    public func entries(from start: Int, count n: Int) -> [(id: ID, key: Key)] {
        guard n > 0 else { return [] }
        let (end, overflow) = start.addingReportingOverflow(n)
        let first = max(start, 1)
        let pastLast = min(overflow ? Int.max : end, count + 1)
        guard first < pastLast else { return [] }

        var result: [(id: ID, key: Key)] = []
        result.reserveCapacity(pastLast - first)
        var (block, index) = blockSizes.locate(first - 1)
        while result.count < pastLast - first {
            let wanted = min(blocks[block].count - index, pastLast - first - result.count)
            for entry in blocks[block][index..<index + wanted] {
                result.append((entry.id, entry.key))
            }
            block += 1
            index = 0
        }
        return result
    }

    /// Sizes of the blocks in order, so tests can check splits and merges keep blocks non-empty and bounded.
    var blockCounts: [Int] { blocks.map(\.count) }

    /// Where `id`, known to be at `key`, is stored.
    @inlinable
    func location(of id: ID, at key: Key) -> (block: Int, index: Int) {
        // Equal keys may straddle blocks, so start in the last block whose floor is below `key` and walk forward.
        var block = max(floors.partitionPoint { $0 >= key } - 1, 0)
        var index = blocks[block].partitionPoint { $0.key >= key }
        while true {
            if index == blocks[block].count {
                block += 1
                index = 0
            } else if blocks[block][index].id == id {
                return (block, index)
            } else {
                assert(blocks[block][index].key == key, "keysByID and blocks disagree")
                index += 1
            }
        }
    }

    @inlinable
    mutating func insertEntry(_ id: ID, at key: Key) {
        guard !blocks.isEmpty else {
            blocks = [[Entry(key: key, id: id)]]
            floors = [key]
            blockSizes = FenwickTree([1])
            return
        }
        // After every equal key, so ties keep arrival order.
        let block = max(floors.partitionPoint { $0 > key } - 1, 0)
        let index = blocks[block].partitionPoint { $0.key > key }
        blocks[block].insert(Entry(key: key, id: id), at: index)
        blockSizes.add(1, at: block)
        // `key` is now the block's smallest, the tightest floor it can have; this only matters in the first block.
        if index == 0 { floors[block] = key }
        if blocks[block].count > blockCapacity { split(block) }
    }

    @inlinable
    mutating func split(_ block: Int) {
        let half = blocks[block].count / 2
        let upper = Array(blocks[block][half...])
        blocks[block].removeSubrange(half...)
        blocks.insert(upper, at: block + 1)
        floors.insert(upper[0].key, at: block + 1)
        blockSizes.add(-upper.count, at: block)
        blockSizes.insert(upper.count, at: block + 1)
    }

    @inlinable
    mutating func removeEntry(_ id: ID, at key: Key) {
        let (block, index) = location(of: id, at: key)
        blocks[block].remove(at: index)
        blockSizes.add(-1, at: block)
        if blocks[block].isEmpty {
            blocks.remove(at: block)
            floors.remove(at: block)
            blockSizes.remove(at: block)
            return
        }
        if blocks[block].count < blockCapacity / 4 { mergeIfRoom(block) }
    }

    /// Folds a sparse block into a neighbour, so that after mass removals the number of blocks, and with it the
    /// cost of the bookkeeping, stays proportional to `count / blockCapacity`.
    @inlinable
    mutating func mergeIfRoom(_ block: Int) {
        // Each candidate is the later block of a pair, to be folded into the one before it.
        for upper in [block + 1, block] where upper > 0 && upper < blocks.count {
            // Headroom keeps the merged block from splitting again after a few inserts.
            if blocks[upper - 1].count + blocks[upper].count <= blockCapacity * 3 / 4 {
                let moved = blocks.remove(at: upper)
                blocks[upper - 1].append(contentsOf: moved)
                floors.remove(at: upper)
                blockSizes.remove(at: upper)
                blockSizes.add(moved.count, at: upper - 1)
                return
            }
        }
    }
}

extension Array {
    /// The first index whose element satisfies `isAbove`, in an array where all elements that do come after all
    /// that do not: the lower or upper bound of a sorted array, by binary search.
    @inlinable
    func partitionPoint(where isAbove: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if isAbove(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
