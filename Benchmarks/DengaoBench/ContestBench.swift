import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `dengao-bench contest [options]`: the live-contest load benchmark.
///
/// Starts the release server on a free loopback port with a fresh data directory, signs in, creates a contest
/// (one 必答 round of single-choice questions), connects as host, then has worker processes (children of this
/// one) join N players and play K questions. Prints join, fan-out, answer and memory figures, then compares the
/// journal's group commit with one transaction per entry in-process. Exits 0 only if nothing went wrong.
enum ContestBench {
    struct Options {
        var players = 10_000
        var questions = 3
        var inflight = 500
        var workers = 0
        var threads = 1
        var sources = 0
        var server = ".build/release/dengao"
        var repository = FileManager.default.currentDirectoryPath
        var answerDelay = 1.0
        var answerWindow = 2.0
        var timeLimit = 20
        var gap = 1.5
        /// Seconds from the last acknowledgement to the host's reveal. A question every player has answered closes by
        /// itself, and the product then sends every phone the closed state (the bare server has no such step); a
        /// reveal sent at once raced that fan-out and measured it along with its own.
        var revealAfter = 0.5
        var journal = true
        var journalGroupEntries = 30_000
        var journalNaiveEntries = 1_500
        var journalConcurrency = 1_000
        var maxSeconds = 900
        var keep = false
        var seed: UInt64 = 2026
        var json: String?
        var perf = false
        var serverArguments: [String] = []
        var serverEnvironment: [String: String] = [:]
        /// Players only open their WebSocket (no join): the memory of a bare contest connection.
        var connectOnly = false
        /// Seconds to wait after the joins (server pid printed), e.g. to attach gdb or heaptrack's view of the heap.
        var hold = 0.0
        var holdBeforeJoin = 0.0
        /// Even-numbered questions' answer surges run `dengao backup` back to back from another process; odd ones
        /// do not: the ack p99 with and without a backup, in the same run.
        var backupDuring = false
        /// Generated questions imported before the start (`--backup-ballast N`), so the backups copy a database of
        /// a realistic size rather than the few MiB a fresh contest fills.
        var backupBallast = 0
        /// Where the backups go (default: beside the data directory, on the same disk).
        var backupFile: String?
        /// After the product, the same load against `BareBroadcastServer` in the same run, for the ratios.
        var bare = true
        /// Only the bare server's run (e.g. to profile its heap with `--hold-before-join` and `--hold`).
        var bareOnly = false
        /// A PostgreSQL database for the server (a fresh schema of it, `BenchDatabase`) and the journal comparison.
        var database: String?

        static let usage = """
            usage: dengao-bench contest [--players N=10000] [--questions K=3] [--inflight 500] [--workers auto]
                     [--threads 1 (event loops per worker)] [--sources auto (127.0.0.x source addresses)]
                     [--server .build/release/dengao] [--repository .] [--answer-delay 1.0] [--answer-window 2.0]
                     [--time-limit 20] [--gap 1.5] [--reveal-after 0.5] [--no-journal] [--journal-entries 30000] [--journal-naive-entries 1500]
                     [--journal-concurrency 1000] [--max-seconds 900] [--json FILE] [--perf] [--keep] [--seed N]
                     [--server-arg ARG]… [--server-env KEY=VALUE]… [--connect-only] [--hold SECONDS] [--hold-before-join SECONDS]
                     [--backup-during (even questions' surges under `dengao backup`; needs --questions ≥ 2)] [--backup-ballast N] [--backup-file PATH]
                     [--no-bare (skip the bare Hummingbird broadcast server run after the product's)] [--bare-only]
                     [--database postgresql://USER@HOST:PORT/DB (the server and the journal comparison on PostgreSQL, in a fresh schema)]
            """

        init(_ arguments: [String]) throws {
            var rest = arguments[...]
            func value(_ name: String) throws -> String {
                guard let next = rest.popFirst() else { throw BenchFailure("\(name) needs a value\n\(Self.usage)") }
                return next
            }
            func number<T: LosslessStringConvertible>(_ name: String) throws -> T {
                guard let parsed = T(try value(name)) else {
                    throw BenchFailure("\(name): not a number\n\(Self.usage)")
                }
                return parsed
            }
            while let argument = rest.popFirst() {
                switch argument {
                case "--players": players = try number(argument)
                case "--questions": questions = try number(argument)
                case "--inflight": inflight = try number(argument)
                case "--workers": workers = try number(argument)
                case "--threads": threads = try number(argument)
                case "--sources": sources = try number(argument)
                case "--server": server = try value(argument)
                case "--repository": repository = try value(argument)
                case "--answer-delay": answerDelay = try number(argument)
                case "--answer-window": answerWindow = try number(argument)
                case "--time-limit": timeLimit = try number(argument)
                case "--gap": gap = try number(argument)
                case "--reveal-after": revealAfter = try number(argument)
                case "--no-journal": journal = false
                case "--journal-entries": journalGroupEntries = try number(argument)
                case "--journal-naive-entries": journalNaiveEntries = try number(argument)
                case "--journal-concurrency": journalConcurrency = try number(argument)
                case "--max-seconds": maxSeconds = try number(argument)
                case "--json": json = try value(argument)
                case "--perf": perf = true
                case "--keep": keep = true
                case "--seed": seed = try number(argument)
                case "--server-arg": serverArguments.append(try value(argument))
                case "--server-env":
                    let pair = try value(argument).split(separator: "=", maxSplits: 1).map(String.init)
                    guard pair.count == 2 else { throw BenchFailure("--server-env KEY=VALUE") }
                    serverEnvironment[pair[0]] = pair[1]
                case "--connect-only": connectOnly = true
                case "--hold": hold = try number(argument)
                case "--hold-before-join": holdBeforeJoin = try number(argument)
                case "--backup-during": backupDuring = true
                case "--backup-ballast": backupBallast = try number(argument)
                case "--backup-file": backupFile = try value(argument)
                case "--no-bare": bare = false
                case "--bare-only": bareOnly = true
                case "--database": database = try value(argument)
                case "-h", "--help": throw BenchFailure(Self.usage)
                default: throw BenchFailure("unknown option \(argument)\n\(Self.usage)")
                }
            }
            guard players >= 1, questions >= 1, questions <= 100, inflight >= 1, !backupDuring || questions >= 2,
                !backupDuring || database == nil
            else {
                throw BenchFailure(Self.usage)
            }
            // One process holds at most ~19,900 sockets: ~10,000 players per worker keeps each well inside that.
            if workers <= 0 { workers = max(1, (players + 9_999) / 10_000) }
            // Past ~14,100 connections from one address to one port connect() slows sharply: ≤ 5,000 per address.
            if sources <= 0 { sources = min(200, max(1, (players + 4_999) / 5_000)) }
        }
    }

    // MARK: - Host

    final class Host: WebSocketDelegate {
        struct State {
            var channel: (any Channel)?
            var welcomed = false
            var closed = false
            var errors: [String: Int] = [:]
        }

        let state = Mutex(State())

        func opened(_ channel: any Channel) { state.withLock { $0.channel = channel } }

        func received(_ text: ByteBuffer, at time: UInt64, channel: any Channel) {
            switch MessageScan.kind(text) {
            case .welcome: state.withLock { $0.welcomed = true }
            case .error:
                let code = MessageScan.errorCode(text)
                state.withLock { $0.errors["host error \(code)", default: 0] += 1 }
            default: break
            }
        }

        func closed(error: (any Error)?) { state.withLock { $0.closed = true } }

        /// Sends and returns the time just before the write (CLOCK_MONOTONIC ns).
        func send(_ text: String) -> UInt64 {
            let channel = state.withLock { $0.channel }!
            let time = monotonicNanos()
            WebSocketClient.send(text, on: channel)
            return time
        }
    }

    // MARK: - Worker processes

    final class WorkerProcess {
        let process: Process
        let input: FileHandle
        let output: LineReader
        let players: Int

        init(executable: String, arguments: [String], players: Int) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            try runWithCleanSignalMask(process)
            input = stdin.fileHandleForWriting
            output = LineReader(fileDescriptor: stdout.fileHandleForReading.fileDescriptor)
            self.players = players
        }

        func send(_ line: String) { input.write(Data((line + "\n").utf8)) }

        func report() throws -> ContestWorker.Report {
            guard let line = output.readLine() else {
                throw BenchFailure("a worker exited early (pid \(process.processIdentifier))")
            }
            return try JSONDecoder().decode(ContestWorker.Report.self, from: Data(line.utf8))
        }
    }

    // MARK: - Results

    struct QuestionResult: Codable {
        var number: Int
        var fromSend: Distribution
        var firstToLast: Distribution
        var missing: Int
        var ack: Distribution
        var accepted: Int
        var refused: Int
        var unanswered: Int
        var answeredOnReceipt: Int
        var answerSpanMs: Double
        var answersPerSecond: Double
        var lastAckAfterFirstAnswerMs: Double
        var reveal: Distribution
        /// The reveal from the first client to see it to each: its spread alone, comparable with `firstToLast`.
        var revealSpread: Distribution
        var revealMissing: Int
        var serverCPUSeconds: Double
        var generatorCPUSeconds: Double
        var wallSeconds: Double
        /// The slowest acks: answer sent (ms after `next`) and ack latency (ms).
        var slowestAcks: [[Double]]
        /// With `--backup-during`, on even questions: backups taken back to back over the answer window, and their
        /// seconds each.
        var backups: [Double]?
    }

    struct RunResult: Codable {
        var players: Int
        var questions: Int
        var workers: Int
        var threads: Int
        var sources: Int
        var inflight: Int
        var joined: Int
        var joinFailed: Int
        var joinErrors: [String: Int]
        var joinSeconds: Double
        var joinsPerSecond: Double
        var handshake: Distribution
        var rssBeforeKiB: Int
        var rssAfterJoinKiB: Int
        var rssSettledKiB: Int
        var rssPerConnectionKiB: Double
        var rssPeakKiB: Int
        var serverCPUJoinSeconds: Double
        var perQuestion: [QuestionResult]
        var errors: [String: Int]
        var unexpectedCloses: Int
        var totalErrors: Int
        var journal: [JournalBench.Result]?
        /// The database file's size at the end (with `--backup-during`).
        var databaseBytes: Int64?
        /// The bare Hummingbird server's figures under the same load, in the same run.
        var bare: Figures?
    }

    /// The figures compared with the bare server (each the worst question's, as the goals are).
    struct Figures: Codable {
        var questionFanOutP99: Double
        var revealFanOutP99: Double
        /// Host → the first client to see the reveal: what the room does before any frame may leave (deciding,
        /// composing, the reveal's commit), apart from the fan-out's spread.
        var revealFirst: Double
        var revealSpreadP99: Double
        var ackP99: Double
        var joinSeconds: Double
        var handshakeP99: Double
        var rssPerConnectionKiB: Double
        var errors: Int

        init(_ r: RunResult) {
            questionFanOutP99 = r.perQuestion.map(\.firstToLast.p99).max() ?? .nan
            revealFanOutP99 = r.perQuestion.map(\.reveal.p99).max() ?? .nan
            revealFirst = r.perQuestion.map(\.reveal.min).max() ?? .nan
            revealSpreadP99 = r.perQuestion.map(\.revealSpread.p99).max() ?? .nan
            ackP99 = r.perQuestion.map(\.ack.p99).max() ?? .nan
            joinSeconds = r.joinSeconds
            handshakeP99 = r.handshake.p99
            rssPerConnectionKiB = r.rssPerConnectionKiB
            errors = r.totalErrors
        }
    }

    // MARK: - Run

    static func run(_ arguments: [String]) async -> Int32 {
        let options: Options
        do {
            options = try Options(arguments)
        } catch {
            say("\(error)")
            return 64
        }
        signal(SIGPIPE, SIG_IGN)
        var result: RunResult
        do {
            result = try runLoad(options, bare: options.bareOnly)
        } catch {
            say("contest benchmark failed: \(error)")
            return 1
        }
        if options.bare, !options.bareOnly, !options.connectOnly {
            say("")
            say("the same load against the bare Hummingbird broadcast server…")
            do {
                result.bare = Figures(try runLoad(options, bare: true))
            } catch {
                say("bare server run failed: \(error)")
                return 1
            }
        }
        if options.journal {
            say(
                "journal comparison (in-process, fresh \(options.database == nil ? "SQLite" : "PostgreSQL schema"), "
                    + "\(options.journalConcurrency) concurrent writers)…")
            result.journal = await JournalBench.compare(
                groupEntries: options.journalGroupEntries, naiveEntries: options.journalNaiveEntries,
                concurrency: options.journalConcurrency, database: options.database)
        }
        printReport(result, options: options)
        if let path = options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try? encoder.encode(result).write(to: URL(fileURLWithPath: path))
        }
        return result.totalErrors == 0 ? 0 : 1
    }

    /// The server as a child of `timeout`, so it stops by itself even if this process is killed.
    final class Server {
        let wrapper: Process
        let pid: Int32
        let log: String

        init(binary: String, arguments: [String], environment: [String: String], log: String, maxSeconds: Int) throws {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            wrapper = Process()
            wrapper.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            wrapper.arguments = ["-s", "KILL", String(maxSeconds), binary] + arguments
            wrapper.standardOutput = handle
            wrapper.standardError = handle
            if !environment.isEmpty {
                wrapper.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            try runWithCleanSignalMask(wrapper)
            self.log = log
            let parent = wrapper.processIdentifier
            var child: Int32?
            for _ in 0..<200 where child == nil {
                if let children = try? String(
                    contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8),
                    let first = children.split(separator: " ").first.flatMap({ Int32($0) })
                {
                    child = first
                } else {
                    usleep(10_000)
                }
            }
            guard let child else {
                throw BenchFailure("could not find the server process under timeout (pid \(parent))")
            }
            pid = child
        }

        func stop() {
            kill(pid, SIGTERM)
            let deadline = monotonicNanos() + 15_000_000_000
            while wrapper.isRunning, monotonicNanos() < deadline { usleep(20_000) }
            if wrapper.isRunning {
                kill(pid, SIGKILL)
                wrapper.terminate()
            }
        }
    }

    /// One load run against the product (`bare` false) or against `BareBroadcastServer` (true): the same
    /// generator, host and measurements; only the server and its setup differ.
    static func runLoad(_ options: Options, bare: Bool = false) throws -> RunResult {
        let started = monotonicNanos()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-contest-bench-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        let repository = URL(fileURLWithPath: options.repository).standardizedFileURL.path
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let binary =
            bare ? executable : options.server.hasPrefix("/") ? options.server : repository + "/" + options.server
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure("no server binary at \(binary): build it with `swift build -c release --product dengao`")
        }
        say(
            (bare ? "bare Hummingbird broadcast server: " : "contest benchmark: ")
                + "\(options.players) players, \(options.questions) questions, \(options.workers) worker process(es) × "
                + "\(options.threads) event loop(s), \(options.sources) source address(es), \(options.inflight) handshakes in flight, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        if let built = (try? FileManager.default.attributesOfItem(atPath: binary))?[.modificationDate] as? Date {
            say("server binary \(binary), built \(built)")
        }

        // An administrator made directly in the store (a cheap bcrypt cost: sign-in is not what is measured).
        let password = "bench-\(UUID().uuidString.prefix(8))"
        let (data, postgres, ballast) = (directory + "/data", options.database, options.backupBallast)
        // The bare server keeps nothing: there is no database to prepare for it.
        let database = bare ? nil : try waitFor { try await BenchDatabase.open(directory: data, postgresURL: postgres) }
        defer { if let database { try? waitFor { await database.close() } } }
        if let database {
            say("database: \(database.backend)")
            try waitFor {
                _ = try await database.storage.createAccount(
                    username: "bench", displayName: "Bench", passwordHash: AccessTools.hashPassword(password, cost: 4),
                    role: .admin, unitId: nil)
                if ballast > 0 {
                    _ = try await database.storage.importBank(
                        named: "ballast", questions: GeneratedBank.questions(count: ballast), format: .json,
                        sourceName: nil)
                }
            }
        }

        let port = try freeLoopbackPort()
        let serverArguments =
            bare
            ? ["bare-contest-server", "port=\(port)", "seconds=\(options.maxSeconds + 60)"]
            : [
                "serve", "--data", directory + "/data", "--port", String(port), "--demo",
                "--max-connections-per-address", "1000000", "--backlog", "4096",
                "--public-directory", repository + "/Public", "--samples", repository + "/QuestionBanks",
            ] + (database?.serverArguments ?? []) + options.serverArguments
        let server = try Server(
            binary: binary, arguments: serverArguments, environment: bare ? [:] : options.serverEnvironment,
            log: directory + "/server.log",
            maxSeconds: options.maxSeconds + 60)
        var workers: [WorkerProcess] = []
        var perfProcess: Process?
        defer {
            for worker in workers where worker.process.isRunning { worker.process.terminate() }
            if let perfProcess, perfProcess.isRunning { kill(perfProcess.processIdentifier, SIGINT) }
            server.stop()
            if options.keep { say("kept \(directory) (server log: \(server.log))") }
        }
        // Everything stops by itself: a run that hangs ends here.
        let limit = options.maxSeconds
        let serverPid = server.pid
        Thread.detachNewThread {
            sleep(UInt32(limit))
            say("contest benchmark: --max-seconds \(limit) reached, stopping")
            kill(serverPid, SIGKILL)
            exit(2)
        }

        // Wait for the server.
        var healthy = false
        for _ in 0..<2_400 {
            if let reply = try? httpRequest("GET", port: port, path: "/healthz"), reply.status == 200 {
                healthy = true
                break
            }
            guard server.wrapper.isRunning else { break }
            usleep(50_000)
        }
        guard healthy else {
            let log = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
            throw BenchFailure("the server did not come up on port \(port):\n\(log.suffix(3000))")
        }

        // Sign in, create the contest, look up its branches (the bare server has no contest: any PIN, one branch).
        let (contestId, pin, branches, session) =
            bare ? (0, "000000", [1], nil) : try createContest(port: port, password: password, options: options)
        say("contest \(contestId), PIN \(pin), \(branches.count) branches, server pid \(server.pid) on port \(port)")

        // The host.
        let hostGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? hostGroup.syncShutdownGracefully() }
        let host = Host()
        WebSocketClient.connect(group: hostGroup, port: port, source: nil, cookie: session, delegate: host)
        let hostDeadline = monotonicNanos() + 10_000_000_000
        while host.state.withLock({ $0.channel == nil && !$0.closed }), monotonicNanos() < hostDeadline {
            usleep(5_000)
        }
        guard host.state.withLock({ $0.channel != nil }) else { throw BenchFailure("the host connection did not open") }
        _ = host.send(#"{"type":"host","contestId":\#(contestId)}"#)
        while !host.state.withLock({ $0.welcomed }), monotonicNanos() < hostDeadline { usleep(5_000) }
        guard host.state.withLock({ $0.welcomed }) else {
            throw BenchFailure("the host was not welcomed: \(host.state.withLock { $0.errors })")
        }
        // The first welcome is the host's; give the room a moment to settle before measuring memory.
        usleep(500_000)

        // Workers.
        let sources = (0..<options.sources).map { "127.0.0.\(1 + $0 % 254)" }
        var first = 0
        for index in 0..<options.workers {
            let count = options.players / options.workers + (index < options.players % options.workers ? 1 : 0)
            let inflight = max(
                1, options.inflight / options.workers + (index < options.inflight % options.workers ? 1 : 0))
            workers.append(
                try WorkerProcess(
                    executable: executable,
                    arguments: [
                        "contest-worker", "port=\(port)", "pin=\(pin)",
                        "branches=\(branches.map(String.init).joined(separator: ","))",
                        "players=\(count)", "first=\(first)", "questions=\(options.questions)", "inflight=\(inflight)",
                        "sources=\(sources.joined(separator: ","))", "threads=\(options.threads)",
                        "seed=\(options.seed)",
                        "deadline=\(options.maxSeconds + 30)", "join=\(options.connectOnly ? 0 : 1)",
                    ], players: count))
            first += count
        }
        usleep(300_000)

        // Join.
        if options.holdBeforeJoin > 0 {
            say("holding \(options.holdBeforeJoin) s before the joins; server pid \(server.pid)")
            usleep(useconds_t(options.holdBeforeJoin * 1e6))
        }
        let rssBefore = procStatusKiB(pid: server.pid, field: "VmRSS") ?? 0
        let cpuBeforeJoin = procCPUSeconds(pid: server.pid) ?? 0
        say("joining \(options.players) players (server RSS before: \(rssBefore / 1024) MiB)…")
        let joinStart = monotonicNanos()
        for worker in workers { worker.send("join") }
        var joinReports: [ContestWorker.Report] = []
        for worker in workers { joinReports.append(try worker.report()) }
        let joinEnd = monotonicNanos()
        let rssAfterJoin = procStatusKiB(pid: server.pid, field: "VmRSS") ?? 0
        let cpuAfterJoin = procCPUSeconds(pid: server.pid) ?? 0
        usleep(2_000_000)
        let rssSettled = procStatusKiB(pid: server.pid, field: "VmRSS") ?? 0
        let joined = joinReports.reduce(0) { $0 + ($1.joined ?? 0) }
        let joinFailed = joinReports.reduce(0) { $0 + ($1.failed ?? 0) }
        var joinErrors: [String: Int] = [:]
        for report in joinReports { joinErrors.merge(report.joinErrors ?? [:], uniquingKeysWith: +) }
        let handshake = Distribution(joinReports.flatMap { $0.handshakeMs ?? [] })
        let joinSeconds = Double(joinEnd - joinStart) / 1e9
        say(
            String(format: "joined %d (failed %d) in %.2f s; handshake ", joined, joinFailed, joinSeconds)
                + handshake.line)

        if options.hold > 0 {
            say("holding \(options.hold) s after the joins; server pid \(server.pid)")
            usleep(useconds_t(options.hold * 1e6))
            say(
                String(
                    format: "server RSS after holding: %.1f MiB",
                    Double(procStatusKiB(pid: server.pid, field: "VmRSS") ?? 0) / 1024))
        }
        if options.connectOnly {
            say(
                String(
                    format:
                        "connect-only: %d WebSocket connections, not joined: server RSS %.1f → %.1f MiB = %.1f KiB per connection",
                    joined, Double(rssBefore) / 1024, Double(rssSettled) / 1024,
                    Double(rssSettled - rssBefore) / Double(max(joined, 1))))
        }
        // Questions. With --perf, the whole machine is sampled for a fixed time covering them (`perf record -p`
        // on the server misbehaved here); `perf report -i DIR/perf.data --pid SERVER_PID` shows the server alone.
        if options.perf, !bare {
            let seconds = Int(
                Double(options.questions)
                    * (0.3 + options.answerDelay + options.answerWindow + 1.0 + options.revealAfter + options.gap) + 2)
            let perf = Process()
            perf.executableURL = URL(fileURLWithPath: "/usr/bin/perf")
            perf.arguments = [
                "record", "-a", "-g", "-F", "299", "-o", directory + "/perf.data", "--", "sleep", String(seconds),
            ]
            perf.standardOutput = FileHandle.nullDevice
            perf.standardError = FileHandle.nullDevice
            try runWithCleanSignalMask(perf)
            perfProcess = perf
            say("perf: sampling every CPU for \(seconds) s into \(directory)/perf.data")
            usleep(500_000)
        }
        var perQuestion: [QuestionResult] = []
        for number in 1...options.questions where !options.connectOnly {
            let planned = monotonicNanos() + 300_000_000
            let base = planned + UInt64(options.answerDelay * 1e9)
            let window = UInt64(options.answerWindow * 1e9)
            for worker in workers { worker.send("arm \(number) \(base) \(window)") }
            for worker in workers { _ = try worker.report() }
            let workerCPUBefore = workers.compactMap { procCPUSeconds(pid: $0.process.processIdentifier) }.reduce(0, +)
            let serverCPUBefore = procCPUSeconds(pid: server.pid) ?? 0
            let backups =
                !bare && options.backupDuring && number % 2 == 0
                ? BackupLoad(
                    binary: binary, data: directory + "/data", file: options.backupFile ?? directory + "/backup.sqlite",
                    from: base,
                    until: base + window) : nil
            sleepUntil(planned)
            let sentAt = host.send(#"{"type":"command","command":"next"}"#)
            let timeout = Int((options.answerDelay + options.answerWindow) * 1000) + 20_000
            for worker in workers { worker.send("collect \(number) \(timeout)") }
            var reports: [ContestWorker.Report] = []
            for worker in workers { reports.append(try worker.report()) }
            let collectedAt = monotonicNanos()
            let backupSeconds = try backups?.finish()
            let serverCPU = (procCPUSeconds(pid: server.pid) ?? 0) - serverCPUBefore
            let workerCPU =
                workers.compactMap { procCPUSeconds(pid: $0.process.processIdentifier) }.reduce(0, +) - workerCPUBefore

            let received = reports.flatMap { $0.receivedNs ?? [] }
            let earliest = received.min() ?? sentAt
            let firstAnswer = reports.compactMap(\.firstAnswerNs).min() ?? sentAt
            let lastAnswer = reports.compactMap(\.lastAnswerNs).max() ?? sentAt
            let lastAck = reports.compactMap(\.lastAckNs).max() ?? sentAt
            let accepted = reports.reduce(0) { $0 + ($1.accepted ?? 0) }
            let ackSpan = Double(lastAck > firstAnswer ? lastAck - firstAnswer : 0) / 1e9

            // Reveal (tells everyone the key), then a pause: the leaderboard push follows it.
            usleep(useconds_t(options.revealAfter * 1e6))
            let revealSentAt = host.send(#"{"type":"command","command":"reveal"}"#)
            for worker in workers { worker.send("reveal \(number) 20000") }
            var revealReports: [ContestWorker.Report] = []
            for worker in workers { revealReports.append(try worker.report()) }
            let revealed = revealReports.flatMap { $0.receivedNs ?? [] }
            let firstRevealed = revealed.min() ?? revealSentAt

            let result = QuestionResult(
                number: number,
                fromSend: Distribution(received.map { nanosToMs($0 - min($0, sentAt)) }),
                firstToLast: Distribution(received.map { nanosToMs($0 - earliest) }),
                missing: reports.reduce(0) { $0 + ($1.missing ?? 0) },
                ack: Distribution(reports.flatMap { $0.ackMs ?? [] }),
                accepted: accepted, refused: reports.reduce(0) { $0 + ($1.refused ?? 0) },
                unanswered: reports.reduce(0) { $0 + ($1.unanswered ?? 0) },
                answeredOnReceipt: reports.reduce(0) { $0 + ($1.answeredOnReceipt ?? 0) },
                answerSpanMs: nanosToMs(lastAnswer - min(lastAnswer, firstAnswer)),
                answersPerSecond: ackSpan > 0 ? Double(accepted) / ackSpan : 0,
                lastAckAfterFirstAnswerMs: ackSpan * 1000,
                reveal: Distribution(revealed.map { nanosToMs($0 - min($0, revealSentAt)) }),
                revealSpread: Distribution(revealed.map { nanosToMs($0 - firstRevealed) }),
                revealMissing: revealReports.reduce(0) { $0 + ($1.missing ?? 0) },
                serverCPUSeconds: serverCPU, generatorCPUSeconds: workerCPU,
                wallSeconds: Double(collectedAt - sentAt) / 1e9,
                slowestAcks: reports.flatMap { $0.slowest ?? [] }.sorted { $0[1] > $1[1] }.prefix(5)
                    .map { [($0[0] - Double(sentAt)) / 1e6, $0[1]] }, backups: backupSeconds)
            perQuestion.append(result)
            say(
                "question \(number): fan-out first→last \(result.firstToLast.line); ack \(result.ack.line); \(accepted) accepted"
                    + (backupSeconds.map { " · \($0.count) backup(s) during the surge" } ?? "")
            )
            usleep(useconds_t(options.gap * 1e6))
        }
        _ = host.send(#"{"type":"command","command":"finish"}"#)
        usleep(1_000_000)
        if let perfProcess {
            let deadline = monotonicNanos() + 60_000_000_000
            while perfProcess.isRunning, monotonicNanos() < deadline { usleep(50_000) }
            if perfProcess.isRunning { kill(perfProcess.processIdentifier, SIGKILL) }
            say("perf data: \(directory)/perf.data (kept only with --keep)")
        }
        let rssPeak = procStatusKiB(pid: server.pid, field: "VmHWM") ?? 0

        // Done: workers close their connections and report their totals.
        for worker in workers { worker.send("quit") }
        var errors: [String: Int] = [:]
        var unexpectedCloses = 0
        for worker in workers {
            let report = try worker.report()
            errors.merge(report.errors ?? [:], uniquingKeysWith: +)
            unexpectedCloses += report.unexpectedCloses ?? 0
            worker.process.waitUntilExit()
        }
        errors.merge(host.state.withLock { $0.errors }, uniquingKeysWith: +)
        if host.state.withLock({ $0.closed }) { errors["host disconnected", default: 0] += 1 }
        var total = errors.values.reduce(0, +) + joinFailed
        for question in perQuestion { total += question.missing + question.unanswered + question.revealMissing }
        say(String(format: "load phase done in %.1f s", Double(monotonicNanos() - started) / 1e9))

        return RunResult(
            players: options.players, questions: options.questions, workers: options.workers, threads: options.threads,
            sources: options.sources, inflight: options.inflight, joined: joined, joinFailed: joinFailed,
            joinErrors: joinErrors,
            joinSeconds: joinSeconds, joinsPerSecond: Double(joined) / joinSeconds, handshake: handshake,
            rssBeforeKiB: rssBefore, rssAfterJoinKiB: rssAfterJoin, rssSettledKiB: rssSettled,
            rssPerConnectionKiB: joined > 0 ? Double(rssSettled - rssBefore) / Double(joined) : 0, rssPeakKiB: rssPeak,
            serverCPUJoinSeconds: cpuAfterJoin - cpuBeforeJoin, perQuestion: perQuestion, errors: errors,
            unexpectedCloses: unexpectedCloses, totalErrors: total, journal: nil,
            databaseBytes: options.backupDuring
                ? (try? FileManager.default.attributesOfItem(atPath: directory + "/data/dengao.sqlite")[.size]
                    as? NSNumber)?.int64Value : nil)
    }

    /// Signs in as the benchmark's administrator, creates the contest and looks up its branches.
    static func createContest(port: Int, password: String, options: Options) throws -> (
        contestId: Int, pin: String, branches: [Int64], session: String?
    ) {
        let signIn = try httpRequest(
            "POST", port: port, path: "/api/session", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: ["username": "bench", "password": password]))
        guard signIn.status == 200, let csrf = signIn.json?["csrfToken"] as? String,
            let cookie = signIn.header("Set-Cookie").first(where: { $0.hasPrefix("dengao_session=") })?.split(
                separator: ";"
            ).first
        else { throw BenchFailure("sign-in failed: \(signIn.status) \(String(decoding: signIn.body, as: UTF8.self))") }
        let session = String(cookie)
        let settings: [String: Any] = [
            "title": "负载测试 \(options.players)",
            "rounds": [
                [
                    "title": "必答", "kind": "everyone", "banks": ["党章党规党纪", "政治理论与常识", "党史与革命传统"],
                    "draw": ["count": options.questions, "types": ["single"]], "timeLimitSeconds": options.timeLimit,
                ]
            ],
        ]
        let created = try httpRequest(
            "POST", port: port, path: "/api/contests",
            headers: [("Content-Type", "application/json"), ("Cookie", session), ("X-CSRF-Token", csrf)],
            body: try JSONSerialization.data(withJSONObject: ["ownerUnitId": NSNull(), "settings": settings]))
        guard created.status == 201, let contest = created.json?["contest"] as? [String: Any],
            let contestId = contest["id"] as? Int,
            let pin = contest["pin"] as? String
        else {
            throw BenchFailure(
                "creating the contest failed: \(created.status) \(String(decoding: created.body, as: UTF8.self))")
        }
        let lookup = try httpRequest("GET", port: port, path: "/api/join/\(pin)")
        guard lookup.status == 200, let branchList = lookup.json?["branches"] as? [[String: Any]], !branchList.isEmpty
        else {
            throw BenchFailure("join lookup failed: \(lookup.status) \(String(decoding: lookup.body, as: UTF8.self))")
        }
        let branches = branchList.compactMap { ($0["id"] as? Int).map(Int64.init) }
        return (contestId, pin, branches, session)
    }

    /// `dengao backup` run back to back, as an operator's command would, from `from` until `until` (monotonic
    /// nanoseconds) on a thread of its own; `finish` waits for the last one and returns each one's seconds.
    final class BackupLoad: Sendable {
        private let result = Mutex<(done: Bool, seconds: [Double], failure: String?)>((false, [], nil))

        init(binary: String, data: String, file: String, from: UInt64, until: UInt64) {
            let thread = Thread { [self] in
                sleepUntil(from)
                repeat {
                    let started = monotonicNanos()
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: binary)
                    process.arguments = ["backup", file, "--data", data]
                    process.standardOutput = FileHandle.nullDevice
                    let failure: String?
                    do {
                        try runWithCleanSignalMask(process)
                        process.waitUntilExit()
                        failure =
                            process.terminationStatus == 0 ? nil : "dengao backup exited \(process.terminationStatus)"
                    } catch {
                        failure = "dengao backup: \(error)"
                    }
                    let seconds = Double(monotonicNanos() - started) / 1e9
                    self.result.withLock {
                        $0.seconds.append(seconds); $0.failure = $0.failure ?? failure
                    }
                    if failure != nil { break }
                } while monotonicNanos() < until
                self.result.withLock { $0.done = true }
            }
            thread.start()
        }

        func finish() throws -> [Double] {
            while !result.withLock({ $0.done }) { usleep(10_000) }
            let (_, seconds, failure) = result.withLock { $0 }
            if let failure { throw BenchFailure(failure) }
            return seconds
        }
    }

    // MARK: - Report

    static func printReport(_ r: RunResult, options: Options) {
        func verdict(_ ok: Bool) -> String { ok ? "PASS" : "FAIL" }
        say("")
        say("══ Dengao live-contest load benchmark ══")
        say(
            "setup: \(r.players) players · \(r.questions) questions (必答, single choice) · \(r.workers) generator process(es) × \(r.threads) "
                + "event loop(s) · \(r.sources) source address(es) · \(r.inflight) handshakes in flight · "
                + "answers \(options.answerDelay) s after `next`, spread over \(options.answerWindow) s · "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by server and generator")
        say("")
        say("JOIN")
        say(
            String(
                format: "  %d joined, %d failed, in %.2f s → %.0f joins/s; server CPU %.1f s", r.joined, r.joinFailed,
                r.joinSeconds,
                r.joinsPerSecond, r.serverCPUJoinSeconds))
        say("  handshake (TCP connect → welcome): \(r.handshake.line)")
        if !r.joinErrors.isEmpty { say("  join errors: \(r.joinErrors)") }
        say("")
        say("MEMORY (server VmRSS)")
        say(
            String(
                format: "  before %.1f MiB · right after joins %.1f MiB · 2 s later %.1f MiB · peak (VmHWM) %.1f MiB",
                Double(r.rssBeforeKiB) / 1024, Double(r.rssAfterJoinKiB) / 1024, Double(r.rssSettledKiB) / 1024,
                Double(r.rssPeakKiB) / 1024))
        say(String(format: "  per connection: %.1f KiB (settled − before) / joined", r.rssPerConnectionKiB))
        say("")
        for q in r.perQuestion {
            say("QUESTION \(q.number)")
            say("  fan-out, host send → client:   \(q.fromSend.line)")
            say(
                "  fan-out, first → each client:  \(q.firstToLast.line); spread \(ms(q.firstToLast.max)) ms; missing \(q.missing)"
            )
            say("  answer → durable ack:          \(q.ack.line)")
            say(
                String(
                    format:
                        "  answers: %d accepted, %d refused, %d without ack; sent over %.0f ms (%d on receipt: question came after its think time); "
                        + "first answer → last ack %.0f ms → %.0f answers/s",
                    q.accepted, q.refused, q.unanswered, q.answerSpanMs, q.answeredOnReceipt,
                    q.lastAckAfterFirstAnswerMs, q.answersPerSecond))
            say(
                "  slowest acks (answer sent at ms after `next` → ack ms): "
                    + q.slowestAcks.map { "\(ms($0[0])) → \(ms($0[1]))" }.joined(separator: ", "))
            say(
                "  reveal fan-out, host send → client: first \(ms(q.reveal.min)) · \(q.reveal.line); missing \(q.revealMissing)"
            )
            say("  reveal fan-out, first → each client: \(q.revealSpread.line)")
            say(
                String(
                    format: "  CPU during next→last ack (%.1f s): server %.2f s, generator %.2f s", q.wallSeconds,
                    q.serverCPUSeconds,
                    q.generatorCPUSeconds))
        }
        say("")
        if let journal = r.journal {
            say(
                "JOURNAL (in-process, \(options.journalConcurrency) concurrent writers each awaiting durable(ticket), synchronous=FULL)"
            )
            for entry in journal {
                let label = entry.mode.padding(toLength: 26, withPad: " ", startingAt: 0)
                say(
                    "  " + label
                        + String(
                            format: " %6d entries in %6.2f s → %8.0f entries/s; ack ", entry.entries, entry.seconds,
                            entry.entriesPerSecond) + entry.latency.line)
            }
            if let group = journal.first(where: { $0.mode == "group commit" }),
                let naive = journal.first(where: { $0.mode == "one transaction per entry" }), naive.entriesPerSecond > 0
            {
                say(
                    String(
                        format: "  group commit / one transaction per entry: %.0f× the throughput, ack p99 %.1f× lower",
                        group.entriesPerSecond / naive.entriesPerSecond,
                        naive.latency.p99 / max(group.latency.p99, 0.001)))
            }
            say("")
        }
        say(
            "ERRORS: \(r.totalErrors)" + (r.errors.isEmpty ? "" : " \(r.errors)")
                + (r.unexpectedCloses > 0 ? ", \(r.unexpectedCloses) disconnects" : ""))
        say("")
        if options.backupDuring {
            // Question 1 warms the server up (its first surge is the slowest with or without a backup): with three
            // or more questions it counts for neither side.
            let measured = r.perQuestion.filter { $0.number > 1 || r.perQuestion.count < 3 }
            let with = measured.filter { $0.backups != nil }
            let without = measured.filter { $0.backups == nil }
            let withP99 = with.map(\.ack.p99).max() ?? .nan
            let withoutP99 = without.map(\.ack.p99).max() ?? .nan
            let taken = with.flatMap { $0.backups ?? [] }
            say(
                "BACKUP DURING THE SURGE (`dengao backup` from another process, back to back over the answer window)")
            say(
                String(
                    format: "  %d backups, %.2f s each on average; database %.1f MiB", taken.count,
                    taken.reduce(0, +) / Double(max(1, taken.count)), Double(r.databaseBytes ?? 0) / 1_048_576))
            say(
                "  answer → durable ack p99 without a backup:  \(ms(withoutP99)) ms (questions \(without.map(\.number)))"
            )
            say("  answer → durable ack p99 during backups:    \(ms(withP99)) ms (questions \(with.map(\.number)))")
            say(
                String(format: "  ratio %.2f (goal ≤ 1.10)  ", withP99 / max(withoutP99, 0.001))
                    + verdict(withP99 <= withoutP99 * 1.10))
            say("")
        }
        let fanOut = r.perQuestion.map(\.firstToLast.p99).max() ?? .nan
        let ack = r.perQuestion.map(\.ack.p99).max() ?? .nan
        let rate = r.perQuestion.map(\.answersPerSecond).min() ?? 0
        if let bare = r.bare {
            let product = Figures(r)
            say("SIDE BY SIDE (same run, same generator; worst question; load average \(loadAverage()))")
            say("                                         product      bare    ratio")
            func row(_ label: String, _ mine: Double, _ reference: Double, _ unit: String) {
                say(
                    "  " + label.padding(toLength: 36, withPad: " ", startingAt: 0)
                        + String(format: " %8.1f  %8.1f  %6.2f× ", mine, reference, mine / reference) + unit)
            }
            row("question fan-out p99 (first→each)", product.questionFanOutP99, bare.questionFanOutP99, "ms")
            row("reveal fan-out p99 (host→client)", product.revealFanOutP99, bare.revealFanOutP99, "ms")
            row("reveal, host → first client", product.revealFirst, bare.revealFirst, "ms")
            row("reveal fan-out p99 (first→each)", product.revealSpreadP99, bare.revealSpreadP99, "ms")
            row("answer → ack p99", product.ackP99, bare.ackP99, "ms (product: durable)")
            row("joins", product.joinSeconds, bare.joinSeconds, "s")
            row("handshake p99", product.handshakeP99, bare.handshakeP99, "ms")
            row("RSS per connection", product.rssPerConnectionKiB, bare.rssPerConnectionKiB, "KiB")
            if bare.errors > 0 { say("  bare server errors: \(bare.errors)") }
            say("")
        }
        say("GOALS (issue; worst question)")
        say("  fan-out p99 ≤ 250 ms (first → each client):    \(ms(fanOut)) ms  \(verdict(fanOut <= 250))")
        say("  answer → durable ack p99 ≤ 50 ms:             \(ms(ack)) ms  \(verdict(ack <= 50))")
        let lastAck = r.perQuestion.map(\.lastAckAfterFirstAnswerMs).max() ?? .infinity
        say(
            String(
                format:
                    "  all %d answers acknowledged within ~%.0f s:      slowest %.0f answers/s, last ack %.0f ms after first answer  ",
                r.joined, options.answerWindow, rate, lastAck) + verdict(lastAck <= options.answerWindow * 1000 + 250))
        say(
            String(format: "  ≤ 32 KiB RSS per connection:                   %.1f KiB  ", r.rssPerConnectionKiB)
                + verdict(r.rssPerConnectionKiB <= 32))
        say("  zero errors:                                   \(r.totalErrors)  \(verdict(r.totalErrors == 0))")
    }
}

/// The 1, 5 and 15 minute load averages, to record with the figures on a shared machine.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
