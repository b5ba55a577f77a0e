import Synchronization

/// `body`'s value, or nil if it has not returned after `limit`: a wait that fails a test instead of hanging it.
/// `body` runs in a task of its own, cancelled then and otherwise left (a statement waiting for an answer that never
/// comes does not end when cancelled), so unlike a task group this returns even if `body` never does.
public func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    let first = FirstOf<T?>()
    let value = await withCheckedContinuation { continuation in
        first.wait(continuation)
        first.hold(Task { first.finish(with: await body()) })
        first.hold(
            Task {
                try? await Task.sleep(for: limit)
                first.finish(with: nil)
            })
    }
    first.cancel()
    return value
}

/// Whichever of two tasks finishes first resumes the waiter; both are cancelled once it has resumed.
final class FirstOf<Value: Sendable>: Sendable {
    private let state = Mutex<(waiter: CheckedContinuation<Value, Never>?, tasks: [Task<Void, Never>])>((nil, []))

    func wait(_ waiter: CheckedContinuation<Value, Never>) { state.withLock { $0.waiter = waiter } }

    func hold(_ task: Task<Void, Never>) { state.withLock { $0.tasks.append(task) } }

    func finish(with value: Value) {
        state.withLock { $0.waiter.take() }?.resume(returning: value)
    }

    func cancel() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }
}
