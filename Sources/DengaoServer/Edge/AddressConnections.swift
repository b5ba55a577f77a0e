import Synchronization

/// Open connections per client address, counted from the moment a connection is accepted until it closes.
///
/// Every TCP connection counts once, whatever it carries: HTTP requests, or a WebSocket it was upgraded to (the
/// upgrade does not open a second connection). Accepting happens on every event loop at once, hence the lock.
final class AddressConnections: Sendable {
    let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection from `address`; false, counting nothing, when the address already holds `limit`.
    func admit(_ address: String) -> Bool {
        counts.withLock { counts in
            let count = counts[address, default: 0]
            guard count < limit else { return false }
            counts[address] = count + 1
            return true
        }
    }

    /// Forgets one closed connection of `address`.
    func release(_ address: String) {
        counts.withLock { counts in
            let count = counts[address, default: 1] - 1
            counts[address] = count > 0 ? count : nil
        }
    }
}
