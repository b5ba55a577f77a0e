import DengaoCore
import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import ServiceLifecycle

/// One WebSocket connection of a live contest: reads the client's messages one at a time, hands them to the
/// contest's room, and writes what the room queues for it. Its first message says who it is (join, resume, host,
/// display); the room does the rest.
struct ContestSocket: Sendable {
    let hub: ContestHub
    let authorizer: Authorizer
    let storage: any Storage

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<AppRequestContext>
    ) async throws {
        let outbox = Outbox(
            outbound: outbound, journal: hub.journal, clock: hub.clock, channel: context.requestContext.channel)
        // A socket no room holds when the server shuts down (one that has not said who it is) still gets its close
        // cut short if the client does not answer it; those in rooms were closed with 1001 by `ShutdownDrain`.
        try await withGracefulShutdownHandler {
            try await serve(inbound: inbound, outbox: outbox, context: context)
        } onGracefulShutdown: {
            outbox.closeForRestart()
        }
    }

    /// Reads the client's messages until it goes; `outbox` is how everything reaches it.
    private func serve(
        inbound: WebSocketInboundStream, outbox: Outbox, context: WebSocketRouterContext<AppRequestContext>
    ) async throws {
        let id = hub.connectionId()
        var session = Session(
            connection: id, outbox: outbox, principal: context.requestContext.session?.principal,
            address: context.requestContext.clientAddress)
        let metrics = hub.journal.metrics
        var counted = metrics.webSocketOpened()
        defer { metrics.webSocketClosed(counted) }
        var failure: (any Error)?
        do {
            for try await message in inbound.messages(maxSize: ClientMessage.maximumBytes) {
                outbox.heard()
                guard case .text(let text) = message else {
                    outbox.send(
                        FrameEncoder.encode(
                            .error(.init(code: "malformed", message: "消息须为 JSON 文本 (messages are JSON text)"))))
                    continue
                }
                let decoded: ClientMessage
                do {
                    decoded = try JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8))
                } catch {
                    outbox.send(
                        FrameEncoder.encode(
                            .error(
                                .init(code: "malformed", message: Self.malformed(error))))
                    )
                    continue
                }
                switch decoded {
                case .join, .resume:
                    // Read again for its version only, once a connection: a phone's page loaded before an upgrade
                    // speaks version 1 (`ClientMessage.supportedVersions`).
                    session.protocolVersion =
                        (try? JSONDecoder().decode(Versioned.self, from: Data(text.utf8)))?.v
                        ?? ClientMessage.protocolVersion
                default: break
                }
                if case .answer(let number, let picks, let truth, let text) = decoded {
                    // The hot path of a surge, handled in this task: a child task per answer doubled the jobs the
                    // two cooperative threads run per answer, and an answer's frames are shallow (the room's work is
                    // synchronous on the actor), unlike a join's.
                    await answer(number: number, picks: picks, truth: truth, text: text, session: session)
                } else {
                    session = await respondInChildTask(to: decoded, session: session)
                }
                metrics.webSocket(counted, became: WebSocketRole(session.role))
                counted = WebSocketRole(session.role)
            }
        } catch {
            // Too large a message or a broken frame: the connection ends here; the seat can be resumed.
            failure = error
        }
        if let room = session.room { await room.detach(id) }
        // Rethrown for WSCore to close with the code it carries (1002, 1007, 1009); the outbox would close with 1000.
        if let failure { throw failure }
        outbox.close()
    }

    /// An answer, in the connection's own task. Kept out of line, like `respondInChildTask` and `respond`: a task
    /// keeps every slab its allocator ever took until it ends, so the connection's task holds for its whole life the
    /// deepest stack it ever had. With `respond` (and the join path under it) inlined into `serve`, that frame alone
    /// took a 2.7 KiB slab per connection (heaptrack, release; BENCHMARKS.md).
    @inline(never)
    private func answer(number: Int, picks: [Int]?, truth: Bool?, text: String?, session: Session) async {
        guard let room = session.room, case .player = session.role else {
            return session.refuse("not-seated", "请先加入比赛 (join first)")
        }
        let arrived = ContinuousClock.now
        let (reply, newlyAccepted) = await room.answer(
            from: session.connection, number: number, picks: picks, truth: truth, text: text)
        session.outbox.send(FrameEncoder.encode(reply), answeredAt: newlyAccepted ? arrived : nil)
    }

    /// Handles one message in a child task. A task's allocator keeps its high-water mark until the task ends, so
    /// the deep frames of a join (storage, the hub, the room) would otherwise stay resident for the connection's whole life.
    @inline(never)
    private func respondInChildTask(to message: ClientMessage, session: Session) async -> Session {
        await withTaskGroup(of: Session.self) { group in
            group.addTask {
                var session = session
                await respond(to: message, session: &session)
                return session
            }
            return await group.next() ?? session
        }
    }

    /// A message's `v`, alone.
    private struct Versioned: Decodable { var v: Int? }

    /// What this connection has become so far.
    struct Session {
        let connection: UInt64
        let outbox: Outbox
        let principal: Principal?
        /// The client's address, which unknown PINs are counted against (`PinGuesses`).
        let address: String
        var room: ContestRoom?
        var role: ContestRoom.Role?
        /// The protocol version of the phone's `join` or `resume`.
        var protocolVersion = ClientMessage.protocolVersion

        func send(_ message: ServerMessage) { outbox.send(FrameEncoder.encode(message)) }
        func refuse(_ code: String, _ message: String) { send(.error(.init(code: code, message: message))) }
    }

    @inline(never)
    private func respond(to message: ClientMessage, session: inout Session) async {
        do {
            switch message {
            case .ping:
                session.send(.pong)
            case .join, .resume, .host, .display:
                guard session.role == nil else {
                    return session.refuse("already-joined", "此连接已加入 (this connection already joined)")
                }
                try await identify(message, session: &session)
            case .answer(let number, let picks, let truth, let text):
                await answer(number: number, picks: picks, truth: truth, text: text, session: session)
            case .buzz(let number):
                guard let room = session.room, case .player = session.role else {
                    return session.refuse("not-seated", "请先加入比赛 (join first)")
                }
                session.send(await room.buzz(from: session.connection, number: number))
            case .wager(let number, let amount):
                guard let room = session.room, case .player = session.role else {
                    return session.refuse("not-seated", "请先加入比赛 (join first)")
                }
                session.send(await room.wager(from: session.connection, number: number, amount: amount))
            case .command(let command):
                guard let room = session.room, session.role == .host else {
                    return session.refuse("not-host", "仅主持人可操作 (host only)")
                }
                if let refusal = await room.command(command) { session.send(refusal) }
            case .kick(let seat):
                guard let room = session.room, session.role == .host else {
                    return session.refuse("not-host", "仅主持人可操作 (host only)")
                }
                if let refusal = await room.kick(seat) { session.send(refusal) }
            }
        } catch let refusal as RoomRefusal {
            session.send(.error(.init(refusal)))
        } catch let error as APIError {
            session.refuse(error.code ?? (error.status == .forbidden ? "forbidden" : "refused"), error.message)
        } catch let error as StorageError {
            // Storage refusals become what the HTTP API would say (a set-aside contest, a missing member).
            let refusal = APIError(error)
            session.refuse(refusal.code ?? "refused", refusal.message)
        } catch {
            session.refuse("not-saved", "未能保存，请重试 (not saved, try again)")
        }
    }

    private func identify(_ message: ClientMessage, session: inout Session) async throws {
        // Shutting down: sent away to come back to the next start (a room closing meanwhile does the same).
        if hub.isClosingForRestart.load(ordering: .acquiring) { return session.outbox.closeForRestart() }
        switch message {
        case .join(let pin, let name, let branchId):
            guard let room = try await hub.room(pin: pin, from: session.address) else {
                return session.refuse("no-contest", "没有这个比赛码 (no contest with this PIN)")
            }
            let identity: PlayerIdentity
            if case .member(let memberId, let unitId)? = session.principal {
                let storage = self.storage
                let member = try await storage.member(id: memberId)
                // Only a contest for some categories needs the list to turn the member's names into ids.
                let held =
                    room.summary.settings.memberCategoryIds.isEmpty
                    ? [] : try await storage.memberCategoryIds(named: member.categories)
                identity = .member(id: memberId, name: member.name, unitId: unitId, categories: Set(held))
            } else {
                identity = .guest(name: name ?? "", branchId: branchId)
            }
            let seated = try await room.seat(identity)
            // The welcome carries the resume token; like every frame it leaves once the seat is on disk.
            await room.attachPlayer(
                session.connection, seat: seated.seat, token: seated.token, outbox: session.outbox,
                protocolVersion: session.protocolVersion)
            session.room = room
            session.role = .player(seat: seated.seat)
        case .resume(let pin, let token):
            guard let room = try await hub.room(pin: pin, from: session.address) else {
                return session.refuse("no-contest", "没有这个比赛码 (no contest with this PIN)")
            }
            let seat = try await room.seat(resuming: token)
            await room.attachPlayer(
                session.connection, seat: seat, token: nil, outbox: session.outbox,
                protocolVersion: session.protocolVersion)
            session.room = room
            session.role = .player(seat: seat)
        case .host(let contestId):
            guard let principal = session.principal, principal.isStaff else {
                return session.refuse("forbidden", "请先登录控制台 (sign in first)")
            }
            try await authorizer.demand(.contest(parameter: "id"), principal: principal) { _ in String(contestId) }
            guard let room = try await hub.room(id: contestId) else {
                return session.refuse("no-contest", "没有这个比赛 (no such contest)")
            }
            await room.attachViewer(session.connection, role: .host, outbox: session.outbox)
            session.room = room
            session.role = .host
        case .display(let contestId, let token):
            let storage = self.storage
            let hash = SecretTokens.hash(token)
            let contest = SecretTokens.isWellFormed(token) ? try await storage.contest(displayTokenHash: hash) : nil
            guard let contest, contest.id == contestId, let room = try await hub.room(id: contest.id) else {
                return session.refuse("bad-token", "大屏链接无效 (invalid display link)")
            }
            await room.attachViewer(session.connection, role: .display, outbox: session.outbox)
            session.room = room
            session.role = .display
        default:
            break
        }
    }

    /// A decoding error in one line a client developer can act on.
    /// Why a message could not be read, in Chinese and in English; a field is named as the protocol names it.
    static func reason(_ error: any Error) -> (chinese: String, english: String) {
        switch error {
        case DecodingError.keyNotFound(let key, _): ("缺少 \(key.stringValue)", "missing \(key.stringValue)")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            ("\(path(context)) 类型不对", "wrong type at \(path(context))")
        case DecodingError.dataCorrupted(let context) where context.codingPath.map(\.stringValue) == ["v"]:
            ("不支持这个协议版本", "protocol version not supported")
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            ("\(path(context)) 的值无效", "invalid value at \(path(context))")
        default: ("不是 JSON", "not JSON")
        }
    }

    static func malformed(_ error: any Error) -> String {
        let reason = reason(error)
        return "消息格式不对：\(reason.chinese) (malformed message: \(reason.english))"
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
