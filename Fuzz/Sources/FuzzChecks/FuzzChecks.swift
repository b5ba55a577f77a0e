import CFuzzerDriver
import DengaoCore
import Foundation

/// Runs libFuzzer with the process's arguments (`-max_total_time=60 corpus/…`), calling `test` on every input.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}

/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`, copied into `Data` as an upload arrives.
public func fuzzInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let start, count > 0 else { return Data() }
    return Data(bytes: start, count: count)
}

/// Imports `data` as `format`. Any input may be refused; none may crash or hang. With `roundTrips`, an accepted
/// bank must also come back equal through an export in its own format, as docs/formats.md promises.
public func checkBank(_ data: Data, format: BankFormat, roundTrips: Bool) {
    let bank: ParsedBank
    do {
        bank = try BankImporter.parse(data, format: format)
    } catch {
        precondition(!error.errors.isEmpty, "a refused \(format) file must say why")
        return
    }
    guard roundTrips else { return }
    let exported: Data
    do {
        exported = try BankExporter.export(bank.questions, as: format)
    } catch {
        return  // A bank this format cannot hold (Aiken: single choice only).
    }
    do {
        let again = try BankImporter.parse(exported, format: format).questions
        if again != bank.questions {
            let common = min(again.count, bank.questions.count)
            let first = (0..<common).first { again[$0] != bank.questions[$0] } ?? common
            fatalError(
                "\(format) round trip changed question \(first + 1): imported \(describe(bank.questions, first)), "
                    + "re-imported \(describe(again, first))")
        }
    } catch {
        fatalError("the \(format) export of an accepted bank is refused: \(error)")
    }
}

private func describe(_ questions: [Question], _ index: Int) -> String {
    index < questions.count ? String(reflecting: questions[index]) : "nothing"
}
