/// Lets a bounded number of report reads hold a pooled connection at once; the others wait their turn, first come
/// first served, so reports queue behind each other and the pool's other connections stay free for short calls.
/// Written here because none of the packages offers an async semaphore.
actor ReportGate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { free = max(1, permits) }

    /// Waits for a permit.
    func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Returns a permit, handing it straight to the longest waiter if there is one.
    func leave() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
