import DengaoCore
import Foundation
import NIOCore

/// Who is taking a seat: a member signed in through their invitation, or a guest naming themselves.
enum PlayerIdentity: Sendable {
    /// `categories`: the ids of the member categories they hold now (分层分类).
    case member(id: MemberID, name: String, unitId: UnitID, categories: Set<MemberCategoryID>)
    case guest(name: String, branchId: UnitID?)
}

/// Why a player's request changed nothing, as the `error` message's code and text.
struct RoomRefusal: Error, Sendable, Equatable {
    let code: String
    let message: String

    static let membersOnly = RoomRefusal(code: "members-only", message: "本场仅限通过邀请链接登录的党员参加 (members only)")
    static let badName = RoomRefusal(code: "bad-name", message: "请填写 1–20 个字的姓名 (name must be 1–20 characters)")
    static let badBranch = RoomRefusal(code: "bad-branch", message: "请选择本场比赛的支部 (pick a branch of this contest)")
    static let notInCategories = RoomRefusal(
        code: "not-in-categories",
        message: "本场比赛仅限指定类别的党员参加 (this contest is for members of other categories)")
    static let notInContest = RoomRefusal(
        code: "not-in-contest", message: "您所在的组织不在本场比赛范围内 (your unit is not in this contest)")
    static let kicked = RoomRefusal(code: "kicked", message: "您已被主持人移出本场比赛 (removed by the host)")
    static let badToken = RoomRefusal(code: "bad-token", message: "无法恢复座位，请重新加入 (unknown resume token)")
    static let notSeated = RoomRefusal(code: "not-seated", message: "请先加入比赛 (join first)")
    static let noSuchSeat = RoomRefusal(code: "no-such-seat", message: "没有这个座位 (no such seat)")
    static let kickAfterFinish = RoomRefusal(
        code: "not-now", message: "比赛已结束，不能再移出选手 (the contest is over; no one can be removed)")
    static let withdrawn = RoomRefusal(
        code: "withdrawn",
        message: "比赛已被组织者修改或删除，请刷新页面 (the organizer changed or deleted this contest; reload the page)")

    init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    init(_ rejection: ContestRejection) {
        let messages: [ContestRejection: String] = [
            .notSeated: "请先加入比赛 (not seated)",
            .notThisQuestion: "不是当前题目 (not the current question)",
            .notOpen: "现在不能作答 (not open for answers)",
            .paused: "比赛已暂停 (paused)",
            .malformedAnswer: "答案格式不对 (malformed answer)",
            .notYourTurn: "请先抢答 (buzz first)",
            .buzzerTaken: "已被抢答 (someone else buzzed first)",
            .alreadyTried: "本题您已作答或抢跑 (you have had your turn)",
            .notWagering: "现在不能选择分值 (not choosing stakes now)",
            .wagerNotAllowed: "不可选的分值 (that stake is not offered)",
            .branchTaken: "该支部已有设备作答 (this branch already has a device)",
            .finished: "比赛已结束 (the contest is over)",
        ]
        self.init(code: rejection.rawValue, message: messages[rejection] ?? rejection.rawValue)
    }
}

extension ContestRoom {
    /// Seats a new player (or finds a signed-in member's existing seat). The seat is journaled; the caller then
    /// attaches the connection, whose welcome waits in the outbox for the seat to be on disk.
    func seat(_ identity: PlayerIdentity) throws(RoomRefusal) -> (seat: Int, token: String?) {
        if retired { throw .withdrawn }
        let now = settledNow()
        let seat: Seat
        switch identity {
        case .member(let memberId, let name, let unitId, let categories):
            if let existing = memberSeats[memberId].flatMap({ machine.seats[$0] }) {
                if machine.kicked.contains(existing.id) { throw .kicked }
                return (existing.id, nil)
            }
            guard branchNames[unitId] != nil else { throw .notInContest }
            guard summary.settings.admits(memberHolding: categories) else {
                throw .notInCategories
            }
            seat = Seat(id: machine.seats.count + 1, branchId: unitId, name: name, memberId: memberId)
        case .guest(let rawName, let branchId):
            if summary.settings.membersOnly { throw .membersOnly }
            guard let name = PlayerName.cleaned(rawName) else { throw .badName }
            guard let branchId, branches.contains(where: { $0.id == branchId }) else { throw .badBranch }
            seat = Seat(id: machine.seats.count + 1, branchId: branchId, name: name, memberId: nil)
        }
        let (refusal, changes) = machine.join(seat, at: now)
        if let refusal { throw RoomRefusal(refusal) }
        let token = SecretTokens.generate()
        let tokenHash = SecretTokens.hash(token)
        journalInput(.join(seat), at: now, tokenHash: tokenHash)
        journal.metrics.joins.increment()
        tokens[tokenHash] = seat.id
        if let memberId = seat.memberId { memberSeats[memberId] = seat.id }
        scoreboard.add(seat: seat.id, branchId: seat.branchId)
        react(changes, at: now)
        return (seat.id, token)
    }

    /// The seat a resume token belongs to.
    func seat(resuming token: String) throws(RoomRefusal) -> Int {
        guard SecretTokens.isWellFormed(token), let seat = tokens[SecretTokens.hash(token)] else { throw .badToken }
        if machine.kicked.contains(seat) { throw .kicked }
        return seat
    }

    /// The reply to a player's answer, and whether it is an answer accepted just now (not a repeat of one): only
    /// those are timed from arrival to acknowledgement.
    func answer(from connection: UInt64, number: Int, picks: [Int]?, truth: Bool?, text: String?) -> (
        reply: ServerMessage, newlyAccepted: Bool
    ) {
        guard case .player(let seat)? = connections[connection]?.role else {
            return (.error(.init(RoomRefusal.notSeated)), false)
        }
        let now = settledNow()
        guard let answer = canonicalAnswer(seat: seat, number: number, picks: picks, truth: truth, text: text) else {
            journal.metrics.answersRefused.increment()
            return (.error(.init(RoomRefusal(.malformedAnswer))), false)
        }
        let (outcome, changes) = machine.answer(seat: seat, number: number, answer, at: now)
        let reply: ServerMessage
        switch outcome {
        case .accepted(let record):
            journal.metrics.answersAccepted.increment()
            journalInput(
                .answer(seat: seat, number: number, answer: answer), at: now, accepted: record, changes: changes)
            reply = .ack(acknowledgement(of: record))
        case .duplicate(let first):
            // Idempotent: the same acknowledgement as the first answer's (the outbox holds it, like every frame,
            // until that answer is on disk).
            reply = .ack(acknowledgement(of: first))
        case .late:
            journal.metrics.answersLate.increment()
            reply = .ack(.init(number: number, status: "late"))
        case .rejected(let rejection):
            journal.metrics.answersRefused.increment()
            reply = .error(.init(RoomRefusal(rejection)))
        }
        react(changes, at: now)
        if case .accepted = outcome { return (reply, true) }
        return (reply, false)
    }

    func buzz(from connection: UInt64, number: Int) -> ServerMessage {
        guard case .player(let seat)? = connections[connection]?.role else {
            return .error(.init(RoomRefusal.notSeated))
        }
        let now = settledNow()
        let (outcome, changes) = machine.buzz(seat: seat, number: number, at: now)
        let reply: ServerMessage
        switch outcome {
        case .won(let answerBy):
            journalInput(.buzz(seat: seat, number: number), at: now)
            reply = .ack(.init(number: number, status: "buzz-won", answerByMs: answerBy))
        case .early(let penalty):
            journalInput(.buzz(seat: seat, number: number), at: now)
            reply = .ack(.init(number: number, status: "early-buzz", penalty: penalty))
        case .rejected(let rejection):
            reply = .error(.init(RoomRefusal(rejection)))
        }
        react(changes, at: now)
        return reply
    }

    func wager(from connection: UInt64, number: Int, amount: Int) -> ServerMessage {
        guard case .player(let seat)? = connections[connection]?.role else {
            return .error(.init(RoomRefusal.notSeated))
        }
        let now = settledNow()
        let (outcome, changes) = machine.wager(seat: seat, number: number, amount: amount, at: now)
        let reply: ServerMessage
        switch outcome {
        case .accepted(let amount):
            journalInput(.wager(seat: seat, number: number, amount: amount), at: now)
            reply = .ack(.init(number: number, status: "wager", amount: amount))
        case .rejected(let rejection):
            reply = .error(.init(RoomRefusal(rejection)))
        }
        react(changes, at: now)
        return reply
    }

    func acknowledgement(of record: AnswerRecord) -> ServerMessage.Ack {
        var ack = ServerMessage.Ack(number: record.number, status: "accepted")
        switch record.answer {
        case .choices(let indices):
            let count = machine.questions.first { $0.number == record.number }?.question.options.count ?? 0
            ack.picks = optionOrder(seat: record.seat, number: record.number, count: count).displayed(indices)
        case .truth(let truth): ack.truth = truth
        case .text(let text): ack.text = text
        }
        return ack
    }

    /// The player's screen positions mapped to the bank's option indices; nil when the shape is wrong.
    private func canonicalAnswer(seat: Int, number: Int, picks: [Int]?, truth: Bool?, text: String?) -> PlayerAnswer? {
        // Only the question open for answers is read: checking an answer against one not yet shown (a later
        // number, or the one whose stakes are being chosen) told its type and option count by `malformed-answer`,
        // and one that has closed is `late` whatever its form. The machine refuses the rest unread (late, not this
        // question, not open); only the open phase accepts, and the clock never opens a question by itself.
        guard machine.phase == .open, let shown = machine.currentQuestion, shown.number == number else {
            return picks.map { .choices($0) } ?? truth.map { .truth($0) } ?? text.map { .text($0) }
        }
        let question = shown.question
        return optionOrder(seat: seat, number: number, count: question.options.count)
            .canonicalAnswer(to: question, picks: picks, truth: truth, text: text)
    }

    func optionOrder(seat: Int, number: Int, count: Int) -> OptionOrder {
        OptionOrder(seed: summary.seed, player: seat, question: number, optionCount: count)
    }

    /// Removes a seat at the host's word; the refusal to send back when there is nothing to remove. Kicking a seat
    /// already removed changes nothing and says nothing, like a repeated click.
    func kick(_ seat: Int) -> ServerMessage? {
        let now = settledNow()
        if retired { return .error(.init(RoomRefusal.withdrawn)) }
        guard machine.phase != .finished else { return .error(.init(RoomRefusal.kickAfterFinish)) }
        guard machine.seats[seat] != nil else { return .error(.init(RoomRefusal.noSuchSeat)) }
        guard !machine.kicked.contains(seat) else { return nil }
        apply(.kick(seat: seat), at: now)
        scoreboard.remove(seat: seat)
        if let id = seatConnection[seat], let connection = connections[id] {
            connection.outbox.send(FrameEncoder.encode(.error(.init(RoomRefusal.kicked))))
            connection.outbox.close()
            detach(id)
        }
        return nil
    }

    /// A host command; the refusal to send back, if it is refused.
    func command(_ command: HostCommand) -> ServerMessage? {
        if retired { return .error(.init(RoomRefusal.withdrawn)) }
        let now = settledNow()
        do {
            let changes = try machine.command(command, at: now)
            journalInput(.command(command), at: now, changes: changes)
            react(changes, at: now)
            return nil
        } catch {
            switch error {
            case .notNow(let command, let phase):
                return .error(.init(code: "not-now", message: "现在不能执行 \(command.rawValue)（当前 \(phase.rawValue)）"))
            case .noMoreQuestions:
                return .error(.init(code: "no-more-questions", message: "已是最后一题，请结束比赛 (no more questions)"))
            case .finished:
                return .error(.init(code: "finished", message: "比赛已结束 (the contest is over)"))
            }
        }
    }
}

extension ServerMessage.ErrorView {
    init(_ refusal: RoomRefusal) { self.init(code: refusal.code, message: refusal.message) }
}
