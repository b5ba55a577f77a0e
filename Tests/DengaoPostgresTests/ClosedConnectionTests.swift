import DengaoCore
import DengaoTestSupport
import Dispatch
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import DengaoPostgres

/// A connection the server has just closed, used before the pool knows: closing a channel queues a last step on its
/// event loop that removes the handlers and only then tells the pool. A statement written from another thread after
/// that step was queued is lost without an answer (PostgresNIO writes it with a nil promise), and until the step has
/// run the pool still leases the connection. Both are made to happen here at will, on the connection's event loop,
/// instead of by the chance timing that made the lost-connection suites fail once in a while and sometimes hang.
@Suite(.postgres) struct ClosedConnectionTests {
    /// A statement on a connection that has closed is not sent, says so at once, and does not wait for an answer
    /// that cannot come.
    @Test func aStatementOnAClosedConnectionIsNotSentAndDoesNotWait() async throws {
        try await TestDatabase.withAdmin { client in
            try await client.withConnection { connection in
                // Closed on its own loop: the handlers' removal is queued ahead of anything written from here.
                try await connection.eventLoop.submit { _ = connection.close() as EventLoopFuture<Void> }.get()
                let sql = SQL(connection: connection, logger: Logger(label: "test"))
                let outcome = try #require(
                    await within(.seconds(30)) { () -> Result<Void, any Error> in
                        do { return .success(try await sql.execute("SELECT 1")) } catch { return .failure(error) }
                    }, "the statement waited for an answer from a closed connection")
                #expect(throws: ClosedBeforeSending.self) { try outcome.get() }
            }
        }
    }

    /// The pool hands a write the connection it has not yet learned is closed (the store has one connection; the
    /// close's last step is held behind a blocked event loop, and the write runs step by step on a held executor
    /// until it has leased that connection): the write runs on a fresh connection, neither failing nor waiting.
    @Test func aWriteHandedAClosedPooledConnectionRunsOnAFreshOne() async throws {
        let (schema, url) = try await TestDatabase.freshSchema()
        var configuration = try PostgresStore.configuration(url: url)
        configuration.options.maximumConnections = 1
        let store = try await PostgresStore(configuration: configuration)
        let gate = DispatchSemaphore(value: 0)
        let held = HeldExecutor()
        do {
            let root = try await store.createUnit(name: "机关党委", parentId: nil).id
            try await store.client.withConnection { connection in
                try await connection.eventLoop.submit {
                    // The loop first waits on the gate, then runs the close's last step: the pool lists the
                    // connection as idle until the gate opens.
                    connection.eventLoop.execute { gate.wait() }
                    _ = connection.close() as EventLoopFuture<Void>
                }.get()
            }
            let write = Task(executorPreference: held) {
                try await store.createUnit(name: "第一支部", parentId: root)
            }
            // Every step the write can take on its own: it leases the idle (closed) connection, then waits on the
            // connection's loop, behind the gate.
            held.runUntilIdle()
            held.letGo()
            gate.signal()
            let outcome = try #require(
                await within(.seconds(30)) { await write.result },
                "the write waited for an answer from a closed connection")
            _ = try outcome.get()
            #expect(try await store.units().map(\.name).sorted() == ["机关党委", "第一支部"].sorted())
            await store.close()
            try await TestDatabase.drop(schema)
        } catch {
            gate.signal()
            held.letGo()
            await store.close()
            try? await TestDatabase.drop(schema)
            throw error
        }
    }
}

/// A task executor that holds its jobs until the test runs them (`runUntilIdle`) or lets them go to the global
/// executor (`letGo`): a task preferring it takes exactly the steps it can take on its own, and no more, while
/// the test waits.
final class HeldExecutor: TaskExecutor {
    private let state = Mutex<(jobs: [UnownedJob], held: Bool)>(([], true))

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let held = state.withLock { state in
            if state.held { state.jobs.append(job) }
            return state.held
        }
        if !held { run(job) }
    }

    /// Runs the held jobs here, and those they enqueue, until none is left.
    func runUntilIdle() {
        while let job = state.withLock({ $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Stops holding: the held jobs and every later one run on their own.
    func letGo() {
        let jobs = state.withLock { state in
            state.held = false
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in jobs { run(job) }
    }

    private func run(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
