import Testing

@testable import DengaoServer

/// Which address a request counts for when a reverse proxy forwards it.
struct TrustedProxiesTests {
    private let proxies = try! TrustedProxies(["10.0.0.2", "10.0.0.3", "::1"])

    @Test func aClientsOwnForwardedForIsIgnoredUnlessItComesFromAProxy() {
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        #expect(TrustedProxies.none.client(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"]) == "10.0.0.2")
    }

    @Test func theRightMostAddressNoProxyVouchesForIsTheClient() {
        // nginx appends the address it saw: what the client wrote itself sits to the left and is not believed.
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7")
        // Two proxies in a row; header lines count in order, as one list.
        #expect(
            proxies.client(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.7", " 10.0.0.3 "]) == "198.51.100.7")
        #expect(proxies.client(peer: "0:0:0:0:0:0:0:1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
    }

    @Test func withoutAUsableHeaderTheRequestCountsForTheProxy() {
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: ["not-an-address"]) == "10.0.0.2")
        // A malformed hop stops the walk: nothing to its left is believed.
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: ["198.51.100.7, unknown, 10.0.0.3"]) == "10.0.0.3")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: ["10.0.0.3"]) == "10.0.0.3")
    }

    @Test func onlyIPAddressesAreAccepted() {
        for text in ["proxy.example.org", "10.0.0.0/8", "", "10.0.0.256", "127.0.0.1:80"] {
            #expect(throws: TrustedProxies.InvalidAddress.self) { try TrustedProxies([text]) }
        }
        #expect(proxies.contains("::1") && proxies.contains("0::1") && !proxies.contains("10.0.0.4"))
    }
}
