import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `dengao-bench climb [--members 1000] [--seconds 20]`: the campaign attempt flow under load.
///
/// Starts the release server on a free loopback port with the demo data, adds N members to the demo branches,
/// signs each in through an invitation link (as a phone would), creates a campaign (fifty levels of five
/// questions, 100 attempts a day so nobody runs out), then has every member climb at once over keep-alive HTTP
/// connections with no think time: start an attempt, answer (nine in ten right), fetch the next question, and
/// so on, for the given time. Prints requests/s and latency per kind of request, and the heights reached.
/// Exits 0 only if no request failed.
///
/// `--database URL`: the server runs on PostgreSQL, in a fresh schema of that database (`BenchDatabase`);
/// `--both` with it: the same climb first on SQLite, then on PostgreSQL, and the ratio of their requests/s.
///
/// `--reports MS`: the climb runs twice as long, alone for the first half and, for the second, with an organizer
/// requesting the report pages' APIs (`ReportLoad`) one every MS milliseconds; prints each endpoint's latency, the
/// climb's requests/s and latency in each half, and the server's peak RSS.
enum ClimbBench {
    struct Options {
        var members = 1_000
        var seconds = 20.0
        var threads = 1
        /// Upper bound of a member's reading time before each answer (uniform from 0); 0 is a saturation test.
        var think = 0.0
        var server = ".build/release/dengao"
        var maxSeconds = 600
        /// Milliseconds between an organizer's report requests in the second half of the run; 0: no report load.
        var reports = 0.0
        /// The campaign's first day: its reports count every day from here to today.
        var startDate = "2026-01-01"
        /// Whether to also drive the bare Hummingbird endpoint (`BareJSONServer`) the same way, for the ratio.
        var bare = true
        /// A PostgreSQL database to run the server on (in a fresh schema); nil: SQLite in the data directory.
        var database: String?
        /// With `database`: run on SQLite first, then on PostgreSQL, and print the throughput ratio.
        var both = false

        init(_ arguments: [String]) throws {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                func value() throws -> String {
                    guard let value = rest.popFirst() else { throw BenchFailure("\(argument) needs a value") }
                    return value
                }
                switch argument {
                case "--members": members = Int(try value()) ?? members
                case "--seconds": seconds = Double(try value()) ?? seconds
                case "--threads": threads = Int(try value()) ?? threads
                case "--think": think = Double(try value()) ?? think
                case "--server": server = try value()
                case "--max-seconds": maxSeconds = Int(try value()) ?? maxSeconds
                case "--reports": reports = Double(try value()) ?? reports
                case "--start": startDate = try value()
                case "--no-bare": bare = false
                case "--database": database = try value()
                case "--both": both = true
                default:
                    throw BenchFailure(
                        "usage: dengao-bench climb [--members 1000] [--seconds 20] [--think 0] [--threads 1] [--server .build/release/dengao] [--max-seconds 600] [--reports MS] [--start YYYY-MM-DD] [--no-bare] [--database postgresql://… [--both]]"
                    )
                }
            }
        }
    }

    /// What a member's client needs to answer: the bank's keys by stem.
    struct Key: Sendable {
        var choices: [String]?
        var truth: Bool?
        var text: String?
    }

    enum Kind: Int, CaseIterable {
        case start, answer, next
        var name: String { ["start attempt", "answer", "next question"][rawValue] }
    }

    /// Latencies and failures, shared by the event loops.
    final class Tally: Sendable {
        struct State {
            var latencies: [[Double]] = Array(repeating: [], count: Kind.allCases.count)
            var failures: [String: Int] = [:]
            var passed = 0
            var heights: [Int: Int] = [:]
            /// Latencies of the run's first half (no report load) and second half (with it), all kinds together.
            var halves: [[Double]] = [[], []]
        }
        let state = Mutex(State())
        /// 0 in the first half of a run with report load, 1 in the second.
        let half = Atomic<Int>(0)

        func record(_ kind: Kind, ms: Double) {
            let half = half.load(ordering: .relaxed)
            state.withLock {
                $0.latencies[kind.rawValue].append(ms)
                $0.halves[half].append(ms)
            }
        }
        func fail(_ what: String) { state.withLock { $0.failures[what, default: 0] += 1 } }
    }

    static func run(_ arguments: [String]) -> Int32 {
        do {
            let options = try Options(arguments)
            guard options.both, let database = options.database else { return try measure(options).status }
            var sqlite = options
            sqlite.database = nil
            let first = try measure(sqlite)
            let second = try measure(options)
            say()
            say(
                String(
                    format:
                        "climb throughput, same run: SQLite %.0f requests/s, PostgreSQL %.0f requests/s → PostgreSQL ÷ SQLite %.2f",
                    first.requestsPerSecond, second.requestsPerSecond,
                    second.requestsPerSecond / first.requestsPerSecond
                ) + " (database \(database.split(separator: "@").last ?? ""))")
            return max(first.status, second.status)
        } catch {
            say("climb benchmark failed: \(error)")
            return 2
        }
    }

    /// One climb on one backend: its exit status and its requests per second.
    static func measure(_ options: Options) throws -> (status: Int32, requestsPerSecond: Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-climb-bench-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repository = FileManager.default.currentDirectoryPath
        let binary = options.server.hasPrefix("/") ? options.server : repository + "/" + options.server
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure("no server binary at \(binary): build it with `swift build -c release --product dengao`")
        }
        let password = "bench-\(UUID().uuidString.prefix(8))"
        let (data, postgres) = (directory + "/data", options.database)
        let database = try waitFor { try await BenchDatabase.open(directory: data, postgresURL: postgres) }
        defer { try? waitFor { await database.close() } }
        let store = database.storage
        _ = try waitFor {
            try await store.createAccount(
                username: "bench", displayName: "Bench", passwordHash: AccessTools.hashPassword(password, cost: 4),
                role: .admin, unitId: nil)
        }

        let port = try freeLoopbackPort()
        let server = try ContestBench.Server(
            binary: binary,
            arguments: [
                "serve", "--data", directory + "/data", "--port", String(port), "--demo", "--backlog", "4096",
                "--public-directory", repository + "/Public", "--samples", repository + "/QuestionBanks",
            ] + database.serverArguments,
            environment: [:], log: directory + "/server.log", maxSeconds: options.maxSeconds + 60)
        defer { server.stop() }
        let (limit, serverPid) = (options.maxSeconds, server.pid)
        Thread.detachNewThread {
            sleep(UInt32(limit))
            say("climb benchmark: --max-seconds \(limit) reached, stopping")
            kill(serverPid, SIGKILL)
            exit(2)
        }
        var healthy = false
        for _ in 0..<600 where !healthy {
            healthy = (try? httpRequest("GET", port: port, path: "/healthz"))?.status == 200
            if !healthy { usleep(50_000) }
        }
        guard healthy else { throw BenchFailure("the server did not come up; log: \(server.log)") }

        // Members in the demo's branches, added to the store before the campaign is first used.
        let members = options.members
        try waitFor {
            let tree = try await store.orgTree()
            let leaves = tree.depthFirst().map(\.unit).filter { tree.children(of: $0.id).isEmpty }
            for index in 0..<members {
                _ = try await store.addMember(
                    number: String(format: "BENCH%05d", index), name: "登高\(index)",
                    unitId: leaves[index % leaves.count].id)
            }
        }

        let signIn = try httpRequest(
            "POST", port: port, path: "/api/session", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: ["username": "bench", "password": password]))
        guard signIn.status == 200, let csrf = signIn.json?["csrfToken"] as? String,
            let cookie = signIn.header("Set-Cookie").first(where: { $0.hasPrefix("dengao_session=") })?.split(
                separator: ";"
            ).first
        else { throw BenchFailure("sign-in failed: \(signIn.status)") }
        let admin = [("Cookie", String(cookie)), ("X-CSRF-Token", csrf), ("Content-Type", "application/json")]
        let banks = ["党章党规党纪", "政治理论与常识", "党史与革命传统"]
        let levels: [[String: Any]] = (1...50).map { level in
            [
                "title": "第\(level)关",
                "draw": [
                    "count": 5, "categories": [], "tags": [], "types": [], "minDifficulty": 1, "maxDifficulty": 5,
                ],
                "timeLimit": ["perQuestion": ["seconds": 60]], "passThreshold": 0.8,
            ]
        }
        let created = try httpRequest(
            "POST", port: port, path: "/api/campaigns", headers: admin,
            body: try JSONSerialization.data(withJSONObject: [
                "settings": [
                    "title": "负载测试", "startDate": options.startDate, "endDate": "2099-12-31", "banks": banks,
                    "levels": levels,
                    "attemptsPerDay": 100,
                ] as [String: Any]
            ]))
        guard created.status == 201, let campaignId = (created.json?["campaign"] as? [String: Any])?["id"] as? Int
        else {
            throw BenchFailure(
                "creating the campaign failed: \(created.status) \(String(decoding: created.body, as: UTF8.self))")
        }

        // Each member signs in through an invitation link, as a phone does.
        let setupStarted = monotonicNanos()
        var sessions: [(cookie: String, csrf: String)] = []
        for index in 0..<options.members {
            let invitation = try httpRequest(
                "POST", port: port, path: String(format: "/api/members/BENCH%05d/invitations", index), headers: admin)
            guard let link = invitation.json?["link"] as? String, let token = link.split(separator: "#").last else {
                throw BenchFailure("invitation failed: \(invitation.status)")
            }
            let redeemed = try httpRequest(
                "POST", port: port, path: "/api/invitations/redeem", headers: [("Content-Type", "application/json")],
                body: try JSONSerialization.data(withJSONObject: ["token": String(token)]))
            guard let csrf = redeemed.json?["csrfToken"] as? String,
                let cookie = redeemed.header("Set-Cookie").first(where: { $0.hasPrefix("dengao_session=") })?.split(
                    separator: ";"
                ).first
            else { throw BenchFailure("redeeming failed: \(redeemed.status)") }
            sessions.append((String(cookie), csrf))
        }
        say(
            "climb benchmark: \(options.members) members signed in in \(String(format: "%.1f", nanosToMs(monotonicNanos() - setupStarted) / 1000)) s; "
                + "campaign \(campaignId), server pid \(server.pid) on port \(port), \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )

        var keys: [String: Key] = [:]
        for (_, question) in try waitFor({ try await store.latestQuestions(ofBanks: banks) }) {
            switch question.answer {
            case .choices(let indices): keys[question.stem] = Key(choices: indices.map { question.options[$0] })
            case .truth(let truth): keys[question.stem] = Key(truth: truth)
            case .texts(let texts): keys[question.stem] = Key(text: texts.first)
            }
        }

        let tally = Tally()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        defer { try? group.syncShutdownGracefully() }
        let halfway = monotonicNanos() + UInt64(options.seconds * 1e9)
        let stopAt = options.reports > 0 ? halfway + UInt64(options.seconds * 1e9) : halfway
        let cpuBefore = procCPUSeconds(pid: server.pid) ?? 0
        let started = monotonicNanos()
        let running = startClimbers(
            sessions: sessions, campaignId: campaignId, port: port, keys: keys, tally: tally, stopAt: stopAt,
            think: options.think, group: group)
        var reportResults: [ReportLoad.Result] = []
        let reportLoad = ReportLoad(
            port: port, headers: admin.filter { $0.0 != "Content-Type" },
            endpoints: ReportLoad.endpoints(campaignId: campaignId),
            interval: options.reports)
        var halfEnded: UInt64 = 0
        if options.reports > 0 {
            while monotonicNanos() < halfway { usleep(10_000) }
            tally.half.store(1, ordering: .relaxed)
            halfEnded = monotonicNanos()
            reportResults = reportLoad.run(until: stopAt)
        }
        while running.count.load(ordering: .relaxed) > 0, monotonicNanos() < stopAt + 30_000_000_000 { usleep(50_000) }
        let elapsed = Double(monotonicNanos() - started) / 1e9
        let serverCPU = (procCPUSeconds(pid: server.pid) ?? 0) - cpuBefore

        // Heights from the store, as the boards would count them.
        let attempts = try waitFor { try await store.campaignAttempts(CampaignID(Int64(campaignId))) }
        var climbs: [MemberID: Climb] = [:]
        for stored in attempts where stored.status.isOver {
            climbs[stored.started.ref.memberId, default: Climb(memberId: stored.started.ref.memberId)]
                .finished(
                    level: stored.started.level, status: stored.status, endedAt: stored.endedAt, answers: stored.answers
                )
        }
        let state = tally.state.withLock { $0 }
        let total = state.latencies.reduce(0) { $0 + $1.count }
        say()
        say("══ Dengao campaign climbing benchmark (\(database.backend)) ══")
        say(
            "setup: \(options.members) members climbing at once for \(options.seconds) s over keep-alive HTTP/1.1, "
                + (options.think > 0 ? "0–\(options.think) s to read each question; " : "no think time; ")
                + "\(options.threads) client event loop(s); 2 cores shared by server and client")
        say(
            "requests: \(total) in \(String(format: "%.1f", elapsed)) s → \(Int(Double(total) / elapsed)) requests/s; server CPU \(String(format: "%.1f", serverCPU)) s"
        )
        for kind in Kind.allCases {
            let values = state.latencies[kind.rawValue]
            say("  \(kind.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(Distribution(values).line)")
        }
        let all = Distribution(state.latencies.flatMap { $0 })
        say("  all            \(all.line)")
        say(
            "attempts stored: \(attempts.count) (\(attempts.filter { $0.status == .passed }.count) passed); answers stored: \(attempts.reduce(0) { $0 + $1.answers.count })"
        )
        let heights = Dictionary(grouping: climbs.values, by: \.height).mapValues(\.count).sorted { $0.key < $1.key }
        say("heights reached: " + heights.map { "\($0.key): \($0.value)" }.joined(separator: " · "))
        var failures = state.failures.values.reduce(0, +)
        if options.reports > 0 {
            let (first, second) = (Double(halfEnded - started) / 1e9, Double(stopAt - halfEnded) / 1e9)
            say(
                "report load: an organizer's requests one every \(Int(options.reports)) ms, sequential, in the second half:"
            )
            for (endpoint, result) in zip(reportLoad.endpoints, reportResults) {
                say(
                    "  \(endpoint.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(Distribution(result.latencies).line)"
                        + (result.failures.isEmpty
                            ? "" : " FAILED \(result.failures.count): \(result.failures.prefix(3))"))
                failures += result.failures.count
            }
            say("  all reports            \(Distribution(reportResults.flatMap { $0.latencies }).line)")
            let (alone, loaded) = (Double(state.halves[0].count) / first, Double(state.halves[1].count) / second)
            say(String(format: "climb without reports: %.0f requests/s, %@", alone, Distribution(state.halves[0]).line))
            say(
                String(format: "climb with reports:    %.0f requests/s, %@", loaded, Distribution(state.halves[1]).line)
            )
            say(String(format: "with ÷ without: %.2f× the requests/s", loaded / alone))
        }
        say("server peak RSS (VmHWM): \((procStatusKiB(pid: server.pid, field: "VmHWM") ?? 0) / 1024) MiB")
        if options.bare {
            failures += try compareWithBare(
                options, product: (Double(total) / elapsed, serverCPU / Double(max(total, 1)), all),
                group: group, directory: directory)
        }
        say("ERRORS: \(failures)" + (failures > 0 ? " \(state.failures)" : ""))
        return (failures == 0 ? 0 : 1, Double(total) / elapsed)
    }

    /// Connects one `Climber` per session and starts them all; the counter reaches 0 once every one has stopped.
    static func startClimbers(
        sessions: [(cookie: String, csrf: String)], campaignId: Int, port: Int, keys: [String: Key], tally: Tally,
        stopAt: UInt64, think: Double, group: MultiThreadedEventLoopGroup
    ) -> Countdown {
        let running = Countdown(sessions.count)
        for (index, session) in sessions.enumerated() {
            let climber = Climber(
                index: index, campaignId: campaignId, port: port, cookie: session.cookie, csrf: session.csrf,
                keys: keys, tally: tally,
                stopAt: stopAt, think: think, finished: { running.count.subtract(1, ordering: .relaxed) })
            climber.connect(group: group)
        }
        return running
    }

    /// Drives `BareJSONServer` in a child process with the same clients, members, think time and length as the
    /// product's run, and prints both and their ratio; returns the bare run's failures.
    static func compareWithBare(
        _ options: Options, product: (rate: Double, cpuPerRequest: Double, latency: Distribution),
        group: MultiThreadedEventLoopGroup, directory: String
    ) throws -> Int {
        let port = try freeLoopbackPort()
        let server = try ContestBench.Server(
            binary: CommandLine.arguments[0],
            arguments: ["bare-json", "--port", String(port), "--members", String(options.members)],
            environment: [:], log: directory + "/bare.log", maxSeconds: Int(options.seconds) + 120)
        defer { server.stop() }
        var healthy = false
        for _ in 0..<600 where !healthy {
            healthy = (try? httpRequest("GET", port: port, path: "/healthz"))?.status == 200
            if !healthy { usleep(50_000) }
        }
        guard healthy else { throw BenchFailure("the bare server did not come up; log: \(server.log)") }
        let tally = Tally()
        let sessions = (0..<options.members).map { (cookie: "dengao_session=bare\($0)", csrf: "csrf\($0)") }
        let stopAt = monotonicNanos() + UInt64(options.seconds * 1e9)
        let cpuBefore = procCPUSeconds(pid: server.pid) ?? 0
        let started = monotonicNanos()
        let running = startClimbers(
            sessions: sessions, campaignId: 1, port: port, keys: [BareJSONServer.stem: BareJSONServer.key],
            tally: tally, stopAt: stopAt, think: options.think, group: group)
        while running.count.load(ordering: .relaxed) > 0, monotonicNanos() < stopAt + 30_000_000_000 { usleep(50_000) }
        let elapsed = Double(monotonicNanos() - started) / 1e9
        let serverCPU = (procCPUSeconds(pid: server.pid) ?? 0) - cpuBefore
        let state = tally.state.withLock { $0 }
        let total = state.latencies.reduce(0) { $0 + $1.count }
        let rate = Double(total) / elapsed
        let all = Distribution(state.latencies.flatMap { $0 })
        say(
            "bare Hummingbird JSON endpoint (session-cookie check in a dictionary, Foundation JSON, no storage), same clients:"
        )
        say(
            String(
                format: "  bare:   %.0f requests/s, server CPU %.0f µs/request, %@", rate,
                serverCPU / Double(max(total, 1)) * 1e6, all.line))
        say(
            String(
                format: "  dengao: %.0f requests/s, server CPU %.0f µs/request, %@", product.rate,
                product.cpuPerRequest * 1e6, product.latency.line))
        say(String(format: "  dengao ÷ bare: %.2f× the requests/s (goal ≥ 0.4×)", product.rate / rate))
        // On a shared machine the requests/s of two runs a minute apart move with the other load; the server CPU each
        // request cost moves much less, so its ratio is printed too.
        say(
            String(
                format: "  bare ÷ dengao server CPU per request: %.2f×",
                serverCPU / Double(max(total, 1)) / max(product.cpuPerRequest, 1e-9)))
        say("  load average: " + ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"))
        if !state.failures.isEmpty { say("  bare failures: \(state.failures)") }
        return state.failures.values.reduce(0, +)
    }
}

/// How many climbers are still running, shared by their event loops and the thread waiting for them.
final class Countdown: Sendable {
    let count: Atomic<Int>
    init(_ count: Int) { self.count = Atomic(count) }
}

/// One member's phone: a keep-alive connection and the climb as a chain of requests, each sent when the previous
/// reply arrived. Its mutable state is touched only on its channel's event loop (the bootstrap's callbacks and the
/// handler's reads all run there), which is what makes the unchecked Sendable sound.
final class Climber: @unchecked Sendable {
    let index: Int
    let campaignId: Int
    let port: Int
    let cookie: String
    let csrf: String
    let keys: [String: ClimbBench.Key]
    let tally: ClimbBench.Tally
    let stopAt: UInt64
    let think: Double
    let finished: @Sendable () -> Void
    var channel: (any Channel)?
    var sentAt: UInt64 = 0
    var pending: ClimbBench.Kind = .start
    var seq = 0
    var random: SplitMix64
    var done = false

    init(
        index: Int, campaignId: Int, port: Int, cookie: String, csrf: String, keys: [String: ClimbBench.Key],
        tally: ClimbBench.Tally,
        stopAt: UInt64, think: Double, finished: @escaping @Sendable () -> Void
    ) {
        self.index = index
        self.campaignId = campaignId
        self.port = port
        self.cookie = cookie
        self.csrf = csrf
        self.keys = keys
        self.tally = tally
        self.stopAt = stopAt
        self.think = think
        self.finished = finished
        random = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    }

    func connect(group: any EventLoopGroup) {
        ClientBootstrap(group: group)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(30))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ClimberHandler(climber: self))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.channel = channel
                    self.send(.start, .POST, "/api/climb/\(self.campaignId)/attempts")
                case .failure:
                    self.tally.fail("connect")
                    self.finish()
                }
            }
    }

    func send(_ kind: ClimbBench.Kind, _ method: HTTPMethod, _ path: String, json: String? = nil) {
        guard let channel else { return finish() }
        if monotonicNanos() >= stopAt { return finish() }
        pending = kind
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1:\(port)")
        headers.add(name: "Cookie", value: cookie)
        headers.add(name: "X-CSRF-Token", value: csrf)
        let body = json.map { ByteBuffer(string: $0) }
        headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        sentAt = monotonicNanos()
        channel.write(
            HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)),
            promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    func received(status: Int, body: ByteBuffer) {
        tally.record(pending, ms: nanosToMs(monotonicNanos() - sentAt))
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        guard status == 200 else {
            let code = object["code"] as? String ?? "HTTP \(status)"
            // Out of attempts or at the top: this member is done climbing; anything else is a failure.
            if code != "no-attempts-left" && code != "summit" { tally.fail("\(pending.name): \(code)") }
            return finish()
        }
        let attempt = pending == .answer ? object["attempt"] as? [String: Any] ?? [:] : object
        if let seq = attempt["seq"] as? Int { self.seq = seq }
        if attempt["status"] as? String != "answering" {
            return send(.start, .POST, "/api/climb/\(campaignId)/attempts")
        }
        guard let question = attempt["question"] as? [String: Any] else {
            return send(.next, .GET, "/api/climb/\(campaignId)/attempts/\(seq)")
        }
        answer(question)
    }

    private func answer(_ question: [String: Any]) {
        guard let index = question["index"] as? Int, let stem = question["stem"] as? String, let key = keys[stem] else {
            tally.fail("unknown question")
            return finish()
        }
        let right = random.next() % 10 != 0
        let payload: String
        if let choices = key.choices, let options = question["options"] as? [String] {
            var picks = choices.compactMap { options.firstIndex(of: $0) }
            if !right { picks = [(picks.first ?? 0) == 0 ? 1 : 0] }
            payload = #"{"index":\#(index),"picks":[\#(picks.map(String.init).joined(separator: ","))]}"#
        } else if let truth = key.truth {
            payload = #"{"index":\#(index),"truth":\#(right ? truth : !truth)}"#
        } else {
            let text = right ? (key.text ?? "") : "不知道"
            payload = #"{"index":\#(index),"text":"\#(text.replacingOccurrences(of: "\"", with: "\\\""))"}"#
        }
        let path = "/api/climb/\(campaignId)/attempts/\(seq)/answers"
        guard think > 0, let channel else { return send(.answer, .POST, path, json: payload) }
        let delay = Int64(Double(random.next() % 1_000_000) / 1e6 * think * 1e9)
        channel.eventLoop.scheduleTask(in: .nanoseconds(delay)) { self.send(.answer, .POST, path, json: payload) }
    }

    func finish() {
        guard !done else { return }
        done = true
        channel?.close(promise: nil)
        finished()
    }
}

/// Collects a whole response and hands it to the climber.
final class ClimberHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    let climber: Climber
    var status = 0
    var body = ByteBuffer()

    init(climber: Climber) { self.climber = climber }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            climber.received(status: status, body: body)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !climber.done {
            climber.tally.fail("connection closed")
            climber.finish()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
