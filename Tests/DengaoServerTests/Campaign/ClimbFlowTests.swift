import DengaoCore
import DengaoStorage
import Foundation
import Logging
import Testing

@testable import DengaoServer

/// Members climbing over HTTP on the real server: levels passed question by question, the boards following,
/// and every forged, replayed or late request refused without changing anything.
@Suite struct ClimbFlowTests {
    static let keyFields: Set<String> = ["keyTruth", "keyPicks", "keyTexts", "explanation", "correct", "graded"]

    @Test func aMemberClimbsTwoLevelsAndTheBoardsFollow() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            let key = try await trueFalseKey(in: configuration)
            let phone = try await admin.memberPhone("DG0001")

            let before = try await phone.json(.get, "/api/climb/\(id)")
            #expect(before.status == 200)
            #expect(before.object["height"] as? Int == 0)
            #expect(before.object["attemptsLeft"] as? Int == 3)
            #expect(before.object["rank"] == nil)

            var stems: [String] = []
            for level in 1...2 {
                var (status, attempt) = try await phone.json(.post, "/api/climb/\(id)/attempts")
                #expect(status == 200)
                #expect(attempt["level"] as? Int == level)
                let seq = try #require(attempt["seq"] as? Int)
                for index in 0..<3 {
                    if index > 0 { attempt = try await phone.json(.get, "/api/climb/\(id)/attempts/\(seq)").object }
                    let question = try #require(attempt["question"] as? [String: Any])
                    #expect(question["index"] as? Int == index)
                    // Before it is answered, nothing of the question's key or grading is sent.
                    #expect(jsonFieldNames(question).isDisjoint(with: Self.keyFields))
                    let stem = try #require(question["stem"] as? String)
                    stems.append(stem)
                    let truth = try #require(key[stem] as Bool?)
                    let reply = try await phone.json(
                        .post, "/api/climb/\(id)/attempts/\(seq)/answers", ["index": index, "truth": truth])
                    #expect(reply.status == 200)
                    let graded = try #require(reply.object["graded"] as? [String: Any])
                    #expect(graded["correct"] as? Bool == true)
                    #expect(graded["keyTruth"] as? Bool == truth)
                    attempt = try #require(reply.object["attempt"] as? [String: Any])
                }
                #expect(attempt["status"] as? String == "passed")
                #expect(attempt["height"] as? Int == level)
            }
            // Six questions over two attempts, none of them twice.
            #expect(Set(stems).count == 6)

            let after = try await phone.json(.get, "/api/climb/\(id)").object
            #expect(after["height"] as? Int == 2)
            #expect(after["rank"] as? Int == 1)
            #expect(after["rankInBranch"] as? Int == 1)
            #expect(after["attemptsLeft"] as? Int == 1)
            #expect(after["nextLevel"] == nil, "two levels climbed: the summit")
            let branch = try #require(after["branch"] as? [String: Any])
            #expect(branch["participants"] as? Int == 1)

            let board = try await admin.json(.get, "/api/campaigns/\(id)/board").object
            #expect(board["participants"] as? Int == 1)
            #expect(board["participantsToday"] as? Int == 1)
            let top = try #require(board["top"] as? [[String: Any]])
            #expect(top.first?["name"] as? String == "王建国")
            #expect(top.first?["height"] as? Int == 2)
            let branches = try #require(board["branches"] as? [[String: Any]])
            #expect(branches.contains { $0["participants"] as? Int == 1 && ($0["meanHeight"] as? Double ?? 0) > 0 })
            #expect(branches.allSatisfy { ($0["roster"] as? Int ?? 0) > 0 }, "the roster is every branch's denominator")

            let summit = try await phone.json(.post, "/api/climb/\(id)/attempts")
            #expect(summit.status == 409)
            #expect(summit.object["code"] as? String == "summit")

            // Today's participation: the climber's branch counts them; everyone else on its roster is listed absent.
            let today = try await admin.json(.get, "/api/campaigns/\(id)/participation").object
            let rows = try #require(today["branches"] as? [[String: Any]])
            let mine = try #require(rows.first { $0["participants"] as? Int == 1 })
            let absent = (mine["absent"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(!absent.contains("王建国"))
            #expect(absent.count == (mine["roster"] as? Int ?? 0) - 1)
            #expect(try await admin.json(.get, "/api/campaigns/\(id)/participation?day=2026-13-01").status == 400)

            let csv = try await admin.execute(
                uri: "/api/campaigns/\(id)/results?format=csv&sheet=members", method: .get
            ) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let lines = csv.split(whereSeparator: \.isNewline)
            #expect(lines.count == (board["rosterCount"] as? Int ?? 0) + 1, "every roster member, climbers first")
            #expect(lines.dropFirst().first?.contains("王建国") == true)
            #expect(lines.dropFirst().first?.hasPrefix("1,") == true)
            let workbook = try await admin.execute(uri: "/api/campaigns/\(id)/results", method: .get) { response in
                #expect(response.headers[.contentType]?.contains("spreadsheetml") == true)
                return response.body.readableBytes
            }
            #expect(workbook > 1_000)
        }
    }

    @Test func theDemoDataHasACampaignOpenTodayWithTheDefaultLadder() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let campaigns = try #require(
                try await admin.json(.get, "/api/campaigns").object["campaigns"] as? [[String: Any]])
            let demo = try #require(campaigns.first { $0["title"] as? String == "答题登高（演示）" })
            let id = try #require(demo["id"] as? Int)
            let phone = try await admin.memberPhone("DG0001")
            let me = try await phone.json(.get, "/api/climb/\(id)").object
            #expect(me["open"] as? Bool == true)
            #expect(me["levelCount"] as? Int == 10)
            #expect(try await phone.json(.post, "/api/climb/\(id)/attempts").status == 200)
        }
    }

    @Test func theBigScreenIsPushedTheBoardAsMembersClimb() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let created = try await admin.createCampaign()
            let id = created.campaign.id
            let token = String(try #require(created.displayLink).split(separator: "token=").last!)
            let port = client.port!

            let forged = WSPeer(port: port, path: "/ws/campaign")
            forged.send(["type": "display", "campaignId": id.rawValue, "token": DengaoServerTests.forged(token)])
            #expect(try await forged.next("error")["code"] as? String == "bad-token")

            let screen = WSPeer(port: port, path: "/ws/campaign")
            screen.send(["type": "display", "campaignId": id.rawValue, "token": token])
            #expect(try await screen.next("board")["participants"] as? Int == 0)

            let phone = try await admin.memberPhone("DG0001")
            let listed = try await phone.json(.get, "/api/climb").object["campaigns"] as? [[String: Any]]
            #expect(
                listed?.contains { $0["id"] as? Int64 == id.rawValue || $0["id"] as? Int == Int(id.rawValue) } == true)
            #expect(try await phone.json(.post, "/api/climb/\(id)/attempts").status == 200)
            let pushed = try await screen.next("board") { $0["participants"] as? Int == 1 }
            #expect(pushed["participantsToday"] as? Int == 1)
            for peer in [forged, screen] { await peer.close() }
        }
    }

    @Test func requestsArrivingTogetherAtAColdCampaignShareOneRoom() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let id = try await withLiveApp(configuration) { client in
            try await client.signIn("root").createCampaign().campaign.id
        }
        // A hub as a fresh server has it: the campaign's room is loaded by the first request; twenty arrive at once.
        let storage = try TestBackend.storage(configuration)
        let hub = CampaignHub(storage: storage, journal: Journal(storage: storage), logger: Logger(label: "test"))
        let rooms = try await withThrowingTaskGroup(of: ObjectIdentifier?.self) { group in
            for _ in 0..<20 { group.addTask { try await hub.room(id: id).map(ObjectIdentifier.init) } }
            return try await group.reduce(into: Set<ObjectIdentifier?>()) { $0.insert($1) }
        }
        #expect(rooms.count == 1)
        #expect(rooms.first! != nil)
    }

    @Test func bigScreensCountAgainstTheAddressShareLikePhones() async throws {
        var configuration = demoConfiguration()
        // Every connection counts: the test client's HTTP connection, a phone and a screen.
        configuration.maxConnectionsPerAddress = 3
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let port = client.port!
            let phone = WSPeer(port: port), screen = WSPeer(port: port, path: "/ws/campaign")
            phone.send(["type": "ping"])
            screen.send(["type": "ping"])
            _ = try await phone.next("pong")
            _ = try await screen.next("pong")
            // The next connection is closed as soon as it is accepted, before its handshake.
            let third = WSPeer(port: port, path: "/ws/campaign")
            for _ in 0..<200 where !(await third.closed) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await third.closed)
            #expect(await third.everything.isEmpty)
            await screen.close()
            try await Task.sleep(for: .milliseconds(100))
            let fourth = WSPeer(port: port, path: "/ws/campaign")
            fourth.send(["type": "ping"])
            _ = try await fourth.next("pong")
            for peer in [phone, third, fourth] { await peer.close() }
        }
    }

    @Test func forgedRepeatedAndExtraRequestsChangeNothing() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            let key = try await trueFalseKey(in: configuration)
            let first = try await admin.memberPhone("DG0001")
            let second = try await admin.memberPhone("DG0002")
            let base = "/api/climb/\(id)/attempts"

            let started = try await first.json(.post, base).object
            let seq = try #require(started["seq"] as? Int)
            let stem = try #require((started["question"] as? [String: Any])?["stem"] as? String)
            // Starting again (a refresh, a retried request) hands back the same attempt and question.
            let again = try await first.json(.post, base).object
            #expect(again["seq"] as? Int == seq)
            #expect((again["question"] as? [String: Any])?["stem"] as? String == stem)

            func code(_ reply: (status: Int, object: [String: Any])) -> String? { reply.object["code"] as? String }
            #expect(
                code(try await first.json(.post, "\(base)/\(seq)/answers", ["index": 1, "truth": true]))
                    == "not-this-question")
            let malformed = try await first.json(.post, "\(base)/\(seq)/answers", ["index": 0, "picks": [0]])
            #expect(malformed.status == 400)
            #expect(code(malformed) == "malformed-answer")
            // Another member answering this member's attempt: they have no such attempt.
            let forged = try await second.json(.post, "\(base)/\(seq)/answers", ["index": 0, "truth": key[stem]!])
            #expect(forged.status == 404)
            #expect(code(forged) == "no-attempt")

            #expect(
                try await first.json(.post, "\(base)/\(seq)/answers", ["index": 0, "truth": key[stem]!]).status == 200)
            let twice = try await first.json(.post, "\(base)/\(seq)/answers", ["index": 0, "truth": !key[stem]!])
            #expect(twice.status == 409)
            #expect(code(twice) == "already-answered")
            let state = try await first.json(.get, "\(base)/\(seq)").object
            #expect(state["answered"] as? Int == 1)
            #expect(state["correct"] as? Int == 1)

            let abandoned = try await first.json(.post, "\(base)/\(seq)/abandon").object
            #expect(abandoned["status"] as? String == "abandoned")
            #expect(
                code(try await first.json(.post, "\(base)/\(seq)/answers", ["index": 1, "truth": true]))
                    == "attempt-over")
            for _ in 0..<2 {
                let next = try await first.json(.post, base).object
                let nextSeq = try #require(next["seq"] as? Int)
                #expect(try await first.json(.post, "\(base)/\(nextSeq)/abandon").status == 200)
            }
            let fourth = try await first.json(.post, base)
            #expect(fourth.status == 409)
            #expect(code(fourth) == "no-attempts-left")
            let me = try await first.json(.get, "/api/climb/\(id)").object
            #expect(me["attemptsToday"] as? Int == 3)
            #expect(me["attemptsLeft"] as? Int == 0)
            #expect(me["height"] as? Int == 0)

            let attempts = try await TestBackend.storage(configuration).campaignAttempts(id)
            #expect(attempts.count == 3)
            #expect(attempts.allSatisfy { $0.started.ref.memberId != 0 && $0.status == .abandoned })
            #expect(attempts.map(\.answers.count) == [1, 0, 0])
            // The reports read answer totals instead of answers: the same figures.
            let summaries = try await CampaignExport.summaries(
                campaign: id, storage: try TestBackend.storage(configuration))
            #expect(summaries == attempts.map(CampaignResults.AttemptSummary.init))
            #expect(summaries.map(\.answered) == [1, 0, 0])

            // Staff are not climbers; without a session nothing opens.
            #expect(try await admin.json(.get, "/api/climb/\(id)").status == 403)
            try await client.execute(uri: "/api/climb/\(id)", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    /// On the server's clock, moved by the test: were the room to read the wall clock, the answer would be in time
    /// and this test would fail.
    @Test func anAnswerAfterTheDeadlineIsLateAndTheQuestionCountsAsWrong() async throws {
        let clock = ManualClock()
        let configuration = {
            var configuration = demoConfiguration()
            configuration.clock = clock
            return configuration
        }()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign(
                settings: climbSettings(levels: 1, timeLimit: .perQuestion(seconds: 5))
            ).campaign.id
            let phone = try await admin.memberPhone("DG0001")
            let base = "/api/climb/\(id)/attempts"
            let started = try await phone.json(.post, base).object
            let seq = try #require(started["seq"] as? Int)
            // 5 s for the question and 1 s of grace for the network: at its very end the answer still counts.
            clock.advance(by: .seconds(6))
            let inGrace = try await phone.json(.get, "\(base)/\(seq)").object
            #expect((inGrace["question"] as? [String: Any])?["index"] as? Int == 0)
            #expect(inGrace["answered"] as? Int == 0)
            clock.advance(by: .milliseconds(300))
            let late = try await phone.json(.post, "\(base)/\(seq)/answers", ["index": 0, "truth": true])
            #expect(late.status == 409)
            #expect(late.object["code"] as? String == "late")
            // The page may show the run-out question's key before the next question's clock starts.
            let reading = try await phone.json(.get, "\(base)/\(seq)?serve=0").object
            #expect(reading["question"] == nil)
            #expect((reading["graded"] as? [[String: Any]])?.first?["keyTruth"] is Bool)
            let state = try await phone.json(.get, "\(base)/\(seq)").object
            #expect(state["answered"] as? Int == 1)
            let graded = try #require((state["graded"] as? [[String: Any]])?.first)
            #expect(graded["correct"] as? Bool == false)
            #expect(graded["truth"] == nil, "no answer was given")
            #expect(graded["keyTruth"] is Bool, "the key is shown once the question's time is up")
            #expect((state["question"] as? [String: Any])?["index"] as? Int == 1)
        }
    }

    /// No one asks after the attempt: the hub's pulse, driven by the server's clock, expires it and journals that.
    @Test func anAttemptLeftAloneExpiresOnThePulseOnceTheClockPassesItsDeadline() async throws {
        let clock = ManualClock()
        let configuration = {
            var configuration = demoConfiguration()
            configuration.clock = clock
            return configuration
        }()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign(
                settings: climbSettings(levels: 1, timeLimit: .perLevel(seconds: 60))
            ).campaign.id
            let phone = try await admin.memberPhone("DG0001")
            let seq = try #require(try await phone.json(.post, "/api/climb/\(id)/attempts").object["seq"] as? Int)
            let store = try TestBackend.storage(configuration)
            clock.advance(by: .seconds(60))
            #expect(try await store.campaignAttempts(id).first?.status == .answering)
            // Past the level's minute and its second of grace: the next pulse expires it, at the level's deadline.
            clock.advance(by: .milliseconds(1_001))
            var stored = try await store.campaignAttempts(id).first
            // The pulse and the journal's commit run on their own tasks: wait for them (a bounded wait for a write,
            // not for a deadline), the clock creeping on so a pulse that slept again after the last move still wakes.
            for _ in 0..<500 where stored?.status != .expired {
                clock.advance(by: .milliseconds(100))
                try await Task.sleep(for: .milliseconds(10))
                stored = try await store.campaignAttempts(id).first
            }
            #expect(stored?.started.ref.seq == seq)
            #expect(stored?.status == .expired)
            #expect(stored.map { $0.endedAt == $0.started.startedAt + 60_000 } == true)
        }
    }

    @Test func aRestartedServerResumesTheOpenAttemptAtItsQuestion() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        struct Left: Sendable {
            var id: CampaignID
            var seq: Int
            var stem: String
            var cookie: String
            var csrf: String
        }
        let left: Left = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            let key = try await trueFalseKey(in: configuration)
            let phone = try await admin.memberPhone("DG0001")
            let started = try await phone.json(.post, "/api/climb/\(id)/attempts").object
            let seq = try #require(started["seq"] as? Int)
            let stem = try #require((started["question"] as? [String: Any])?["stem"] as? String)
            let reply = try await phone.json(
                .post, "/api/climb/\(id)/attempts/\(seq)/answers", ["index": 0, "truth": key[stem]!])
            #expect(reply.status == 200)
            let next = try await phone.json(.get, "/api/climb/\(id)/attempts/\(seq)").object
            let nextStem = try #require((next["question"] as? [String: Any])?["stem"] as? String)
            return Left(id: id, seq: seq, stem: nextStem, cookie: phone.cookie, csrf: phone.csrfToken)
        }
        try await withLiveApp(configuration) { client in
            let phone = SignedInClient(client: client, cookie: left.cookie, csrfToken: left.csrf)
            let me = try await phone.json(.get, "/api/climb/\(left.id)").object
            #expect(me["currentAttempt"] as? Int == left.seq)
            let state = try await phone.json(.get, "/api/climb/\(left.id)/attempts/\(left.seq)").object
            #expect(state["answered"] as? Int == 1)
            #expect(state["correct"] as? Int == 1)
            let question = try #require(state["question"] as? [String: Any])
            #expect(question["index"] as? Int == 1)
            #expect(question["stem"] as? String == left.stem, "the same draw, not a new one")
        }
    }
}
