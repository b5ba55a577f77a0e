import FuzzChecks

/// Any bytes imported as a bank in the xlsx format: refused or accepted, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkBank(fuzzInput(start, count), format: .xlsx, roundTrips: true)
    return 0
}

@main enum FuzzXlsx {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
