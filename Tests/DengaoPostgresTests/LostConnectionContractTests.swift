import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// A write of every protocol losing its PostgreSQL connection in the middle of its transaction (`LostConnection`):
/// it throws `StorageError.unavailable` (no acknowledgement, the server's 503, none of the driver's words), what it
/// reads back afterwards is what was there before, and the same write then commits on a fresh connection.
///
/// Each write waits on the table it writes last, so the statements before it have run when the connection goes.
@Suite(.postgres) struct LostConnectionContractTests {
    /// A prepared write and what shows whether it happened.
    struct Probe: Sendable {
        /// The write, run once to lose its connection and once more to commit.
        var write: @Sendable () async throws -> Void
        /// What the write changes, read through the protocols: equal before and after the lost write, different
        /// once it commits.
        var state: @Sendable () async throws -> String
    }

    /// One write to cut: the table whose writes another session holds off, and the write prepared on a store
    /// holding `FailureContractTests.prepared`'s history.
    struct Cut: Sendable, CustomTestStringConvertible {
        var name: String
        var table: String
        var prepare: @Sendable (any Storage, StorageContractTests.History) async throws -> Probe

        var testDescription: String { name }
    }

    static let at = StorageContractTests.created
    static let questions = [
        Question(type: .single, stem: "四", options: ["甲", "乙"], answer: .choices([1])),
        Question(type: .trueFalse, stem: "五", options: ["对", "错"], answer: .truth(false)),
    ]
    static let survey = SurveySettings(
        title: "调研", questions: [SurveyQuestion(prompt: "满意度", form: .rating(scale: 5))])

    /// A new contest drawing two of the questions the history's contest drew (the ids as the store returns them).
    static func contest(
        _ s: any Storage, _ history: StorageContractTests.History, title: String, order: [Int] = [0, 1]
    ) async throws -> NewContest {
        let drawn = try await s.contestQuestions(history.contest).map(\.questionId)
        return NewContest(
            ownerUnitId: nil, createdById: nil,
            settings: ContestSettings(
                title: title,
                rounds: [RoundSettings(title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 2))]),
            seed: 2, questionIds: [order.map { drawn[$0] }], displayTokenHash: "hash-\(title)")
    }

    static let banks: [Cut] = [
        Cut(name: "a bank imported", table: "question") { s, _ in
            Probe(
                write: {
                    _ = try await s.importBank(named: "新题库", questions: questions, format: .text, sourceName: nil)
                },
                state: { "\(try await s.banks().map { ($0.name, $0.versionCount, $0.latest.questionCount) })" })
        },
        Cut(name: "a bank's new version imported", table: "question") { s, _ in
            Probe(
                write: {
                    _ = try await s.importBank(named: "题库", questions: questions, format: .text, sourceName: nil)
                },
                state: { "\(try await s.versions(ofBank: "题库").map(\.questionCount))" })
        },
        Cut(name: "a bank deleted", table: "question") { s, _ in
            _ = try await s.importBank(named: "旧题库", questions: questions, format: .text, sourceName: nil)
            return Probe(
                write: { try await s.deleteBank(named: "旧题库") }, state: { "\(try await s.banks().map(\.name))" })
        },
        Cut(name: "a bank's sharing changed", table: "bank") { s, _ in
            Probe(
                write: { _ = try await s.updateBank(named: "题库", shared: false) },
                state: { "\(try await s.bank(named: "题库").shared)" })
        },
    ]

    static let org: [Cut] = [
        Cut(name: "a unit created", table: "unit") { s, history in
            Probe(
                write: { _ = try await s.createUnit(name: "第三支部", parentId: history.units.root, code: nil, at: at) },
                state: { "\(try await s.units().map(\.name))" })
        },
        Cut(name: "a unit renamed", table: "unit") { s, history in
            Probe(
                write: { _ = try await s.updateUnit(history.units.first, name: "改名支部") },
                state: { "\(try await s.units().map(\.name))" })
        },
        Cut(name: "a unit deleted", table: "unit") { s, history in
            let empty = try await s.createUnit(name: "空支部", parentId: history.units.root, code: nil, at: at).id
            return Probe(
                write: { try await s.deleteUnit(empty) }, state: { "\(try await s.units().map(\.name))" })
        },
        Cut(name: "a member added", table: "memberPlacement") { s, history in
            Probe(
                write: {
                    _ = try await s.addMember(number: "004", name: "丁", unitId: history.units.first, phone: nil, at: at)
                },
                state: { "\(try await s.members(ofUnit: history.units.first).members.map(\.number))" })
        },
        Cut(name: "a roster imported", table: "memberActiveSpan") { s, _ in
            let csv = "姓名,党员编号,所在支部\n王一,101,机关党委/新支部\n甲改,001,机关党委/第一支部\n"
            return Probe(
                write: {
                    _ = try await s.importRoster(
                        try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: true)
                },
                state: {
                    let names = try await s.units().map(\.name)
                    let member = try await s.member(number: "001").member.name
                    let added = try? await s.member(number: "101")
                    return "\(names) \(member) \(added?.member.name ?? "-")"
                })
        },
        Cut(name: "invitations made in bulk", table: "invitation") { s, history in
            Probe(
                write: {
                    _ = try await s.inviteUninvited(
                        MemberSelection(unitId: history.units.root, includeSubunits: true, numbers: nil),
                        createdBy: nil,
                        limit: 100, at: at,
                        newToken: {
                            let token = UUID().uuidString
                            return (token, "hash-" + token)
                        })
                },
                state: { "\(try await s.members(ofUnit: history.units.first).members.map(\.invitations))" })
        },
        Cut(name: "invitations revoked in bulk", table: "session") { s, history in
            let invitation = try await s.createInvitation(memberNumber: "001", tokenHash: "invited", createdBy: nil)
            let member = try await s.member(number: "001").member.id
            try await s.createSession(
                tokenHash: "member-session", csrfToken: "c", owner: .member(member, invitationId: invitation.id),
                expiresAt: Date() + 3_600)
            return Probe(
                write: {
                    _ = try await s.revokeInvitations(
                        MemberSelection(unitId: history.units.first, includeSubunits: false, numbers: nil))
                },
                state: {
                    let revoked = try await s.member(number: "001").invitations.map { $0.revokedAt != nil }
                    return "\(revoked) \(try await s.session(tokenHash: "member-session") != nil)"
                })
        },
    ]

    static let categories: [Cut] = [
        Cut(name: "a member category created", table: "memberCategory") { s, _ in
            Probe(
                write: { _ = try await s.createMemberCategory(name: "流动党员") },
                state: { "\(try await s.memberCategories().map(\.name))" })
        },
        Cut(name: "a member category changed", table: "memberCategory") { s, _ in
            let category = try #require(try await s.memberCategories().first)
            return Probe(
                write: { _ = try await s.updateMemberCategory(category.id, name: "新类别", largeText: true) },
                state: { "\(try await s.memberCategories().map { ($0.name, $0.largeText) })" })
        },
        Cut(name: "member categories reordered", table: "memberCategory") { s, _ in
            let ids = try await s.memberCategories().map(\.id)
            return Probe(
                write: { _ = try await s.reorderMemberCategories(ids.reversed()) },
                state: { "\(try await s.memberCategories().map(\.name))" })
        },
        Cut(name: "a member category deleted", table: "memberCategory") { s, _ in
            let category = try #require(try await s.memberCategories().first)
            return Probe(
                write: { try await s.deleteMemberCategory(category.id) },
                state: { "\(try await s.memberCategories().map(\.name))" })
        },
    ]

    static let access: [Cut] = [
        Cut(name: "an account created", table: "account") { s, history in
            Probe(
                write: {
                    _ = try await s.createAccount(
                        username: "second", displayName: nil, passwordHash: "x", role: .organizer,
                        unitId: history.units.second)
                },
                state: { "\(try await s.accounts().map(\.username))" })
        },
        Cut(name: "an account's password changed, its sessions ended", table: "session") { s, _ in
            let account = try await s.accountId(username: "organizer")
            try await s.createSession(
                tokenHash: "organizer-session", csrfToken: "c", owner: .account(account), expiresAt: Date() + 3_600)
            return Probe(
                write: {
                    _ = try await s.updateAccount(id: account, AccountChanges(displayName: "新名", passwordHash: "y"))
                },
                state: {
                    let name = try await s.account(id: account).displayName
                    return "\(name) \(try await s.session(tokenHash: "organizer-session") != nil)"
                })
        },
        Cut(name: "an account deleted", table: "account") { s, _ in
            let account = try await s.accountId(username: "organizer")
            return Probe(
                write: { try await s.deleteAccount(id: account) },
                state: { "\(try await s.accounts().map(\.username))" }
            )
        },
        Cut(name: "a session created", table: "session") { s, _ in
            let account = try await s.accountId(username: "organizer")
            return Probe(
                write: {
                    try await s.createSession(
                        tokenHash: "new-session", csrfToken: "c", owner: .account(account), expiresAt: Date() + 3_600)
                },
                state: { "\(try await s.session(tokenHash: "new-session") != nil)" })
        },
        Cut(name: "a session's expiry slid", table: "session") { s, _ in
            let account = try await s.accountId(username: "organizer")
            let now = Date()
            try await s.createSession(
                tokenHash: "sliding", csrfToken: "c", owner: .account(account), expiresAt: now + 60, at: now)
            let id = try #require(try await s.session(tokenHash: "sliding", at: now)).id
            // Looked up past its first expiry, the session is there only if the slide reached the database.
            return Probe(
                write: { try await s.touchSession(id: id, expiresAt: now + 3_600, at: now + 30) },
                state: { "\(try await s.session(tokenHash: "sliding", at: now + 120) != nil)" })
        },
        Cut(name: "a session ended", table: "session") { s, _ in
            let account = try await s.accountId(username: "organizer")
            try await s.createSession(
                tokenHash: "ending", csrfToken: "c", owner: .account(account), expiresAt: Date() + 3_600)
            return Probe(
                write: { try await s.deleteSession(tokenHash: "ending") },
                state: { "\(try await s.session(tokenHash: "ending") != nil)" })
        },
        Cut(name: "an invitation created", table: "invitation") { s, _ in
            Probe(
                write: { _ = try await s.createInvitation(memberNumber: "002", tokenHash: "one", createdBy: nil) },
                state: { "\(try await s.member(number: "002").invitations.count)" })
        },
        Cut(name: "an invitation revoked, its sessions ended", table: "session") { s, _ in
            let invitation = try await s.createInvitation(memberNumber: "002", tokenHash: "two", createdBy: nil)
            let member = try await s.member(number: "002").member.id
            try await s.createSession(
                tokenHash: "invited-session", csrfToken: "c", owner: .member(member, invitationId: invitation.id),
                expiresAt: Date() + 3_600)
            return Probe(
                write: { try await s.revokeInvitation(id: invitation.id) },
                state: {
                    let revoked = try await s.member(number: "002").invitations.map { $0.revokedAt != nil }
                    return "\(revoked) \(try await s.session(tokenHash: "invited-session") != nil)"
                })
        },
    ]

    static let contests: [Cut] = [
        Cut(name: "a contest created", table: "contestQuestion") { s, history in
            let new = try await contest(s, history, title: "新竞赛")
            return Probe(
                write: { _ = try await s.createContest(new, now: at) },
                state: { "\(try await s.contests(ownedBy: nil).map { ($0.title, $0.questionCount) })" })
        },
        Cut(name: "an unplayed contest replaced", table: "contestQuestion") { s, history in
            let id = try await s.createContest(contest(s, history, title: "未开始"), now: at).id
            let replacement = try await contest(s, history, title: "改过", order: [2, 0])
            return Probe(
                write: { _ = try await s.replaceUnplayedContest(id, with: replacement) },
                state: {
                    let found = try await s.contest(id: id)
                    return "\(found?.title ?? "-") \(try await s.contestQuestions(id).map(\.questionId))"
                })
        },
        Cut(name: "an unplayed contest deleted", table: "contestQuestion") { s, history in
            let id = try await s.createContest(contest(s, history, title: "未开始"), now: at).id
            return Probe(
                write: { try await s.deleteUnplayedContest(id) },
                state: { "\(try await s.contest(id: id)?.title ?? "-")" })
        },
        Cut(name: "a contest's display token replaced", table: "contest") { s, history in
            Probe(
                write: { try await s.replaceDisplayToken(ofContest: history.contest, hash: "new-screen") },
                state: { "\(try await s.contest(displayTokenHash: "new-screen")?.title ?? "-")" })
        },
    ]

    static let campaigns: [Cut] = [
        Cut(name: "a campaign created", table: "campaign") { s, _ in
            let new = NewCampaign(
                ownerUnitId: nil, createdById: nil,
                settings: CampaignSettings(title: "再登高", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"]),
                seed: 6, displayTokenHash: "climb-again")
            return Probe(
                write: { _ = try await s.createCampaign(new, now: at) },
                state: { "\(try await s.campaigns(ownedBy: nil).map(\.title))" })
        },
        Cut(name: "a campaign's display token replaced", table: "campaign") { s, history in
            Probe(
                write: { try await s.replaceDisplayToken(ofCampaign: history.campaign, hash: "new-climb") },
                state: { "\(try await s.campaign(displayTokenHash: "new-climb")?.title ?? "-")" })
        },
        Cut(name: "an attempt started, served and answered", table: "campaignAnswer") { s, history in
            let ref = AttemptRef(campaignId: history.campaign, memberId: history.members[2], seq: 1)
            let drawn = try await s.campaignAttempts(history.campaign).flatMap(\.started.questionIds)
            let changes: [CampaignChange] = [
                .started(
                    StartedAttempt(
                        ref: ref, unitId: history.units.first, level: 1,
                        day: CampaignDay(year: 2026, month: 12, day: 5),
                        seed: 4, questionIds: Array(drawn.prefix(1)), startedAt: 200_000)),
                .served(ref, index: 0, at: 200_100),
                .answered(
                    ref,
                    AttemptAnswer(
                        index: 0, answer: .choices([0]), correctness: .correct, at: 201_000, elapsedMilliseconds: 900),
                    status: .passed, endedAt: 201_000),
            ]
            return Probe(
                write: { try await s.writeJournal(changes.map { .campaign($0) }) },
                state: { "\(try await s.campaignAttempts(history.campaign).map(\.started.ref.memberId))" })
        },
    ]

    static let surveys: [Cut] = [
        Cut(name: "a survey created", table: "survey") { s, _ in
            Probe(
                write: {
                    _ = try await s.createSurvey(
                        NewSurvey(ownerUnitId: nil, createdById: nil, settings: survey), now: at)
                },
                state: { "\(try await s.surveys(ownedBy: nil).count)" })
        },
        Cut(name: "a survey closed", table: "survey") { s, _ in
            let id = try await s.createSurvey(NewSurvey(ownerUnitId: nil, createdById: nil, settings: survey), now: at)
                .id
            return Probe(
                write: { _ = try await s.closeSurvey(id: id, now: at + 60) },
                state: { "\(try await s.survey(id: id)?.closedAt.map { "\($0)" } ?? "open")" })
        },
        Cut(name: "a survey answered", table: "surveyResponse") { s, history in
            let id = try await s.createSurvey(NewSurvey(ownerUnitId: nil, createdById: nil, settings: survey), now: at)
                .id
            let member = history.members[1]
            let submission = SurveySubmission(
                surveyId: id, memberId: member, unitId: history.units.first,
                response: SurveyResponse(answers: [.rating(4)]))
            return Probe(
                write: { try await s.submitSurveyResponse(submission, now: at + 60) },
                state: {
                    let count = try await s.survey(id: id)?.responseCount ?? -1
                    return "\(count) \(try await s.answeredSurveys(member: member).count)"
                })
        },
    ]

    static let roomLoads: [Cut] = [
        Cut(name: "a room set aside as its load finishes", table: "roomSetAside") { s, history in
            _ = try await s.beginLoading(.contest, id: history.contest.rawValue, now: at)
            return Probe(
                write: {
                    try await s.finishLoading(.contest, id: history.contest.rawValue, setAsideBecause: "坏数据", now: at)
                },
                state: { "\(try await s.setAsideRooms().map { ($0.kind, $0.id, $0.reason) })" })
        },
        Cut(name: "interrupted loads set aside", table: "roomLoad") { s, history in
            _ = try await s.beginLoading(.campaign, id: history.campaign.rawValue, now: at)
            return Probe(
                write: { _ = try await s.setAsideInterruptedLoads(now: at) },
                state: { "\(try await s.setAsideRooms().map { ($0.kind, $0.id) })" })
        },
        Cut(name: "a set-aside room cleared", table: "roomSetAside") { s, history in
            _ = try await s.beginLoading(.contest, id: history.contest.rawValue, now: at)
            try await s.finishLoading(.contest, id: history.contest.rawValue, setAsideBecause: "坏数据", now: at)
            return Probe(
                write: { _ = try await s.clearSetAside(.contest, id: history.contest.rawValue) },
                state: { "\(try await s.setAsideRooms().map { ($0.kind, $0.id) })" })
        },
    ]

    static let all = banks + org + categories + access + contests + campaigns + surveys + roomLoads

    @Test(arguments: all) func aWriteLosingItsConnectionThrowsLeavesNothingAndThenCommits(_ cut: Cut) async throws {
        try await TestDatabase.withStore { store, schema in
            let history = try await FailureContractTests.prepared(store)
            let probe = try await cut.prepare(store, history)
            let before = try await probe.state()
            let outcome = try await LostConnection.terminated(
                whileWaitingOn: LostConnection.writes(to: cut.table), schema: schema, probe.write)
            LostConnection.expectUnavailable(outcome)
            #expect(try await probe.state() == before, "nothing of the lost write is visible")
            try await probe.write()
            #expect(try await probe.state() != before, "the same write commits on a fresh connection")
        }
    }
}
