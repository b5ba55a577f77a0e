import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Read through the index on (day, memberId) alone; a test holds the query plan to it.
    static let campaignActivitySQL = "SELECT DISTINCT memberId, day FROM campaignAttempt WHERE day BETWEEN ? AND ?"
    /// Read through the partial index on (joinedAt, memberId) of members' seats alone; a test holds the plan to it.
    static let contestActivitySQL =
        "SELECT memberId, joinedAt FROM contestSeat WHERE memberId IS NOT NULL AND joinedAt >= ? AND joinedAt < ?"

    /// Members who joined a live contest from `start` (inclusive) to `end` (exclusive), in epoch milliseconds, with
    /// the moment they joined: a contest's part of the organization's activity (its day is read in the
    /// organization's zone by the caller).
    public func contestActivity(from start: Int64, until end: Int64) throws -> [(memberId: MemberID, at: Int64)] {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: Self.contestActivitySQL, arguments: [start, end])
            var activity: [(memberId: MemberID, at: Int64)] = []
            while let row = try rows.next() { activity.append((row[0], row[1])) }
            return activity
        }
    }

    /// Who made a campaign attempt on which day from `first` through `last`, each member and day once: the
    /// activity of the organization's participation report (a campaign's days are in its own zone).
    public func campaignActivity(from first: CampaignDay, through last: CampaignDay) throws -> [(
        memberId: MemberID, day: CampaignDay
    )] {
        try pool.read { db in
            // Days are stored as "YYYY-MM-DD", so text order is date order and the range is an index range.
            let rows = try Row.fetchCursor(
                db, sql: Self.campaignActivitySQL, arguments: [first.description, last.description])
            var activity: [(memberId: MemberID, day: CampaignDay)] = []
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
