import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

#if canImport(Glibc)
    import Glibc
#endif

// Support for the live-contest load benchmark: a lean NIO WebSocket client (one callback per text frame, no
// per-connection task), a byte scanner for the few fields the benchmark reads, a monotonic clock shared by all
// processes of the run (CLOCK_MONOTONIC), percentiles, and a blocking HTTP/1.1 client for the setup requests.

/// CLOCK_MONOTONIC in nanoseconds: the same clock in the coordinator, every worker and NIO's deadlines, so times
/// taken in different processes can be compared.
@inline(__always)
func monotonicNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func sleepUntil(_ deadline: UInt64) {
    let now = monotonicNanos()
    if deadline > now { usleep(useconds_t((deadline - now) / 1000)) }
}

// MARK: - WebSocket client

/// Called on the connection's event loop.
protocol WebSocketDelegate: AnyObject, Sendable {
    func opened(_ channel: any Channel)
    func received(_ text: ByteBuffer, at time: UInt64, channel: any Channel)
    /// The connection ended, or never came up (`error` set when the connect itself failed).
    func closed(error: (any Error)?)
}

enum WebSocketClient {
    /// Connects to ws://127.0.0.1:port/ws/contest from `source` (a loopback address, port chosen by the kernel)
    /// and upgrades; `delegate.opened` runs once the upgrade is done.
    static func connect(
        group: any EventLoopGroup, port: Int, source: String?, cookie: String?, delegate: any WebSocketDelegate
    ) {
        var bootstrap = ClientBootstrap(group: group)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(30))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 20, automaticErrorHandling: false) {
                        channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(WebSocketFrameHandler(delegate: delegate))
                        }
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
        if let source {
            bootstrap = bootstrap.bind(to: try! SocketAddress(ipAddress: source, port: 0))
        }
        let target = try! SocketAddress(ipAddress: "127.0.0.1", port: port)
        bootstrap.connect(to: target).whenComplete { result in
            switch result {
            case .failure(let error):
                delegate.closed(error: error)
            case .success(let channel):
                channel.closeFuture.whenComplete { _ in delegate.closed(error: nil) }
                var headers = HTTPHeaders()
                headers.add(name: "Host", value: "127.0.0.1:\(port)")
                headers.add(name: "Content-Length", value: "0")
                if let cookie { headers.add(name: "Cookie", value: cookie) }
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/contest", headers: headers)
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
    }

    /// A masked text frame (clients must mask).
    static func send(_ text: String, on channel: any Channel) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: maskKey(), data: buffer), promise: nil)
    }

    static func maskKey() -> WebSocketMaskingKey {
        let bits = UInt32.random(in: 1...UInt32.max)
        return WebSocketMaskingKey([
            UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
            UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24),
        ])!
    }
}

/// Text frames go to the delegate; pings are answered; a close frame closes.
final class WebSocketFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let delegate: any WebSocketDelegate
    /// A server message split over continuation frames (the server does not do this, but be correct).
    private var partial: ByteBuffer?

    init(delegate: any WebSocketDelegate) { self.delegate = delegate }

    func handlerAdded(context: ChannelHandlerContext) { delegate.opened(context.channel) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            if frame.fin {
                delegate.received(frame.unmaskedData, at: monotonicNanos(), channel: context.channel)
            } else {
                partial = frame.unmaskedData
            }
        case .continuation:
            guard var buffer = partial else { return }
            var data = frame.unmaskedData
            buffer.writeBuffer(&data)
            if frame.fin {
                partial = nil
                delegate.received(buffer, at: monotonicNanos(), channel: context.channel)
            } else {
                partial = buffer
            }
        case .ping:
            let pong = WebSocketFrame(
                fin: true, opcode: .pong, maskKey: WebSocketClient.maskKey(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

// MARK: - Reading server messages

/// Finds the few fields the benchmark needs in a server message without decoding it. Server JSON escapes quotes
/// inside strings, so a pattern such as `"type":"ack"` can only match a key and its value.
enum MessageScan {
    enum Kind { case tick, ack, state, reveal, welcome, error, other }

    private static let patterns: [(Kind, [UInt8])] = [
        (.tick, Array(#""type":"tick""#.utf8)), (.ack, Array(#""type":"ack""#.utf8)),
        (.state, Array(#""type":"state""#.utf8)), (.reveal, Array(#""type":"reveal""#.utf8)),
        (.welcome, Array(#""type":"welcome""#.utf8)), (.error, Array(#""type":"error""#.utf8)),
    ]
    private static let question = Array(#""question":{"#.utf8)
    private static let number = Array(#""number":"#.utf8)
    private static let status = Array(#""status":""#.utf8)
    private static let code = Array(#""code":""#.utf8)
    private static let accepted = Array(#""status":"accepted""#.utf8)

    static func kind(_ buffer: ByteBuffer) -> Kind {
        buffer.withUnsafeReadableBytes { bytes in
            for (kind, pattern) in patterns where find(pattern, in: bytes, from: 0) != nil { return kind }
            return .other
        }
    }

    /// A state's open question number; nil when it has none.
    static func questionNumber(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard let start = find(question, in: bytes, from: 0) else { return nil }
            return integer(after: number, in: bytes, from: start)
        }
    }

    /// The top-level `number` of an ack or a reveal.
    static func number(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in integer(after: number, in: bytes, from: 0) }
    }

    static func isAccepted(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in find(accepted, in: bytes, from: 0) != nil }
    }

    static func ackStatus(_ buffer: ByteBuffer) -> String { string(after: status, in: buffer) ?? "?" }
    static func errorCode(_ buffer: ByteBuffer) -> String { string(after: code, in: buffer) ?? "?" }

    private static func string(after pattern: [UInt8], in buffer: ByteBuffer) -> String? {
        buffer.withUnsafeReadableBytes { bytes in
            guard var index = find(pattern, in: bytes, from: 0) else { return nil }
            var out: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), out.count < 40 {
                out.append(bytes[index])
                index += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func integer(after pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard var index = find(pattern, in: bytes, from: start) else { return nil }
        var value = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// The index just past the first occurrence of `pattern` at or after `start`.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count else { return nil }
        return pattern.withUnsafeBytes { needle -> Int? in
            // memchr for the first byte, memcmp for the rest (memmem is not visible from Swift's Glibc).
            let first = Int32(needle[0])
            var offset = start
            let last = bytes.count - needle.count
            while offset <= last {
                guard let hit = memchr(base + offset, first, last - offset + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at + needle.count }
                offset = at + 1
            }
            return nil
        }
    }
}

// MARK: - Figures

/// Percentiles of a set of durations (nearest-rank on the sorted values).
struct Distribution: Codable {
    var count: Int
    var min: Double
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = Swift.max(0, Swift.min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[index]
        }
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
    }

    /// "p50 12.3 / p90 … / p99 45.6 / max 78.9 ms"
    var line: String {
        "p50 \(ms(p50)) · p90 \(ms(p90)) · p99 \(ms(p99)) · max \(ms(max)) ms (n=\(count))"
    }
}

func ms(_ value: Double) -> String {
    if value.isNaN { return "—" }
    return value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
}

func nanosToMs(_ value: UInt64) -> Double { Double(value) / 1e6 }

// MARK: - Processes

/// VmRSS / VmHWM of a process in KiB, from /proc.
func procStatusKiB(pid: Int32, field: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
    else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
}

/// User + system CPU seconds a process has used so far.
func procCPUSeconds(pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func selfCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Starts a child with no blocked signals. The coordinator runs on Swift's cooperative threads, which block most
/// signals, and a child inherits its parent thread's mask: perf then never sees SIGCHLD or SIGINT, and a server
/// would not see SIGTERM.
func runWithCleanSignalMask(_ process: Process) throws {
    var empty = sigset_t(), previous = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    try process.run()
}

/// Prints a line straight to fd 1, so progress shows as it happens even when stdout is a file or a pipe.
func say(_ line: String = "") { writeLine(line) }

/// Reads lines from a pipe, blocking.
final class LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fileDescriptor: Int32) { fd = fileDescriptor }

    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}

/// Writes one line to stdout at once (the worker's reports), unbuffered.
func writeLine(_ line: String, to fd: Int32 = STDOUT_FILENO) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
    bytes = []
}

// MARK: - HTTP for setup

struct HTTPReply {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One request over a fresh loopback connection (Connection: close), blocking. Setup only.
func httpRequest(_ method: String, port: Int, path: String, headers: [(String, String)] = [], body: Data? = nil) throws
    -> HTTPReply
{
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw BenchFailure("connect to 127.0.0.1:\(port): errno \(errno)") }
    var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
    var bytes = Array(request.utf8) + Array(body ?? Data())
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        guard written > 0 else { throw BenchFailure("write failed") }
        offset += written
    }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        response.append(contentsOf: chunk[..<count])
    }
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let split = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<$0 + 4]) == separator })
    else {
        throw BenchFailure("malformed HTTP response")
    }
    let headText = String(decoding: response[..<split], as: UTF8.self)
    var lines = headText.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
    let parsed: [(String, String)] = lines.compactMap { line in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    var payload = Array(response[(split + 4)...])
    if parsed.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
        var decoded: [UInt8] = []
        var index = 0
        while index < payload.count {
            guard let end = (index..<payload.count - 1).first(where: { payload[$0] == 13 && payload[$0 + 1] == 10 }),
                let size = Int(
                    String(decoding: payload[index..<end], as: UTF8.self).split(separator: ";")[0], radix: 16)
            else { break }
            if size == 0 { break }
            decoded.append(contentsOf: payload[(end + 2)..<min(payload.count, end + 2 + size)])
            index = end + 2 + size + 2
        }
        payload = decoded
    }
    return HTTPReply(status: status, headers: parsed, body: Data(payload))
}

/// A free TCP port on 127.0.0.1 (bound, read back, released).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw BenchFailure("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A deterministic per-player, per-question fraction in [0, 1): the player's think time within the window.
func thinkFraction(player: Int, question: Int, seed: UInt64) -> Double {
    var generator = SplitMix64(seed: seed ^ (UInt64(player) &* 0x9E37_79B9) ^ (UInt64(question) << 40))
    return Double(generator.next() >> 11) / Double(1 << 53)
}
