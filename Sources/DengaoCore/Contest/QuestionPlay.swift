/// The state of the question in play. Times inside are "active" milliseconds since it opened, paused time
/// excluded, so a pause freezes every deadline without rewriting any of them.
public struct QuestionPlay: Sendable, Hashable {
    public let index: Int
    public internal(set) var openedAt: ContestTime?
    public internal(set) var pausedMilliseconds: Int64 = 0
    var pausedAt: ContestTime?
    /// The active time at which the current window (answers, buzzer, or the buzzer holder's answer) ends.
    public internal(set) var activeDeadline: Int?
    public internal(set) var answers: [Int: AnswerRecord] = [:]
    public internal(set) var wagers: [Int: Int] = [:]
    public internal(set) var buzz = BuzzState()

    init(index: Int) { self.index = index }

    /// In 抢答 the window that matters is the holder's answer time while someone holds the buzzer.
    mutating func followBuzzer() { activeDeadline = buzz.holderDeadline ?? buzz.closesAt }

    public func activeElapsed(at now: ContestTime) -> Int {
        guard let openedAt else { return 0 }
        let end = pausedAt ?? now
        return Int(max(0, end.saturatingSubtracting(openedAt).saturatingSubtracting(pausedMilliseconds)))
    }
}

/// 抢答's buzzer: when it opens and closes, who holds it, who has had their turn, and the points won and lost.
public struct BuzzState: Sendable, Hashable {
    public internal(set) var opensAt = 0
    public internal(set) var closesAt = 0
    public internal(set) var holder: Int?
    public internal(set) var holderDeadline: Int?
    /// Seats that buzzed early or answered; each gets one turn per question.
    public internal(set) var tried: Set<Int> = []
    public internal(set) var points: [Int: Int] = [:]

    public var isOpen: Bool { holder == nil }

    mutating func resolveWrong(_ seat: Int, penalty: Int, at elapsed: Int, window: Int) {
        points[seat] = points[seat, default: 0].saturatingSubtracting(penalty)
        holder = nil
        holderDeadline = nil
        // The others get a fresh window, as a host would give them.
        closesAt = max(closesAt, elapsed.saturatingAdding(window))
    }
}
