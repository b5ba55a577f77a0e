import DengaoCore
import NIOCore

/// The boards: branches of the subtree with participation against the roster, mean height and the composite,
/// and the top climbers; pushed to big screens at most once a second.
extension CampaignRoom {
    static let topClimbers = 20

    /// The boards as they stand now (one hop for the console's board request).
    func currentBoard() -> CampaignView.Board { boardView(at: now()) }

    func boardView(at now: Int64) -> CampaignView.Board {
        let today = calendar.day(of: now)
        return CampaignView.Board(
            campaign: info(levelInfos()), today: today.description, rosterCount: machine.roster.count,
            participants: machine.leaderboard.count, participantsToday: machine.participantsByDay[today] ?? 0,
            branches: branchStandings(),
            top: machine.leaderboard.top(Self.topClimbers).map(climber))
    }

    func branchStandings() -> [CampaignView.BranchStanding] {
        let branches = machine.branches.pickable
        let names = Dictionary(branches.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return machine.board.standings(of: branches.map(\.id)).map { standing in
            CampaignView.BranchStanding(
                rank: standing.rank, id: standing.unitId, name: names[standing.unitId] ?? "—",
                roster: standing.rosterCount,
                participants: standing.participants, participationRate: standing.participationRate,
                meanHeight: standing.meanHeight,
                composite: standing.composite)
        }
    }

    func climber(_ entry: CampaignLeaderboard.Entry) -> CampaignView.Climber {
        let member = machine.roster[entry.memberId]
        let key = entry.key
        return CampaignView.Climber(
            rank: entry.rank, memberId: entry.memberId, name: member?.name ?? "—",
            branch: member.flatMap { branchName(for: $0.unitId) } ?? "",
            height: key.height, levelCount: machine.ladder(of: entry.memberId).levels.count,
            accuracy: key.answered > 0 ? Double(key.correct) / Double(key.answered) : 0,
            totalSeconds: Int(key.totalMilliseconds / 1000))
    }

    /// The name of the board's branch a unit counts under.
    func branchName(for unit: UnitID) -> String? {
        machine.branchShown(for: unit).flatMap { id in machine.branches.pickable.first { $0.id == id }?.name }
    }

    // MARK: - Big screens

    func attachDisplay(_ id: UInt64, outbox: Outbox) {
        if closedForRestart { return outbox.closeForRestart() }
        displays[id] = outbox
        lastUsed = now()
        outbox.send(FrameEncoder.encode(value: boardView(at: now())))
    }

    /// The server is shutting down: every big screen and monitor is closed with 1001 (they reconnect to the next
    /// start), and one that comes meanwhile is sent away at once. Returns the outboxes closed.
    func closeForRestart() -> [Outbox] {
        closedForRestart = true
        let closing = Array(displays.values)
        for outbox in closing { outbox.closeForRestart() }
        displays = [:]
        return closing
    }

    func detachDisplay(_ id: UInt64) {
        displays[id] = nil
        lastUsed = now()
    }

    func pushBoard(at now: Int64) {
        pushedRevision = machine.boardRevision
        lastPush = now
        journal.metrics.timeFanOut(.board) {
            let frame = FrameEncoder.encode(value: boardView(at: now))
            for (id, outbox) in displays where !outbox.send(frame) { displays[id] = nil }
        }
    }
}
