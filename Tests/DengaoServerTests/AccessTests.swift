import DengaoCore
import DengaoStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DengaoServer

/// Two branches under one committee, an organizer for each, members, a bank and an invitation in 第二党支部.
private struct Fixture {
    var configuration = testConfiguration(samples: "/nonexistent")
    var committee: UnitID = 0
    var first: UnitID = 0
    var second: UnitID = 0
    var secondOrganizer: AccountID = 0
    var invitation: InvitationID = 0

    init() throws {
        let store = try Store(directory: configuration.dataDirectory)
        committee = try store.createUnit(name: "机关党委", parentId: nil).id
        first = try store.createUnit(name: "第一党支部", parentId: committee).id
        second = try store.createUnit(name: "第二党支部", parentId: committee).id
        try store.addMember(number: "A1", name: "王一", unitId: first)
        try store.addMember(number: "B1", name: "李二", unitId: second)
        try seedAccount("root", in: configuration)
        try seedAccount("yi", role: .organizer, unit: first, in: configuration)
        secondOrganizer = try seedAccount("er", role: .organizer, unit: second, in: configuration).id
        _ = try store.importBank(
            named: "二支部题库", questions: [sampleQuestion], format: .json, sourceName: nil, owner: second,
            shared: false)
        invitation = try store.createInvitation(
            memberNumber: "B1", tokenHash: String(repeating: "0", count: 64), createdBy: nil
        ).id
    }
}

private struct ErrorBody: Decodable { var error: String }

private let sampleQuestion = Question(
    type: .single, stem: "中共一大于（ ）年召开。", options: ["1919", "1921"], answer: .choices([1]), difficulty: 1,
    category: "党史", tags: [])

private func json(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(data: try JSONEncoder().encode(value)) }

@Suite struct SignInTests {
    @Test func wrongPasswordAndUnknownUserGetTheSameGenericAnswer() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            var messages: [String] = []
            for (user, password) in [("root", "wrong password!"), ("nobody", testPassword), ("", "")] {
                let message = try await client.execute(
                    uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                    body: try json(["username": user, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(sessionCookie(in: response) == nil)
                    return try response.body.decode(ErrorBody.self).error
                }
                messages.append(message)
            }
            #expect(Set(messages).count == 1)
            #expect(messages[0].contains("用户名或密码错误"))
        }
    }

    @Test func bruteForceHitsTheAccountLimitEvenWithTheRightPassword() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            for _ in 0..<5 {
                try await client.execute(
                    uri: "/api/session", method: .post, body: try json(["username": "ROOT", "password": "guess guess"])
                ) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(
                uri: "/api/session", method: .post, body: try json(["username": "root", "password": testPassword])
            ) { response in
                #expect(response.status == .tooManyRequests)
                let wait = Int(response.headers[.retryAfter] ?? "") ?? 0
                #expect(wait > 0 && wait <= 15 * 60)
                #expect(sessionCookie(in: response) == nil)
            }
            // Another account from the same address is not locked by root's failures (address limit is 30).
            _ = try await client.signIn("yi")
        }
    }

    @Test func oneAddressGuessingManyNamesHitsTheAddressLimit() async throws {
        var fixture = try Fixture()
        fixture.configuration.loginLimits = LoginLimits(failuresPerAccount: 100, failuresPerAddress: 4)
        try await withLiveApp(fixture.configuration) { client in
            for index in 0..<4 {
                try await client.execute(
                    uri: "/api/session", method: .post,
                    body: try json(["username": "user\(index)", "password": "guess guess"])
                ) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(
                uri: "/api/session", method: .post, body: try json(["username": "yi", "password": testPassword])
            ) { #expect($0.status == .tooManyRequests) }
        }
    }

    /// Behind a trusted proxy each forwarded client has its own address limit; anyone else's X-Forwarded-For is
    /// ignored, so a client cannot dodge the limit by writing the header itself.
    @Test(arguments: [true, false])
    func theAddressLimitCountsTheClientAProxyForwards(proxyTrusted: Bool) async throws {
        var fixture = try Fixture()
        fixture.configuration.loginLimits = LoginLimits(failuresPerAccount: 100, failuresPerAddress: 2)
        fixture.configuration.trustedProxies = try TrustedProxies(proxyTrusted ? ["127.0.0.1"] : [])
        try await withLiveApp(fixture.configuration) { client in
            func signIn(_ username: String, _ password: String, from address: String) async throws
                -> HTTPResponse.Status
            {
                try await client.execute(
                    uri: "/api/session", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: address],
                    body: try json(["username": username, "password": password])
                ) { $0.status }
            }
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<2 { statuses.append(try await signIn("user\(index)", "guess guess", from: "203.0.113.9")) }
            statuses.append(try await signIn("yi", testPassword, from: "203.0.113.9"))
            statuses.append(try await signIn("yi", testPassword, from: "198.51.100.7"))
            #expect(
                statuses == [.unauthorized, .unauthorized, .tooManyRequests, proxyTrusted ? .ok : .tooManyRequests])
        }
    }

    @Test func sessionCookieIsHttpOnlyLaxSecureAndSignOutEndsIt() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            try await client.execute(
                uri: "/api/session", method: .post, body: try json(["username": "root", "password": testPassword])
            ) { response in
                let header = response.headers[values: .setCookie].first { $0.hasPrefix("dengao_session=") } ?? ""
                for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
                    #expect(header.contains(attribute), "cookie lacks \(attribute): \(header)")
                }
            }
            let session = try await client.signIn("root")
            try await session.execute(uri: "/api/session", method: .get) { #expect($0.status == .ok) }
            try await session.execute(uri: "/api/session", method: .delete) { #expect($0.status == .noContent) }
            try await session.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }
            try await session.execute(uri: "/api/units", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func aPlantedCookieNeverBecomesASignedInSession() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let planted = String(repeating: "A", count: 43)
            let issued = try await client.execute(
                uri: "/api/session", method: .post, headers: [.cookie: "dengao_session=\(planted)"],
                body: try json(["username": "root", "password": testPassword])
            ) { response in
                #expect(response.status == .ok)
                return sessionCookie(in: response)
            }
            #expect(issued != nil && issued != planted)
            try await client.execute(uri: "/api/session", method: .get, headers: [.cookie: "dengao_session=\(planted)"])
            {
                #expect($0.status == .unauthorized)
            }
            // And a session that existed before signing in again is ended, not reused.
            let first = try await client.signIn("root")
            let second = try await client.execute(
                uri: "/api/session", method: .post, headers: [.cookie: "dengao_session=\(first.cookie)"],
                body: try json(["username": "root", "password": testPassword])
            ) { sessionCookie(in: $0) }
            #expect(second != first.cookie)
            try await first.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func tamperedCookiesAreNotSignedIn() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let session = try await client.signIn("root")
            var tampered = Array(session.cookie)
            tampered[5] = tampered[5] == "x" ? "y" : "x"
            for cookie in [String(tampered), session.cookie + "A", "../../etc", ""] {
                try await client.execute(
                    uri: "/api/units", method: .get, headers: [.cookie: "dengao_session=\(cookie)"]
                ) {
                    #expect($0.status == .unauthorized)
                }
            }
        }
    }

    @Test func defaultBcryptCostIs12() throws {
        #expect(AccessTools.defaultPasswordCost == 12)
        let hash = AccessTools.hashPassword("a long enough password")
        #expect(hash.hasPrefix("$2b$12$"))
        #expect(AccessTools.verifyPassword("a long enough password", hash: hash))
        #expect(!AccessTools.verifyPassword("a long enough passwort", hash: hash))
    }

    @Test func firstRunCreatesAnAdministratorAndLogsItsPasswordOnce() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let recorder = LogRecorder()
        var logger = Logger(label: "first-run") { _ in recorder }
        logger.logLevel = .notice
        let app = try await buildApplication(
            configuration: try await TestBackend.prepared(configuration), logger: logger)
        let line = try #require(recorder.messages.first { $0.contains("first run") })
        let password = try #require(
            line.split(separator: " ").drop { $0 != "password" }.dropFirst().first.map(String.init))
        try await app.test(.live) { client in
            _ = try await client.signIn("admin", password: password)
        }
        // A second start with the same data directory says nothing about passwords.
        let again = LogRecorder()
        _ = try await buildApplication(
            configuration: try await TestBackend.prepared(configuration), logger: Logger(label: "again") { _ in again })
        #expect(!again.messages.contains { $0.contains("first run") })
    }
}

/// Session lifetimes run on the server's clock, moved by the test: on the wall clock, twelve hours would not
/// have passed and the last request would still be signed in.
@Suite struct SessionLifetimeTests {
    @Test func aConsoleSessionEndsAfterTwelveIdleHoursAndUseSlidesIt() async throws {
        let clock = ManualClock()
        var fixture = try Fixture()
        fixture.configuration.clock = clock
        try await withLiveApp(fixture.configuration) { client in
            let root = try await client.signIn("root")
            func status() async throws -> HTTPResponse.Status {
                try await root.execute(uri: "/api/session", method: .get) { $0.status }
            }
            #expect(try await status() == .ok)
            // Each use more than a minute after the last slides the expiry to twelve hours from then.
            clock.advance(by: .seconds(11 * 3600))
            #expect(try await status() == .ok)
            clock.advance(by: .seconds(11 * 3600))
            #expect(try await status() == .ok)
            clock.advance(by: .seconds(12 * 3600 + 1))
            #expect(try await status() == .unauthorized)
        }
    }
}

@Suite struct CSRFTests {
    @Test func stateChangesWithoutOrWithAWrongTokenAreRefusedAndChangeNothing() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let session = try await client.signIn("root")
            let unit = try JSONSerialization.data(withJSONObject: [
                "name": "新支部", "parentId": fixture.committee.rawValue,
            ])
            try await session.execute(uri: "/api/units", method: .post, body: ByteBuffer(data: unit), csrf: false) {
                response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("CSRF"))
            }
            try await session.execute(
                uri: "/api/units", method: .post, headers: [.csrfToken: String(repeating: "B", count: 43)],
                body: ByteBuffer(data: unit), csrf: false
            ) { #expect($0.status == .forbidden) }
            try await session.execute(
                uri: "/api/members/A1", method: .patch, body: try json(["name": "改名"]), csrf: false
            ) {
                #expect($0.status == .forbidden)
            }
            try await session.execute(uri: "/api/units", method: .get) { response in
                #expect(!String(buffer: response.body).contains("新支部"))
            }
            try await session.execute(uri: "/api/members/A1", method: .get) { response in
                #expect(String(buffer: response.body).contains("王一"))
            }
            // The same request with the token works.
            try await session.execute(uri: "/api/units", method: .post, body: ByteBuffer(data: unit)) {
                #expect($0.status == .created)
            }
        }
    }

    @Test func crossOriginWritesAreRefused() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let session = try await client.signIn("root")
            let unit = try JSONSerialization.data(withJSONObject: [
                "name": "外站", "parentId": fixture.committee.rawValue,
            ])
            try await session.execute(
                uri: "/api/units", method: .post, headers: [.origin: "https://evil.example"],
                body: ByteBuffer(data: unit)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.origin: "https://evil.example"],
                body: try json(["username": "root", "password": testPassword])
            ) { #expect($0.status == .forbidden) }
        }
    }
}

@Suite struct ScopeTests {
    /// Every resource type of 第二党支部 refused to 第一党支部's organizer, each with a real request.
    @Test func anOrganizerGets403OnAnotherBranchForEveryResourceType() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let yi = try await client.signIn("yi")
            let second = fixture.second
            let refused: [(HTTPRequest.Method, String, ByteBuffer?)] = [
                (.get, "/api/units/\(second)/members", nil),
                (.patch, "/api/units/\(second)", try json(["name": "x"])),
                (.delete, "/api/units/\(second)", nil),
                (
                    .post, "/api/units",
                    ByteBuffer(
                        data: try JSONSerialization.data(withJSONObject: ["name": "x", "parentId": second.rawValue]))
                ),
                (.get, "/api/members/B1", nil),
                (.patch, "/api/members/B1", try json(["name": "x"])),
                (.post, "/api/members/B1/invitations", nil),
                (
                    .post, "/api/members",
                    ByteBuffer(
                        data: try JSONSerialization.data(withJSONObject: [
                            "number": "Z9", "name": "x", "unitId": second.rawValue,
                        ]))
                ),
                (
                    .patch, "/api/members/A1",
                    ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["unitId": second.rawValue]))
                ),
                (.delete, "/api/invitations/\(fixture.invitation)", nil),
                (.patch, "/api/accounts/\(fixture.secondOrganizer)", try json(["displayName": "x"])),
                (.delete, "/api/accounts/\(fixture.secondOrganizer)", nil),
                (
                    .post, "/api/accounts",
                    ByteBuffer(
                        data: try JSONSerialization.data(withJSONObject: [
                            "username": "x2", "password": testPassword, "role": "organizer", "unitId": second.rawValue,
                        ]))
                ),
                (
                    .post, "/api/accounts",
                    ByteBuffer(
                        data: try JSONSerialization.data(withJSONObject: [
                            "username": "x3", "password": testPassword, "role": "admin",
                        ]))
                ),
                (.get, "/api/banks/\(segment("二支部题库"))", nil),
                (.get, "/api/banks/\(segment("二支部题库"))/questions", nil),
                (.get, "/api/banks/\(segment("二支部题库"))/export?format=json", nil),
                (.patch, "/api/banks/\(segment("二支部题库"))", try json(["shared": true])),
                (.delete, "/api/banks/\(segment("二支部题库"))", nil),
                (.post, "/api/banks?name=\(segment("二支部题库"))&filename=b.json", ByteBuffer(string: "[]")),
                (.post, "/api/roster?unit=\(second)", ByteBuffer(string: "姓名,党员编号,所在支部\n赵三,C1,第二党支部\n")),
            ]
            for (method, uri, body) in refused {
                try await yi.execute(uri: uri, method: method, body: body) { response in
                    #expect(response.status == .forbidden, "\(method) \(uri) gave \(response.status)")
                }
            }
            // Nothing changed for 第二党支部.
            let root = try await client.signIn("root")
            try await root.execute(uri: "/api/members/B1", method: .get) { response in
                #expect(String(buffer: response.body).contains("李二"))
            }
            try await root.execute(uri: "/api/banks/\(segment("二支部题库"))", method: .get) { #expect($0.status == .ok) }
            try await root.execute(uri: "/api/accounts", method: .get) {
                #expect(String(buffer: $0.body).contains("\"er\""))
            }
        }
    }

    @Test func listingsShowOnlyTheOrganizersSubtree() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let yi = try await client.signIn("yi")
            try await yi.execute(uri: "/api/units", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("第一党支部") && !text.contains("第二党支部"))
            }
            try await yi.execute(uri: "/api/banks", method: .get) {
                #expect(!String(buffer: $0.body).contains("二支部题库"))
            }
            try await yi.execute(uri: "/api/accounts", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("\"yi\"") && !text.contains("\"er\"") && !text.contains("\"root\""))
            }
            // A roster line naming the other branch is a located error, and nothing is imported.
            try await yi.execute(
                uri: "/api/roster", method: .post,
                body: ByteBuffer(string: "姓名,党员编号,所在支部\n赵三,C1,第一党支部\n钱四,C2,机关党委/第二党支部\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("line 3"))
            }
            try await yi.execute(uri: "/api/units/\(fixture.first)/members", method: .get) { response in
                #expect(!String(buffer: response.body).contains("C1"))
            }
        }
    }

    @Test func sharedBanksReachTheSubtreeReadOnly() async throws {
        let fixture = try Fixture()
        _ = try Store(directory: fixture.configuration.dataDirectory).importBank(
            named: "党委题库", questions: [sampleQuestion], format: .json, sourceName: nil,
            owner: fixture.committee, shared: true)
        try await withLiveApp(fixture.configuration) { client in
            let yi = try await client.signIn("yi")
            try await yi.execute(uri: "/api/banks/\(segment("党委题库"))/questions", method: .get) {
                #expect($0.status == .ok)
            }
            try await yi.execute(uri: "/api/banks", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"canEdit\":false"))
            }
            try await yi.execute(uri: "/api/banks/\(segment("党委题库"))", method: .delete) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func aMemberSessionCannotUseTheConsoleAPI() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let root = try await client.signIn("root")
            let link = try await root.execute(uri: "/api/members/A1/invitations", method: .post) { response in
                #expect(response.status == .created)
                return try response.body.decode(InvitationBody.self).link
            }
            let member = try await client.redeem(link)
            for uri in [
                "/api/units", "/api/banks", "/api/accounts", "/api/members/A1", "/api/units/\(fixture.first)/members",
            ] {
                try await member.execute(uri: uri, method: .get) { #expect($0.status == .forbidden, "\(uri)") }
            }
            try await root.execute(uri: "/api/me", method: .get) { #expect($0.status == .forbidden) }
        }
    }
}

struct InvitationBody: Decodable {
    var id: InvitationID
    var link: String
}

extension TestClientProtocol {
    /// Opens an invitation link as the invitation page does: the token is the link's fragment.
    func redeem(_ link: String) async throws -> SignedInClient {
        let token = String(link.split(separator: "#").last ?? "")
        return try await execute(
            uri: "/api/invitations/redeem", method: .post,
            body: ByteBuffer(data: try JSONEncoder().encode(["token": token]))
        ) { response in
            guard response.status == .ok, let cookie = sessionCookie(in: response) else {
                throw TestFailure("redeeming failed: \(response.status)")
            }
            return SignedInClient(
                client: self, cookie: cookie, csrfToken: try response.body.decode(SessionBody.self).csrfToken)
        }
    }
}

@Suite struct InvitationTests {
    @Test func aLinkSignsTheMemberInUntilItIsRevoked() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let yi = try await client.signIn("yi")
            let invitation = try await yi.execute(uri: "/api/members/A1/invitations", method: .post) {
                try $0.body.decode(InvitationBody.self)
            }
            #expect(invitation.link.hasPrefix("https://dengao.test/invite#"))
            let token = String(invitation.link.split(separator: "#").last!)
            #expect(token.count == 43, "256 random bits in base64url")
            let phone = try await client.redeem(invitation.link)
            try await phone.execute(uri: "/api/me", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("王一"))
            }
            let memberCookie = try await client.execute(
                uri: "/api/invitations/redeem", method: .post, body: try json(["token": token])
            ) { response in
                response.headers[values: .setCookie].first { $0.hasPrefix("dengao_session=") } ?? ""
            }
            #expect(memberCookie.contains("Max-Age=34560000"), "members stay signed in for 400 days: \(memberCookie)")
            try await yi.execute(uri: "/api/invitations/\(invitation.id)", method: .delete) {
                #expect($0.status == .noContent)
            }
            try await phone.execute(uri: "/api/me", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/invitations/redeem", method: .post, body: try json(["token": token])) {
                response in
                #expect(response.status == .notFound)
                #expect(sessionCookie(in: response) == nil)
            }
        }
    }

    @Test func forgedAndMalformedTokensAreRefused() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            for token in [String(repeating: "x", count: 43), "short", String(repeating: "0", count: 64), "' OR 1=1 --"]
            {
                try await client.execute(
                    uri: "/api/invitations/redeem", method: .post, body: try json(["token": token])
                ) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test func changingAPasswordEndsTheAccountsSessions() async throws {
        let fixture = try Fixture()
        try await withLiveApp(fixture.configuration) { client in
            let root = try await client.signIn("root")
            let yi = try await client.signIn("yi")
            let yiId = try await yi.execute(uri: "/api/session", method: .get) {
                try $0.body.decode(SessionBody.self).account!.id
            }
            try await root.send(.patch, "/api/accounts/\(yiId)", json: ["password": "a brand new password"]) {
                #expect($0.status == .ok)
            }
            try await yi.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }
            _ = try await client.signIn("yi", password: "a brand new password")
        }
    }
}

/// Collects log messages, for checking what the server tells the operator.
final class LogRecorder: LogHandler, @unchecked Sendable {
    // @unchecked: every access to `recorded` goes through `lock`.
    private let lock = NSLock()
    private var recorded: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var messages: [String] { lock.withLock { recorded } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { recorded.append(event.message.description) }
    }
}
