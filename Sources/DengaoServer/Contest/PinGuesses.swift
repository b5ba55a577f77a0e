import DengaoCore

/// How many unknown PINs one client address may try within `window` seconds.
///
/// A PIN is six digits, and a hit tells a contest's title and branches and lets one join it; without a limit one
/// client walks the million PINs in minutes. A hall's Wi-Fi puts hundreds of phones behind one address, and a
/// mistyped PIN costs one failure, so the limit is far above what a hall mistypes and far below guessing speed:
/// at 120 a minute, finding one of ten running contests takes about fourteen hours.
public struct PinGuessLimits: Sendable {
    public var unknownPinsPerAddress: Int
    public var window: Double

    public init(unknownPinsPerAddress: Int = 120, window: Double = 60) {
        self.unknownPinsPerAddress = unknownPinsPerAddress
        self.window = window
    }
}

/// Unknown PINs tried per client address, for the join lookup, its QR code and the WebSocket's join and resume.
/// While an address is over its limit every PIN it sends is refused, known or not, so a guess that hits cannot be
/// told from one that misses. In memory: a restart forgets, which only favours the hall.
struct PinGuesses: Sendable {
    private var limiter: AttemptLimiter

    init(_ limits: PinGuessLimits) {
        limiter = AttemptLimiter(maximumFailures: limits.unknownPinsPerAddress, window: limits.window)
    }

    /// Whole seconds to wait, or nil when `address` may try a PIN now.
    func retryAfter(_ address: String, now: Double) -> Int? {
        limiter.retryAfter(address, now: now).map { Int($0.rounded(.up)) }
    }

    mutating func recordUnknown(_ address: String, now: Double) {
        limiter.recordFailure(address, now: now)
    }
}
