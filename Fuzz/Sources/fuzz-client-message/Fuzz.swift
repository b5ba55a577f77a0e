import DengaoCore
import Foundation
import FuzzChecks

/// Any bytes as a live-contest client's message, decoded as the contest socket decodes text frames.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    // The socket refuses frames over the limit unread.
    guard data.count <= ClientMessage.maximumBytes else { return 0 }
    _ = try? JSONDecoder().decode(ClientMessage.self, from: data)
    return 0
}

@main enum FuzzClientMessage {
    static func main() { runFuzzer(LLVMFuzzerTestOneInput) }
}
