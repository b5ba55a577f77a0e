/// One change to an attempt, as `CampaignMachine` decides it: the journal writes it before the member hears of it.
public enum CampaignChange: Sendable, Hashable {
    case started(StartedAttempt)
    /// A question was put before the member at `at` (its deadline runs from then).
    case served(AttemptRef, index: Int, at: Int64)
    /// An answer (or a question's time running out, with no answer), and where the attempt stands after it.
    case answered(AttemptRef, AttemptAnswer, status: AttemptStatus, endedAt: Int64?)
    /// Abandoned or expired.
    case ended(AttemptRef, status: AttemptStatus, at: Int64)
}
