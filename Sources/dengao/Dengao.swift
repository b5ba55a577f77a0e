import ArgumentParser

/// The `dengao` command: argument parsing only; the work lives in the library targets.
@main
struct Dengao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dengao",
        abstract: "登高 Dengao — quiz contests and answer-climbing campaigns for Party member education.",
        subcommands: [
            Serve.self, Import.self, Banks.self, Export.self, Delete.self, User.self, Roster.self, Invite.self,
            QRCommand.self, Contests.self, ExportResults.self, Campaigns.self, ExportCampaign.self, SetAside.self,
            MigrateData.self,
        ]
    )
}
