import DengaoCore
import Foundation
import Metrics
import Prometheus

/// What the server counts about itself, for `GET /metrics` (Prometheus text format).
///
/// Each server owns its registry: nothing is bootstrapped into swift-metrics' global `MetricsSystem`, so several
/// servers in one process (the tests) count apart. The code records through swift-metrics' types (`Counter`,
/// `Timer`, `Meter`, `Recorder`); their handlers are made by the server's `PrometheusCollectorRegistry` directly,
/// which lets every family carry a `# HELP` line (swift-prometheus' `MetricsFactory` gives none, and promtool's
/// lint asks for one). Every metric is created here up front, so recording on a hot path (an answer, a journal
/// commit) is an atomic add, never a lookup by name. No label names a member, a seat, a contest or a campaign.
public final class ServerMetrics: Sendable {
    /// The families, written by `GET /metrics`.
    public let registry: PrometheusCollectorRegistry

    let http: HTTPMetrics
    let webSockets: [WebSocketRole: CoreMetrics.Meter]
    let joins: CoreMetrics.Counter
    let answersAccepted: CoreMetrics.Counter
    let answersLate: CoreMetrics.Counter
    let answersRefused: CoreMetrics.Counter
    let answerAcknowledged: CoreMetrics.Timer
    let journalBatchSize: CoreMetrics.Recorder
    let journalCommit: CoreMetrics.Timer
    let journalCommitFailures: CoreMetrics.Counter
    let fanOut: [FanOutKind: CoreMetrics.Timer]
    let liveContests: CoreMetrics.Meter
    let liveCampaigns: CoreMetrics.Meter
    let attemptsStarted: CoreMetrics.Counter
    let attemptsEnded: [AttemptStatus: CoreMetrics.Counter]
    let importDuration: [ImportKind: CoreMetrics.Timer]
    let importFailures: [ImportKind: CoreMetrics.Counter]
    let importsBusy: [ImportKind: CoreMetrics.Counter]
    let signInFailures: [SignInKind: CoreMetrics.Counter]
    let signInThrottled: [SignInKind: CoreMetrics.Counter]
    let backupLastSuccess: CoreMetrics.Gauge
    /// Where the separate `/metrics` listener is bound, when there is one.
    let metricsListener = MetricsListenerPort()

    public init() {
        let registry = PrometheusCollectorRegistry()
        let make = MetricMaker(registry: registry)
        self.registry = registry
        http = HTTPMetrics(make)
        make.gauge(
            "dengao_build_info", "Always 1; the labels say which Dengao this is.",
            ["version": DengaoVersion.current]
        ).record(1)
        webSockets = byCase(WebSocketRole.allCases) { role in
            make.meter(
                "dengao_websocket_connections", "Open WebSocket connections, by what they identified as.",
                ["role": role.rawValue])
        }
        joins = make.counter("dengao_contest_joins_total", "Players seated in live contests (new seats, not resumes).")
        let answerHelp = "Answers to live contest questions, by what became of them."
        answersAccepted = make.counter("dengao_contest_answers_total", answerHelp, ["outcome": "accepted"])
        answersLate = make.counter("dengao_contest_answers_total", answerHelp, ["outcome": "late"])
        answersRefused = make.counter("dengao_contest_answers_total", answerHelp, ["outcome": "refused"])
        answerAcknowledged = make.timer(
            "dengao_contest_answer_ack_duration_seconds",
            "From an accepted answer's arrival to its acknowledgement leaving, once the answer is on disk.",
            buckets: Self.fastBuckets)
        journalBatchSize = make.histogram(
            "dengao_journal_batch_records", "Records written per journal transaction (group commit).",
            buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000])
        journalCommit = make.timer(
            "dengao_journal_commit_duration_seconds", "Time to write and commit one journal transaction.",
            buckets: Self.fastBuckets)
        journalCommitFailures = make.counter(
            "dengao_journal_commit_failures_total", "Journal transactions that failed (live writing stops after one).")
        fanOut = byCase(FanOutKind.allCases) { kind in
            make.timer(
                "dengao_fanout_duration_seconds",
                "Time a room takes to encode one push and queue it for every connection it goes to.",
                ["kind": kind.rawValue], buckets: Self.fastBuckets)
        }
        let roomsHelp = "Live contests and campaigns held in memory."
        liveContests = make.meter("dengao_live_rooms", roomsHelp, ["kind": "contest"])
        liveCampaigns = make.meter("dengao_live_rooms", roomsHelp, ["kind": "campaign"])
        attemptsStarted = make.counter("dengao_climb_attempts_started_total", "Climbing attempts started at a level.")
        attemptsEnded = byCase([AttemptStatus.passed, .failed, .expired, .abandoned]) { status in
            make.counter(
                "dengao_climb_attempts_ended_total", "Climbing attempts that ended, by how.",
                ["outcome": status.rawValue])
        }
        importDuration = byCase(ImportKind.allCases) { kind in
            make.timer(
                "dengao_import_duration_seconds", "Time to read, check and store an uploaded file that was imported.",
                ["kind": kind.rawValue], buckets: Self.slowBuckets)
        }
        let importHelp = "Uploads refused or failed while being imported."
        importFailures = byCase(ImportKind.allCases) { kind in
            make.counter("dengao_import_failures_total", importHelp, ["kind": kind.rawValue, "reason": "refused"])
        }
        importsBusy = byCase(ImportKind.allCases) { kind in
            make.counter("dengao_import_failures_total", importHelp, ["kind": kind.rawValue, "reason": "busy"])
        }
        signInFailures = byCase(SignInKind.allCases) { kind in
            make.counter(
                "dengao_sign_in_failures_total",
                "Sign-ins refused for a wrong name or password, or an unknown invitation link.", ["kind": kind.rawValue]
            )
        }
        signInThrottled = byCase(SignInKind.allCases) { kind in
            make.counter(
                "dengao_sign_in_throttled_total",
                "Sign-ins refused unread because the account or address failed too often (429).",
                ["kind": kind.rawValue])
        }
        backupLastSuccess = make.gauge(
            "dengao_backup_last_success_timestamp_seconds",
            "When the last backup was completed and checked (Unix time); 0 until one is.")
    }

    /// Durations of things that usually take milliseconds: commits, acknowledgements, fan-outs.
    static let fastBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2_500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5),
    ]

    /// Durations of things that take seconds: imports of large files.
    static let slowBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
    ]

    // MARK: - Recording

    /// A backup finished and was checked at `unixSeconds` (seconds since 1970); for the scheduled backups.
    public func recordBackupSuccess(unixSeconds: Double) { backupLastSuccess.record(unixSeconds) }

    /// A backup finished and was checked at `date`.
    public func recordBackupSuccess(at date: Date) { recordBackupSuccess(unixSeconds: date.timeIntervalSince1970) }

    /// Records what `body` takes as a fan-out of `kind`.
    func timeFanOut<T>(_ kind: FanOutKind, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { fanOut[kind]?.record(ContinuousClock.now - start) }
        return try body()
    }

    /// A WebSocket connection was accepted; it counts as `pending` until it says what it is.
    func webSocketOpened() -> WebSocketRole {
        webSockets[.pending]?.increment()
        return .pending
    }

    /// A connection identified itself (or changed what it is).
    func webSocket(_ old: WebSocketRole, became new: WebSocketRole) {
        guard old != new else { return }
        webSockets[old]?.decrement()
        webSockets[new]?.increment()
    }

    /// A connection ended.
    func webSocketClosed(_ role: WebSocketRole) { webSockets[role]?.decrement() }

    /// Counts what a campaign room has just journaled: attempts started and ended.
    func recordClimb(_ change: CampaignChange) {
        switch change {
        case .started: attemptsStarted.increment()
        case .answered(_, _, let status, _) where status.isOver: attemptsEnded[status]?.increment()
        case .ended(_, let status, _): attemptsEnded[status]?.increment()
        default: break
        }
    }

    /// The Prometheus text exposition of every family.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// One metric per case, made up front so recording looks nothing up by name.
private func byCase<Key: Hashable, Metric>(_ keys: [Key], _ make: (Key) -> Metric) -> [Key: Metric] {
    Dictionary(uniqueKeysWithValues: keys.map { ($0, make($0)) })
}

/// What a WebSocket connection identified as; `pending` until its first message says.
enum WebSocketRole: String, CaseIterable, Sendable {
    case pending, player, host, display
    case campaignDisplay = "campaign_display"
    case campaignMonitor = "campaign_monitor"

    init(_ role: ContestRoom.Role?) {
        switch role {
        case nil: self = .pending
        case .player: self = .player
        case .host: self = .host
        case .display: self = .display
        }
    }
}

/// The pushes a room sends to many connections at once.
enum FanOutKind: String, CaseIterable, Sendable {
    case state, reveal, leaderboard, buzzer, progress, players, board
}

/// What an upload imports.
enum ImportKind: String, CaseIterable, Sendable {
    case bank, roster
}

/// Which sign-in path: a console password or a member's invitation link.
enum SignInKind: String, CaseIterable, Sendable {
    case password, invitation
}

extension CoreMetrics.Timer {
    /// Records a Swift `Duration`.
    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Makes swift-metrics values whose handlers come from one Prometheus registry, with their help text.
struct MetricMaker {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// The whole name is given here (`dengao_…_total`), so it reads as it is exported.
    private func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func counter(_ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:]) -> CoreMetrics.Counter {
        let labels = labels.map { ($0.key, $0.value) }
        return CoreMetrics.Counter(
            label: name, dimensions: labels,
            handler: registry.makeCounter(descriptor: descriptor(name, help), labels: labels),
            factory: factory)
    }

    func meter(_ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:]) -> CoreMetrics.Meter {
        let labels = labels.map { ($0.key, $0.value) }
        return CoreMetrics.Meter(
            label: name, dimensions: labels,
            handler: registry.makeGauge(descriptor: descriptor(name, help), labels: labels),
            factory: factory)
    }

    func gauge(_ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:]) -> CoreMetrics.Gauge {
        let labels = labels.map { ($0.key, $0.value) }
        return CoreMetrics.Gauge(
            label: name, dimensions: labels, aggregate: false,
            handler: registry.makeGauge(descriptor: descriptor(name, help), labels: labels), factory: factory)
    }

    func timer(
        _ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:], buckets: [Duration]
    ) -> CoreMetrics.Timer {
        let labels = labels.map { ($0.key, $0.value) }
        return CoreMetrics.Timer(
            label: name, dimensions: labels,
            handler: registry.makeDurationHistogram(
                descriptor: descriptor(name, help), labels: labels, buckets: buckets),
            factory: factory)
    }

    func histogram(
        _ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:], buckets: [Double]
    ) -> CoreMetrics.Recorder {
        let labels = labels.map { ($0.key, $0.value) }
        return CoreMetrics.Recorder(
            label: name, dimensions: labels, aggregate: true,
            handler: registry.makeValueHistogram(descriptor: descriptor(name, help), labels: labels, buckets: buckets),
            factory: factory)
    }
}
