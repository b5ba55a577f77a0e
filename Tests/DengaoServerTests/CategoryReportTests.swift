import DengaoCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// The weak categories of a period on the real server: a campaign's answers and a contest's revealed answers of the
/// range, grouped by branch, against the range's organization; scope like the participation report; read by index.
@Suite struct CategoryReportTests {
    @Test func aPeriodsAnswersAcrossActivitiesMakeTheMatrix() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await ReportTests.unitIds(admin)
            let before = try await admin.json(.get, "/api/reports/categories")
            #expect(before.status == 200)
            #expect(before.object["answers"] as? Int == 0)

            // Six campaign answers, every one right.
            let phone = try await admin.memberPhone("DG0001")
            let campaign = try await admin.createCampaign(settings: climbSettings(levels: 2, questions: 3)).campaign.id
            let key = try await trueFalseKey(in: configuration)
            for _ in 0..<2 { try await ReportTests.passLevel(phone, campaign: campaign, key: key) }

            // One contest answer, wrong, revealed; and one given to a question never revealed (not counted).
            let created = try await admin.createContest(ownerUnitId: units["机关党委"], settings: sampleSettings())
            let questions = try await TestBackend.storage(configuration).contestQuestions(ContestID(created.contest.id))
            let played = try await HostedPlayer(
                port: client.port!, hostCookie: admin.cookie, playerCookie: phone.cookie, contestId: created.contest.id,
                pin: created.contest.pin)
            try await played.answerNext(questions[0].question, number: 1, correct: false)
            try await played.reveal(1)
            try await played.answerNext(questions[1].question, number: 2, correct: false)

            let report = try await admin.json(.get, "/api/reports/categories")
            #expect(report.status == 200)
            #expect(report.object["answers"] as? Int == 7, "six campaign answers and the one revealed contest answer")
            let matrix = try #require(report.object["categories"] as? [String: Any])
            let organization = try #require(matrix["organization"] as? [[String: Any]])
            let counted = organization.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
            let right = organization.reduce(0.0) {
                $0 + ($1["accuracy"] as? Double ?? 0) * Double($1["count"] as? Int ?? 0) / 100
            }
            #expect(counted == 7)
            #expect(abs(right - 6) < 1e-9, "six right, the contest's answer wrong: \(organization)")
            // DG0001 answers for 第一党支部, the only branch with answers.
            let reportUnits = try #require(matrix["units"] as? [[String: Any]])
            #expect(
                reportUnits.count == 1 && (reportUnits.first?["name"] as? String ?? "").hasSuffix("第一党支部"),
                "\(reportUnits)")
            let contestCategory = questions[0].question.category
            let cells = try #require(matrix["cells"] as? [[String: Any]])
            let contestCell = try #require(cells.first { $0["category"] as? String == contestCategory })
            #expect(
                (contestCell["accuracy"] as? Double ?? 100) < 100, "the wrong contest answer lowers \(contestCategory)")
            #expect((report.object["questions"] as? [Any])?.isEmpty == true, "no question was answered five times")

            // The sheet, and a range without these days.
            let sheet = try await ReportTests.csvLines(admin, "/api/reports/categories?format=csv&sheet=categories")
            #expect(sheet.first?.first == "支部")
            #expect(sheet.count == 1 + cells.count)
            let today = try #require(report.object["to"] as? String)
            let yesterday = ReportPeriod.day(-1, after: try #require(CampaignDay(today))).description
            let empty = try await admin.json(.get, "/api/reports/categories?from=\(yesterday)&to=\(yesterday)")
            #expect(empty.object["answers"] as? Int == 0)
            #expect(try await admin.json(.get, "/api/reports/categories?from=tomorrow").status == 422)
            #expect(try await admin.json(.get, "/api/reports/categories?unit=abc").status == 400)
            await played.close()
        }
        let tree = try await TestBackend.storage(configuration).orgTree()
        let retired = try #require(tree.depthFirst().first { $0.unit.name == "离退休党总支" }?.unit.id)
        let office = try #require(tree.depthFirst().first { $0.unit.name == "机关党委" }?.unit.id)
        try await addAccount("retired", role: .organizer, unit: retired, in: configuration)
        try await withLiveApp(configuration) { client in
            let organizer = try await client.signIn("retired")
            let own = try await organizer.json(.get, "/api/reports/categories")
            #expect(own.status == 200)
            #expect(own.object["answers"] as? Int == 0, "the organizer's subtree answered nothing")
            #expect(try await organizer.json(.get, "/api/reports/categories?unit=\(office)").status == 403)
        }
    }

    @Test func theHardestQuestionsOfAPeriodNeedEnoughAnswersAndComeLowestFirst() {
        func question(_ id: QuestionID, _ category: String) -> ReportQuestion {
            ReportQuestion(
                id: id, bankId: 1, bankName: "党章", bankVersionId: 1, bankVersion: 2, position: Int(id.rawValue),
                question: Question(type: .trueFalse, stem: "题\(id)", answer: .truth(true), category: category))
        }
        let questions: [QuestionID: ReportQuestion] = [
            1: question(1, "甲"), 2: question(2, "乙"), 3: question(3, "甲"), 4: question(4, "乙"),
        ]
        let tallies = [
            AnswerTally(unitId: 10, questionId: 1, count: 4, credit: 0.5),
            AnswerTally(unitId: 11, questionId: 1, count: 2, credit: 0.5),
            AnswerTally(unitId: 10, questionId: 2, count: 10, credit: 9),
            AnswerTally(unitId: 10, questionId: 3, count: 4, credit: 0),  // four answers: too few to rank
            AnswerTally(unitId: 10, questionId: 4, count: 20, credit: 3.5),
            AnswerTally(unitId: 11, questionId: 4, count: 10, credit: 1.5),
        ]
        let hardest = CategoryReportController.hardest(tallies, questions: questions)
        // q1: 1/6 = 16.7 %; q4: 5/30 = 16.7 % as well, more answers so first; q2: 90 %, not above 90 so no flag.
        #expect(hardest.map(\.questionId) == [4, 1, 2])
        #expect(hardest.map(\.count) == [30, 6, 10])
        #expect(abs(hardest[1].facilityIndex - 100.0 / 6) < 1e-9)
        #expect(hardest.map(\.flags) == [["tooHard"], ["tooHard"], []])
        #expect(hardest[0].place == "党章 v2 第4题")
    }

    @Test func thePeriodIsReadByIndexes() throws {
        let store = try Store(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)").path
        )
        let queries: [(sql: String, arguments: StatementArguments)] = [
            (Store.AnswerTallySQL.contests, [0, 1, 0, 1]),
            (Store.AnswerTallySQL.campaigns, ["2026-11-01", "2026-11-30"]),
        ]
        for (sql, arguments) in queries {
            let plan = try store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.contains("USING") }, "\(sql)\n\(plan)")
        }
    }
}
