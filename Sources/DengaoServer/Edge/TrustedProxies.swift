import Foundation
import NIOCore

/// The reverse proxies (nginx in `deploy/`) whose `X-Forwarded-For` the server believes.
///
/// Behind a proxy every connection comes from the proxy's address, so the per-address limits (sign-in throttling,
/// connections per address) would count every phone as one client. A request that arrives from a trusted proxy is
/// counted for the address the proxy says it forwarded; anyone else's `X-Forwarded-For` is ignored, since a client
/// can send any header it likes.
public struct TrustedProxies: Sendable, Equatable {
    /// Addresses in canonical text form (`SocketAddress.ipAddress`), so `::1` and `0:0:0:0:0:0:0:1` are one.
    private let addresses: Set<String>

    /// Fails on anything that is not an IPv4 or IPv6 address (no names, no ranges): the operator learns at start-up,
    /// not when the first limit counts the proxy.
    public init(_ addresses: [String]) throws(InvalidAddress) {
        var canonical: Set<String> = []
        for address in addresses {
            guard let parsed = Self.canonical(address) else { throw InvalidAddress(text: address) }
            canonical.insert(parsed)
        }
        self.addresses = canonical
    }

    /// No proxy is trusted: every request counts for the address it came from.
    public static let none = try! TrustedProxies([])

    /// An address given to `--trusted-proxy` that is not an IP address.
    public struct InvalidAddress: Error, Sendable {
        public let text: String
    }

    public var isEmpty: Bool { addresses.isEmpty }

    /// Whether a connection from `address` (as `SocketAddress.ipAddress` gives it) is one of the proxies.
    public func contains(_ address: String) -> Bool {
        !addresses.isEmpty && Self.canonical(address).map(addresses.contains) == true
    }

    /// The client a request stands for: `peer` itself unless it is a trusted proxy; otherwise the right-most
    /// `X-Forwarded-For` entry that is not a trusted proxy. Entries further left were written by the client or by
    /// proxies nobody vouches for, so they are never believed. Every header line counts, in order (RFC 9110 §5.3).
    /// A malformed entry stops the walk: the request counts for the last address read before it.
    public func client(peer: String, forwardedFor headerValues: [String]) -> String {
        guard contains(peer) else { return peer }
        var client = peer
        let hops = headerValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = Self.canonical(hop) else { break }
            client = address
            if !addresses.contains(address) { break }
        }
        return client
    }

    /// The canonical text of an IPv4 or IPv6 address, or nil.
    private static func canonical(_ text: String) -> String? {
        // SocketAddress parses with inet_pton and prints with inet_ntop: exactly the forms the kernel reports.
        guard !text.isEmpty, let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return address.ipAddress
    }
}
