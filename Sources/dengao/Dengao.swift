import ArgumentParser
import Foundation

/// The `dengao` command: argument parsing only; the work lives in the library targets.
@main
struct Dengao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dengao",
        abstract: "登高 Dengao — quiz contests and answer-climbing campaigns for Party member education.",
        subcommands: [
            Serve.self, Import.self, Banks.self, Export.self, Delete.self, User.self, Roster.self, Invite.self,
            QRCommand.self, Contests.self, ExportResults.self, Campaigns.self, ExportCampaign.self, SetAside.self,
            Backup.self, Restore.self,
            MigrateData.self,
        ]
    )

    /// Parses and runs the command; `dengao serve` first takes what the environment and `--config` add
    /// (`ServeSettings`).
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if arguments.first == "serve" {
                arguments =
                    ["serve"]
                    + (try ServeSettings.arguments(
                        Array(arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
            }
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage and the error as the subcommand's, where a configuration mistake for `serve` belongs.
            if arguments.first == "serve" { Serve.exit(withError: error) }
            exit(withError: error)
        }
    }
}
