import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An organizer with the results page open while members climb (`dengao-bench climb --reports MS`): the report
/// pages' APIs requested one after another, one request every `interval` (the next starts when the previous has
/// answered if that took longer), each on its own connection, timed from connect to the last byte.
struct ReportLoad {
    /// A report API, as the results page and the participation page call it.
    struct Endpoint {
        let name: String
        let path: String
    }

    /// What was measured per endpoint, in milliseconds.
    struct Result {
        var latencies: [Double] = []
        var failures: [String] = []
    }

    let port: Int
    let headers: [(String, String)]
    let endpoints: [Endpoint]
    let interval: Double

    /// The results page of a campaign and the organization's participation over the 30 days to today (in the
    /// organization's zone, Asia/Shanghai by default).
    static func endpoints(campaignId: Int, today: Date = Date()) -> [Endpoint] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        let (from, to) = (formatter.string(from: today.addingTimeInterval(-29 * 86_400)), formatter.string(from: today))
        return [
            Endpoint(name: "campaign report", path: "/api/campaigns/\(campaignId)/report"),
            Endpoint(name: "campaign items", path: "/api/campaigns/\(campaignId)/items"),
            Endpoint(
                name: "participation 30 days", path: "/api/reports/participation?from=\(from)&to=\(to)&period=day"),
            Endpoint(name: "campaign day", path: "/api/campaigns/\(campaignId)/participation"),
            Endpoint(name: "results XLSX", path: "/api/campaigns/\(campaignId)/results?format=xlsx"),
        ]
    }

    /// Requests the endpoints in turn until `stopAt` (monotonic nanoseconds).
    func run(until stopAt: UInt64) -> [Result] {
        var results = Array(repeating: Result(), count: endpoints.count)
        var turn = 0
        while monotonicNanos() < stopAt {
            let index = turn % endpoints.count
            turn += 1
            let started = monotonicNanos()
            do {
                let reply = try httpRequest("GET", port: port, path: endpoints[index].path, headers: headers)
                results[index].latencies.append(nanosToMs(monotonicNanos() - started))
                if reply.status != 200 || reply.body.isEmpty { results[index].failures.append("HTTP \(reply.status)") }
            } catch {
                results[index].failures.append("\(error)")
            }
            let next = started + UInt64(interval * 1e6)
            let now = monotonicNanos()
            if next > now, next < stopAt { usleep(UInt32((next - now) / 1_000)) }
        }
        return results
    }
}
