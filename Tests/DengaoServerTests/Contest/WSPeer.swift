import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore

/// A real WebSocket client of the contest endpoint for tests: sends JSON, collects every text message, and waits
/// for messages by type.
final class WSPeer: Sendable {
    let inbox = Inbox()
    private let outgoing: AsyncStream<String>.Continuation
    private let connection: Task<Void, Never>

    actor Inbox {
        var messages: [String] = []
        var all: [String] = []
        var closed = false
        /// The server's close frame, once the connection has ended with one.
        var closeFrame: WebSocketCloseFrame?

        func add(_ text: String) {
            messages.append(text)
            all.append(text)
        }

        func close(with frame: WebSocketCloseFrame? = nil) {
            closeFrame = frame
            closed = true
        }

        /// Drops pending messages up to and including the first of `type` matching `predicate`, and returns that one
        /// (nil if none yet).
        func skip(through type: String, where predicate: @Sendable ([String: Any]) -> Bool) -> String? {
            guard
                let index = messages.firstIndex(where: { text in
                    guard let object = WSPeer.object(text) else { return false }
                    return object["type"] as? String == type && predicate(object)
                })
            else { return nil }
            let found = messages[index]
            messages.removeFirst(index + 1)
            return found
        }

        /// Removes and returns the first pending message of `type` (and the messages before it stay).
        func take(_ type: String, where predicate: @Sendable ([String: Any]) -> Bool) -> String? {
            for (index, text) in messages.enumerated() {
                guard let object = WSPeer.object(text), object["type"] as? String == type, predicate(object) else {
                    continue
                }
                messages.remove(at: index)
                return text
            }
            return nil
        }
    }

    init(port: Int, path: String = "/ws/contest", cookie: String? = nil, origin: String? = nil) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        outgoing = continuation
        let inbox = self.inbox
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = "dengao_session=\(cookie)" }
        if let origin { headers[.origin] = origin }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
        connection = Task {
            var closeFrame: WebSocketCloseFrame?
            do {
                closeFrame = try await WebSocketClient.connect(
                    url: "ws://localhost:\(port)\(path)", configuration: configuration, logger: Logger(label: "peer")
                ) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in stream { try await outbound.write(.text(text)) }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 22) {
                                if case .text(let text) = message { await inbox.add(text) }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            } catch { print("WSPeer error", error) }
            await inbox.close(with: closeFrame)
        }
    }

    func send(_ object: [String: Any]) {
        outgoing.yield(String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func sendRaw(_ text: String) { outgoing.yield(text) }

    /// The next message of `type` matching `predicate`, waiting up to `timeout`.
    func next(
        _ type: String, timeout: Duration = .seconds(10),
        where predicate: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = await inbox.take(type, where: predicate), let message = Self.object(text) { return message }
            if await inbox.closed { throw TestFailure("connection closed while waiting for \(type)") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("no \(type) message within \(timeout); got \(await inbox.all.suffix(5))")
    }

    /// Waits for a message of `type` matching `predicate` and forgets it and everything before it: what comes
    /// next is what the server sent after it.
    @discardableResult
    func skip(
        through type: String, timeout: Duration = .seconds(10),
        where predicate: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = await inbox.skip(through: type, where: predicate), let message = Self.object(text) {
                return message
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("no \(type) message within \(timeout)")
    }

    var closed: Bool { get async { await inbox.closed } }
    var everything: [String] { get async { await inbox.all } }

    func close() async {
        outgoing.finish()
        await connection.value
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
