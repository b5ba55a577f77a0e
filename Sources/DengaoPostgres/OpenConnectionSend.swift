import PostgresNIO

/// Sends statements on a leased connection from the connection's own event loop, and only while it is open.
///
/// PostgresNIO hands a statement to its channel with `channel.write(_, promise: nil)`. Written from another thread,
/// that write is queued on the event loop; when the server has just closed the connection (a restart,
/// `pg_terminate_backend`), the loop may already have queued the close's last step, which removes the channel's
/// handlers and only then tells the pool. A statement queued behind that step reaches a channel without handlers,
/// the write fails into the nil promise, and the statement waits for an answer forever (upstream's fix for this,
/// vapor/postgres-nio#487, was reverted in #501). Until that last step the pool also still leases the closed
/// connection as idle, so a caller can be handed it again and again.
///
/// On the event loop, an open channel has its handlers: the check and the write happen in one step there, so a
/// statement is either given to the handlers (which answer it, failing it if the connection is closing) or not sent
/// at all, and then the caller knows nothing reached the server (`ClosedBeforeSending`).
struct OpenConnectionSend: Sendable {
    let connection: PostgresConnection
    private let loop: EventLoopTaskExecutor

    init(_ connection: PostgresConnection) {
        self.connection = connection
        loop = EventLoopTaskExecutor(connection.eventLoop)
    }

    /// Sends `query` if the connection is still open, and returns its rows as they come.
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await withTaskExecutorPreference(loop) {
            guard !connection.isClosed else { throw ClosedBeforeSending() }
            return try await connection.query(query, logger: logger)
        }
    }
}

/// The leased connection had already closed when a statement was to be sent: nothing was sent on it, so whatever
/// was to be done can be done on another connection.
struct ClosedBeforeSending: Error, CustomStringConvertible {
    var description: String { "the connection had closed before the statement was sent" }
}

/// An event loop as a task executor: nonisolated async code preferring it runs on the loop's thread, between the
/// loop's own tasks, as its channel handlers do.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
