import DengaoCore
import FuzzChecks

/// Any bytes read as a roster (XLSX or delimited text): members and located errors, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        let (roster, errors) = try RosterReader.read(fuzzInput(start, count))
        precondition(!roster.entries.isEmpty || !errors.isEmpty, "a roster read without members must say why")
    } catch {
        precondition(!error.errors.isEmpty, "a refused roster must say why")
    }
    return 0
}

@main enum FuzzRoster {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
