import DengaoCore
import Foundation
import HummingbirdWebSocket
import NIOCore
import ServiceLifecycle

/// `/ws/campaign`: big screens (display token) and the organizer's monitor (console session) watching a
/// campaign's boards. The first message says which campaign; the room then pushes `board` messages, at most one a
/// second, whenever members climb. Clients ping; a silent one is closed like a contest's.
struct CampaignSocket: Sendable {
    let hub: CampaignHub
    /// Hands out connection ids for both live sockets.
    let contests: ContestHub
    let authorizer: Authorizer
    let storage: any Storage

    struct Message: Decodable {
        enum Kind: String, Decodable { case display, watch, ping }
        var type: Kind
        var campaignId: CampaignID?
        var token: String?
    }

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
        let id = contests.connectionId()
        let principal = context.requestContext.session?.principal
        var room: CampaignRoom?
        let metrics = hub.journal.metrics
        var counted = metrics.webSocketOpened()
        defer { metrics.webSocketClosed(counted) }
        var failure: (any Error)?
        do {
            for try await message in inbound.messages(maxSize: ClientMessage.maximumBytes) {
                outbox.heard()
                guard case .text(let text) = message,
                    let decoded = try? JSONDecoder().decode(Message.self, from: Data(text.utf8))
                else {
                    outbox.send(Self.error("malformed", "消息格式不对 (malformed message)"))
                    continue
                }
                switch decoded.type {
                case .ping:
                    outbox.send(FrameEncoder.encode(.pong))
                case .display, .watch:
                    guard room == nil else {
                        outbox.send(Self.error("already-joined", "此连接已加入 (this connection already joined)"))
                        continue
                    }
                    do {
                        room = try await watch(decoded, principal: principal)
                        // Shutting down: sent away to come back to the next start.
                        if contests.isClosingForRestart.load(ordering: .acquiring) {
                            outbox.closeForRestart()
                            continue
                        }
                        await room?.attachDisplay(id, outbox: outbox)
                        let role: WebSocketRole = decoded.type == .display ? .campaignDisplay : .campaignMonitor
                        metrics.webSocket(counted, became: role)
                        counted = role
                    } catch let refusal as CampaignRefusal {
                        outbox.send(Self.error(refusal.code, refusal.message))
                    } catch {
                        outbox.send(Self.error("forbidden", "无权访问 (forbidden)"))
                    }
                }
            }
        } catch {
            // Too large a message or a broken frame: the connection ends here.
            failure = error
        }
        await room?.detachDisplay(id)
        // Rethrown for WSCore to close with the code it carries (1002, 1007, 1009); the outbox would close with 1000.
        if let failure { throw failure }
        outbox.close()
    }

    private func watch(_ message: Message, principal: Principal?) async throws -> CampaignRoom {
        guard let campaignId = message.campaignId else { throw CampaignRefusal.badLink }
        switch message.type {
        case .display:
            let storage = self.storage
            guard let token = message.token, SecretTokens.isWellFormed(token),
                let summary = try await storage.campaign(displayTokenHash: SecretTokens.hash(token)),
                summary.id == campaignId
            else { throw CampaignRefusal.badLink }
        default:
            guard let principal, principal.isStaff else { throw CampaignRefusal.notInCampaign }
            try await authorizer.demand(.campaign(parameter: "id"), principal: principal) { _ in String(campaignId) }
        }
        guard let room = try await hub.room(id: campaignId) else { throw CampaignRefusal.badLink }
        return room
    }

    private static func error(_ code: String, _ message: String) -> ByteBuffer {
        FrameEncoder.encode(.error(.init(code: code, message: message)))
    }
}
