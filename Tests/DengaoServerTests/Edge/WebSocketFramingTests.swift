import Foundation
import Testing

/// RFC 6455 where it protects the server, checked with raw frames against the real server on both live sockets:
/// every violation ends the connection with its own close code, and the client gets to read that close frame.
@Suite struct WebSocketFramingTests {
    static let paths = ["/ws/contest", "/ws/campaign"]
    static let ping = #"{"type":"ping"}"#

    /// The same conversation on a live server; the answer is read on a thread of its own.
    private func answer(
        _ path: String, frames: [[UInt8]], pipelined: Bool = false, pause: Double = 0, closeAfterAnswer: Bool = false,
        answerClose: Bool = true
    ) async throws -> ServerAnswer {
        try await withLiveApp { client in
            let port = client.port!
            return try await onOwnThread {
                try ServerAnswer.of(
                    port: port, path: path, frames: frames, pipelined: pipelined, pause: pause,
                    closeAfterAnswer: closeAfterAnswer,
                    answerClose: answerClose)
            }
        }
    }

    @Test(arguments: paths) func aWellFormedPingIsAnswered(path: String) async throws {
        // The raw client itself is right: a masked ping gets its pong, and a close is answered in kind.
        let answer = try await answer(path, frames: [RawFrames.text(Self.ping)], closeAfterAnswer: true)
        #expect(answer.switched)
        #expect(answer.texts.contains { $0.contains(#""pong""#) }, "\(answer)")
        #expect(answer.closeCode == 1000, "\(answer)")
    }

    @Test(arguments: paths) func textThatIsNotUTF8ClosesWith1007(path: String) async throws {
        let answer = try await answer(path, frames: [RawFrames.frame(opcode: 1, [0x7b, 0xff, 0xfe, 0x7d])])
        #expect(answer.closeCode == 1007, "\(answer)")
        #expect(answer.texts.isEmpty, "\(answer)")
    }

    @Test(arguments: paths) func anUnmaskedFrameClosesWith1002(path: String) async throws {
        let answer = try await answer(path, frames: [RawFrames.text(Self.ping, masked: false)])
        #expect(answer.closeCode == 1002, "\(answer)")
        #expect(answer.texts.isEmpty, "an unmasked ping was answered: \(answer)")
    }

    @Test(arguments: paths) func anUnmaskedFrameSentWithTheUpgradeRequestClosesWith1002(path: String) async throws {
        // Frames that arrive with the request wait in NIO's upgrade handler and are decoded the moment the upgrade
        // completes: they must be checked like any other.
        let answer = try await answer(path, frames: [RawFrames.text(Self.ping, masked: false)], pipelined: true)
        #expect(answer.switched, "\(answer)")
        #expect(answer.closeCode == 1002, "\(answer)")
        #expect(answer.texts.isEmpty, "\(answer)")
    }

    @Test(arguments: paths) func anUnmaskedControlFrameClosesWith1002(path: String) async throws {
        let answer = try await answer(path, frames: [RawFrames.frame(opcode: 9, Array("hi".utf8), masked: false)])
        #expect(answer.closeCode == 1002, "\(answer)")
    }

    @Test(arguments: paths) func aContinuationWithoutAStartClosesWith1002(path: String) async throws {
        let answer = try await answer(path, frames: [RawFrames.frame(opcode: 0, Array(Self.ping.utf8))])
        #expect(answer.closeCode == 1002, "\(answer)")
        #expect(answer.texts.isEmpty, "\(answer)")
    }

    @Test(arguments: paths) func aFragmentedMessageOverTheLimitClosesWith1009(path: String) async throws {
        // Three fragments of 2,000 bytes: each frame is within the 4 KiB limit, the message is not.
        let chunk = [UInt8](repeating: 0x20, count: 2_000)
        let answer = try await answer(
            path,
            frames: [
                RawFrames.frame(opcode: 1, chunk, fin: false), RawFrames.frame(opcode: 0, chunk, fin: false),
                RawFrames.frame(opcode: 0, chunk, fin: true),
            ])
        #expect(answer.closeCode == 1009, "\(answer)")
        #expect(answer.texts.isEmpty, "\(answer)")
    }

    @Test(arguments: paths) func aFragmentedMessageWithinTheLimitIsRead(path: String) async throws {
        let bytes = Array(Self.ping.utf8)
        let answer = try await answer(
            path,
            frames: [
                RawFrames.frame(opcode: 1, Array(bytes[..<5]), fin: false),
                RawFrames.frame(opcode: 0, Array(bytes[5...]), fin: true),
            ], closeAfterAnswer: true)
        #expect(answer.texts.contains { $0.contains(#""pong""#) }, "\(answer)")
    }

    @Test(arguments: paths) func anOversizedFrameClosesWith1009AndTheClientReadsIt(path: String) async throws {
        // 64 KiB in one frame: the decoder refuses it from its header, with most of it still unread. The client reads
        // nothing for a while (as a busy phone would), then reads on to the end without answering: the close frame must
        // be followed by an orderly end (FIN), not a reset, which some clients' stacks answer by throwing away what
        // they had not read yet.
        let frame = RawFrames.frame(opcode: 1, [UInt8](repeating: 0x20, count: 65_536))
        let answer = try await answer(path, frames: [frame], pause: 0.5, answerClose: false)
        #expect(answer.closeCode == 1009, "\(answer)")
        #expect(answer.end == .closed, "\(answer)")
    }

    @Test(arguments: paths) func aSocketThatNeverSpeaksIsClosedWith1008(path: String) async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.webSocketSilenceLimit = .seconds(1)
        let (answer, seconds) = try await withLiveApp(configuration) { client in
            let port = client.port!
            return try await onOwnThread { () -> (ServerAnswer, Double) in
                let started = Date()
                let answer = try ServerAnswer.of(port: port, path: path, frames: [])
                return (answer, Date().timeIntervalSince(started))
            }
        }
        #expect(answer.switched)
        #expect(answer.closeCode == 1008, "\(answer)")
        #expect(seconds >= 0.9 && seconds < 4, "closed after \(seconds) s")
    }
}
