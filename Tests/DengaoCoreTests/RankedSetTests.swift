import Testing

@testable import DengaoCore

/// Seeded, so a failing random sequence replays exactly.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The obvious implementation: a sorted array. Equal keys are ordered by when the ID last changed key, which is
/// the order `RankedSet` promises, so positions can be compared exactly rather than only up to ties.
private struct SortedArrayModel {
    private(set) var entries: [(id: Int, key: Int, since: Int)] = []
    private var clock = 0

    mutating func update(_ id: Int, to key: Int) -> Int? {
        let previous = self.key(of: id)
        if previous == key { return previous }
        entries.removeAll { $0.id == id }
        clock += 1
        let index = entries.firstIndex { ($0.key, $0.since) > (key, clock) } ?? entries.count
        entries.insert((id, key, clock), at: index)
        return previous
    }

    mutating func remove(_ id: Int) -> Int? {
        let previous = self.key(of: id)
        entries.removeAll { $0.id == id }
        return previous
    }

    func key(of id: Int) -> Int? { entries.first { $0.id == id }?.key }
    func position(of id: Int) -> Int? { entries.firstIndex { $0.id == id }.map { $0 + 1 } }
    func countBefore(_ key: Int) -> Int { entries.count { $0.key < key } }
}

private func ids(_ entries: [(id: Int, key: Int)]) -> [Int] { entries.map(\.id) }
private func keys(_ entries: [(id: Int, key: Int)]) -> [Int] { entries.map(\.key) }

@Suite struct RankedSetTests {
    /// Compares every query against the model; `Comment` names the step so a failure can be replayed.
    private func expectMatches(
        _ set: RankedSet<Int, Int>, _ model: SortedArrayModel, ids idRange: Range<Int>, keys keyRange: Range<Int>,
        _ rng: inout SplitMix64, step: Int
    ) {
        let context = Comment(rawValue: "step \(step)")
        #expect(set.count == model.entries.count, context)
        for id in idRange {
            #expect(set.key(of: id) == model.key(of: id), context)
            #expect(set.position(of: id) == model.position(of: id), context)
        }
        for key in (keyRange.lowerBound - 1)...keyRange.upperBound {
            #expect(set.countBefore(key) == model.countBefore(key), context)
        }
        let all = set.top(set.count + 1)
        #expect(ids(all) == model.entries.map(\.id), context)
        #expect(keys(all) == model.entries.map(\.key), context)
        let n = Int.random(in: 0...set.count + 1, using: &rng)
        #expect(ids(set.top(n)) == Array(model.entries.prefix(n).map(\.id)), context)
        let start = Int.random(in: -3...set.count + 3, using: &rng)
        let length = Int.random(in: -1...12, using: &rng)
        let window = model.entries.indices.filter { $0 + 1 >= start && $0 + 1 < start + length }
        let page = set.entries(from: start, count: length)
        #expect(ids(page) == window.map { model.entries[$0].id }, context)
        #expect(keys(page) == window.map { model.entries[$0].key }, context)
    }

    /// Random updates and removals over few IDs and fewer keys, so ties are common, equal keys straddle block
    /// boundaries, and small blocks split and merge constantly.
    @Test(arguments: [
        (capacity: 2, keyRange: 0..<4), (capacity: 3, keyRange: 0..<8), (capacity: 4, keyRange: 0..<3),
        (capacity: 8, keyRange: 0..<10), (capacity: 16, keyRange: 0..<1000), (capacity: 512, keyRange: 0..<20),
    ])
    func matchesASortedArrayUnderRandomOperations(capacity: Int, keyRange: Range<Int>) {
        var rng = SplitMix64(state: UInt64(capacity * 1000 + keyRange.count))
        let idRange = 0..<60
        var set = RankedSet<Int, Int>(blockCapacity: capacity)
        var model = SortedArrayModel()
        for step in 0..<1000 {
            let id = Int.random(in: idRange, using: &rng)
            // Removals are rarer than updates so the set hovers near full, but phases of mass removal shrink it.
            let removeChance = step % 500 < 350 ? 0.2 : 0.8
            if Double.random(in: 0..<1, using: &rng) < removeChance {
                #expect(set.remove(id) == model.remove(id))
            } else {
                let key = Int.random(in: keyRange, using: &rng)
                #expect(set.update(id, to: key) == model.update(id, to: key))
            }
            #expect(set.position(of: id) == model.position(of: id), "step \(step)")
            #expect(set.blockCounts.allSatisfy { $0 > 0 && $0 <= capacity }, "step \(step)")
            if step % 10 == 0 { expectMatches(set, model, ids: idRange, keys: keyRange, &rng, step: step) }
        }
    }

    @Test func bulkInitEqualsUpdatingOneByOneTiesAndDuplicatesIncluded() {
        var rng = SplitMix64(state: 7)
        let entries = (0..<2000).map { _ in
            (Int.random(in: 0..<300, using: &rng), Int.random(in: 0..<15, using: &rng))
        }
        var model = SortedArrayModel()
        for (id, key) in entries { _ = model.update(id, to: key) }
        for capacity in [2, 5, 64, 512] {
            var oneByOne = RankedSet<Int, Int>(blockCapacity: capacity)
            for (id, key) in entries { oneByOne.update(id, to: key) }
            let bulk = RankedSet(entries, blockCapacity: capacity)
            #expect(bulk.count == model.entries.count)
            #expect(ids(bulk.top(bulk.count)) == model.entries.map(\.id))
            #expect(keys(bulk.top(bulk.count)) == model.entries.map(\.key))
            #expect(ids(bulk.top(bulk.count)) == ids(oneByOne.top(oneByOne.count)))
            for id in 0..<300 { #expect(bulk.position(of: id) == model.position(of: id)) }
            #expect(bulk.blockCounts.allSatisfy { $0 > 0 && $0 <= capacity })
        }
    }

    @Test func aBulkBuiltSetKeepsWorkingUnderUpdates() {
        var rng = SplitMix64(state: 11)
        let entries = (0..<500).map { ($0, Int.random(in: 0..<50, using: &rng)) }
        var set = RankedSet(entries, blockCapacity: 8)
        var model = SortedArrayModel()
        for (id, key) in entries { _ = model.update(id, to: key) }
        for step in 0..<300 {
            let id = Int.random(in: 0..<520, using: &rng)
            if step % 3 == 0 {
                #expect(set.remove(id) == model.remove(id))
            } else {
                let key = Int.random(in: 0..<50, using: &rng)
                #expect(set.update(id, to: key) == model.update(id, to: key))
            }
        }
        expectMatches(set, model, ids: 0..<520, keys: 0..<50, &rng, step: 300)
    }

    @Test func anEmptySetAnswersEveryQuery() {
        var set = RankedSet<String, Int>()
        #expect(set.count == 0)
        #expect(set.key(of: "a") == nil)
        #expect(set.position(of: "a") == nil)
        #expect(set.countBefore(0) == 0)
        #expect(set.top(3).isEmpty)
        #expect(set.entries(from: 1, count: 3).isEmpty)
        #expect(set.remove("a") == nil)
        #expect(RankedSet<String, Int>([]).top(1).isEmpty)
    }

    @Test func removingAnAbsentIDChangesNothing() {
        var set = RankedSet([("a", 2), ("b", 1)])
        #expect(set.remove("c") == nil)
        #expect(set.count == 2)
        #expect(set.top(5).map(\.id) == ["b", "a"])
        #expect(set.remove("b") == 1)
        #expect(set.remove("b") == nil)
        #expect(set.top(5).map(\.id) == ["a"])
    }

    @Test func updateReturnsThePreviousKeyAndMovesTheEntry() {
        var set = RankedSet<String, Int>()
        #expect(set.update("a", to: 5) == nil)
        #expect(set.update("b", to: 3) == nil)
        #expect(set.position(of: "a") == 2)
        #expect(set.update("a", to: 1) == 5)
        #expect(set.key(of: "a") == 1)
        #expect(set.position(of: "a") == 1)
        #expect(set.count == 2)
    }

    @Test func updatingToTheSameKeyKeepsThePlaceAmongEquals() {
        var set = RankedSet<String, Int>(blockCapacity: 2)
        for id in ["a", "b", "c"] { set.update(id, to: 7) }
        #expect(set.update("a", to: 7) == 7)
        #expect(set.top(3).map(\.id) == ["a", "b", "c"])
        // A real move goes behind the others that already have the key.
        set.update("a", to: 8)
        set.update("a", to: 7)
        #expect(set.top(3).map(\.id) == ["b", "c", "a"])
    }

    @Test func countBeforeGivesCompetitionRanks() {
        let set = RankedSet([("a", 10), ("b", 20), ("c", 20), ("d", 30)], blockCapacity: 2)
        #expect(["a", "b", "c", "d"].map { set.countBefore(set.key(of: $0)!) + 1 } == [1, 2, 2, 4])
        #expect(set.countBefore(Int.min) == 0)
        #expect(set.countBefore(25) == 3)
        #expect(set.countBefore(Int.max) == 4)
    }

    @Test func topAndEntriesClipToTheSet() {
        let set = RankedSet((1...5).map { ("p\($0)", $0) }, blockCapacity: 2)
        #expect(set.top(0).isEmpty)
        #expect(set.top(-1).isEmpty)
        #expect(set.top(2).map(\.key) == [1, 2])
        #expect(set.top(100).map(\.key) == [1, 2, 3, 4, 5])
        #expect(set.entries(from: 4, count: 10).map(\.key) == [4, 5])
        #expect(set.entries(from: 5, count: 1).map(\.id) == ["p5"])
        #expect(set.entries(from: 6, count: 3).isEmpty)
        #expect(set.entries(from: -1, count: 4).map(\.key) == [1, 2])
        #expect(set.entries(from: 2, count: 0).isEmpty)
        #expect(set.entries(from: Int.min, count: Int.max).isEmpty)
        #expect(set.entries(from: Int.max, count: Int.max).isEmpty)
        #expect(set.entries(from: 3, count: Int.max).map(\.key) == [3, 4, 5])
    }

    @Test func bulkInitKeepsTheLastKeyOfADuplicateID() {
        let set = RankedSet([("a", 3), ("b", 2), ("a", 1), ("c", 2), ("b", 9)])
        #expect(set.count == 3)
        #expect(set.key(of: "a") == 1)
        #expect(set.key(of: "b") == 9)
        #expect(set.top(3).map(\.id) == ["a", "c", "b"])
    }

    @Test func massRemovalMergesSparseBlocks() {
        var set = RankedSet((0..<1000).map { ($0, $0) }, blockCapacity: 16)
        for id in 0..<1000 where id % 10 != 0 { set.remove(id) }
        #expect(set.top(3).map(\.id) == [0, 10, 20])
        // Without merging, the 100 survivors would sit alone in 100 of the 125 half-full blocks the set started with.
        #expect(set.blockCounts.count <= 100 / 4 + 1)
        #expect(set.position(of: 990) == 100)
    }

    @Test func aFullBlockSplitsInHalf() {
        var set = RankedSet<Int, Int>(blockCapacity: 4)
        for id in 0..<5 { set.update(id, to: id) }
        #expect(set.blockCounts == [2, 3])
        #expect(set.top(5).map(\.id) == [0, 1, 2, 3, 4])
    }

    @Test func aSparseFirstOrLastBlockMergesIntoItsOnlyNeighbour() {
        // Two half-full blocks of 8: thinning either one to a single entry leaves a sparse block with one neighbour.
        for doomed in [1..<8, 8..<15] {
            var set = RankedSet((0..<16).map { ($0, $0) }, blockCapacity: 16)
            #expect(set.blockCounts == [8, 8])
            for id in doomed { set.remove(id) }
            #expect(set.blockCounts == [9])
            #expect(set.top(16).map(\.id) == (0..<16).filter { !doomed.contains($0) })
        }
    }

    @Test func fenwickTreeMatchesNaivePrefixSums() {
        var rng = SplitMix64(state: 3)
        for length in [1, 2, 3, 7, 8, 9, 33] {
            var values = (0..<length).map { _ in Int.random(in: 0...4, using: &rng) }
            var tree = FenwickTree(values)
            for _ in 0..<20 {
                let index = Int.random(in: 0..<values.count, using: &rng)
                let delta = Int.random(in: 0...3, using: &rng)
                values[index] += delta
                tree.add(delta, at: index)
                let moved = Int.random(in: 0...values.count, using: &rng)
                if Bool.random(using: &rng) {
                    values.insert(delta, at: moved)
                    tree.insert(delta, at: moved)
                } else if moved < values.count && values.count > 1 {
                    #expect(tree.remove(at: moved) == values.remove(at: moved))
                }
            }
            for end in 0...values.count {
                #expect(tree.prefixSum(upTo: end) == values.prefix(end).reduce(0, +))
            }
            for position in 0..<values.reduce(0, +) {
                // The first index whose running total passes `position`, skipping empty ones.
                let index = values.indices.first { values.prefix($0 + 1).reduce(0, +) > position }!
                let (found, offset) = tree.locate(position)
                #expect(found == index && offset == position - values.prefix(index).reduce(0, +))
            }
        }
    }

    @Test func copiesAreIndependent() {
        var original = RankedSet([("a", 1), ("b", 2)])
        var copy = original
        copy.update("a", to: 3)
        original.remove("b")
        #expect(original.top(5).map(\.id) == ["a"])
        #expect(copy.top(5).map(\.id) == ["b", "a"])
    }
}
