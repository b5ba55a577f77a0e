import DengaoCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `dengao-bench leaderboard [options]`: the campaign leaderboard at a million members, against Redis.
///
/// Builds a `CampaignLeaderboard` of N members (random heights 0–10, 0–60 answers, ~200 units), then times M
/// climbs: a random member's standing moves (an attempt: more answers, half the time one step higher) and is put
/// in with `update(_:unit:)`, followed by the member's own rank overall and in their unit. Then `top(100)` alone,
/// and the three together (update + own ranks + top 100). Means come from batches of 1,000 operations, percentiles
/// from one operation in every 100 timed on its own (CLOCK_MONOTONIC). Everything is one thread, in-process.
///
/// Then, in the same run, Redis on the same machine: `redis-server` on a free 127.0.0.1 port (no persistence,
/// under `timeout`), sorted sets of 1,000,000 members loaded first, and `redis-benchmark` ZADD (the issue's
/// command), ZADD + ZREVRANK on one set and ZREVRANGE 0 99. Redis's figures include a loopback round trip per
/// request (or per pipeline of 16): that is the comparison the issue asks for.
enum LeaderboardBench {
    struct Options {
        var members = 1_000_000
        var operations = 1_000_000
        var combinedOperations = 100_000
        var topCalls = 10_000
        var units = 200
        var seed: UInt64 = 2026
        var redis = true
        var installRedis = false
        var redisRequests = 1_000_000
        var redisClients = 50
        var maxSeconds = 900

        static let usage = """
            usage: dengao-bench leaderboard [--members N=1000000] [--operations M=1000000] [--combined-operations 100000]
                     [--top-calls 10000] [--units 200] [--seed 2026] [--no-redis] [--install-redis]
                     [--redis-requests 1000000] [--redis-clients 50] [--max-seconds 900]
            Redis comes from Debian: apt-get install -y redis-server redis-tools (or --install-redis, which runs apt-get).
            """

        init(_ arguments: [String]) throws {
            var rest = arguments[...]
            func number<T: LosslessStringConvertible>(_ name: String) throws -> T {
                guard let next = rest.popFirst(), let parsed = T(next) else {
                    throw BenchFailure("\(name) needs a number\n\(Self.usage)")
                }
                return parsed
            }
            while let argument = rest.popFirst() {
                switch argument {
                case "--members": members = try number(argument)
                case "--operations": operations = try number(argument)
                case "--combined-operations": combinedOperations = try number(argument)
                case "--top-calls": topCalls = try number(argument)
                case "--units": units = try number(argument)
                case "--seed": seed = try number(argument)
                case "--no-redis": redis = false
                case "--install-redis": installRedis = true
                case "--redis-requests": redisRequests = try number(argument)
                case "--redis-clients": redisClients = try number(argument)
                case "--max-seconds": maxSeconds = try number(argument)
                case "-h", "--help": throw BenchFailure(Self.usage)
                default: throw BenchFailure("unknown option \(argument)\n\(Self.usage)")
                }
            }
            guard members >= 100, operations >= 1, combinedOperations >= 1, topCalls >= 1, units >= 1,
                redisRequests >= 1,
                redisClients >= 1, maxSeconds >= 30
            else { throw BenchFailure(Self.usage) }
        }
    }

    /// A timed operation: the mean over all of them, and the distribution of those timed one by one.
    struct Timing {
        var operations: Int
        var meanNanos: Double
        /// This process's CPU time (user + system) over the same operations: below the wall-clock mean when other
        /// processes took the CPU away mid-run.
        var cpuMeanNanos: Double
        var sampled: Distribution
        var perSecond: Double { 1e9 / meanNanos }

        /// "mean 1.23 µs (812,000/s; CPU 1.20 µs) · p50 1.10 · p90 … · p99 3.40 · max 25.0 µs (n=10000 timed alone)"
        var line: String {
            "mean \(micros(meanNanos)) µs (\(grouped(perSecond))/s; CPU \(micros(cpuMeanNanos)) µs) · p50 \(micros(sampled.p50)) · "
                + "p90 \(micros(sampled.p90)) · p99 \(micros(sampled.p99)) · max \(micros(sampled.max)) µs (n=\(sampled.count) timed alone)"
        }
    }

    struct Ours {
        var buildNanos: UInt64
        var buildRSSKiB: Int
        var updateWithRank: Timing
        var update: Distribution
        var rank: Distribution
        var rankInUnit: Distribution
        var top: Timing
        var topInUnit: Timing
        var combined: Timing
        var checked: Int
        var mismatches: Int
    }

    struct RedisRun {
        var label: String
        var perSecond: Double
        var p50: String
    }

    static func run(_ arguments: [String]) -> Int32 {
        let options: Options
        do {
            options = try Options(arguments)
        } catch {
            say("\(error)")
            return 64
        }
        signal(SIGPIPE, SIG_IGN)
        say("══ Dengao campaign leaderboard benchmark ══")
        let load =
            (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(
                separator: " ") ?? "?"
        say(
            "setup: \(grouped(Double(options.members))) members in \(options.units) units · \(grouped(Double(options.operations))) climbs · "
                + "seed \(options.seed) · one thread, in-process · \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load)"
        )
        say("CPU probe: \(cpuProbe()) ns per SplitMix64 step (the machine's speed at the time, for comparing runs)")
        let ours = measureLeaderboard(options)
        var failed = ours.mismatches > 0

        var redis: [RedisRun] = []
        var redisSkipped: String?
        if options.redis {
            do {
                redis = try measureRedis(options)
                if redis.isEmpty { redisSkipped = "redis-server / redis-benchmark not installed" }
            } catch {
                say("REDIS: failed: \(error)")
                redisSkipped = "failed: \(error)"
                failed = true
            }
        } else {
            redisSkipped = "--no-redis"
        }

        let oursRate = ours.updateWithRank.perSecond
        let zadd = redis.first { $0.label.hasPrefix("ZADD -t zadd -P 1") }
        if !redis.isEmpty {
            say("")
            say(
                "OURS / REDIS (ours: update + own rank overall and in unit, one thread, no network; Redis: requests/s seen by "
                    + "redis-benchmark over loopback TCP, \(options.redisClients) clients)")
            for run in redis where !run.label.hasPrefix("ZREVRANGE") {
                say(
                    "  vs " + run.label.padding(toLength: 46, withPad: " ", startingAt: 0)
                        + String(format: "%.2f×", oursRate / run.perSecond))
            }
            if let add = redis.first(where: { $0.label.hasPrefix("ZADD lb") }),
                let rank = redis.first(where: { $0.label.hasPrefix("ZREVRANK") })
            {
                // One client doing ZADD then ZREVRANK at these rates gets one pair per (1/zadd + 1/zrevrank) seconds.
                let pair = 1 / (1 / add.perSecond + 1 / rank.perSecond)
                say(
                    "  vs "
                        + "ZADD + ZREVRANK as a pair (\(grouped(pair))/s)".padding(
                            toLength: 46, withPad: " ", startingAt: 0)
                        + String(format: "%.2f×", oursRate / pair))
            }
            if let range = redis.first(where: { $0.label.hasPrefix("ZREVRANGE") }) {
                say(
                    "  top 100 alone: ours \(grouped(ours.top.perSecond))/s vs ZREVRANGE 0 99 WITHSCORES \(grouped(range.perSecond))/s → "
                        + String(format: "%.2f×", ours.top.perSecond / range.perSecond))
            }
        }

        say("")
        say("GOALS (issue)")
        func verdict(_ ok: Bool) -> String { ok ? "PASS" : "FAIL" }
        say(
            "  update + own rank ≤ 5 µs per operation (mean):  \(micros(ours.updateWithRank.meanNanos)) µs "
                + "(p99 \(micros(ours.updateWithRank.sampled.p99)) µs)  \(verdict(ours.updateWithRank.meanNanos <= 5_000))"
        )
        if let zadd {
            let ratio = oursRate / zadd.perSecond
            say(
                "  ours / Redis ZADD ≥ 2×:                         \(grouped(oursRate))/s / \(grouped(zadd.perSecond))/s = "
                    + String(format: "%.2f×", ratio) + "  \(verdict(ratio >= 2))")
        } else {
            say(
                "  ours / Redis ZADD ≥ 2×:                         not measured (\(redisSkipped ?? "no ZADD figure"))  SKIP"
            )
        }
        say(
            "  ranks checked against a full scan:              \(ours.checked - ours.mismatches)/\(ours.checked) agree  "
                + verdict(ours.mismatches == 0))
        return failed ? 1 : 0
    }

    /// 50 million steps of a dependent integer chain: no memory traffic, so it shows only how fast this core is
    /// running now (another tenant on the host, frequency), which the leaderboard figures scale with.
    static func cpuProbe() -> String {
        var generator = SeededGenerator(seed: 1)
        var sink: UInt64 = 0
        let start = monotonicNanos()
        for _ in 0..<50_000_000 { sink ^= generator.next() }
        let elapsed = monotonicNanos() - start
        return String(format: "%.2f", Double(elapsed) / 50e6) + (sink == 42 ? " " : "")
    }

    // MARK: - Ours

    /// Members' current standings (index = member id − 1), and the moves an attempt makes to them.
    struct Climbers {
        static let epoch: Int64 = 1_795_000_000_000  // ms, November 2026
        static let month: Int64 = 30 * 86_400_000

        var keys: [ClimbRankKey]
        var random: SeededGenerator
        /// When the latest attempt ended: a new height is reached later than any before it.
        var now = epoch + month

        init(members: Int, seed: UInt64) {
            var random = SeededGenerator(seed: seed)
            keys = (1...Int64(members)).map { member in
                let height = random.uniform(below: 11)
                let answered = random.uniform(below: 61)
                let correct = random.uniform(below: answered + 1)
                return ClimbRankKey(
                    height: height, correct: correct, answered: answered,
                    totalMilliseconds: Int64(answered) * Int64(2_000 + random.uniform(below: 13_000)),
                    reachedAt: height == 0 ? .max : Self.epoch + Int64(random.uniform(below: Int(Self.month))),
                    memberId: MemberID(member))
            }
            self.random = random
        }

        /// A random member finishes an attempt: 1–10 more answers, some right, and half the time one step higher.
        mutating func move() -> ClimbRankKey {
            let index = random.uniform(below: keys.count)
            let old = keys[index]
            let added = 1 + random.uniform(below: 10)
            let right = random.uniform(below: added + 1)
            let climbs = old.height < 10 && random.uniform(below: 2) == 0
            now += 1 + Int64(random.uniform(below: 20))
            let new = ClimbRankKey(
                height: old.height + (climbs ? 1 : 0), correct: old.correct + right, answered: old.answered + added,
                totalMilliseconds: old.totalMilliseconds + Int64(added) * Int64(2_000 + random.uniform(below: 13_000)),
                reachedAt: climbs ? now : old.reachedAt, memberId: old.memberId)
            keys[index] = new
            return new
        }
    }

    static func measureLeaderboard(_ options: Options) -> Ours {
        let units = Int64(options.units)
        var climbers = Climbers(members: options.members, seed: options.seed)
        // The moves are drawn before the clock starts, so the random numbers are not part of the figures.
        let moves = (0..<options.operations).map { _ in climbers.move() }
        let combinedMoves = (0..<options.combinedOperations).map { _ in climbers.move() }
        // Whatever the loops read goes in here and is printed, so the optimizer cannot drop the work.
        var sink = 0

        // Build: one update per member, in member order (random positions on the board).
        var initial = Climbers(members: options.members, seed: options.seed).keys
        let rssBefore = procStatusKiB(pid: getpid(), field: "VmRSS") ?? 0
        var board = CampaignLeaderboard()
        let buildStart = monotonicNanos()
        for key in initial { board.update(key, unit: UnitID(key.memberId.rawValue % units)) }
        let buildNanos = monotonicNanos() - buildStart
        let rssAfter = procStatusKiB(pid: getpid(), field: "VmRSS") ?? 0
        initial = []
        say("")
        say("BUILD")
        say(
            String(
                format: "  %@ members by update(_:unit:) in %.2f s (%.2f µs each); board RSS +%.0f MiB",
                grouped(Double(board.count)),
                Double(buildNanos) / 1e9, Double(buildNanos) / Double(options.members) / 1e3,
                Double(rssAfter - rssBefore) / 1024))

        // Update + own rank overall + own rank in unit.
        let cpuBefore = selfCPUSeconds()
        var total: UInt64 = 0
        var whole: [Double] = [], updates: [Double] = [], ranks: [Double] = [], unitRanks: [Double] = []
        whole.reserveCapacity(moves.count / 100 + 1)
        var start = 0
        while start < moves.count {
            let end = min(start + 1_000, moves.count)
            let batchStart = monotonicNanos()
            for index in start..<end {
                let key = moves[index]
                if index % 100 == 0 {
                    let t0 = monotonicNanos()
                    board.update(key, unit: UnitID(key.memberId.rawValue % units))
                    let t1 = monotonicNanos()
                    sink &+= board.rank(of: key.memberId) ?? -1_000_000_000
                    let t2 = monotonicNanos()
                    sink &+= board.rankInUnit(of: key.memberId)?.rank ?? -1_000_000_000
                    let t3 = monotonicNanos()
                    whole.append(Double(t3 - t0))
                    updates.append(Double(t1 - t0))
                    ranks.append(Double(t2 - t1))
                    unitRanks.append(Double(t3 - t2))
                } else {
                    board.update(key, unit: UnitID(key.memberId.rawValue % units))
                    sink &+= board.rank(of: key.memberId) ?? -1_000_000_000
                    sink &+= board.rankInUnit(of: key.memberId)?.rank ?? -1_000_000_000
                }
            }
            total += monotonicNanos() - batchStart
            start = end
        }
        let updateWithRank = Timing(
            operations: moves.count, meanNanos: Double(total) / Double(moves.count),
            cpuMeanNanos: (selfCPUSeconds() - cpuBefore) * 1e9 / Double(moves.count), sampled: Distribution(whole))
        say("")
        say("UPDATE + OWN RANK (update(_:unit:), rank(of:), rankInUnit(of:); \(grouped(Double(moves.count))) climbs)")
        say("  per operation: " + updateWithRank.line)
        say(
            "  of which (timed alone): update p50 \(micros(Distribution(updates).p50)) · p99 \(micros(Distribution(updates).p99)) µs; "
                + "rank p50 \(micros(Distribution(ranks).p50)) · p99 \(micros(Distribution(ranks).p99)) µs; "
                + "rank in unit p50 \(micros(Distribution(unitRanks).p50)) · p99 \(micros(Distribution(unitRanks).p99)) µs"
        )

        // top(100) alone, on the board as the climbs left it; each call timed (a call is tens of clock reads long).
        func timeTop(_ calls: Int, _ body: () -> Int) -> Timing {
            var samples: [Double] = []
            samples.reserveCapacity(calls)
            var sum: UInt64 = 0
            let cpuBefore = selfCPUSeconds()
            for _ in 0..<calls {
                let t0 = monotonicNanos()
                sink &+= body()
                let elapsed = monotonicNanos() - t0
                sum += elapsed
                samples.append(Double(elapsed))
            }
            return Timing(
                operations: calls, meanNanos: Double(sum) / Double(calls),
                cpuMeanNanos: (selfCPUSeconds() - cpuBefore) * 1e9 / Double(calls),
                sampled: Distribution(samples))
        }
        let top = timeTop(options.topCalls) {
            let entries = board.top(100)
            return entries.count &+ entries[entries.count - 1].rank &+ Int(entries[0].memberId.rawValue)
        }
        var unitCursor: Int64 = 0
        let topInUnit = timeTop(options.topCalls) {
            unitCursor = (unitCursor + 1) % units
            let entries = board.top(100, inUnit: UnitID(unitCursor))
            return entries.count &+ (entries.last?.rank ?? 0)
        }
        say("")
        say("TOP 100 (\(grouped(Double(options.topCalls))) calls each, entries with their competition ranks)")
        say("  top(100):          " + top.line)
        say("  top(100, inUnit:): " + topInUnit.line)

        // All three, as a member finishing an attempt would see them: their new ranks and the first page.
        var combinedSamples: [Double] = []
        combinedSamples.reserveCapacity(combinedMoves.count)
        var combinedTotal: UInt64 = 0
        let combinedCPUBefore = selfCPUSeconds()
        for key in combinedMoves {
            let t0 = monotonicNanos()
            board.update(key, unit: UnitID(key.memberId.rawValue % units))
            sink &+= board.rank(of: key.memberId) ?? -1_000_000_000
            sink &+= board.rankInUnit(of: key.memberId)?.rank ?? -1_000_000_000
            let entries = board.top(100)
            sink &+= entries[entries.count - 1].rank
            let elapsed = monotonicNanos() - t0
            combinedTotal += elapsed
            combinedSamples.append(Double(elapsed))
        }
        let combined = Timing(
            operations: combinedMoves.count, meanNanos: Double(combinedTotal) / Double(combinedMoves.count),
            cpuMeanNanos: (selfCPUSeconds() - combinedCPUBefore) * 1e9 / Double(combinedMoves.count),
            sampled: Distribution(combinedSamples))
        say("")
        say("UPDATE + OWN RANK + TOP 100 (\(grouped(Double(combinedMoves.count))) climbs, each timed)")
        say("  per operation: " + combined.line)

        // The board's answers against a full scan of everyone's current standing.
        var checker = SeededGenerator(seed: options.seed ^ 0xC0FFEE)
        var checked = 0, mismatches = 0
        for _ in 0..<20 {
            let key = climbers.keys[checker.uniform(below: climbers.keys.count)]
            let unit = key.memberId.rawValue % units
            let floor = ClimbRankKey(
                height: key.height, correct: key.correct, answered: key.answered,
                totalMilliseconds: key.totalMilliseconds,
                reachedAt: key.reachedAt, memberId: MemberID(rawValue: .min))
            var above = 0, aboveInUnit = 0, inUnit = 0
            for other in climbers.keys {
                let same = other.memberId.rawValue % units == unit
                if same { inUnit += 1 }
                if other < floor {
                    above += 1
                    if same { aboveInUnit += 1 }
                }
            }
            checked += 1
            let inUnitRank = board.rankInUnit(of: key.memberId)
            if board.rank(of: key.memberId) != above + 1 || inUnitRank?.rank != aboveInUnit + 1
                || inUnitRank?.of != inUnit
            {
                mismatches += 1
            }
        }
        let first = board.top(100)
        checked += 1
        if first.first?.rank != 1
            || zip(first, first.dropFirst()).contains(where: { !($0.key < $1.key) || $0.rank > $1.rank })
        {
            mismatches += 1
        }
        say("")
        say(
            "CHECK: \(checked - mismatches)/\(checked) answers agree with a full scan (ranks of 20 members, top 100 order); "
                + "checksum \(sink); peak RSS \(DengaoBench.peakResidentMiB()) MiB")

        return Ours(
            buildNanos: buildNanos, buildRSSKiB: rssAfter - rssBefore, updateWithRank: updateWithRank,
            update: Distribution(updates),
            rank: Distribution(ranks), rankInUnit: Distribution(unitRanks), top: top, topInUnit: topInUnit,
            combined: combined,
            checked: checked, mismatches: mismatches)
    }

    // MARK: - Redis

    static let installHint = "apt-get install -y redis-server redis-tools"

    /// Empty when Redis is not installed (and `--install-redis` was not given).
    static func measureRedis(_ options: Options) throws -> [RedisRun] {
        say("")
        var serverPath = findOnPath("redis-server")
        var benchmarkPath = findOnPath("redis-benchmark")
        if serverPath == nil || benchmarkPath == nil {
            guard options.installRedis else {
                say(
                    "REDIS: redis-server and redis-benchmark are not on PATH, so there is no comparison. Install them from Debian:"
                )
                say("  \(installHint)")
                say("or run this benchmark with --install-redis (runs apt-get install -y redis-server as this user).")
                return []
            }
            say("REDIS: not installed; running apt-get install -y redis-server redis-tools …")
            let environment = ["DEBIAN_FRONTEND": "noninteractive"]
            var status = try runInheriting(
                ["apt-get", "install", "-y", "redis-server", "redis-tools"], seconds: 600, environment: environment)
            if status != 0 {
                say("  apt-get install failed (\(status)); apt-get update, then once more")
                _ = try runInheriting(["apt-get", "update"], seconds: 300, environment: environment)
                status = try runInheriting(
                    ["apt-get", "install", "-y", "redis-server", "redis-tools"], seconds: 600, environment: environment)
            }
            serverPath = findOnPath("redis-server")
            benchmarkPath = findOnPath("redis-benchmark")
        }
        guard let serverPath, let benchmarkPath else {
            throw BenchFailure("redis-server / redis-benchmark still not on PATH; install with: \(installHint)")
        }
        let version =
            (try? runCaptured([serverPath, "--version"], seconds: 30).output)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-redis-bench-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try freeLoopbackPort()
        let server = try ContestBench.Server(
            binary: serverPath,
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", directory,
            ],
            environment: [:], log: directory + "/redis.log", maxSeconds: options.maxSeconds)
        defer { server.stop() }
        let readyBy = monotonicNanos() + 10_000_000_000
        while (try? redisCommand(port: port, ["PING"])) != "+PONG" {
            guard monotonicNanos() < readyBy else {
                let log = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
                throw BenchFailure("redis-server did not answer PING on 127.0.0.1:\(port) within 10 s\n\(log)")
            }
            usleep(50_000)
        }

        // Sorted sets as large as our board before timing: `myzset` is what `-t zadd` writes (element:<12 digits>),
        // `lb` the custom commands'. Member names are redis-benchmark's __rand_int__ with -r, zero-padded to 12.
        let members = String(options.members)
        let load = """
            for i = 0, tonumber(ARGV[1]) - 1 do
              redis.call('ZADD', KEYS[1], math.random(0, tonumber(ARGV[1]) - 1), ARGV[2] .. string.format('%012d', i))
            end
            return redis.call('ZCARD', KEYS[1])
            """
        let loadStart = monotonicNanos()
        for (key, prefix) in [("myzset", "element:"), ("lb", "member:")] {
            let reply = try redisCommand(port: port, ["EVAL", load, "1", key, members, prefix], timeoutSeconds: 300)
            guard reply == ":\(members)" else { throw BenchFailure("loading \(key): \(reply)") }
        }
        let loadSeconds = Double(monotonicNanos() - loadStart) / 1e9
        let rss = procStatusKiB(pid: server.pid, field: "VmRSS") ?? 0
        say("REDIS (\(version); 127.0.0.1:\(port), --save '' --appendonly no)")
        say(
            String(
                format: "  loaded 2 sorted sets of %@ members in %.1f s (server-side EVAL); redis-server RSS %.0f MiB",
                grouped(Double(options.members)), loadSeconds, Double(rss) / 1024))
        say(
            "  redis-benchmark -h 127.0.0.1 -p \(port) -n N -r \(members) -c \(options.redisClients) -P p -q …, "
                + "every request a loopback round trip (per pipeline with -P 16)")

        let n = String(options.redisRequests)
        let rangeRequests = String(max(1, options.redisRequests / 10))
        let plans: [(label: String, requests: String, pipeline: Int, command: [String])] = [
            ("ZADD -t zadd -P 1 (the issue's command)", n, 1, ["-t", "zadd"]),
            ("ZADD -t zadd -P 16", n, 16, ["-t", "zadd"]),
            ("ZADD lb __rand_int__ member:__rand_int__", n, 1, ["ZADD", "lb", "__rand_int__", "member:__rand_int__"]),
            ("ZREVRANK lb member:__rand_int__", n, 1, ["ZREVRANK", "lb", "member:__rand_int__"]),
            ("ZREVRANGE lb 0 99 WITHSCORES", rangeRequests, 1, ["ZREVRANGE", "lb", "0", "99", "WITHSCORES"]),
        ]
        var runs: [RedisRun] = []
        for plan in plans {
            let arguments =
                [
                    benchmarkPath, "-h", "127.0.0.1", "-p", String(port), "-n", plan.requests, "-r", members,
                    "-c", String(options.redisClients), "-P", String(plan.pipeline), "-q",
                ] + plan.command
            let result = try runCaptured(arguments, seconds: 300)
            guard result.status == 0, let (rate, p50) = parseRequestsPerSecond(result.output) else {
                throw BenchFailure(
                    "redis-benchmark \(plan.label) (exit \(result.status)): \(result.output.suffix(500))")
            }
            let run = RedisRun(label: plan.label, perSecond: rate, p50: p50)
            say(
                "  " + plan.label.padding(toLength: 42, withPad: " ", startingAt: 0) + " n="
                    + plan.requests.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%10.0f requests/s", rate) + " · p50 \(p50) ms")
            runs.append(run)
        }
        let after = try redisCommand(port: port, ["ZCARD", "lb"])
        say("  lb after the runs: \(after.dropFirst()) members")
        return runs
    }

    /// The last "N requests per second" line of `redis-benchmark -q` (it redraws progress with carriage returns).
    static func parseRequestsPerSecond(_ output: String) -> (Double, String)? {
        let lines = output.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        for line in lines.reversed() {
            guard let marker = line.range(of: " requests per second"),
                let rate = line[..<marker.lowerBound].split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            var p50 = "?"
            if let start = line.range(of: "p50=") {
                p50 = String(line[start.upperBound...].prefix { $0 != " " })
            }
            return (rate, p50)
        }
        return nil
    }

    // MARK: - Processes and a minimal Redis client

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/sbin", "/usr/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `arguments` under `timeout -s KILL`, with this process's stdout and stderr.
    static func runInheriting(_ arguments: [String], seconds: Int, environment: [String: String] = [:]) throws -> Int32
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", String(seconds)] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        try runWithCleanSignalMask(process)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `arguments` under `timeout -s KILL` and returns its exit status and output (stdout and stderr together).
    static func runCaptured(_ arguments: [String], seconds: Int) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", String(seconds)] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try runWithCleanSignalMask(process)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Sends one command to Redis on 127.0.0.1 over a fresh connection and returns the first line of the reply
    /// ("+PONG", ":1000000", "-ERR …"): enough for setup, not a client.
    static func redisCommand(port: Int, _ parts: [String], timeoutSeconds: Int = 10) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw BenchFailure("connect to 127.0.0.1:\(port): errno \(errno)") }
        var request = "*\(parts.count)\r\n"
        for part in parts { request += "$\(part.utf8.count)\r\n\(part)\r\n" }
        let bytes = Array(request.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw BenchFailure("write to redis: errno \(errno)") }
            offset += written
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw BenchFailure("no reply from redis (errno \(errno))") }
            reply.append(contentsOf: chunk[..<count])
        }
        return String(decoding: reply.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}

/// Nanoseconds as microseconds, two decimals.
private func micros(_ nanos: Double) -> String {
    nanos.isNaN ? "—" : String(format: "%.2f", nanos / 1e3)
}

/// 1234567 → "1,234,567".
private func grouped(_ value: Double) -> String {
    guard value.isFinite else { return "—" }
    let digits = String(Int(value.rounded()))
    var out = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0, index % 3 == 0, character != "-" { out.append(",") }
        out.append(character)
    }
    return String(out.reversed())
}
