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
            campaign: info(levelInfos()), today: today.description, rosterCount: roster.count, participants: leaderboard.count,
            participantsToday: participantsByDay[today] ?? 0, branches: branchStandings(),
            top: leaderboard.top(Self.topClimbers).map(climber))
    }

    func branchStandings() -> [CampaignView.BranchStanding] {
        let names = Dictionary(branches.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return board.standings(of: branches.map(\.id)).map { standing in
            CampaignView.BranchStanding(
                rank: standing.rank, id: standing.unitId, name: names[standing.unitId] ?? "—", roster: standing.rosterCount,
                participants: standing.participants, participationRate: standing.participationRate, meanHeight: standing.meanHeight,
                composite: standing.composite)
        }
    }

    func climber(_ entry: CampaignLeaderboard.Entry) -> CampaignView.Climber {
        let member = roster[entry.memberId]
        let key = entry.key
        return CampaignView.Climber(
            rank: entry.rank, memberId: entry.memberId, name: member?.name ?? "—",
            branch: member.flatMap { branchShown(for: $0.unitId) }.flatMap { id in branches.first { $0.id == id }?.name } ?? "",
            height: key.height, accuracy: key.answered > 0 ? Double(key.correct) / Double(key.answered) : 0,
            totalSeconds: Int(key.totalMilliseconds / 1000))
    }

    /// The board's branch a unit counts under: itself or the nearest ancestor the board lists.
    func branchShown(for unit: Int64) -> Int64? {
        let listed = Set(branches.map(\.id))
        return tree.lineage(of: unit).reversed().first { listed.contains($0.id) }?.id
    }

    // MARK: - Big screens

    func attachDisplay(_ id: UInt64, outbox: Outbox) {
        displays[id] = outbox
        outbox.send(FrameEncoder.encode(value: boardView(at: now())))
    }

    func detachDisplay(_ id: UInt64) { displays[id] = nil }

    func pushBoard(at now: Int64) {
        boardChanged = false
        lastPush = now
        let frame = FrameEncoder.encode(value: boardView(at: now))
        for (id, outbox) in displays where !outbox.send(frame) { displays[id] = nil }
    }
}
