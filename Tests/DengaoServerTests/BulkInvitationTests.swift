import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Invitation links for a whole branch at once, scoped like single invitations, and revoked at once: on a real
/// server with a real database.
@Suite struct BulkInvitationTests {
    private struct Sheet: Decodable {
        struct Card: Decodable {
            var id: InvitationID
            var number: String
            var name: String
            var unit: String
            var link: String
            var qr: String
        }
        var invitations: [Card]
        var alreadyInvited: Int
    }

    private struct Selection: Encodable {
        var subunits: Bool?
        var numbers: [String]?
    }

    @Test func aBranchGetsLinksForEveryoneWithoutOneAndTheyAreRevokedTogether() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let store = try Store(directory: configuration.dataDirectory)
        let committee = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一党支部", parentId: committee).id
        let second = try store.createUnit(name: "第二党支部", parentId: committee).id
        try store.addMember(number: "A1", name: "王一", unitId: first)
        try store.addMember(number: "A2", name: "王二", unitId: first)
        try store.addMember(number: "A3", name: "王三", unitId: first)
        _ = try store.updateMember(number: "A3", MemberChanges(active: false))
        try store.addMember(number: "B1", name: "李二", unitId: second)
        _ = try store.createInvitation(memberNumber: "A1", tokenHash: String(repeating: "0", count: 64), createdBy: nil)
        try await addAccount("root", in: configuration)
        try await addAccount("yi", role: .organizer, unit: first, in: configuration)

        try await withLiveApp(configuration) { client in
            let yi = try await client.signIn("yi")
            // Outside the organizer's subtree: refused, as a single invitation there would be.
            try await yi.send(.post, "/api/units/\(second)/invitations", json: Selection()) { response in
                #expect(response.status == .forbidden)
            }
            try await yi.send(.post, "/api/units/\(first)/invitations", json: Selection(numbers: ["B1"])) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("以下编号不是该组织的在册党员：B1"))
            }
            try await yi.execute(
                uri: "/api/units/\(first)/invitations", method: .post, body: ByteBuffer(string: "{}"), csrf: false
            ) {
                #expect($0.status == .forbidden)
            }
            // The committee's organizer-less admin view is not needed: the branch's organizer makes its sheet.
            let sheet: Sheet = try await yi.send(.post, "/api/units/\(first)/invitations", json: Selection()) {
                response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try response.body.decode(Sheet.self)
            }
            // A1 already holds a link; A3 is not on the roster any more; A2 gets one.
            #expect(sheet.alreadyInvited == 1)
            #expect(sheet.invitations.map(\.number) == ["A2"])
            let card = try #require(sheet.invitations.first)
            #expect(card.name == "王二" && card.unit == "机关党委/第一党支部")
            #expect(card.link.contains("/invite#"))
            #expect(card.qr.hasPrefix("<svg") || card.qr.hasPrefix("<?xml"))
            // The token is stored only hashed.
            let token = String(card.link.split(separator: "#").last!)
            #expect(
                try await TestBackend.storage(configuration).redeemableInvitation(tokenHash: SecretTokens.hash(token))?
                    .invitationId == card.id)
            // A second run makes nothing new: everyone has a link.
            let again: Sheet = try await yi.send(.post, "/api/units/\(first)/invitations", json: Selection()) {
                try $0.body.decode(Sheet.self)
            }
            #expect(again.invitations.isEmpty && again.alreadyInvited == 2)

            let member = try await client.redeem(card.link)
            try await member.execute(uri: "/api/me", method: .get) { #expect($0.status == .ok) }

            let revoked: Int = try await yi.send(
                .post, "/api/units/\(first)/invitations/revoke", json: Selection(subunits: false)
            ) { response in
                #expect(response.status == .ok)
                return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Int] == [
                    "revoked": 2
                ] ? 2 : -1
            }
            #expect(revoked == 2)
            try await member.execute(uri: "/api/me", method: .get) { #expect($0.status == .unauthorized) }
            #expect(
                try await TestBackend.storage(configuration).redeemableInvitation(tokenHash: SecretTokens.hash(token))
                    == nil)
            // The other branch's link is untouched, and a new sheet covers the branch again.
            let fresh: Sheet = try await yi.send(
                .post, "/api/units/\(first)/invitations", json: Selection(numbers: ["A1"])
            ) {
                try $0.body.decode(Sheet.self)
            }
            #expect(fresh.invitations.map(\.number) == ["A1"] && fresh.alreadyInvited == 0)
        }
    }
}
