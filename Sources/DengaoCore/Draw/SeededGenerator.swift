/// SplitMix64: a small, fast generator whose whole state is one seed, so every draw and shuffle made with it can be
/// replayed from the seed stored next to it. Not for secrets (those use `SystemRandomNumberGenerator`).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one purpose derived from a stored seed, so independent draws (one per player, per question)
    /// neither share nor disturb each other's sequence.
    public init(seed: UInt64, _ streams: UInt64...) {
        var mixed = seed
        for stream in streams { mixed = Self.mix(mixed ^ Self.mix(stream &+ 0x9E37_79B9_7F4A_7C15)) }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound, by rejection so no value is favoured. Written out rather than taken from
    /// `Int.random(in:using:)`, whose algorithm the standard library may change: stored seeds must replay forever.
    public mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let (high, low) = next().multipliedFullWidth(by: limit)
            if low >= threshold { return Int(high) }
        }
    }
}

extension Array {
    /// Fisher–Yates with `SeededGenerator`, for the same reason as `uniform(below:)`.
    public func seededShuffle(_ generator: inout SeededGenerator) -> [Element] {
        var result = self
        var index = result.count - 1
        while index > 0 {
            result.swapAt(index, generator.uniform(below: index + 1))
            index -= 1
        }
        return result
    }
}
