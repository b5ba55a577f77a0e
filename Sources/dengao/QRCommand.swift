import ArgumentParser
import DengaoCore

struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Print a QR code for a text (UTF-8, byte mode) as SVG, or as text to look at in a terminal.")

    @Argument(help: "The text to encode; put -- before a text that starts with '-'.") var text: String
    @Option(help: "Error correction level: L, M, Q or H.") var level: String = "M"
    @Option(help: "The smallest version (1–40) to use; larger texts get a larger version.") var minVersion: Int = 1
    @Option(help: "svg, or text: one row of '#' (dark) and ' ' (light) per module row, no quiet zone.")
    var format: String = "svg"

    func validate() throws {
        guard QRErrorCorrection(rawValue: level.uppercased()) != nil else {
            throw ValidationError("unknown level \"\(level)\"; use L, M, Q or H")
        }
        guard format == "svg" || format == "text" else { throw ValidationError("unknown format \"\(format)\"") }
    }

    func run() throws {
        let errorCorrection = QRErrorCorrection(rawValue: level.uppercased()) ?? .medium
        let code: QRCode
        do {
            code = try QRCode(encoding: text, errorCorrection: errorCorrection, minimumVersion: minVersion)
        } catch .tooLong(let byteCount, let maximum) {
            printError(
                "error: \(byteCount) bytes do not fit a QR code at level \(level.uppercased()) (at most \(maximum))")
            throw ExitCode.failure
        } catch .invalidMinimumVersion(let version) {
            printError("error: the minimum version must be 1–40, not \(version)")
            throw ExitCode.failure
        }
        if format == "svg" {
            print(code.svg(), terminator: "")
        } else {
            for y in 0..<code.size {
                print(String((0..<code.size).map { code.isDark(x: $0, y: y) ? "#" : " " }))
            }
        }
    }
}
