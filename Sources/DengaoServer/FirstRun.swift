import DengaoCore
import Logging

/// A database without an administrator gets one, and the log says once how to sign in.
enum FirstRun {
    static let administratorName = "admin"

    static func ensureAdministrator(storage: any Storage, passwords: PasswordHasher, logger: Logger) async throws {
        guard try await !storage.hasAdministrator() else { return }
        let password = AccessTools.generatePassword()
        let hash = try await passwords.hash(password)
        let name =
            try await storage.credentials(username: administratorName) == nil
            ? administratorName : "admin-\(password.prefix(4))"
        try await storage.createAccount(
            username: name, displayName: "管理员", passwordHash: hash, role: .admin, unitId: nil)
        logger.notice(
            """
            first run: no administrator existed, so one was created. Sign in at /login.html as "\(name)" with the \
            password \(password) and change it under 账号 (or set your own with `dengao user passwd \(name)`). \
            This password is not shown again.
            """)
    }
}
