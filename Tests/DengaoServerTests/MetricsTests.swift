import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// `GET /metrics` on the real server: what a short contest, a climb, sign-ins and uploads make move, that no label
/// names anyone or anything, and who may read it.
@Suite struct MetricsTests {
    static let token = "metrics-test-token-0123456789abcdef"

    @Test func aContestAClimbSignInsAndUploadsMoveTheirCountersAndNoLabelNamesAnyone() async throws {
        let configuration = {
            var configuration = demoConfiguration()
            configuration.metricsToken = Self.token
            // The second wrong password for one name is throttled.
            configuration.loginLimits = LoginLimits(failuresPerAccount: 1)
            return configuration
        }()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            for _ in 0..<2 {
                let refused = try await client.execute(
                    uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"nobody","password":"wrong"}"#)
                ) { $0.status }
                #expect(refused == .unauthorized || refused == .tooManyRequests)
            }
            let badUpload = try await admin.execute(
                uri: "/api/banks?name=broken&filename=broken.csv", method: .post, body: ByteBuffer(string: "\u{0}\u{1}")
            ) { $0.status }
            #expect(badUpload == .unprocessableContent)
            let bank = try Data(contentsOf: repositoryRoot.appendingPathComponent("QuestionBanks/党章党规党纪.txt"))
            let goodUpload = try await admin.execute(
                uri: "/api/banks?name=%E5%A4%8D%E6%9C%AC&filename=bank.txt", method: .post, body: ByteBuffer(data: bank)
            ) { $0.status }
            #expect(goodUpload == .created)

            // A contest of one question: two guests, one answer accepted, one refused and one late.
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let store = try Store(directory: configuration.dataDirectory)
            let question = try #require(try store.contestQuestions(ContestID(created.contest.id)).first)
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")
            let display = WSPeer(port: port)
            display.send(["type": "display", "contestId": created.contest.id, "token": created.displayToken])
            let welcome = try await display.next("welcome")
            let branch = try #require(
                ((welcome["contest"] as? [String: Any])?["branches"] as? [[String: Any]])?.first?["id"] as? Int)
            var players: [WSPeer] = []
            for name in ["选手甲", "选手乙"] {
                let player = WSPeer(port: port)
                player.send(["type": "join", "v": 1, "pin": created.contest.pin, "name": name, "branchId": branch])
                _ = try await player.next("welcome")
                players.append(player)
            }
            host.send(["type": "command", "command": "next"])
            let state = try await players[0].next("state") {
                ($0["question"] as? [String: Any])?["number"] as? Int == question.number
            }
            let shown = (state["question"] as? [String: Any])?["options"] as? [String] ?? []
            players[0].send(
                answerMessage(for: question.question, number: question.number, options: shown, correct: true))
            #expect(try await players[0].next("ack")["status"] as? String == "accepted")
            // The same answer again gets the same acknowledgement: not a second answer, and not timed again.
            players[0].send(
                answerMessage(for: question.question, number: question.number, options: shown, correct: true))
            #expect(try await players[0].next("ack")["status"] as? String == "accepted")
            _ = try await players[1].next("state") { ($0["question"] as? [String: Any])?["number"] != nil }
            players[1].send(["type": "answer", "number": question.number + 50, "picks": [0]])
            _ = try await players[1].next("error")
            // Once the host closes the question, an answer is late.
            host.send(["type": "command", "command": "close"])
            _ = try await players[1].next("state") { $0["phase"] as? String == "closed" }
            players[1].send(
                answerMessage(for: question.question, number: question.number, options: shown, correct: false))
            #expect(try await players[1].next("ack")["status"] as? String == "late")
            host.send(["type": "command", "command": "reveal"])
            _ = try await players[0].next("reveal")

            // A climb: level 1 passed, level 2 started and given up.
            let campaign = try await admin.createCampaign()
            let id = campaign.campaign.id
            let screen = WSPeer(port: port, path: "/ws/campaign")
            let displayToken = String(try #require(campaign.displayLink).split(separator: "token=").last!)
            screen.send(["type": "display", "campaignId": id.rawValue, "token": displayToken])
            _ = try await screen.next("board")
            let key = try await trueFalseKey(in: configuration)
            let phone = try await admin.memberPhone("DG0001")
            var (_, attempt) = try await phone.json(.post, "/api/climb/\(id)/attempts")
            let seq = try #require(attempt["seq"] as? Int)
            for index in 0..<3 {
                let stem = try #require((attempt["question"] as? [String: Any])?["stem"] as? String)
                let reply = try await phone.json(
                    .post, "/api/climb/\(id)/attempts/\(seq)/answers", ["index": index, "truth": key[stem]!])
                attempt = try #require(reply.object["attempt"] as? [String: Any])
                if index < 2 { attempt = try await phone.json(.get, "/api/climb/\(id)/attempts/\(seq)").object }
            }
            #expect(attempt["status"] as? String == "passed")
            let second = try await phone.json(.post, "/api/climb/\(id)/attempts").object
            let secondSeq = try #require(second["seq"] as? Int)
            #expect(try await phone.json(.post, "/api/climb/\(id)/attempts/\(secondSeq)/abandon").status == 200)
            // After the member's own redemption: this limit (one failure) then blocks the address's next try.
            let badLink = try await client.execute(
                uri: "/api/invitations/redeem", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"token":"not-an-invitation"}"#)
            ) { $0.status }
            #expect(badLink.code >= 400)
            configuration.metrics.recordBackupSuccess(at: Date(timeIntervalSince1970: 1_780_000_000))

            let text = try await Self.scrape(client)
            let scraped = try Exposition(text)
            #expect(scraped.value("dengao_build_info", ["version": DengaoVersion.current]) == 1)
            #expect(scraped.value("dengao_contest_joins_total") == 2)
            #expect(scraped.value("dengao_contest_answers_total", ["outcome": "accepted"]) == 1)
            #expect(scraped.value("dengao_contest_answers_total", ["outcome": "refused"]) == 1)
            #expect(scraped.value("dengao_contest_answers_total", ["outcome": "late"]) == 1)
            #expect(scraped.value("dengao_contest_answer_ack_duration_seconds_count") == 1)
            #expect(scraped.value("dengao_websocket_connections", ["role": "player"]) == 2)
            #expect(scraped.value("dengao_websocket_connections", ["role": "host"]) == 1)
            #expect(scraped.value("dengao_websocket_connections", ["role": "display"]) == 1)
            #expect(scraped.value("dengao_websocket_connections", ["role": "campaign_display"]) == 1)
            #expect(scraped.value("dengao_websocket_connections", ["role": "pending"]) == 0)
            #expect((scraped.value("dengao_live_rooms", ["kind": "contest"]) ?? 0) >= 1)
            #expect(scraped.value("dengao_live_rooms", ["kind": "campaign"]) == 1)
            #expect((scraped.value("dengao_journal_batch_records_count") ?? 0) >= 1)
            #expect((scraped.value("dengao_journal_batch_records_sum") ?? 0) >= 6, "2 joins, next, answer, reveal, …")
            #expect(
                scraped.value("dengao_journal_commit_duration_seconds_count")
                    == scraped.value("dengao_journal_batch_records_count"))
            #expect(scraped.value("dengao_journal_commit_failures_total") == 0)
            #expect((scraped.value("dengao_fanout_duration_seconds_count", ["kind": "state"]) ?? 0) >= 1)
            #expect((scraped.value("dengao_fanout_duration_seconds_count", ["kind": "reveal"]) ?? 0) >= 1)
            #expect(scraped.value("dengao_climb_attempts_started_total") == 2)
            #expect(scraped.value("dengao_climb_attempts_ended_total", ["outcome": "passed"]) == 1)
            #expect(scraped.value("dengao_climb_attempts_ended_total", ["outcome": "abandoned"]) == 1)
            #expect(scraped.value("dengao_climb_attempts_ended_total", ["outcome": "failed"]) == 0)
            #expect(scraped.value("dengao_import_duration_seconds_count", ["kind": "bank"]) == 1)
            #expect(scraped.value("dengao_import_failures_total", ["kind": "bank", "reason": "refused"]) == 1)
            #expect(scraped.value("dengao_sign_in_failures_total", ["kind": "password"]) == 1)
            #expect(scraped.value("dengao_sign_in_throttled_total", ["kind": "password"]) == 1)
            #expect(scraped.value("dengao_sign_in_failures_total", ["kind": "invitation"]) == 1)
            #expect(scraped.value("dengao_backup_last_success_timestamp_seconds") == 1_780_000_000)
            // Requests by route template: the contest's and campaign's ids are not in them.
            #expect(
                (scraped.value(
                    "dengao_http_requests_total",
                    ["route": "/api/climb/{id}/attempts/{seq}/answers", "method": "POST", "status": "2xx"]) ?? 0) == 3)
            #expect(
                scraped.value(
                    "dengao_http_requests_total", ["route": "/api/session", "method": "POST", "status": "4xx"]) == 2)
            #expect(
                (scraped.value(
                    "dengao_http_request_duration_seconds_count", ["route": "/api/contests", "method": "POST"])
                    ?? 0) >= 1)

            // No label names a member, a seat, a contest or a campaign.
            let allowedLabels: Set<String> = [
                "route", "method", "status", "role", "outcome", "kind", "reason", "version", "le",
            ]
            #expect(scraped.labelNames.isSubset(of: allowedLabels), "\(scraped.labelNames)")
            let forbidden = [created.contest.pin, "选手", "DG0001", "王建国", "/\(created.contest.id)/", "/\(id)/"]
            for value in scraped.labelValues {
                #expect(!forbidden.contains { value.contains($0) }, "label value \(value)")
                #expect(value.range(of: #"/[0-9]+(/|$)"#, options: .regularExpression) == nil, "label value \(value)")
            }
            // Connections that end leave the gauges; the server notices each close on its own time.
            for peer in players + [host, display, screen] { await peer.close() }
            var open = 6.0
            for _ in 0..<100 where open > 0 {
                try await Task.sleep(for: .milliseconds(50))
                open = try Exposition(try await Self.scrape(client)).value("dengao_websocket_connections") ?? -1
            }
            #expect(open == 0)
        }
    }

    @Test func journalBatchesCommitsAndAFailedCommitAreCounted() async throws {
        let (store, contest) = try JournalTests().storeWithContest()
        let metrics = ServerMetrics()
        let journal = Journal(storage: SQLiteStorage(store), metrics: metrics)
        async let running: Void = journal.run()
        let tickets = (1...3).map { seq in
            journal.append(JournalEntry(contestId: contest, seq: Int64(seq), at: 0, input: .command(.pause)))
        }
        try await journal.durable(tickets.last!)
        // A duplicate sequence number violates the primary key: that commit fails.
        let bad = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        await #expect(throws: (any Error).self) { try await journal.durable(bad) }
        let scraped = try Exposition(String(decoding: metrics.exposition(), as: UTF8.self))
        #expect(scraped.value("dengao_journal_batch_records_sum") == 3)
        #expect(scraped.value("dengao_journal_batch_records_count") == Double(journal.transactionCount - 1))
        #expect(scraped.value("dengao_journal_commit_duration_seconds_count") == Double(journal.transactionCount - 1))
        #expect(scraped.value("dengao_journal_commit_failures_total") == 1)
        journal.finish()
        await running
    }

    @Test func theMetricsTokenIsAskedForAndComparedWhole() async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.metricsToken = Self.token
        try await withLiveApp(configuration) { client in
            for authorization in [
                nil, "Bearer wrong", "Bearer \(Self.token.dropLast())", "Basic \(Self.token)", Self.token,
            ] {
                var headers = HTTPFields()
                if let authorization { headers[.authorization] = authorization }
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized, "\(authorization ?? "none")")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    #expect(!String(buffer: response.body).contains("dengao_build_info"))
                }
            }
            try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"]
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(String(buffer: response.body).contains("# TYPE dengao_http_requests_total counter"))
            }
        }
    }

    @Test func aStorageRefusalIsCountedByItsStatusNotAsAServerError() async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.metricsToken = Self.token
        try await withSignedInAdmin(configuration) { admin in
            let status = try await admin.execute(uri: "/api/banks/%E6%97%A0", method: .get) { $0.status }
            #expect(status == .notFound)
            let scraped = try Exposition(try await Self.scrape(admin.client))
            #expect(scraped.value("dengao_http_requests_total", ["route": "/api/banks/{name}", "status": "4xx"]) == 1)
            #expect(scraped.value("dengao_http_requests_total", ["status": "5xx"]) == nil)
        }
    }

    @Test func withoutATokenOrAnAddressMetricsIsNotServed() async throws {
        try await withLiveApp(testConfiguration(samples: "/nonexistent")) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("dengao_"))
            }
        }
    }

    @Test func aSeparateAddressServesMetricsThereAndNotOnThePublicPort() async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.metricsAddress = ListenAddress("127.0.0.1:0")
        let metrics = configuration.metrics
        try await withLiveApp(configuration) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
            let port = await metrics.metricsListener.port()
            #expect(port != client.port)
            let answer = try await onOwnThread {
                let socket = try RawSocket(port: port)
                defer { socket.close() }
                try socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                return String(decoding: socket.readToEnd(timeout: 5).bytes, as: UTF8.self)
            }
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.contains(#"dengao_http_requests_total{route="/healthz",method="GET",status="2xx"} 1"#))
        }
    }

    @Test func listenAddressesParseAsHostAndPort() {
        #expect(ListenAddress("127.0.0.1:9464") == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(ListenAddress("[::1]:9464") == ListenAddress(host: "::1", port: 9464))
        for bad in ["9464", ":9464", "127.0.0.1:", "127.0.0.1:70000", "host:port"] {
            #expect(ListenAddress(bad) == nil, "\(bad)")
        }
    }

    /// The exposition, read with the token.
    static func scrape(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"]) {
            response in
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
    }
}

/// The samples of a Prometheus text exposition, by name and labels.
struct Exposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw TestFailure("not a sample: \(line)")
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append(Sample(name: String(series), labels: [:], value: value))
                continue
            }
            var labels: [String: String] = [:]
            // Label values written by this server hold no quotes, commas or escapes.
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",")
            {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw TestFailure("bad label in \(line)") }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            samples.append(Sample(name: String(series[..<brace]), labels: labels, value: value))
        }
    }

    /// The sum over the samples of `name` whose labels include `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    var labelNames: Set<String> { Set(samples.flatMap(\.labels.keys)) }
    var labelValues: Set<String> { Set(samples.flatMap(\.labels.values)) }
}
