import FuzzChecks

/// Any bytes imported as a bank in the csv format: refused or accepted, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkBank(fuzzInput(start, count), format: .csv, roundTrips: true)
    return 0
}

@main enum FuzzCsv {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
