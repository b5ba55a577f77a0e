import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `dengao-bench bare-contest-server port=P seconds=S`: the reference `dengao-bench contest` measures the product
/// against, in the same run, with the same load generator.
///
/// The naive Hummingbird broadcast-and-ack endpoint: one WebSocket route, no state but the list of open
/// connections, no storage, no journal. Every connection is welcomed on its first message; the host's `next` and
/// `reveal` send one shared frame to every connection, `await writer.write` connection after connection; an answer
/// is acknowledged at once. Frames carry the same fields the generator looks for (and about the product's sizes), so
/// the figures differ only by what the product does that this does not.
enum BareBroadcastServer {
    /// The open connections' writers, in connection order.
    final class Connections: Sendable {
        private let writers = Mutex<[UInt64: WebSocketOutboundWriter]>([:])
        private let nextId = Atomic<UInt64>(0)
        private let question = Atomic<Int>(0)

        func add(_ writer: WebSocketOutboundWriter) -> UInt64 {
            let id = nextId.add(1, ordering: .relaxed).newValue
            writers.withLock { $0[id] = writer }
            return id
        }

        func remove(_ id: UInt64) { _ = writers.withLock { $0.removeValue(forKey: id) } }

        /// The naive broadcast: one shared frame, each connection's write awaited in turn.
        func broadcast(_ text: String) async {
            let frame = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
            for writer in writers.withLock({ Array($0.values) }) { try? await writer.write(.custom(frame)) }
        }

        func nextQuestion() -> Int { question.add(1, ordering: .relaxed).newValue }
        var currentQuestion: Int { question.load(ordering: .relaxed) }
    }

    /// About the product's question frame (a 必答 single-choice question, its four options and the round's fields).
    static func stateFrame(number: Int) -> String {
        let options = (1...4).map { #""选项\#($0)：这是一个与题库中选项长度相当的答案文本""# }.joined(separator: ",")
        return #"{"type":"state","phase":"open","paused":false,"remainingMs":20000,"question":{"number":\#(number),"#
            + #""total":3,"round":1,"roundTitle":"必答","kind":"everyone","category":"党章党规党纪","type":"single","#
            + #""stem":"这是一道长度与题库中题目相当的单选题题干，用来让这里发送的帧与产品发送的帧大小相近？","#
            + #""options":[\#(options)],"letters":["A","B","C","D"],"timeLimitMs":20000,"points":10}}"#
    }

    /// About the product's reveal frame (key, distribution, options and a player's own result).
    static func revealFrame(number: Int) -> String {
        let options = (1...4).map { #""选项\#($0)：这是一个与题库中选项长度相当的答案文本""# }.joined(separator: ",")
        return #"{"you":{"correctness":"correct","points":10,"score":10},"type":"reveal","number":\#(number),"#
            + #""key":[0],"distribution":[2500,2500,2500,2500],"options":[\#(options)],"letters":["A","B","C","D"],"#
            + #""explanation":"这是一段与题库中解析长度相当的说明文字。"}"#
    }

    static func main(_ arguments: [String]) async {
        var options: [String: String] = [:]
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { options[parts[0]] = parts[1] }
        }
        guard let port = options["port"].flatMap(Int.init) else {
            say("usage: dengao-bench bare-contest-server port=P [seconds=S]")
            exit(64)
        }
        // Never outlive the run.
        let seconds = options["seconds"].flatMap(UInt32.init) ?? 900
        Thread.detachNewThread {
            sleep(seconds)
            exit(3)
        }
        signal(SIGPIPE, SIG_IGN)
        let connections = Connections()
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/ws/contest") { inbound, outbound, _ in
            let id = connections.add(outbound)
            defer { connections.remove(id) }
            for try await message in inbound.messages(maxSize: 4096) {
                guard case .text(let text) = message else { continue }
                if text.contains(#""type":"answer""#) {
                    let number = connections.currentQuestion
                    try await outbound.write(.text(#"{"type":"ack","number":\#(number),"status":"accepted"}"#))
                } else if text.contains(#""command":"next""#) {
                    await connections.broadcast(stateFrame(number: connections.nextQuestion()))
                } else if text.contains(#""command":"reveal""#) {
                    await connections.broadcast(revealFrame(number: connections.currentQuestion))
                } else if text.contains(#""type":"command""#) {
                    continue
                } else {
                    try await outbound.write(.text(#"{"type":"welcome","role":"player"}"#))
                }
            }
        }
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter, configuration: .init(ws: .init(autoPing: .disabled))),
            configuration: .init(address: .hostname("127.0.0.1", port: port), backlog: 4096))
        do {
            try await app.runService()
        } catch {
            say("bare server: \(error)")
            exit(1)
        }
    }
}
