import DengaoCore
import DengaoStorage
import Foundation
import Synchronization

/// Benchmarks run in a release build: `swift run -c release dengao-bench import [COUNT]`, and after
/// `swift build -c release --product dengao`, `… dengao-bench contest [--players N] [--questions K]` (the
/// live-contest load benchmark, see ContestBench.swift), and `… dengao-bench leaderboard` (the campaign leaderboard
/// at a million members against Redis, see LeaderboardBench.swift), and `… dengao-bench items` (item statistics
/// on a 10,000 × 100 answer matrix, see ItemsBench.swift).
///
/// `import` generates COUNT questions, writes them as XLSX and CSV, then imports each file in a child process
/// (parse + one SQLite transaction into a fresh database) so each import's peak memory is its own.
@main
struct DengaoBench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let command = arguments.isEmpty ? "import" : arguments.removeFirst()
        switch command {
        case "contest":
            exit(await ContestBench.run(arguments))
        case "contest-worker":
            ContestWorker.main(arguments)
        case "bare-contest-server":
            await BareBroadcastServer.main(arguments)
        case "climb":
            exit(ClimbBench.run(arguments))
        case "participation":
            exit(await ParticipationBench.run(arguments))
        case "leaderboard":
            exit(LeaderboardBench.run(arguments))
        case "items":
            exit(ItemsBench.run(arguments))
        case "bare-json":
            exit(BareJSONServer.run(arguments))
        case "reports":
            exit(await ResponsesBench.run(arguments))
        case "item-report":
            exit(await ItemReportBench.run(arguments))
        case "journal":
            // The journal comparison alone:
            // `dengao-bench journal [GROUP_ENTRIES [NAIVE_ENTRIES [CONCURRENCY]]] [--database postgresql://…]`.
            let database = arguments.firstIndex(of: "--database").flatMap {
                arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil
            }
            let numbers = arguments.compactMap { Int($0) }
            let concurrency = numbers.count > 2 ? numbers[2] : 1_000
            let results = await JournalBench.compare(
                groupEntries: numbers.first ?? 30_000, naiveEntries: numbers.count > 1 ? numbers[1] : 1_500,
                concurrency: concurrency, database: database)
            print("journal on \(database == nil ? "SQLite" : "PostgreSQL"), \(concurrency) concurrent writers")
            for result in results {
                print(
                    result.mode
                        + String(
                            format: ": %d entries in %.2f s → %.0f entries/s; ack ", result.entries, result.seconds,
                            result.entriesPerSecond) + result.latency.line)
            }
            if let group = results.first(where: { $0.mode == "group commit" }),
                let naive = results.first(where: { $0.mode == "one transaction per entry" }), naive.entriesPerSecond > 0
            {
                print(
                    String(
                        format: "group commit ÷ one transaction per entry: %.1f× the entries/s",
                        group.entriesPerSecond / naive.entriesPerSecond))
            }
        case "import":
            try runImportBenchmark(count: arguments.first.flatMap { Int($0) } ?? 100_000)
        case "import-file":
            // `--sequential`: parse the whole file, then store it (the import before parsing and inserting overlapped).
            try await importFile(arguments.last!, sequential: arguments.first == "--sequential")
        case "generate":
            // For profiling: `dengao-bench generate 100000 DIR`, then `perf record dengao-bench import-file DIR/bank.csv`.
            let questions = GeneratedBank.questions(count: Int(arguments[0]) ?? 100_000)
            for format in [BankFormat.xlsx, .csv] {
                try BankExporter.export(questions, as: format)
                    .write(
                        to: URL(fileURLWithPath: arguments[1]).appendingPathComponent("bank.\(format.fileExtension)"))
            }
        default:
            print(
                "usage: dengao-bench import [COUNT] | import-file FILE | generate COUNT DIR | contest [--help] | journal [N [M [C]]] [--database URL] | leaderboard [--help] | climb [--members N] [--seconds S] | participation [--members N] [--days D] | items [--attempts N] [--questions K] | reports [ATTEMPTS [QUESTIONS]] | item-report [--attempts N] [--questions K] [--runs R] [--keep DIR]"
            )
            exit(64)
        }
    }

    static func runImportBenchmark(count: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let questions = GeneratedBank.questions(count: count)
        print(
            "import benchmark: \(count) questions, release build, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        for format in [BankFormat.xlsx, .csv] {
            let file = directory.appendingPathComponent("bank.\(format.fileExtension)")
            try BankExporter.export(questions, as: format).write(to: file)
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            // The CSV also the way imports ran before parsing and inserting overlapped, for the same run's comparison.
            var totals: [(label: String, seconds: Double)] = []
            for sequential in format == .csv ? [true, false] : [false] {
                let result = try runImportChild(file: file, sequential: sequential)
                // Only the CSV reader delivers questions before it finishes, so only a CSV import overlaps.
                let label = sequential || format != .csv ? "parse, then store" : "parse and store overlapped"
                print("  \(format.rawValue.uppercased()) (\(size / 1024) KiB), \(label): \(result)")
                if let total = Double(result.split(separator: " ").dropFirst().first ?? "") {
                    totals.append((label, total))
                }
            }
            if format == .csv { try compareWithSQLiteImport(csv: file, directory: directory, dengao: totals) }
        }
    }

    /// Imports `file` in a child process (`import-file`), returning the line it prints.
    static func runImportChild(file: URL, sequential: Bool) throws -> String {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["import-file"] + (sequential ? ["--sequential"] : []) + [file.path]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Times the sqlite3 shell's `.import` of the same CSV into a fresh database file (a new table from the header
    /// row, one transaction, no validation): the floor an import of this file could reach. Prints Dengao's ratio.
    static func compareWithSQLiteImport(csv: URL, directory: URL, dengao: [(label: String, seconds: Double)]) throws {
        let shell = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: shell) else {
            print("  sqlite3 .import: no \(shell) (apt-get install sqlite3) — no ratio")
            return
        }
        let database = directory.appendingPathComponent("sqlite3-import.db").path
        let clock = ContinuousClock()
        let start = clock.now
        let child = Process()
        child.executableURL = URL(fileURLWithPath: shell)
        child.arguments = [database, ".import --csv \(csv.path) question"]
        try child.run()
        child.waitUntilExit()
        let elapsed = clock.now - start
        let sqliteSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard child.terminationStatus == 0 else { throw BenchFailure("sqlite3 .import failed") }
        print(String(format: "  sqlite3 .import of the same CSV into a file: %.2f s", sqliteSeconds))
        for (label, seconds) in dengao {
            print(String(format: "  Dengao (%@) ÷ sqlite3: %.1f× (goal ≤ 4×)", label, seconds / sqliteSeconds))
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        print("  load average: \(load.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    /// Parses and stores one file, printing wall time per phase and the process's peak resident memory.
    static func importFile(_ path: String, sequential: Bool) async throws {
        let clock = ContinuousClock()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-bench-db-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: database) }
        let store = try Store(directory: database)
        let start = clock.now
        if sequential {
            let bank = try BankImporter.parse(data, fileName: path)
            let parsed = clock.now
            _ = try store.importBank(named: "bench", questions: bank.questions, format: bank.format, sourceName: path)
            let stored = clock.now
            print(
                "total \(seconds(stored - start)) s (parse \(seconds(parsed - start)) s, store \(seconds(stored - parsed)) s), "
                    + "\(bank.questions.count) questions, peak RSS \(peakResidentMiB()) MiB")
            return
        }
        let parseEnd = ParseEnd()
        // As `dengao import` and the server do: the questions are inserted while the parser reads on.
        // Through `SQLiteStorage`, which runs the transaction on a thread of its own: this is a cooperative thread.
        let (bank, _) = try await SQLiteStorage(store).importBank(
            named: "bench", sourceName: path, owner: nil, shared: false, at: Date()
        ) { delivery in
            defer { parseEnd.set(clock.now) }
            return try BankImporter.parse(data, fileName: path, delivery: delivery)
        }
        let stored = clock.now
        let parsed = parseEnd.get() ?? stored
        print(
            "total \(seconds(stored - start)) s (parse \(seconds(parsed - start)) s, store to the commit "
                + "\(seconds(stored - parsed)) s later), \(bank.questions.count) questions, peak RSS \(peakResidentMiB()) MiB"
        )
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// VmHWM from /proc: the most memory this process ever held resident.
    static func peakResidentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kilobytes / 1024
    }
}

/// When the parse finished, set from its task and read after the import returns.
final class ParseEnd: Sendable {
    private let instant = Mutex<ContinuousClock.Instant?>(nil)
    func set(_ value: ContinuousClock.Instant) { instant.withLock { $0 = value } }
    func get() -> ContinuousClock.Instant? { instant.withLock { $0 } }
}

/// Deterministic questions of realistic length and type mix.
enum GeneratedBank {
    static func questions(count: Int) -> [Question] {
        var random = SplitMix64(seed: 2026)
        let categories = ["政治理论", "党章党规党纪", "党史", "党风廉政建设", "革命传统", "形势政策", "业务知识"]
        let phrase = "中国共产党党员必须全心全意为人民服务不惜牺牲个人的一切为实现共产主义奋斗终身"
        func text(_ length: Int) -> String {
            let characters = Array(phrase)
            return String((0..<length).map { _ in characters[Int(random.next() % UInt64(characters.count))] })
        }
        return (0..<count).map { index in
            let stem = "第\(index + 1)题：" + text(30 + Int(random.next() % 40)) + "（ ）。"
            let difficulty = 1 + Int(random.next() % 5)
            let category = categories[Int(random.next() % UInt64(categories.count))]
            let explanation = text(40 + Int(random.next() % 60))
            switch index % 10 {
            case 0..<5:
                return Question(
                    type: .single, stem: stem, options: (0..<4).map { _ in text(8) },
                    answer: .choices([Int(random.next() % 4)]),
                    explanation: explanation, difficulty: difficulty, category: category, tags: ["标签\(index % 50)"])
            case 5..<7:
                return Question(
                    type: .multiple, stem: stem, options: (0..<5).map { _ in text(8) }, answer: .choices([0, 2, 4]),
                    explanation: explanation, difficulty: difficulty, category: category,
                    tags: ["标签\(index % 50)", "多选"])
            case 7..<9:
                return Question(
                    type: .trueFalse, stem: stem, answer: .truth(random.next() % 2 == 0), explanation: explanation,
                    difficulty: difficulty, category: category)
            default:
                return Question(
                    type: .fill, stem: stem, answer: .texts([text(4), text(5)]), explanation: explanation,
                    difficulty: difficulty, category: category)
            }
        }
    }
}

/// A small seeded generator, so every run imports the same bank.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
