import DengaoCore
import Foundation
import Testing

/// The `dengao` executable next to this test bundle (SwiftPM builds it because this target depends on it).
private let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("dengao")

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("DengaoCoreTests/Fixtures")

private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `dengao` as a real process with `--data` pointing at `data`.
private func dengao(_ arguments: [String], data: String) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments + ["--data", data]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("dengao-cli-\(UUID().uuidString)").path
}

@Suite struct CLITests {
    @Test func importListExportDelete() throws {
        let data = temporaryDirectory()
        let imported = try dengao(["import", fixtures.appendingPathComponent("valid-chinese.xlsx").path, "--bank", "党史"], data: data)
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("imported 5 questions into \"党史\" version 1 (xlsx)"))

        let again = try dengao(["import", fixtures.appendingPathComponent("valid.gift").path, "--bank", "党史"], data: data)
        #expect(again.status == 0 && again.stdout.contains("version 2 (gift)"))

        let listed = try dengao(["banks"], data: data)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("党史  version 2  5 questions"))
        #expect(listed.stdout.contains("单选 1, 多选 1, 判断 1, 填空 2"))

        for format in ["xlsx", "csv", "json", "gift", "text"] {
            let file = temporaryDirectory() + ".\(format)"
            let exported = try dengao(["export", "党史", "--format", format, "-o", file], data: data)
            #expect(exported.status == 0, "\(format): \(exported.stderr)")
            let questions = try BankImporter.parse(try Data(contentsOf: URL(fileURLWithPath: file)), format: BankFormat(name: format)).questions
            #expect(questions.count == 5)
        }

        #expect(try dengao(["delete", "党史"], data: data).status == 0)
        #expect(try dengao(["banks"], data: data).stdout.contains("no banks"))
    }

    @Test func brokenFileExitsNonZeroWithLocatedErrorsAndChangesNothing() throws {
        let data = temporaryDirectory()
        let run = try dengao(["import", fixtures.appendingPathComponent("broken.xlsx").path, "--bank", "坏"], data: data)
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: sheet \"题库\", row 3, column 答案: \"E\" but only options A–D"))
        #expect(run.stderr.components(separatedBy: "error: ").count - 1 == 6)
        #expect(try dengao(["banks"], data: data).stdout.contains("no banks"))
    }

    @Test func userMistakesGiveMessages() throws {
        let data = temporaryDirectory()
        let missing = try dengao(["import", "/nonexistent.xlsx", "--bank", "x"], data: data)
        #expect(missing.status != 0 && missing.stderr.contains("error:"))
        let unknownBank = try dengao(["delete", "没有"], data: data)
        #expect(unknownBank.status != 0 && unknownBank.stderr.contains("no bank named \"没有\""))
        let badFormat = try dengao(["export", "x", "--format", "doc", "-o", "/tmp/x"], data: data)
        #expect(badFormat.status != 0 && badFormat.stderr.contains("unknown format"))
    }
}
