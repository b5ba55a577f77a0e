extension ContestResults {
    /// The same results with only the seats `keep` accepts: their standings (each keeping the rank it has in the
    /// whole contest) and answers. The per-question 抢答 and 风险 figures stay the whole contest's.
    public func restricted(toSeats keep: (Seat) -> Bool) -> ContestResults {
        let standings = standings.filter { keep($0.seat) }
        let kept = Set(standings.map(\.seat.id))
        return ContestResults(
            answers: answers.filter { kept.contains($0.seat) }, standings: standings, phase: phase, revealed: revealed,
            buzzFigures: buzzFigures, stakeFigures: stakeFigures, polls: polls)
    }

    init(
        answers: [AnswerRow], standings: [StandingRow], phase: ContestPhase, revealed: Int,
        buzzFigures: [Int: BuzzFigures], stakeFigures: [Int: StakeFigures], polls: [PollTally]
    ) {
        self.answers = answers
        self.standings = standings
        self.phase = phase
        self.revealed = revealed
        self.buzzFigures = buzzFigures
        self.stakeFigures = stakeFigures
        self.polls = polls
    }
}
