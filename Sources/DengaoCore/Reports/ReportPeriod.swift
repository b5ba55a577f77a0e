import Foundation

/// A stretch of calendar days a report counts as one: a day, a week (Monday to Sunday, as Chinese calendars and
/// ISO 8601 have it), a month or a quarter — cut to the dates asked for.
public struct ReportPeriod: Sendable, Hashable, Codable {
    public enum Length: String, Sendable, CaseIterable, Codable {
        case day, week, month, quarter
    }

    public let length: Length
    public let first: CampaignDay
    public let last: CampaignDay

    public init(length: Length, first: CampaignDay, last: CampaignDay) {
        self.length = length
        self.first = first
        self.last = last
    }

    /// How organizers write it: `2026-11-03`, `2026-11-02～11-08`, `2026-11`, `2026年第4季度`.
    public var label: String {
        switch length {
        case .day: return first.description
        case .week: return first.description + "～" + String(last.description.dropFirst(5))
        case .month: return String(first.description.prefix(7))
        case .quarter: return "\(first.year)年第\((first.month - 1) / 3 + 1)季度"
        }
    }

    /// The most days one report may span: three years, enough for a quarter-by-quarter review of a term, and a
    /// bound on the work one request can cause.
    public static let maximumDays = 1_100

    /// The most days a report counts one by one: a year. Each period reads the whole roster, so a day-by-day report
    /// of three years would be three times the work for a chart no one can read; longer ranges go by week or more.
    public static let maximumDailyPeriods = 366

    /// The periods of `length` covering `first…last` in order, the first and last cut to the range. Empty when the
    /// range is backwards.
    public static func split(_ first: CampaignDay, _ last: CampaignDay, by length: Length) -> [ReportPeriod] {
        let days = ReportPeriod.days(first, last)
        var periods: [ReportPeriod] = []
        var start: CampaignDay?
        for (index, day) in days.enumerated() {
            if start == nil { start = day }
            let isLast = index == days.count - 1
            if isLast || ReportPeriod.startsPeriod(days[index + 1], length) {
                periods.append(ReportPeriod(length: length, first: start!, last: day))
                start = nil
            }
        }
        return periods
    }

    /// Every calendar day from `first` through `last` (at most `maximumDays`).
    public static func days(_ first: CampaignDay, _ last: CampaignDay) -> [CampaignDay] {
        guard first <= last,
            var date = utc.date(from: DateComponents(year: first.year, month: first.month, day: first.day))
        else {
            return []
        }
        var days: [CampaignDay] = []
        while days.count < maximumDays {
            let day = CampaignDay(date: date)
            if last < day { break }
            days.append(day)
            date = utc.date(byAdding: .day, value: 1, to: date)!
        }
        return days
    }

    /// The number of days from `first` through `last`, without listing them (for checking a request's range).
    public static func dayCount(_ first: CampaignDay, _ last: CampaignDay) -> Int {
        guard let a = utc.date(from: DateComponents(year: first.year, month: first.month, day: first.day)),
            let b = utc.date(from: DateComponents(year: last.year, month: last.month, day: last.day))
        else { return 0 }
        return (utc.dateComponents([.day], from: a, to: b).day ?? -1) + 1
    }

    /// The day `count` days after `day` (before it, when negative).
    public static func day(_ count: Int, after day: CampaignDay) -> CampaignDay {
        CampaignDay(date: utc.date(byAdding: .day, value: count, to: day.utcDate)!)
    }

    /// The range of as many days just before `first…last`: what a report's figures are compared with (上期).
    public static func previousRange(_ first: CampaignDay, _ last: CampaignDay) -> (
        first: CampaignDay, last: CampaignDay
    ) {
        let length = max(1, dayCount(first, last))
        return (day(-length, after: first), day(-1, after: first))
    }

    /// Whether a period of `length` begins on `day`.
    static func startsPeriod(_ day: CampaignDay, _ length: Length) -> Bool {
        switch length {
        case .day: return true
        case .week: return utc.component(.weekday, from: day.utcDate) == 2  // Monday
        case .month: return day.day == 1
        case .quarter: return day.day == 1 && (day.month - 1) % 3 == 0
        }
    }

    /// Calendar arithmetic on dates alone: UTC has no daylight-saving gaps, so every day is one step.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension CampaignDay {
    /// The day of a date read in UTC (the inverse of `utcDate`).
    init(date: Date) {
        let parts = ReportPeriod.utc.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Midnight of the day in UTC: a stand-in for the date in zone-free calendar arithmetic.
    var utcDate: Date { ReportPeriod.utc.date(from: DateComponents(year: year, month: month, day: day))! }
}
