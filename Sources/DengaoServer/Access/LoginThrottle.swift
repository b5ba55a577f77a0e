import DengaoCore
import Foundation

/// Failed sign-ins counted per account name and per client address; either reaching its limit blocks sign-in
/// (even with the right password) until the window has passed. In memory: a restart forgets, which only ever
/// favours a legitimate user, and a single node is what serves the console.
actor LoginThrottle {
    private var byAccount: AttemptLimiter
    private var byAddress: AttemptLimiter
    private let clock: any ServerClock

    init(limits: LoginLimits, clock: any ServerClock = WallClock()) {
        byAccount = AttemptLimiter(maximumFailures: limits.failuresPerAccount, window: limits.window)
        byAddress = AttemptLimiter(maximumFailures: limits.failuresPerAddress, window: limits.window)
        self.clock = clock
    }

    /// Seconds to wait, or nil when this account and address may try.
    func retryAfter(account: String, address: String) -> Int? {
        let now = seconds()
        let wait = [byAccount.retryAfter(Self.key(account), now: now), byAddress.retryAfter(address, now: now)]
            .compactMap { $0 }.max()
        return wait.map { Int($0.rounded(.up)) }
    }

    func recordFailure(account: String, address: String) {
        let now = seconds()
        byAccount.recordFailure(Self.key(account), now: now)
        byAddress.recordFailure(address, now: now)
    }

    /// A successful sign-in clears the account's count; the address keeps its, so one valid account cannot be
    /// used to reset an address that is guessing others.
    func recordSuccess(account: String) {
        byAccount.reset(Self.key(account))
    }

    /// The account's key: no account name is longer than `StorageRules.maximumUsernameLength`, so longer names
    /// (which name no account) share the key of their first characters, and a stored key is never bigger than
    /// that, whatever a client sends.
    static func key(_ account: String) -> String {
        String(account.prefix(StorageRules.maximumUsernameLength + 1)).lowercased()
    }

    /// The server's time in seconds, as the limiters count.
    private func seconds() -> Double { Double(clock.nowMilliseconds()) / 1000 }
}

/// How many failures are allowed within `window` seconds.
public struct LoginLimits: Sendable {
    public var failuresPerAccount: Int
    public var failuresPerAddress: Int
    public var window: Double

    public init(failuresPerAccount: Int = 5, failuresPerAddress: Int = 30, window: Double = 15 * 60) {
        self.failuresPerAccount = failuresPerAccount
        self.failuresPerAddress = failuresPerAddress
        self.window = window
    }
}
