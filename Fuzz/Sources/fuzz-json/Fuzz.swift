import FuzzChecks

/// Any bytes imported as a bank in the json format: refused or accepted, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkBank(fuzzInput(start, count), format: .json, roundTrips: true)
    return 0
}

@main enum FuzzJson {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
