/// Prefix sums over the sizes of `RankedSet`'s blocks, so turning "block b, index i" into a global position, and
/// back, costs O(log blocks) instead of a walk over every earlier block.
@usableFromInline
struct FenwickTree: Sendable {
    /// One-based Fenwick layout stored from index 0: `tree[k - 1]` holds the sum of values `k - lowbit(k) ..< k`.
    @usableFromInline var tree: [Int]

    @inlinable
    init() {
        tree = []
    }

    @inlinable
    init(_ values: some Sequence<Int>) {
        tree = Array(values)
        pack()
    }

    @inlinable
    mutating func add(_ delta: Int, at index: Int) {
        var k = index + 1
        while k <= tree.count {
            tree[k - 1] += delta
            k += k & -k
        }
    }

    /// Inserts a value before `index`, shifting later ones: O(n), for when a block splits.
    @inlinable
    mutating func insert(_ value: Int, at index: Int) {
        unpack()
        tree.insert(value, at: index)
        pack()
    }

    /// Removes the value at `index`, shifting later ones: O(n), for when a block empties or merges.
    @inlinable @discardableResult
    mutating func remove(at index: Int) -> Int {
        unpack()
        let value = tree.remove(at: index)
        pack()
        return value
    }

    /// Sum of the values before `end`.
    @inlinable
    func prefixSum(upTo end: Int) -> Int {
        var sum = 0
        var k = end
        while k > 0 {
            sum += tree[k - 1]
            k &= k - 1
        }
        return sum
    }

    /// The index whose span of the running total contains the zero-based `position`, and the offset inside it.
    /// `position` must be below the total.
    @inlinable
    func locate(_ position: Int) -> (index: Int, offset: Int) {
        guard !tree.isEmpty else { return (0, position) }
        var k = 0
        var rest = position
        var step = 1 << (Int.bitWidth - 1 - tree.count.leadingZeroBitCount)
        // Descends the implicit tree from the largest power of two, so it is one O(log n) pass, not a search of sums.
        while step > 0 {
            if k + step <= tree.count && tree[k + step - 1] <= rest {
                k += step
                rest -= tree[k - 1]
            }
            step >>= 1
        }
        return (k, rest)
    }

    /// Turns plain values into the Fenwick layout in O(n): each node, once complete, passes its sum to its parent,
    /// instead of n separate O(log n) adds.
    @inlinable
    mutating func pack() {
        for k in stride(from: 1, through: tree.count, by: 1) {
            let parent = k + (k & -k)
            if parent <= tree.count { tree[parent - 1] += tree[k - 1] }
        }
    }

    /// The inverse of `pack`. Sizes are recovered from the tree itself rather than from the blocks, because reading
    /// every block's count would be a cache miss per block.
    @inlinable
    mutating func unpack() {
        for k in stride(from: tree.count, through: 1, by: -1) {
            let parent = k + (k & -k)
            if parent <= tree.count { tree[parent - 1] -= tree[k - 1] }
        }
    }
}
