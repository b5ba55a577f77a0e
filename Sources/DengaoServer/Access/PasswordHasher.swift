import HummingbirdBcrypt
import NIOPosix

/// bcrypt from hummingbird-auth, run on the thread pool: one hash at cost 12 takes ~0.25 s of a core.
struct PasswordHasher: Sendable {
    /// 12 is OWASP's floor for bcrypt in 2025; tests state a lower cost to stay fast.
    static let defaultCost: UInt8 = 12
    static let minimumLength = 8
    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated.
    static let maximumBytes = 72

    let cost: UInt8
    /// Verified when the account does not exist, so an unknown name costs as much time as a wrong password.
    private let decoyHash: String

    init(cost: UInt8 = PasswordHasher.defaultCost) {
        self.cost = cost
        decoyHash = Bcrypt.hash(SecretTokens.generate(), cost: cost)
    }

    static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "a password has at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "a password has at most \(maximumBytes) bytes" }
        return nil
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`, or against a decoy when there is no account.
    func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }
}
