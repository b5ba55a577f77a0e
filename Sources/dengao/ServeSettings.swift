import ArgumentParser
import Foundation

/// `dengao serve`'s options from the environment and a configuration file, beneath the command line.
///
/// Each option `--some-name` may also come from the environment variable `DENGAO_SOME_NAME` or from the key
/// `some-name` of the JSON file named by `--config` (or `DENGAO_CONFIG`); the command line wins over the environment,
/// the environment over the file. The values are handed to ArgumentParser as if typed, so every option keeps one
/// definition, one validation and one line in `--help`. (swift-configuration reads files and the environment too,
/// but its typed keys would be a second definition of every option to keep in step with this one.)
enum ServeSettings {
    /// One option of `dengao serve` as `--help` lists it.
    struct Option: Equatable {
        var name: String
        /// False for a flag such as `--demo`.
        var takesValue: Bool
        /// An array option such as `--trusted-proxy`: the environment separates values with commas, the file gives
        /// a JSON array.
        var repeatable: Bool
    }

    /// Every option `dengao serve --help` documents (hidden test-only ones are not), except `--help` and `--config`.
    static let options: [Option] = {
        let help = Serve.helpMessage(columns: 10_000)
        let repeatable = Set(
            Mirror(reflecting: Serve()).children.compactMap { child -> String? in
                guard let label = child.label, String(describing: type(of: child.value)).contains("Array<") else {
                    return nil
                }
                return kebabCase(String(label.drop(while: { $0 == "_" })))
            })
        return help.split(separator: "\n").compactMap { line -> Option? in
            let words = line.split(separator: " ")
            guard let first = words.first, first.hasPrefix("--") else { return nil }
            let name = String(first.dropFirst(2))
            guard name != "help", name != "config" else { return nil }
            return Option(
                name: name, takesValue: words.count > 1 && words[1].hasPrefix("<"),
                repeatable: repeatable.contains(name))
        }
    }()

    /// The arguments of `dengao serve` (after the subcommand) with what the environment and the file add.
    static func arguments(_ commandLine: [String], environment: [String: String]) throws -> [String] {
        let given = Set(
            commandLine.compactMap { argument -> String? in
                guard argument.hasPrefix("--") else { return nil }
                return String(argument.dropFirst(2).prefix(while: { $0 != "=" }))
            })
        let file = try fileSettings(path: configPath(commandLine) ?? environment["DENGAO_CONFIG"])
        var added: [String] = []
        for option in options where !given.contains(option.name) {
            let variable = "DENGAO_" + option.name.uppercased().replacingOccurrences(of: "-", with: "_")
            if let text = environment[variable] {
                let values =
                    option.repeatable
                    ? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [text]
                added += try arguments(option, values: values, source: variable)
            } else if let value = file[option.name] {
                added += try arguments(option, values: try fileValues(value, option: option), source: "--config")
            }
        }
        return commandLine + added
    }

    /// The file named by `--config FILE` or `--config=FILE` on the command line.
    private static func configPath(_ commandLine: [String]) -> String? {
        for (index, argument) in commandLine.enumerated() {
            if argument == "--config", index + 1 < commandLine.count { return commandLine[index + 1] }
            if argument.hasPrefix("--config=") { return String(argument.dropFirst("--config=".count)) }
        }
        return nil
    }

    /// A value in the configuration file.
    private enum FileValue: Decodable {
        case text(String), number(Double), truth(Bool), list([FileValue]), other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let truth = try? container.decode(Bool.self) {
                self = .truth(truth)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let list = try? container.decode([FileValue].self) {
                self = .list(list)
            } else {
                self = .other
            }
        }
    }

    private static func fileSettings(path: String?) throws -> [String: FileValue] {
        guard let path else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("配置文件无法读取 (the configuration file cannot be read): \(path)")
        }
        guard let object = try? JSONDecoder().decode([String: FileValue].self, from: data) else {
            throw ValidationError(
                "配置文件须为一个 JSON 对象 (the configuration file must be one JSON object of option names to values): \(path)"
            )
        }
        let known = Set(options.map(\.name))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ValidationError(
                "配置文件中有未知的选项 (unknown option in the configuration file): \(unknown); see dengao serve --help")
        }
        return object
    }

    private static func fileValues(_ value: FileValue, option: Option) throws -> [String] {
        if case .list(let values) = value, option.repeatable {
            return try values.map { try fileValue($0, option: option) }
        }
        return [try fileValue(value, option: option)]
    }

    private static func fileValue(_ value: FileValue, option: Option) throws -> String {
        switch value {
        case .text(let text): return text
        case .truth(let truth): return truth ? "true" : "false"
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return String(Int(number))
        case .number(let number): return String(number)
        case .list, .other:
            throw ValidationError(
                "配置文件中 \(option.name) 的值须为文字、数字或真假 (the value of \(option.name) in the configuration file must be a string, number or boolean)"
            )
        }
    }

    private static func arguments(_ option: Option, values: [String], source: String) throws -> [String] {
        guard option.takesValue else {
            switch values.first?.lowercased() ?? "" {
            case "1", "true", "yes", "on": return ["--" + option.name]
            case "0", "false", "no", "off", "": return []
            default:
                throw ValidationError(
                    "\(source) 中 \(option.name) 须为 true 或 false (\(option.name) from \(source) must be true or false)")
            }
        }
        return values.filter { !$0.isEmpty }.flatMap { ["--" + option.name, $0] }
    }

    /// `maxConnectionsPerAddress` → `max-connections-per-address`, `publicURL` → `public-url`: ArgumentParser's naming.
    static func kebabCase(_ name: String) -> String {
        var result = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previousIsLower = characters[index - 1].isLowercase || characters[index - 1].isNumber
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previousIsLower || (characters[index - 1].isUppercase && nextIsLower) { result += "-" }
            }
            result += character.lowercased()
        }
        return result
    }
}
