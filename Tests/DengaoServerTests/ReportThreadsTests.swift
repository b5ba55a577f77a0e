import Dispatch
import NIOCore
import Synchronization
import Testing

@testable import DengaoServer

/// How many report jobs have begun.
private final class Started: Sendable {
    let count = Atomic<Int>(0)
}

/// Reports run on threads of their own: however many are under way, a request's short store call (its session
/// lookup) does not wait behind them.
@Suite struct ReportThreadsTests {
    /// As many reports as the shared pool has threads, all stuck: on one shared pool the request's call would wait
    /// for them (and this test would run into its time limit); on the reports' own pool it answers at once.
    @Test(.timeLimit(.minutes(1))) func reportsHoldingEveryThreadLeaveRequestsTheirs() async throws {
        let gate = DispatchSemaphore(value: 0)
        let started = Started()
        let reports = (0..<System.coreCount).map { _ in
            Task {
                try await reporting {
                    started.count.add(1, ordering: .relaxed)
                    gate.wait()
                }
            }
        }
        // Every report thread is taken before the request comes.
        while started.count.load(ordering: .relaxed) < min(ReportThreads.count, System.coreCount) { await Task.yield() }
        #expect(try await blocking { 42 } == 42)
        for _ in reports { gate.signal() }
        for report in reports { try await report.value }
    }
}
