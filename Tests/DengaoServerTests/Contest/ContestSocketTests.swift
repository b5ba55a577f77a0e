import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The WebSocket's defences and the player's edge cases, each on a real server and real sockets.
@Suite struct ContestSocketTests {
    /// Runs `body` with a live demo server, a signed-in administrator and a fresh contest.
    func withContest(
        settings: ContestSettings = sampleSettings(), configuration: AppConfiguration = demoConfiguration(),
        _ body:
            @Sendable (_ port: Int, _ admin: SignedInClient, _ contest: CreatedContest, _ branches: [Int]) async throws
            -> Void
    ) async throws {
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let contest = try await admin.createContest(ownerUnitId: nil, settings: settings)
            let branches: [Int] = try await client.execute(uri: "/api/join/\(contest.contest.pin)", method: .get) {
                response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect(fieldNames(in: object).intersection(keyFieldNames).isEmpty)
                return (object["branches"] as! [[String: Any]]).map { $0["id"] as! Int }
            }
            try await body(client.port!, admin, contest, branches)
        }
    }

    @Test func malformedMessagesGetAnErrorAndTheConnectionStays() async throws {
        try await withContest { port, _, contest, _ in
            let peer = WSPeer(port: port)
            peer.sendRaw("not json")
            #expect(try await peer.next("error")["code"] as? String == "malformed")
            peer.send(["type": "teleport"])
            #expect(try await peer.next("error")["code"] as? String == "malformed")
            peer.send(["type": "join", "v": 3, "pin": contest.contest.pin])
            #expect((try await peer.next("error")["message"] as? String)?.contains("version") == true)
            peer.send(["type": "answer", "number": 1, "picks": [0]])
            #expect(try await peer.next("error")["code"] as? String == "not-seated")
            peer.send(["type": "command", "command": "next"])
            #expect(try await peer.next("error")["code"] as? String == "not-host")
            peer.send(["type": "ping"])
            _ = try await peer.next("pong")
            // A message far beyond the limit ends the connection rather than being read.
            peer.sendRaw("{\"type\":\"ping\",\"pad\":\"" + String(repeating: "x", count: 10_000) + "\"}")
            for _ in 0..<200 where !(await peer.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await peer.closed)
        }
    }

    @Test func forgedCredentialsAreRefused() async throws {
        try await withContest { (port, _, contest, _) async throws in
            let forgedToken = forged(contest.displayToken)
            let display = WSPeer(port: port)
            display.send(["type": "display", "contestId": contest.contest.id, "token": forgedToken])
            #expect(try await display.next("error")["code"] as? String == "bad-token")
            let host = WSPeer(port: port)
            host.send(["type": "host", "contestId": contest.contest.id])
            #expect(try await host.next("error")["code"] as? String == "forbidden")
            let player = WSPeer(port: port)
            player.send(["type": "resume", "pin": contest.contest.pin, "token": String(repeating: "A", count: 43)])
            #expect(try await player.next("error")["code"] as? String == "bad-token")
            player.send(["type": "join", "pin": "000000", "name": "x", "branchId": 1])
            #expect(try await player.next("error")["code"] as? String == "no-contest")
            player.send(["type": "join", "pin": contest.contest.pin, "name": "\u{202E}\u{0007}", "branchId": 2])
            #expect(try await player.next("error")["code"] as? String == "bad-name")
            player.send(["type": "join", "pin": contest.contest.pin, "name": "张三", "branchId": 999])
            #expect(try await player.next("error")["code"] as? String == "bad-branch")
            for peer in [display, host, player] { await peer.close() }
        }
    }

    @Test func aCrossSiteBrowserPageCannotOpenTheSocket() async throws {
        try await withContest { port, admin, _, _ in
            let forged = WSPeer(port: port, cookie: admin.cookie, origin: "https://evil.example")
            for _ in 0..<200 where !(await forged.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await forged.closed)
            #expect(await forged.everything.isEmpty)
        }
    }

    @Test func lateAnswersResumedSeatsAndKicks() async throws {
        try await withContest { port, admin, contest, branches in
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")
            let player = WSPeer(port: port)
            player.send(["type": "join", "pin": contest.contest.pin, "name": "  王  小明 ", "branchId": branches[0]])
            let welcome = try await player.next("welcome")
            let seat = welcome["seat"] as! [String: Any]
            #expect(seat["name"] as? String == "王 小明")
            let token = welcome["token"] as! String
            let late = WSPeer(port: port)
            late.send(["type": "join", "pin": contest.contest.pin, "name": "迟到", "branchId": branches[1]])
            _ = try await late.next("welcome")

            host.send(["type": "command", "command": "next"])
            let state = try await player.next("state") { $0["phase"] as? String == "open" }
            let question = state["question"] as! [String: Any]
            let number = question["number"] as! Int
            let answer: [String: Any] =
                question["options"] != nil
                ? ["type": "answer", "number": number, "picks": [1]]
                : ["type": "answer", "number": number, "truth": false]
            player.send(answer)
            #expect(try await player.next("ack")["status"] as? String == "accepted")

            // The phone drops and comes back with its token: same seat, its answer shown as given.
            await player.close()
            let back = WSPeer(port: port)
            back.send(["type": "resume", "pin": contest.contest.pin, "token": token])
            let rewelcome = try await back.next("welcome")
            #expect((rewelcome["seat"] as! [String: Any])["id"] as? Int == seat["id"] as? Int)
            #expect(rewelcome["token"] == nil)
            let resumed = try await back.next("state")
            let you = resumed["you"] as! [String: Any]
            #expect(you["answered"] as? Bool == true)
            #expect((you["picks"] as? [Int]) == (answer["picks"] as? [Int]) || you["truth"] as? Bool == false)

            host.send(["type": "command", "command": "close"])
            _ = try await late.next("state") { $0["phase"] as? String == "closed" }
            var lateAnswer = answer
            lateAnswer["number"] = number
            late.send(lateAnswer)
            #expect(try await late.next("ack")["status"] as? String == "late")

            host.send(["type": "kick", "seat": 2])
            #expect(try await late.next("error")["code"] as? String == "kicked")
            for _ in 0..<200 where !(await late.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await late.closed)
            for peer in [host, back] { await peer.close() }
        }
    }

    /// Silence is measured on the server's clock, moved by the test: a limit of a minute passes in no time, and were
    /// the connections timed by the wall clock, nothing would close.
    @Test func aSilentConnectionIsClosedAndItsSeatResumes() async throws {
        let clock = ManualClock()
        var configuration = demoConfiguration()
        configuration.clock = clock
        configuration.silenceLimit = .seconds(60)
        try await withContest(configuration: configuration) { port, _, contest, branches in
            let quiet = WSPeer(port: port), chatty = WSPeer(port: port)
            quiet.send(["type": "join", "pin": contest.contest.pin, "name": "静默", "branchId": branches[0]])
            chatty.send(["type": "join", "pin": contest.contest.pin, "name": "活跃", "branchId": branches[0]])
            let welcome = try await quiet.next("welcome")
            _ = try await chatty.next("welcome")
            let seat = (welcome["seat"] as? [String: Any])?["id"] as? Int
            let token = try #require(welcome["token"] as? String)

            // The chatty phone pings every 10 s (the pages ping every 20) through more than the limit; the quiet one
            // says nothing. Each pong means the ping was heard before time moves on.
            for _ in 0..<8 {
                chatty.send(["type": "ping"])
                _ = try await chatty.next("pong")
                clock.advance(by: .seconds(10))
            }
            // The room's pulse runs on its own task once the clock has moved: the clock creeps on (well within the
            // chatty phone's limit) until the pulse that sweeps has run.
            for _ in 0..<100 where !(await quiet.closed) {
                clock.advance(by: .milliseconds(100))
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await quiet.next("error")["code"] as? String == "silent")
            for _ in 0..<200 where !(await quiet.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await quiet.closed)
            #expect(await !chatty.closed)
            chatty.send(["type": "ping"])
            _ = try await chatty.next("pong")

            let back = WSPeer(port: port)
            back.send(["type": "resume", "pin": contest.contest.pin, "token": token])
            #expect((try await back.next("welcome")["seat"] as? [String: Any])?["id"] as? Int == seat)
            for peer in [chatty, back] { await peer.close() }
        }
    }

    @Test func oneAddressCannotHoldMoreThanItsShare() async throws {
        var configuration = demoConfiguration()
        // Every connection counts: the test client's HTTP connection and two sockets.
        configuration.maxConnectionsPerAddress = 3
        try await withContest(configuration: configuration) { port, _, _, _ in
            let first = WSPeer(port: port), second = WSPeer(port: port)
            first.send(["type": "ping"])
            second.send(["type": "ping"])
            _ = try await first.next("pong")
            _ = try await second.next("pong")
            // The next connection is closed as soon as it is accepted, before its handshake.
            let third = WSPeer(port: port)
            for _ in 0..<200 where !(await third.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await third.closed)
            #expect(await third.everything.isEmpty)
            await second.close()
            try await Task.sleep(for: .milliseconds(100))
            let fourth = WSPeer(port: port)
            fourth.send(["type": "ping"])
            _ = try await fourth.next("pong")
            for peer in [first, third, fourth] { await peer.close() }
        }
    }
}

/// Members who came in through their invitation link play as themselves: the roster names them and places them.
@Suite struct ContestMemberTests {
    @Test func anInvitedMemberJoinsAsThemselvesAndKeepsOneSeat() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            var settings = sampleSettings()
            settings.membersOnly = true
            let contest = try await admin.createContest(ownerUnitId: nil, settings: settings)
            let invitation = try await admin.execute(uri: "/api/members/DG0001/invitations", method: .post) {
                try $0.body.decode(InvitationBody.self)
            }
            let phone = try await client.redeem(invitation.link)
            let port = client.port!

            let guest = WSPeer(port: port)
            guest.send(["type": "join", "pin": contest.contest.pin, "name": "王建国", "branchId": 2])
            #expect(try await guest.next("error")["code"] as? String == "members-only")

            let first = WSPeer(port: port, cookie: phone.cookie)
            // Whatever name and branch the page sends, the roster decides.
            first.send(["type": "join", "pin": contest.contest.pin, "name": "别人", "branchId": 7])
            let seat = try await first.next("welcome")["seat"] as! [String: Any]
            #expect(seat["name"] as? String == "王建国")
            #expect(seat["guest"] as? Bool == false)
            #expect(seat["branchId"] as? Int == 2)
            let second = WSPeer(port: port, cookie: phone.cookie)
            second.send(["type": "join", "pin": contest.contest.pin])
            let again = try await second.next("welcome")["seat"] as! [String: Any]
            #expect(again["id"] as? Int == seat["id"] as? Int)
            // The newer device takes the seat over; the older one is told and closed.
            #expect(try await first.next("error")["code"] as? String == "replaced")
            for peer in [guest, first, second] { await peer.close() }
        }
    }
}
