import FuzzChecks

/// Any bytes imported as a bank in the text format: refused or accepted, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkBank(fuzzInput(start, count), format: .text, roundTrips: false)
    return 0
}

@main enum FuzzText {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
