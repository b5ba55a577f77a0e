import DengaoCore
import DengaoStorage
import Foundation
import Testing

/// Surveys on both backends: one response per member, closed surveys refuse, and an anonymous survey's responses
/// carry no member and no time while each member still counts once.
@Suite struct SurveyStorageContractTests {
    typealias Backend = StorageContractTests.Backend

    static let created = Date(timeIntervalSince1970: 1_764_547_200)
    static let settings = SurveySettings(
        title: " 需求调研 ",
        questions: [
            SurveyQuestion(prompt: "方式", form: .single(options: ["集中", "线上"])),
            SurveyQuestion(prompt: "满意度", form: .rating(scale: 5)),
        ])

    @Test(arguments: Backend.available) func responsesAreStoredOncePerMember(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            let root = try await storage.createUnit(name: "机关党委", parentId: nil, code: nil, at: Self.created).id
            let branch = try await storage.createUnit(name: "第一支部", parentId: root, code: nil, at: Self.created).id
            let member = try await storage.addMember(
                number: "001", name: "甲", unitId: branch, phone: nil, at: Self.created)
            let other = try await storage.addMember(
                number: "002", name: "乙", unitId: branch, phone: nil, at: Self.created)

            let named = try await storage.createSurvey(
                NewSurvey(ownerUnitId: branch, createdById: nil, settings: Self.settings), now: Self.created)
            var anonymousSettings = Self.settings
            anonymousSettings.anonymous = true
            let anonymous = try await storage.createSurvey(
                NewSurvey(ownerUnitId: root, createdById: nil, settings: anonymousSettings), now: Self.created)
            #expect(named.settings == Self.settings)
            #expect(named.isOpen && named.responseCount == 0)
            #expect(try await storage.surveys(ownedBy: nil).map(\.id) == [anonymous.id, named.id])
            #expect(try await storage.surveys(ownedBy: [branch]).map(\.id) == [named.id])
            #expect(try await storage.survey(id: 9_999) == nil)

            let answers = SurveyResponse(answers: [.choice(1), .rating(4)])
            let answeredAt = Self.created.addingTimeInterval(60)
            for survey in [named.id, anonymous.id] {
                try await storage.submitSurveyResponse(
                    SurveySubmission(surveyId: survey, memberId: member.id, unitId: branch, response: answers),
                    now: answeredAt)
                // A second response by the same member is refused and changes nothing.
                await #expect(throws: StorageError.conflict(SurveyRefusal.alreadyAnswered)) {
                    try await storage.submitSurveyResponse(
                        SurveySubmission(
                            surveyId: survey, memberId: member.id, unitId: branch,
                            response: SurveyResponse(answers: [.choice(0), .rating(1)])),
                        now: answeredAt)
                }
            }
            #expect(try await storage.answeredSurveys(member: member.id) == [named.id, anonymous.id])
            #expect(try await storage.answeredSurveys(member: other.id) == [])

            let namedRows = try await storage.surveyResponses(named.id)
            #expect(namedRows.count == 1)
            #expect(namedRows[0].member == .init(id: member.id, number: "001", name: "甲"))
            #expect(namedRows[0].submittedAt == answeredAt)
            #expect(namedRows[0].response == answers)
            #expect(namedRows[0].unitId == branch)

            let anonymousRows = try await storage.surveyResponses(anonymous.id)
            #expect(anonymousRows.count == 1)
            #expect(anonymousRows[0].member == nil)
            #expect(anonymousRows[0].submittedAt == nil)
            #expect(anonymousRows[0].response == answers)
            #expect(try await storage.survey(id: anonymous.id)?.responseCount == 1)

            // Closed: refused; closing again keeps the first time.
            let closed = try await storage.closeSurvey(id: named.id, now: answeredAt)
            #expect(closed.closedAt == answeredAt && !closed.isOpen)
            #expect(
                try await storage.closeSurvey(id: named.id, now: answeredAt.addingTimeInterval(9)).closedAt
                    == answeredAt)
            await #expect(throws: StorageError.invalid(SurveyRefusal.closed)) {
                try await storage.submitSurveyResponse(
                    SurveySubmission(surveyId: named.id, memberId: other.id, unitId: branch, response: answers),
                    now: answeredAt)
            }
            #expect(try await storage.answeredSurveys(member: other.id) == [])
            await #expect(throws: StorageError.surveyNotFound(77)) {
                try await storage.closeSurvey(id: 77, now: answeredAt)
            }
            await #expect(throws: StorageError.surveyNotFound(77)) {
                try await storage.submitSurveyResponse(
                    SurveySubmission(surveyId: 77, memberId: other.id, unitId: branch, response: answers),
                    now: answeredAt)
            }
        }
    }

    /// The response rows themselves, read past the protocol on the SQLite file: an anonymous survey's row has
    /// no member column value and no time.
    @Test func anonymousRowsHoldNoMemberOnDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("survey-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.path)
        let unit = try store.createUnit(name: "支部", parentId: nil).id
        let member = try store.addMember(number: "9", name: "丁", unitId: unit).id
        var settings = Self.settings
        settings.anonymous = true
        let survey = try store.createSurvey(NewSurvey(ownerUnitId: unit, createdById: nil, settings: settings))
        try store.submitSurveyResponse(
            SurveySubmission(
                surveyId: survey.id, memberId: member, unitId: unit,
                response: SurveyResponse(answers: [.choice(0), .rating(2)])))
        let rows = try store.rows(
            of: "surveyResponse", columns: ["id", "memberId", "submittedAt", "unitId"], keyCount: 1, after: nil,
            limit: 10)
        #expect(rows.map { Array($0.dropFirst()) } == [[.null, .null, .integer(unit.rawValue)]])
        // Who answered is kept apart, with no time: one row, keyed by member.
        #expect(
            try store.rows(
                of: "surveyRespondent", columns: ["surveyId", "memberId"], keyCount: 2, after: nil, limit: 10)
                == [[.integer(survey.id.rawValue), .integer(member.rawValue)]])
    }
}
