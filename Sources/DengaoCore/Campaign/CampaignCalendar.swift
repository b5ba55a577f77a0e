import Foundation

/// A calendar date, independent of any time zone: what "today" means for a daily limit.
public struct CampaignDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD", refusing impossible dates (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (a: CampaignDay, b: CampaignDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
}

/// Days as the campaign's members live them: in the campaign's time zone, so a member in Shanghai gets new
/// attempts at their midnight, whatever zone the server runs in.
public struct CampaignCalendar: Sendable, Hashable {
    public let timeZone: TimeZone
    public let first: CampaignDay
    public let last: CampaignDay

    public init(timeZone: TimeZone, first: CampaignDay, last: CampaignDay) {
        self.timeZone = timeZone
        self.first = first
        self.last = last
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The local date of a moment (milliseconds since the Unix epoch).
    public func day(of milliseconds: Int64) -> CampaignDay { Self.day(of: milliseconds, in: timeZone) }

    /// The date of a moment in a zone, for callers with a zone but no campaign (the organization's reports).
    public static func day(of milliseconds: Int64, in zone: TimeZone) -> CampaignDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents(
            [.year, .month, .day], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        return CampaignDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// The first instant after the day, in milliseconds: the moment a day's roster is read at.
    public func end(of day: CampaignDay) -> Int64 {
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let next = calendar.date(byAdding: .day, value: 1, to: start)!
        return Int64((next.timeIntervalSince1970 * 1000).rounded())
    }

    /// Whether the campaign is running at that moment: from the first day's midnight to the last day's end.
    public func isOpen(at milliseconds: Int64) -> Bool {
        let today = day(of: milliseconds)
        return first <= today && today <= last
    }

    /// Every day of the campaign up to and including `until` (for participation per day).
    public func days(through until: CampaignDay) -> [CampaignDay] {
        var days: [CampaignDay] = []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard var date = calendar.date(from: DateComponents(year: first.year, month: first.month, day: first.day))
        else { return [] }
        let end = min(until, last)
        while true {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let day = CampaignDay(year: parts.year!, month: parts.month!, day: parts.day!)
            if end < day || days.count > 3660 { break }
            days.append(day)
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        }
        return days
    }
}
