import DengaoServer
import Foundation
import Synchronization

/// A clock a test moves by hand: deadlines pass when the test says so, not after a sleep.
final class ManualClock: ServerClock {
    private let milliseconds: Mutex<Int64>

    init(startingAt start: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) { milliseconds = Mutex(start) }

    func nowMilliseconds() -> Int64 { milliseconds.withLock { $0 } }

    func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        milliseconds.withLock { $0 += seconds * 1000 + attoseconds / 1_000_000_000_000_000 }
    }
}
