import ArgumentParser
import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation

/// The live contests stored in the data directory.
struct Contests: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List live contests: id, PIN, status, title.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            for contest in try await dataOptions.withStorage({ try await $0.contests(ownedBy: nil) }) {
                let status = contest.setAside.map { "set aside: \($0)" } ?? contest.status.rawValue
                print("\(contest.id)\t\(contest.pin)\t\(status)\t\(contest.questionCount) questions\t\(contest.title)")
            }
        }
    }
}

/// Results of a contest as XLSX (five sheets) or CSV (one of them), recomputed from its journal.
struct ExportResults: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-results",
        abstract: "Export a contest's results: standings, every answer with its local time, branches, bands, ranks.")

    @Argument(help: "The contest's id (see `dengao contests`).") var contest: Int64
    @Option(name: .shortAndLong, help: "The output file; its extension (.xlsx or .csv) picks the format.") var output:
        String
    @Option(help: "For CSV, which table: standings, answers, branches, bands, ranks, memberCategories or polls.")
    var sheet: ResultSheet = .standings
    @OptionGroup var memberCategory: MemberCategoryOption
    @Option(help: "The organization's time zone (IANA name) the answers' times are written in.")
    var timeZone = LocalTime.defaultZoneIdentifier
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        do { _ = try LocalTime.zone(named: timeZone) } catch { throw ValidationError("--time-zone: \(error)") }
    }

    func run() async throws {
        try await reportingFailures {
            let zone = try LocalTime.zone(named: timeZone)
            let (_, sheets) = try await dataOptions.withStorage { storage in
                let filter = try await memberCategory.filter(storage: storage)
                return try await ContestRanks.sheets(
                    contest: ContestID(contest), storage: storage, timeZone: zone, filter: filter)
            }
            let csv = output.lowercased().hasSuffix(".csv")
            guard !csv || sheets.indices.contains(sheet.index) else {
                throw ValidationError("这场比赛没有投票结果，未写入文件 (this contest has no poll results; nothing was written)")
            }
            let data = csv ? Spreadsheet.csv(sheets[sheet.index]) : Spreadsheet.xlsx(sheets)
            try data.write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }
}

enum ResultSheet: String, ExpressibleByArgument, CaseIterable {
    case standings, answers, branches, bands, ranks, memberCategories, polls

    /// The sheet's place in `ContestRanks.sheets` (`polls` is there only for a contest with polls).
    var index: Int { Self.allCases.firstIndex(of: self)! }
}
