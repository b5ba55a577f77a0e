import ArgumentParser
import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation

/// The campaigns stored in the data directory.
struct Campaigns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List answer-climbing campaigns: id, dates, levels, title.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            for campaign in try await dataOptions.withStorage({ try await $0.campaigns(ownedBy: nil) }) {
                let settings = campaign.settings
                let aside = campaign.setAside.map { "\tset aside: \($0)" } ?? ""
                print(
                    "\(campaign.id)\t\(settings.startDate)…\(settings.endDate)\t\(settings.levels.count) levels\t\(campaign.title)\(aside)"
                )
            }
        }
    }
}

/// A campaign's results as XLSX (eight sheets) or CSV (one of them).
struct ExportCampaign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-campaign",
        abstract:
            "Export a campaign's results: members, branches, daily participation and its roll-up, who took part, bands, ranks."
    )

    @Argument(help: "The campaign's id (see `dengao campaigns`).") var campaign: Int64
    @Option(name: .shortAndLong, help: "The output file; its extension (.xlsx or .csv) picks the format.") var output:
        String
    @Option(
        help: "For CSV, which table: members, branches, daily, rollup, participants, bands, ranks or memberCategories.")
    var sheet: CampaignSheet = .members
    @OptionGroup var memberCategory: MemberCategoryOption
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            let (_, sheets) = try await dataOptions.withStorage { storage in
                let filter = try await memberCategory.filter(storage: storage)
                return try await CampaignExport.sheets(campaign: CampaignID(campaign), storage: storage, filter: filter)
            }
            let data =
                output.lowercased().hasSuffix(".csv") ? Spreadsheet.csv(sheets[sheet.index]) : Spreadsheet.xlsx(sheets)
            try data.write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }
}

enum CampaignSheet: String, ExpressibleByArgument, CaseIterable {
    case members, branches, daily, rollup, participants, bands, ranks, memberCategories

    var index: Int { CampaignExport.sheetNames.firstIndex(of: rawValue)! }
}
