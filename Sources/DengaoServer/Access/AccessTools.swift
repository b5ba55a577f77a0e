import DengaoCore
import Foundation
import HummingbirdBcrypt

/// The account and invitation operations the command line shares with the server, so both hash, generate and
/// link the same way.
public enum AccessTools {
    /// Equal to `PasswordHasher.defaultCost` (a test checks both).
    public static let defaultPasswordCost: UInt8 = 12

    /// Why a password is refused, or nil.
    public static func passwordProblem(_ password: String) -> String? { PasswordHasher.problem(with: password) }

    public static func hashPassword(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verifyPassword(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A random password for a new account: 20 letters and digits (~119 bits).
    public static func generatePassword() -> String {
        var password = ""
        while password.count < 20 { password += SecretTokens.generate().filter { $0.isLetter || $0.isNumber } }
        return String(password.prefix(20))
    }

    /// Issues a new invitation for the member and returns its link; only the token's hash is stored, so the link
    /// exists only in this answer. The console (`POST /api/members/:number/invitations`) and `dengao invite` both
    /// come here.
    public static func invite(
        memberNumber: String, storage: any Storage, publicBaseURL: String, createdBy: AccountID? = nil
    ) async throws -> (invitation: InvitationView, link: String) {
        let token = SecretTokens.generate()
        let invitation = try await storage.createInvitation(
            memberNumber: memberNumber, tokenHash: SecretTokens.hash(token), createdBy: createdBy)
        return (invitation, invitationLink(base: publicBaseURL, token: token))
    }

    /// The token travels in the fragment, which browsers never send to servers, proxies or Referer headers;
    /// the invitation page hands it to the API itself.
    static func invitationLink(base: String, token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/invite#" + token
    }

    /// A unit named by path (`机关党委/第一党支部`), by a unique path tail, or by code.
    public static func resolveUnit(_ reference: String, in tree: OrgTree) -> UnitID? {
        if case .found(let id) = tree.resolve(reference) { return id }
        return nil
    }
}
