import ArgumentParser
import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation

/// Writes a line to standard error, where failures and located import errors go.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs a command body, turning the errors users cause into a message on stderr and a non-zero exit.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        try reportFailure(error)
    }
}

/// `reportingFailures` for the commands that go through the server's code, which speaks to storage asynchronously.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        try reportFailure(error)
    }
}

/// Prints an error users cause and exits non-zero; rethrows anything else.
private func reportFailure(_ error: any Error) throws -> Never {
    switch error {
    case let failure as ImportFailure:
        printError("import failed; nothing was changed:")
        for issue in failure.errors { printError("  error: \(issue)") }
        for issue in failure.warnings { printError("  warning: \(issue)") }
        throw ExitCode(2)
    case let error as StorageError:
        printError("error: \(error)")
        throw ExitCode.failure
    case let error as BankExporter.Unrepresentable:
        printError("error: \(error)")
        throw ExitCode.failure
    case let failure as PostgresFailure:
        printError("error: \(failure)")
        throw ExitCode.failure
    case let error as CocoaError:
        printError("error: \(error.localizedDescription)")
        throw ExitCode.failure
    default:
        throw error
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a question bank file (xlsx, csv, json, gift, aiken, text); a known name gets a new version.")

    @Argument(help: "The file to import.") var file: String
    @Option(help: "The bank's name.") var bank: String
    @Option(help: "Override format detection: xlsx, csv, json, gift, aiken, text.") var format: String?
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        var chosenFormat: BankFormat?
        if let format {
            guard let named = BankFormat(name: format) else { throw ValidationError("unknown format \"\(format)\"") }
            chosenFormat = named
        }
        try await reportingFailures {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let (file, chosenFormat) = (file, chosenFormat)
            let (parsed, version) = try await dataOptions.withStorage { storage in
                try await storage.importBank(named: bank, sourceName: (file as NSString).lastPathComponent) {
                    try BankImporter.parse(data, fileName: file, format: chosenFormat, delivery: $0)
                }
            }
            for warning in parsed.warnings { printError("warning: \(warning)") }
            print(
                "imported \(version.questionCount) questions into \"\(bank)\" version \(version.version) (\(parsed.format.rawValue))"
            )
        }
    }
}

struct Banks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the banks with their latest version's counts.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            let banks = try await dataOptions.withStorage { try await $0.banks() }
            if banks.isEmpty { print("no banks") }
            for bank in banks {
                print("\(bank.name)  version \(bank.latest.version)  \(bank.latest.questionCount) questions")
                let types = QuestionType.allCases.compactMap { type in
                    bank.countsByType[type.rawValue].map { "\(type.chineseName) \($0)" }
                }
                print("  by type:       " + types.joined(separator: ", "))
                let categories = bank.countsByCategory.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                print(
                    "  by category:   "
                        + categories.map { "\($0.key.isEmpty ? "（未分类）" : $0.key) \($0.value)" }.joined(separator: ", "))
                let difficulties = (1...5).compactMap { level in
                    bank.countsByDifficulty[String(level)].map { "\(level): \($0)" }
                }
                print("  by difficulty: " + difficulties.joined(separator: ", "))
            }
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a bank (its latest version by default).")

    @Argument(help: "The bank's name.") var bank: String
    @Option(help: "xlsx, csv, json, gift, aiken or text.") var format: String
    @Option(name: .shortAndLong, help: "The file to write.") var output: String
    @Option(help: "The version to export; the latest by default.") var version: Int?
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        guard let chosen = BankFormat(name: format) else { throw ValidationError("unknown format \"\(format)\"") }
        try await reportingFailures {
            let (exportedVersion, questions) = try await dataOptions.withStorage {
                try await $0.allQuestions(ofBank: bank, version: version)
            }
            try BankExporter.export(questions, as: chosen, bankName: bank).write(to: URL(fileURLWithPath: output))
            print("exported \(questions.count) questions of \"\(bank)\" version \(exportedVersion) to \(output)")
        }
    }
}

struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a bank with all its versions.")

    @Argument(help: "The bank's name.") var bank: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            try await dataOptions.withStorage { try await $0.deleteBank(named: bank) }
            print("deleted \"\(bank)\"")
        }
    }
}
