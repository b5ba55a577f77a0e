/// The arithmetic of points, kept apart from the state machine so the rules read as the rulebook does. Every sum
/// saturates (`Saturating.swift`): the creation bounds keep real contests far from the limits, and a contest stored
/// before them must still replay without trapping.
public enum Scoring {
    /// 必答: Kahoot's rule, `round(points × (1 − (elapsed / limit) / 2))`: an instant answer scores full points,
    /// one at the buzzer half. Elapsed is clamped to the limit (answers in the grace period score as at the deadline).
    public static func speedPoints(points: Int, elapsedMilliseconds: Int, limitMilliseconds: Int) -> Int {
        guard limitMilliseconds > 0 else { return points }
        let elapsed = Double(min(max(elapsedMilliseconds, 0), limitMilliseconds))
        return Int(saturating: Double(points) * (1 - (elapsed / Double(limitMilliseconds)) / 2))
    }

    /// 必答's streak bonus: `bonus` for each earlier consecutive correct answer, up to `RoundSettings.maxStreak`.
    public static func streakBonus(bonus: Int, previousStreak: Int) -> Int {
        bonus.saturatingMultiplied(by: min(previousStreak, RoundSettings.maxStreak))
    }

    /// Points of a graded 必答 answer before the streak bonus.
    public static func everyone(
        _ correctness: Correctness, points: Int, elapsedMilliseconds: Int, limitMilliseconds: Int,
        multipleChoice: MultipleChoiceScoring
    ) -> Int {
        let full = speedPoints(
            points: points, elapsedMilliseconds: elapsedMilliseconds, limitMilliseconds: limitMilliseconds)
        switch correctness {
        case .correct: return full
        case .partial: return multipleChoice == .halfForSubset ? full.saturatingAdding(1) / 2 : 0
        case .wrong: return 0
        }
    }

    /// 风险 and 抢答 do not reward speed: the stake or the points are won or lost whole. A partial multiple-choice
    /// answer is wrong here unless the organizer chose half credit, which halves the gain and forfeits no stake.
    public static func allOrNothing(
        _ correctness: Correctness, gain: Int, loss: Int, multipleChoice: MultipleChoiceScoring
    ) -> Int {
        switch correctness {
        case .correct: return gain
        case .partial: return multipleChoice == .halfForSubset ? gain / 2 : loss.saturatingNegated
        case .wrong: return loss.saturatingNegated
        }
    }
}
