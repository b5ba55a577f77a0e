import DengaoCore
import Foundation
import Testing

/// The `dengao` executable next to this test bundle (SwiftPM builds it because this target depends on it).
let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("dengao")

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("DengaoCoreTests/Fixtures")

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `dengao` as a real process with `--data` pointing at `data`, waiting for it on a thread of its own.
func dengao(_ arguments: [String], data: String, input: String? = nil) async throws -> Run {
    try await offCooperativeThreads { try runDengao(arguments, data: data, input: input) }
}

/// Runs `body` on a thread of its own. Waiting for a child process blocks its thread for as long as the child runs
/// (seconds for an import or an export); on one of Swift concurrency's threads — two on a two-core machine, shared
/// by every test and every in-process server of the run — two such waits stalled the whole parallel test run,
/// and server tests beside them timed out.
func offCooperativeThreads<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// `dengao`'s blocking part: starts the process, feeds `input`, reads both outputs to the end and waits for the exit.
private func runDengao(_ arguments: [String], data: String, input: String?) throws -> Run {
    let (status, stdout, stderr) = try ChildProcess.run(
        executable.path, arguments + ["--data", data], input: input ?? "")
    return Run(status: status, stdout: stdout, stderr: stderr)
}

func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("dengao-cli-\(UUID().uuidString)").path
}

@Suite struct CLITests {
    @Test func importListExportDelete() async throws {
        let data = temporaryDirectory()
        let imported = try await dengao(
            ["import", fixtures.appendingPathComponent("valid-chinese.xlsx").path, "--bank", "党史"], data: data)
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("imported 5 questions into \"党史\" version 1 (xlsx)"))

        let again = try await dengao(
            ["import", fixtures.appendingPathComponent("valid.gift").path, "--bank", "党史"], data: data)
        #expect(again.status == 0 && again.stdout.contains("version 2 (gift)"))

        let listed = try await dengao(["banks"], data: data)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("党史  version 2  5 questions"))
        #expect(listed.stdout.contains("单选 1, 多选 1, 判断 1, 填空 2"))

        for format in ["xlsx", "csv", "json", "gift", "text"] {
            let file = temporaryDirectory() + ".\(format)"
            let exported = try await dengao(["export", "党史", "--format", format, "-o", file], data: data)
            #expect(exported.status == 0, "\(format): \(exported.stderr)")
            let questions = try BankImporter.parse(
                try Data(contentsOf: URL(fileURLWithPath: file)), format: BankFormat(name: format)
            ).questions
            #expect(questions.count == 5)
        }

        #expect(try await dengao(["delete", "党史"], data: data).status == 0)
        #expect(try await dengao(["banks"], data: data).stdout.contains("no banks"))
    }

    @Test func brokenFileExitsNonZeroWithLocatedErrorsAndChangesNothing() async throws {
        let data = temporaryDirectory()
        let run = try await dengao(
            ["import", fixtures.appendingPathComponent("broken.xlsx").path, "--bank", "坏"], data: data)
        #expect(run.status == 2)
        #expect(
            run.stderr.contains(
                "error: 工作表“题库”第 3 行“答案”列 (sheet \"题库\", row 3, column 答案): 答案“E”，但只有选项 A–D (\"E\" but only options A–D)"
            ))
        #expect(run.stderr.components(separatedBy: "error: ").count - 1 == 6)
        #expect(try await dengao(["banks"], data: data).stdout.contains("no banks"))
    }

    @Test func userMistakesGiveMessages() async throws {
        let data = temporaryDirectory()
        let missing = try await dengao(["import", "/nonexistent.xlsx", "--bank", "x"], data: data)
        #expect(missing.status != 0 && missing.stderr.contains("error:"))
        let unknownBank = try await dengao(["delete", "没有"], data: data)
        #expect(unknownBank.status != 0 && unknownBank.stderr.contains("no bank named \"没有\""))
        let badFormat = try await dengao(["export", "x", "--format", "doc", "-o", "/tmp/x"], data: data)
        #expect(badFormat.status != 0 && badFormat.stderr.contains("unknown format"))
        // An unknown organization time zone stops the server before it starts, in Chinese first.
        let badZone = try await dengao(["serve", "--port", "0", "--time-zone", "Asia/Atlantis"], data: data)
        #expect(badZone.status != 0 && badZone.stderr.contains("未知时区 \"Asia/Atlantis\""), "\(badZone.stderr)")
        #expect(badZone.stderr.contains("unknown time zone"))
        let badExportZone = try await dengao(
            ["export-results", "1", "-o", "/tmp/x.csv", "--time-zone", "Mars/Olympus"], data: data)
        #expect(
            badExportZone.status != 0 && badExportZone.stderr.contains("未知时区 \"Mars/Olympus\""),
            "\(badExportZone.stderr)")
    }

    @Test func metricsOptionsAreCheckedBeforeTheServerStarts() async throws {
        let data = temporaryDirectory()
        let badAddress = try await dengao(["serve", "--port", "0", "--metrics-address", "9464"], data: data)
        #expect(badAddress.status != 0 && badAddress.stderr.contains("须为 主机:端口"), "\(badAddress.stderr)")
        let shortToken = try await dengao(["serve", "--port", "0", "--metrics-token", "secret"], data: data)
        #expect(shortToken.status != 0 && shortToken.stderr.contains("至少 16 个字符"), "\(shortToken.stderr)")
    }

    @Test func usersRosterAndInvitations() async throws {
        let data = temporaryDirectory()
        let roster = try await dengao(
            ["roster", "import", fixtures.appendingPathComponent("roster-gb18030.csv").path, "--create-units"],
            data: data)
        #expect(roster.status == 0, "\(roster.stderr)")
        #expect(roster.stdout.contains("roster imported: 2 new, 0 updated (0 moved), 0 unchanged, 3 units created"))
        let broken = try await dengao(
            ["roster", "import", fixtures.appendingPathComponent("roster-broken.xlsx").path], data: data)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("row 3, column 姓名): 姓名为空 (the name is missing)"))

        let admin = try await dengao(
            ["user", "add", "boss", "--admin", "--password-stdin"], data: data, input: "a good password\n")
        #expect(admin.status == 0 && admin.stdout.contains("created administrator \"boss\""))
        #expect(!admin.stdout.contains("password:"), "a password given on stdin is not echoed")
        let organizer = try await dengao(
            ["user", "add", "yi", "--unit", "机关党委/第一党支部", "--display-name", "一支部"], data: data)
        #expect(organizer.status == 0 && organizer.stdout.contains("for 机关党委/第一党支部"))
        let generated =
            organizer.stdout.components(separatedBy: "password: ").last?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? ""
        #expect(generated.count == 20)
        #expect(try await dengao(["user", "add", "x", "--unit", "没有这个支部"], data: data).status == 1)
        #expect(
            try await dengao(["user", "add", "y", "--admin", "--password-stdin"], data: data, input: "short\n").status
                != 0)
        #expect(try await dengao(["user", "add", "YI", "--admin"], data: data).stderr.contains("taken"))

        let listed = try await dengao(["user", "list"], data: data)
        #expect(listed.stdout.contains("boss\tadmin\t-"))
        #expect(listed.stdout.contains("yi\torganizer\t机关党委/第一党支部\t一支部"))
        let changed = try await dengao(["user", "passwd", "yi"], data: data)
        #expect(changed.status == 0 && changed.stdout.contains("password: "))
        #expect(try await dengao(["user", "passwd", "nobody"], data: data).status == 1)
        #expect(try await dengao(["user", "remove", "boss"], data: data).stderr.contains("last administrator"))
        #expect(try await dengao(["user", "remove", "yi"], data: data).status == 0)
        #expect(!(try await dengao(["user", "list"], data: data).stdout.contains("yi\t")))

        let link = try await dengao(["invite", "1001", "--public-url", "https://dj.example.org/"], data: data)
        #expect(link.status == 0)
        let text = link.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            text.hasPrefix("https://dj.example.org/invite#")
                && text.count == "https://dj.example.org/invite#".count + 43)
        let second = try await dengao(["invite", "1001", "--public-url", "https://dj.example.org"], data: data)
        #expect(second.stdout != link.stdout, "every invitation is a new random token")
        #expect(try await dengao(["invite", "9999"], data: data).stderr.contains("no member with number \"9999\""))
    }
}
