import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Read through the index on (day, memberId) alone; a test holds the query plan to it.
    static let campaignActivitySQL = "SELECT DISTINCT memberId, day FROM campaignAttempt WHERE day BETWEEN ? AND ?"

    /// Who made a campaign attempt on which day from `first` through `last`, each member and day once: the
    /// activity of the organization's participation report (a campaign's days are in its own zone).
    public func campaignActivity(from first: CampaignDay, through last: CampaignDay) throws -> [(memberId: Int64, day: CampaignDay)] {
        try pool.read { db in
            // Days are stored as "YYYY-MM-DD", so text order is date order and the range is an index range.
            let rows = try Row.fetchCursor(db, sql: Self.campaignActivitySQL, arguments: [first.description, last.description])
            var activity: [(memberId: Int64, day: CampaignDay)] = []
            // A range has few distinct days and many rows: parse (and validate) each day's text once, and read the
            // columns by position, which spares a name lookup per row.
            var days: [String: CampaignDay] = [:]
            while let row = try rows.next() {
                let text: String = row[1]
                guard let day = days[text] ?? CampaignDay(text) else { continue }
                days[text] = day
                activity.append((row[0], day))
            }
            return activity
        }
    }
}
