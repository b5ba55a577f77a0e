import Synchronization

/// Bounds how many uploads (banks, rosters) are read at once. Each holds its file, its parsed rows and, for XLSX, a
/// parser and an inflating thread; two cores gain nothing from more at a time, and a burst of large files must not
/// take the machine's memory. An upload that finds every slot taken is refused at once with 503, not queued.
final class ImportGate: Sendable {
    private let limit: Int
    private let running = Mutex(0)
    private let metrics: ServerMetrics

    init(limit: Int, metrics: ServerMetrics) {
        self.limit = max(1, limit)
        self.metrics = metrics
    }

    /// Runs `body` (an import of `kind`) in a free slot, or throws 503 when all `limit` slots are taken.
    func run<T>(_ kind: ImportKind, _ body: () async throws -> T) async throws -> T {
        let admitted = running.withLock { running in
            guard running < limit else { return false }
            running += 1
            return true
        }
        guard admitted else {
            metrics.importsBusy[kind]?.increment()
            throw APIError.importsBusy
        }
        defer { running.withLock { $0 -= 1 } }
        let started = ContinuousClock.now
        do {
            let result = try await body()
            metrics.importDuration[kind]?.record(ContinuousClock.now - started)
            return result
        } catch {
            metrics.importFailures[kind]?.increment()
            throw error
        }
    }
}

extension APIError {
    /// Every import slot is taken; the client may try again shortly.
    static let importsBusy = APIError(
        status: .serviceUnavailable, message: "服务器正在处理其他导入，请稍后再试 (other imports are running; try again shortly)",
        code: "imports-busy", headers: [.retryAfter: "5"])
}
