import DengaoCore
import Foundation
import Testing

/// The session memory both backends keep: bounded, answered by the lookups' own clock until a session expires (or,
/// with a maximum age, until it was read too long ago), emptied by a clear that a read begun before it cannot undo.
@Suite struct SessionMemoryTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func session(_ id: Int64, expiresIn seconds: TimeInterval = 3_600) -> SessionView {
        SessionView(
            id: id, csrfToken: "c\(id)", principal: .administrator(accountId: AccountID(id)), lastSeenAt: start,
            expiresAt: start.addingTimeInterval(seconds))
    }

    @Test func aRememberedSessionAnswersUntilItExpires() {
        let memory = SessionMemory(capacity: 10)
        memory.remember(Self.session(1, expiresIn: 60), tokenHash: "a", at: Self.start, generation: memory.generation())
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(59)) == Self.session(1, expiresIn: 60))
        #expect(memory.lookup("b", at: Self.start) == nil)
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(60)) == nil, "expired at its expiresAt")
        #expect(memory.count == 0, "an expired session is forgotten")
        // Without a maximum age, a clock that went back still finds it: only expiry and clears end it.
        memory.remember(Self.session(1), tokenHash: "a", at: Self.start, generation: memory.generation())
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(-600)) != nil)
    }

    @Test func aMaximumAgeBoundsHowLongAReadAnswers() {
        let memory = SessionMemory(capacity: 10, maximumAge: 10)
        memory.remember(Self.session(1), tokenHash: "a", at: Self.start, generation: memory.generation())
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(9.9)) != nil)
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(10)) == nil, "read 10 s ago: read again")
        memory.remember(Self.session(1), tokenHash: "a", at: Self.start, generation: memory.generation())
        #expect(memory.lookup("a", at: Self.start.addingTimeInterval(-1)) == nil, "a clock that went back reads again")
        #expect(memory.count == 0)
    }

    @Test func zeroCapacityOrZeroAgeKeepsNothing() {
        for memory in [SessionMemory(capacity: 0), SessionMemory(capacity: 10, maximumAge: 0)] {
            memory.remember(Self.session(1), tokenHash: "a", at: Self.start, generation: memory.generation())
            #expect(memory.count == 0)
            #expect(memory.lookup("a", at: Self.start) == nil)
        }
    }

    @Test func aReadBegunBeforeAClearIsNotKept() {
        let memory = SessionMemory(capacity: 10)
        memory.remember(Self.session(1), tokenHash: "a", at: Self.start, generation: memory.generation())
        let before = memory.generation()
        memory.clear()
        #expect(memory.lookup("a", at: Self.start) == nil, "cleared")
        // The read that began before the revocation may have read the revoked session: it is not kept.
        memory.remember(Self.session(2), tokenHash: "b", at: Self.start, generation: before)
        #expect(memory.lookup("b", at: Self.start) == nil)
        memory.remember(Self.session(2), tokenHash: "b", at: Self.start, generation: memory.generation())
        #expect(memory.lookup("b", at: Self.start) != nil)
    }

    @Test func aFullMemoryForgetsOneForEachNewSession() {
        let memory = SessionMemory(capacity: 3)
        for id in 1...10 {
            memory.remember(
                Self.session(Int64(id)), tokenHash: "h\(id)", at: Self.start, generation: memory.generation())
            #expect(memory.count == min(id, 3))
            #expect(memory.lookup("h\(id)", at: Self.start)?.id == Int64(id), "the newest is always held")
        }
        let held = (1...10).filter { memory.lookup("h\($0)", at: Self.start) != nil }
        #expect(held.count == 3)
        // Remembering one already held replaces it and forgets nothing else.
        let last = held[held.count - 1]
        memory.remember(
            Self.session(Int64(last), expiresIn: 10), tokenHash: "h\(last)", at: Self.start,
            generation: memory.generation())
        #expect((1...10).filter { memory.lookup("h\($0)", at: Self.start) != nil } == held)
    }

    @Test func aSlidExpiryIsSeenByTheNextLookup() {
        let memory = SessionMemory(capacity: 10)
        memory.remember(Self.session(7, expiresIn: 60), tokenHash: "a", at: Self.start, generation: memory.generation())
        let later = Self.start.addingTimeInterval(30)
        memory.touched(id: 7, lastSeenAt: later, expiresAt: Self.start.addingTimeInterval(600))
        memory.touched(id: 8, lastSeenAt: later, expiresAt: Self.start.addingTimeInterval(600))
        let slid = memory.lookup("a", at: Self.start.addingTimeInterval(120))
        #expect(slid?.lastSeenAt == later && slid?.expiresAt == Self.start.addingTimeInterval(600))
        #expect(memory.count == 1, "touching a session not held adds nothing")
    }

    /// A session forgotten by eviction is no longer touched through its id; a token reissued to a new session id
    /// leaves no link from the old id.
    @Test func touchingFollowsOnlySessionsStillHeld() {
        var table = SessionTable(capacity: 1)
        table.remember(Self.session(1, expiresIn: 60), tokenHash: "a", at: Self.start, generation: 0)
        table.remember(Self.session(2, expiresIn: 60), tokenHash: "a", at: Self.start, generation: 0)
        table.touched(id: 1, lastSeenAt: Self.start, expiresAt: Self.start.addingTimeInterval(600))
        #expect(table.lookup("a", at: Self.start)?.expiresAt == Self.start.addingTimeInterval(60))
        table.remember(Self.session(3, expiresIn: 60), tokenHash: "b", at: Self.start, generation: 0)
        table.touched(id: 2, lastSeenAt: Self.start, expiresAt: Self.start.addingTimeInterval(600))
        #expect(table.lookup("b", at: Self.start)?.expiresAt == Self.start.addingTimeInterval(60))
        #expect(table.count == 1)
    }
}
