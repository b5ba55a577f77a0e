import FuzzChecks

/// Any bytes imported as a bank in the gift format: refused or accepted, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkBank(fuzzInput(start, count), format: .gift, roundTrips: false)
    return 0
}

@main enum FuzzGift {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
