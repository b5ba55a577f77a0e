import DengaoServer
import Foundation
import Synchronization

/// A clock a test moves by hand: deadlines pass, silent connections time out and the hubs' pulses fire when the
/// test says so, not after a sleep. Its monotonic reading moves with its wall reading.
final class ManualClock: ServerClock {
    private struct Sleeper {
        let until: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var nextSleeper = 0
        var sleepers: [Int: Sleeper] = [:]
        /// Sleepers cancelled before they were registered (the cancellation handler can run first).
        var cancelledEarly: Set<Int> = []
    }

    private let state: Mutex<State>

    init(startingAt start: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) { state = Mutex(State(now: start)) }

    func nowMilliseconds() -> Int64 { state.withLock { $0.now } }

    func uptimeMilliseconds() -> Int64 { nowMilliseconds() }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { state in
            state.nextSleeper += 1
            return state.nextSleeper
        }
        let milliseconds = max(
            1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return .failure(CancellationError()) }
                    state.sleepers[id] = Sleeper(until: state.now + milliseconds, continuation: continuation)
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                let sleeper = state.sleepers.removeValue(forKey: id)
                if sleeper == nil { state.cancelledEarly.insert(id) }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// How many tasks are asleep on this clock now: a test waits for a service to go to sleep before moving time.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves time forward and wakes every sleeper whose time has come.
    func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let woken = state.withLock { state in
            state.now += seconds * 1000 + attoseconds / 1_000_000_000_000_000
            let due = state.sleepers.filter { $0.value.until <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
