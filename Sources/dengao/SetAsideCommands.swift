import ArgumentParser
import DengaoCore
import DengaoStorage
import Foundation

/// Contests and campaigns the server set aside because their stored rows could not be loaded.
struct SetAside: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-aside",
        abstract: "List the contests and campaigns set aside because they could not be loaded, or let one load again.",
        subcommands: [List.self, Clear.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List what is set aside: kind, id, since, reason.")

        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            try await reportingFailures {
                for room in try await dataOptions.withStorage({ try await $0.setAsideRooms() }) {
                    print(
                        "\(room.kind.rawValue)\t\(room.id)\t\(ISO8601DateFormatter().string(from: room.since))\t\(room.reason)"
                    )
                }
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Let a contest or campaign load again (after repairing its rows or upgrading); takes effect at its next use."
        )

        @Argument(help: "contest or campaign") var kind: RoomKindArgument
        @Argument(help: "Its id.") var id: Int64
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            try await reportingFailures {
                guard try await dataOptions.withStorage({ try await $0.clearSetAside(kind.kind, id: id) }) else {
                    throw StorageError.invalid("\(kind.rawValue) \(id) is not set aside")
                }
                print("\(kind.rawValue) \(id) will load at its next use (a live contest at the next start)")
            }
        }
    }
}

enum RoomKindArgument: String, ExpressibleByArgument {
    case contest, campaign

    var kind: RoomKind { self == .contest ? .contest : .campaign }
}
