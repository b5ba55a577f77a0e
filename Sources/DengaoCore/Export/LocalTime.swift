import Foundation

/// Moments written for people: "2026-12-06 12:34:56" in a named zone, the way exports and reports show times
/// (never epoch milliseconds). Text rather than an XLSX date cell, so the CSV and the workbook read the same and
/// no spreadsheet shifts it into the viewer's own zone.
public enum LocalTime {
    /// The zone an organization runs in when nobody says otherwise.
    public static let defaultZoneIdentifier = "Asia/Shanghai"

    /// `milliseconds` since the Unix epoch as local date and time in `zone`, to the second.
    public static func text(milliseconds: Int64, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(milliseconds.floorDividing(by: 1000)))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }

    /// A zone named the IANA way ("Asia/Shanghai"), or an error a person can act on.
    public static func zone(named identifier: String) throws -> TimeZone {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else {
            throw UnknownZone(identifier: identifier)
        }
        return zone
    }

    /// A zone name that is not an IANA time zone.
    public struct UnknownZone: Error, CustomStringConvertible {
        public let identifier: String
        public var description: String {
            "未知时区 \"\(identifier)\"，请写 IANA 时区名，如 Asia/Shanghai (unknown time zone \"\(identifier)\"; use an IANA name such as Asia/Shanghai)"
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, so a moment just before 1970 lands in the right second.
    fileprivate func floorDividing(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
