import ArgumentParser
import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation

/// The unit a `--unit` option names, by path, unique path tail or code.
func resolvedUnit(named reference: String, in storage: any Storage) async throws -> UnitID {
    guard let id = AccessTools.resolveUnit(reference, in: try await storage.orgTree()) else {
        throw StorageError.invalid("no unit \"\(reference)\" (give its path from the top or its code)")
    }
    return id
}

/// `dengao user add|list|passwd|remove`: console accounts from the command line (also the way to regain access).
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage administrator and organizer accounts.",
        subcommands: [AddUser.self, ListUsers.self, ChangePassword.self, RemoveUser.self])
}

/// Reads the password from the first line of standard input, or makes one up and prints it.
struct PasswordOptions: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input instead of generating one.")
    var passwordStdin = false

    func password() throws -> (password: String, generated: Bool) {
        guard passwordStdin else { return (AccessTools.generatePassword(), true) }
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("no password on standard input")
        }
        if let problem = AccessTools.passwordProblem(line) { throw ValidationError(problem) }
        return (line, false)
    }
}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create an account.")

    @Argument(help: "The user name to sign in with.") var username: String
    @Flag(help: "An administrator (may do everything).") var admin = false
    @Option(help: "For an organizer: the unit they act for, as a path (机关党委/第一党支部) or code.") var unit: String?
    @Option(help: "The name shown in the console.") var displayName: String?
    @OptionGroup var passwordOptions: PasswordOptions
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        if admin == (unit != nil) { throw ValidationError("give either --admin or --unit PATH") }
    }

    func run() async throws {
        let (password, generated) = try passwordOptions.password()
        try await reportingFailures {
            let account = try await dataOptions.withStorage { storage in
                var unitId: UnitID?
                if let unit { unitId = try await resolvedUnit(named: unit, in: storage) }
                return try await storage.createAccount(
                    username: username, displayName: displayName, passwordHash: AccessTools.hashPassword(password),
                    role: admin ? .admin : .organizer, unitId: unitId)
            }
            let scope = account.unit.map { " for \($0.path)" } ?? ""
            print("created \(account.role == .admin ? "administrator" : "organizer") \"\(account.username)\"\(scope)")
            if generated { print("password: \(password)") }
        }
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            for account in try await dataOptions.withStorage({ try await $0.accounts() }) {
                let role = account.role == .admin ? "admin" : "organizer"
                let status = account.disabled ? "\tdisabled" : ""
                print("\(account.username)\t\(role)\t\(account.unit?.path ?? "-")\t\(account.displayName)\(status)")
            }
        }
    }
}

struct ChangePassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set a new password for an account; its sessions end.")

    @Argument(help: "The user name.") var username: String
    @OptionGroup var passwordOptions: PasswordOptions
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let (password, generated) = try passwordOptions.password()
        try await reportingFailures {
            try await dataOptions.withStorage { storage in
                let id = try await storage.accountId(username: username)
                try await storage.updateAccount(
                    id: id, AccountChanges(passwordHash: AccessTools.hashPassword(password)))
            }
            print("password of \"\(username)\" changed; its sessions were ended")
            if generated { print("password: \(password)") }
        }
    }
}

struct RemoveUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete an account.")
    @Argument(help: "The user name.") var username: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            try await dataOptions.withStorage { storage in
                try await storage.deleteAccount(id: try await storage.accountId(username: username))
            }
            print("removed \"\(username)\"")
        }
    }
}

/// `dengao roster import FILE`.
struct Roster: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the roster.", subcommands: [ImportRoster.self])
}

struct ImportRoster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import members from XLSX or CSV (姓名, 党员编号, 所在支部, 手机号); known numbers are updated.")

    @Argument(help: "The roster file.") var file: String
    @Option(help: "Resolve relative unit paths below this unit (path or code).") var unit: String?
    @Flag(help: "Create the units that paths name and that do not exist yet.") var createUnits = false
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        try await reportingFailures {
            let (roster, readErrors) = try RosterReader.read(try Data(contentsOf: URL(fileURLWithPath: file)))
            let result = try await dataOptions.withStorage { storage in
                var base: UnitID?
                if let unit { base = try await resolvedUnit(named: unit, in: storage) }
                return try await storage.importRoster(
                    roster, readErrors: readErrors, scope: nil, base: base, createUnits: createUnits)
            }
            for warning in roster.warnings { printError("warning: \(warning)") }
            print(
                "roster imported: \(result.created) new, \(result.updated) updated (\(result.moved) moved), "
                    + "\(result.unchanged) unchanged, \(result.unitsCreated) units created")
        }
    }
}

/// `dengao invite NUMBER`: a new invitation link for a member, printed once.
struct Invite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a new invitation link for a member (the link signs them in on their phone).")

    @Argument(help: "The member number.") var number: String
    @Option(help: "The server's public address (default: $DENGAO_PUBLIC_URL or http://127.0.0.1:8080).")
    var publicURL: String?
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let base = publicURL ?? ProcessInfo.processInfo.environment["DENGAO_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
        try await reportingFailures {
            let link = try await dataOptions.withStorage { storage in
                try await AccessTools.invite(memberNumber: number, storage: storage, publicBaseURL: base).link
            }
            print(link)
        }
    }
}
