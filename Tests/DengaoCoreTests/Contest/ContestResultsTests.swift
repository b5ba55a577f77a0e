import Foundation
import Testing
import ZIPFoundation

@testable import DengaoCore

/// Results read back from a journal, and the workbook they are written to.
@Suite struct ContestResultsTests {
    typealias F = ContestFixtures

    @Test func resultsReplayTheJournalIntoAnswersAndStandings() {
        let rounds = [F.round(.everyone, count: 2)]
        let machine = F.machine(rounds, seats: 0)
        let seats = (1...3).map {
            Seat(id: $0, branchId: UnitID(Int64(100 + $0 % 2)), name: "p\($0)", memberId: $0 == 1 ? 7 : nil)
        }
        var journal: [(input: ContestInput, at: ContestTime)] = seats.map { (.join($0), 0) }
        journal += [
            (.command(.next), 0), (.answer(seat: 1, number: 1, answer: .choices([1])), 0),
            (.answer(seat: 2, number: 1, answer: .choices([0])), 2_000), (.command(.reveal), 3_000),
            (.command(.next), 4_000), (.answer(seat: 2, number: 2, answer: .truth(true)), 4_000),
            (.command(.finish), 5_000),
        ]
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        #expect(results.phase == .finished)
        #expect(results.answers.map(\.seat) == [1, 2, 2])
        #expect(results.answers.map(\.points) == [1000, 0, 1000])
        #expect(results.answers.map(\.correctness) == [.correct, .wrong, .correct])
        #expect(results.standings.map(\.seat.id) == [1, 2, 3])
        #expect(results.standings.map(\.rank) == [1, 1, 3])
        #expect(results.standings.map(\.answered) == [1, 2, 0])

        let sheets = results.sheets(
            questions: machine.questions, branchNames: [100: "一支部", 101: "二支部"], memberNumbers: [7: "DG0007"],
            branchScoring: .sum, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(sheets.map(\.name) == ["成绩", "答题明细", "支部"])
        #expect(sheets[0].rows[0][2] == .text("DG0007"))
        #expect(sheets[1].rows[1][6] == .text("A"))  // seat 2 picked option 0
        // Both branches scored 1000: they share rank 1, the lower unit id first.
        #expect(sheets[2].rows.map { $0[1] } == [.text("一支部"), .text("二支部")])
        #expect(sheets[2].rows.map { $0[0] } == [.number(1), .number(1)])
        let csv = String(decoding: Spreadsheet.csv(sheets[0]), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}名次,姓名,党员编号"))
        #expect(csv.contains("\r\n1,p1,DG0007,二支部,1000,1,1,党员\r\n"))
    }

    /// The reported gap: 答题明细 wrote "服务器时间(毫秒)", epoch milliseconds nobody can read. Its time is now the
    /// organization's local date-time, and no cell of any sheet is an epoch-milliseconds number.
    @Test func answerTimesAreLocalDateTimesInTheOrganizationsZone() throws {
        let machine = F.machine([F.round(.everyone, count: 1)], seats: 0)
        // 2026-12-06 04:34:56.789 UTC: 12:34:56 in Shanghai, 23:34:56 the day before in New York.
        let moment: ContestTime = 1_796_531_696_789
        let journal: [(input: ContestInput, at: ContestTime)] = [
            (.join(Seat(id: 1, branchId: 100, name: "p1", memberId: nil)), moment - 5_000),
            (.command(.next), moment - 1_000),
            (.answer(seat: 1, number: 1, answer: .choices([1])), moment), (.command(.reveal), moment + 1_000),
        ]
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        for (zone, expected) in [("Asia/Shanghai", "2026-12-06 12:34:56"), ("America/New_York", "2026-12-05 23:34:56")]
        {
            let sheets = results.sheets(
                questions: machine.questions, branchNames: [100: "一支部"], memberNumbers: [:], branchScoring: .sum,
                timeZone: TimeZone(identifier: zone)!)
            let answers = sheets[1]
            let column = try #require(answers.header.firstIndex(of: "作答时间"))
            #expect(answers.rows.map { $0[column] } == [.text(expected)], "\(zone)")
            for sheet in sheets {
                #expect(!sheet.header.contains { $0.contains("毫秒") && $0.contains("时间") && !$0.contains("用时") })
                for row in sheet.rows {
                    for case .number(let value) in row {
                        #expect(abs(value) < 1_000_000_000_000, "\(sheet.name): \(value)")
                    }
                }
            }
        }
        #expect(LocalTime.text(milliseconds: -1, in: TimeZone(identifier: "UTC")!) == "1969-12-31 23:59:59")
        #expect(throws: LocalTime.UnknownZone.self) { try LocalTime.zone(named: "Asia/Atlantis") }
    }

    @Test func aWorkbookHoldsEverySheetNamedInItsIndex() throws {
        let sheets = [
            Spreadsheet.Sheet(name: "一", header: ["a"], rows: [[.number(1)]]),
            Spreadsheet.Sheet(name: "二 & <三>", header: ["b"], rows: [[.text("x")]]),
        ]
        let archive = try Archive(data: Spreadsheet.xlsx(sheets), accessMode: .read)
        func text(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(archive[path]!) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try text("xl/workbook.xml").contains("<sheet name=\"二 &amp; &lt;三&gt;\" sheetId=\"2\" r:id=\"rId2\"/>"))
        #expect(
            try text("xl/_rels/workbook.xml.rels").contains(
                "Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""))
        #expect(try text("[Content_Types].xml").contains("/xl/worksheets/sheet2.xml"))
        #expect(try text("xl/worksheets/sheet2.xml").contains("<t xml:space=\"preserve\">x</t>"))
    }
}
