import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

#if canImport(Glibc)
    import Glibc
#endif

/// Uploads and exports over HTTP cannot be turned against the server or the organizer: a guest's name cannot run
/// in the results sheet, and imports beyond the server's slots are refused, not piled up.
@Suite struct UploadsAndExportsTests {
    /// The case: a guest joins as `=HYPERLINK(…)`; the standings download keeps it text.
    @Test func aGuestNamedLikeAFormulaStaysTextInTheStandings() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            // Names are at most 20 characters; this one is a working formula in Excel.
            let name = "=HYPERLINK(\"x.cn\")"
            let guest = WSPeer(port: client.port!)
            guest.send(["type": "join", "pin": created.contest.pin, "name": name, "branchId": 2])
            _ = try await guest.next("welcome")
            let csv = try await admin.execute(
                uri: "/api/contests/\(created.contest.id)/results?format=csv&sheet=standings", method: .get
            ) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let rows = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            #expect(rows.count == 1)
            #expect(rows.first?.hasPrefix("1,\"'=HYPERLINK(\"\"x.cn\"\")\",") == true, "\(rows)")
            await guest.close()
        }
    }

    /// With one import slot, an upload whose body is still arriving holds it: a second one gets 503 at once, with a
    /// Chinese message and Retry-After; the first is imported when its body is complete, and the slot is free again.
    @Test(.timeLimit(.minutes(5))) func importsBeyondTheServersSlotsAreRefused() async throws {
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.maxConcurrentImports = 1
        let bank = Data("题干,答案\n党的根本宗旨是全心全意为人民服务。,对\n".utf8)
        try await withSignedInAdmin(configuration) { admin in
            // Two uploads, each with its head and the start of its body; whichever the server reaches first holds
            // the slot until the rest of its body arrives.
            let uploads = try ["甲", "乙"].map { name in
                let connection = try RawHTTPConnection(port: admin.client.port!)
                let head =
                    "POST /api/banks?name=\(segment(name))&filename=bank.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Cookie: dengao_session=\(admin.cookie)\r\nX-CSRF-Token: \(admin.csrfToken)\r\n"
                    + "Content-Length: \(bank.count)\r\n\r\n"
                try connection.send(Data(head.utf8) + bank.prefix(5))
                return (name: name, connection: connection)
            }
            defer { for upload in uploads { upload.connection.close() } }
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, upload) in uploads.enumerated() {
                    group.addTask { (index, try await upload.connection.response()) }
                }
                let (refusedIndex, refused) = try await group.next()!
                #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused)")
                #expect(refused.contains("服务器正在处理其他导入，请稍后再试"))
                #expect(refused.lowercased().contains("retry-after: 5"))
                let holder = uploads[1 - refusedIndex]
                try holder.connection.send(bank.dropFirst(5))
                let (_, imported) = try await group.next()!
                #expect(imported.hasPrefix("HTTP/1.1 201"), "\(imported)")
                try await admin.execute(uri: "/api/banks/\(segment(holder.name))", method: .get) {
                    #expect($0.status == .ok)
                }
                try await admin.execute(uri: "/api/banks/\(segment(uploads[refusedIndex].name))", method: .get) {
                    #expect($0.status == .notFound)
                }
            }
            // The slot is free again.
            try await admin.execute(
                uri: "/api/banks?name=b&filename=b.csv", method: .post, body: ByteBuffer(data: bank)
            ) {
                #expect($0.status == .created)
            }
        }
    }
}

/// A plain TCP connection for requests the test client cannot make, such as a body sent in two parts.
final class RawHTTPConnection: @unchecked Sendable {
    // `@unchecked Sendable`: its only state is an immutable descriptor, and the kernel allows one thread to send on a
    // socket while another receives.
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else { throw TestFailure("cannot connect to 127.0.0.1:\(port)") }
        // A server that never answers fails the read after a minute instead of holding the test forever.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let count = data.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, data.count - sent, 0) }
            guard count > 0 else { throw TestFailure("send failed") }
            sent += count
        }
    }

    /// Reads until the response's head and its Content-Length of body have arrived.
    func receiveResponse() throws -> String {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let text = String(data: received, encoding: .utf8), let split = text.range(of: "\r\n\r\n") {
                let head = text[..<split.lowerBound].lowercased()
                let length =
                    head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text.utf8.distance(from: text.startIndex, to: split.upperBound) >= length {
                    return text
                }
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else {
                throw TestFailure(
                    "the connection closed or a minute passed: \(String(decoding: received, as: UTF8.self))")
            }
            received.append(contentsOf: buffer[0..<count])
        }
    }

    /// `receiveResponse` on a thread of its own: the server answering it runs in this same process, on Swift
    /// concurrency's threads, and Dispatch's global queue is as narrow as the machine (two threads here, both
    /// taken by this test's two reads).
    func response() async throws -> String {
        try await onOwnThread { try self.receiveResponse() }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
