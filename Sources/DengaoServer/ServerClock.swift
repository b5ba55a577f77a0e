import Foundation

/// Where live contests and campaigns, their hubs, their connections and sessions read the time and wait for it:
/// the wall clock in production, a hand-driven one in tests, so a test of a deadline, an expiry or a timeout moves
/// time forward instead of sleeping through it.
public protocol ServerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64

    /// Milliseconds on a clock that only moves forward (how long a connection has been silent must not jump when
    /// the wall clock is set); comparable only with other readings of the same clock.
    func uptimeMilliseconds() -> Int64

    /// Suspends the calling task until `duration` has passed on this clock; throws `CancellationError` if the task
    /// is cancelled first.
    func sleep(for duration: Duration) async throws
}

extension ServerClock {
    /// Now as a `Date`, for what is stored with a time.
    public func now() -> Date { Date(timeIntervalSince1970: Double(nowMilliseconds()) / 1000) }
}

/// The system's clocks. Rooms keep their own floor under the wall clock, so it never appears to run backwards.
public struct WallClock: ServerClock {
    public init() {}

    public func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    public func uptimeMilliseconds() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
