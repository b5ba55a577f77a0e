import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain blocking TCP socket, for tests that must send exactly the bytes they mean (raw WebSocket frames, half a
/// request, nothing at all) and see exactly how the server ends the connection: a FIN, a reset, or not at all.
/// Used only inside `onOwnThread`, never shared.
final class RawSocket {
    private var fd: Int32

    /// How a read ended.
    enum End: Equatable, Sendable {
        /// Still open when the time was up.
        case open
        /// The server closed the connection (FIN).
        case closed
        /// The connection was reset: what the server sent last may have been thrown away unread.
        case reset
    }

    /// Connects to 127.0.0.1:`port`, from the loopback address `source` when given (127.0.0.x are all local, so a
    /// test can be several client addresses), with a receive buffer of about `receiveBuffer` bytes when given (a
    /// small one fills after a few frames, for a phone that stops reading).
    init(port: Int, source: String? = nil, receiveBuffer: Int32? = nil) throws {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        let fd = self.fd
        if let source {
            var local = Self.address("\(source)", port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { close(); throw TestFailure("bind \(source): errno \(errno)") }
        }
        if var receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        }
        var remote = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { close(); throw TestFailure("connect: errno \(errno)") }
    }

    deinit { close() }

    /// Closes the connection (also done when the socket goes away).
    func close() {
        #if canImport(Glibc)
            if fd >= 0 { _ = Glibc.close(fd) }
        #else
            if fd >= 0 { _ = Darwin.close(fd) }
        #endif
        fd = -1
    }

    private static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send: errno \(errno)") }
            sent += n
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Reads until `enough` says so, the connection ends, or `timeout` seconds pass.
    func read(timeout: Double, until enough: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], end: End) {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !enough(bytes) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (bytes, .open) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                bytes += buffer[0..<n]
            } else if n == 0 {
                return (bytes, .closed)
            } else if errno == ECONNRESET {
                return (bytes, .reset)
            } else if errno != EINTR && errno != EAGAIN {
                return (bytes, .closed)
            }
        }
        return (bytes, .open)
    }

    /// Reads whatever arrives until the connection ends (or `timeout`), and says how it ended.
    func readToEnd(timeout: Double) -> (bytes: [UInt8], end: End) { read(timeout: timeout) }
}

/// Runs `body` on a thread of its own: blocking socket calls must not hold one of Swift concurrency's few threads,
/// which also run the server under test.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Raw WebSocket frames, as a client writes them and as the server's come back.
enum RawFrames {
    static func upgradeRequest(path: String, port: Int) -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    /// One frame; masked (as a client must) unless told otherwise.
    static func frame(opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let mask: UInt8 = masked ? 0x80 : 0
        switch payload.count {
        case ..<126: bytes.append(mask | UInt8(payload.count))
        case ..<65_536: bytes += [mask | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: bytes += [mask | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        guard masked else { return bytes + payload }
        let key: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
        return bytes + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    }

    static func text(_ text: String, fin: Bool = true, masked: Bool = true) -> [UInt8] {
        frame(opcode: 1, Array(text.utf8), fin: fin, masked: masked)
    }

    /// The server's (unmasked) frames in `bytes`, as far as they are complete.
    static func parse(_ bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        var frames: [(UInt8, [UInt8])] = []
        var at = 0
        while bytes.count - at >= 2 {
            var length = Int(bytes[at + 1] & 0x7f)
            var header = 2
            if length == 126 {
                guard bytes.count - at >= 4 else { break }
                length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
                header = 4
            } else if length == 127 {
                guard bytes.count - at >= 10 else { break }
                length = (0..<8).reduce(0) { $0 << 8 | Int(bytes[at + 2 + $1]) }
                header = 10
            }
            guard bytes.count - at >= header + length else { break }
            frames.append((bytes[at] & 0x0f, Array(bytes[(at + header)..<(at + header + length)])))
            at += header + length
        }
        return frames
    }
}

/// How the server answered a raw WebSocket conversation.
struct ServerAnswer: Sendable, CustomStringConvertible {
    var switched: Bool
    /// Text frames before the close.
    var texts: [String]
    /// The close frame's status code; nil when no close frame arrived.
    var closeCode: UInt16?
    var end: RawSocket.End

    var description: String {
        "switched \(switched), texts \(texts), close \(closeCode.map(String.init) ?? "none"), \(end)"
    }

    /// Upgrades on `path`, sends `frames` (in the same write as the request when `pipelined`), waits `pause`
    /// seconds without reading (or, `closeAfterAnswer`, for the first text frame, and then sends a close), then reads
    /// until the server's close frame, answers it as a client does (unless not `answerClose`), and reads until the
    /// connection ends.
    static func of(
        port: Int, path: String, frames: [[UInt8]], pipelined: Bool = false, pause: Double = 0,
        closeAfterAnswer: Bool = false,
        answerClose: Bool = true, timeout: Double = 10
    ) throws -> ServerAnswer {
        let socket = try RawSocket(port: port)
        let request = Array(RawFrames.upgradeRequest(path: path, port: port).utf8)
        var bytes: [UInt8] = []
        if pipelined {
            try socket.write(request + frames.flatMap { $0 })
        } else {
            try socket.write(request)
            bytes = socket.read(timeout: timeout) { $0.firstRange(of: Array("\r\n\r\n".utf8)) != nil }.bytes
            // A server that refuses a frame may close before all of it is sent: what it read is what counts.
            for frame in frames { try? socket.write(frame) }
        }
        if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        if closeAfterAnswer {
            // As a client that got what it asked for: waits for the first answer, then says goodbye.
            bytes += socket.read(timeout: timeout) { !Self.parse(bytes + $0).texts.isEmpty }.bytes
            try socket.write(RawFrames.frame(opcode: 8, [0x03, 0xe8]))
        }
        let reading = socket.read(timeout: timeout) { answerClose && Self.parse(bytes + $0).closeCode != nil }
        bytes += reading.bytes
        var answer = Self.parse(bytes)
        answer.end = reading.end
        if reading.end == .open, let code = answer.closeCode {
            try? socket.write(RawFrames.frame(opcode: 8, [UInt8(code >> 8), UInt8(code & 0xff)]))
            answer.end = socket.readToEnd(timeout: timeout).end
        }
        return answer
    }

    /// What `bytes` (the response head and the frames after it) hold so far.
    private static func parse(_ bytes: [UInt8]) -> ServerAnswer {
        guard let headEnd = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
            return ServerAnswer(switched: false, texts: [], closeCode: nil, end: .open)
        }
        let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
        let frames = RawFrames.parse(Array(bytes[headEnd.upperBound...]))
        let texts = frames.filter { $0.opcode == 1 }.map { String(decoding: $0.payload, as: UTF8.self) }
        let close = frames.first { $0.opcode == 8 }.map {
            $0.payload.count >= 2 ? UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]) : 1005
        }
        return ServerAnswer(switched: head.hasPrefix("HTTP/1.1 101"), texts: texts, closeCode: close, end: .open)
    }
}
