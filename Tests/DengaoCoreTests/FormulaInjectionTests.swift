import Foundation
import Testing
import ZIPFoundation

@testable import DengaoCore

/// Every CSV and XLSX export keeps text that starts a formula as text (OWASP's CSV-injection rule), readable, and a
/// bank exported with such text re-imports unchanged.
@Suite struct FormulaInjectionTests {
    static let hostile = [
        "=HYPERLINK(\"http://evil.example/x\",\"点我领奖\")", "=1+2", "+1", "-1", "@SUM(A1:A2)", "\tx", "\rx",
        "'=1+2", "''-3", "'plain", "a=b", "普通", "", "'", "-",
    ]

    @Test func csvEscapingIsUndoneExactlyOnce() {
        for text in Self.hostile {
            let escaped = FormulaInjection.csvEscaped(text)
            #expect(FormulaInjection.csvUnescaped(escaped) == text, "\(text.debugDescription)")
            #expect(!FormulaInjection.startsFormula(escaped), "\(escaped.debugDescription) would run")
        }
        #expect(FormulaInjection.csvEscaped("=1+2") == "'=1+2")
        #expect(FormulaInjection.csvEscaped("'=1+2") == "''=1+2")
        #expect(FormulaInjection.csvEscaped("'plain") == "'plain")
        #expect(FormulaInjection.csvUnescaped("'plain") == "'plain")
    }

    @Test func csvCellsThatWouldRunGetAQuote() {
        let sheet = Spreadsheet.Sheet(
            name: "成绩", header: ["姓名", "得分"],
            rows: [
                [.text("=HYPERLINK(\"http://evil.example/x\",\"点我\")"), .number(-20)],
                [.text("+1"), .number(1)], [.text("-1"), .number(2)], [.text("@SUM(A1)"), .number(3)],
                [.text("\tx"), .number(4)], [.text("\rx"), .number(5)], [.text("a=b"), .number(6)],
            ])
        let csv = String(decoding: Spreadsheet.csv(sheet), as: UTF8.self)
        #expect(
            csv == "\u{FEFF}姓名,得分\r\n"
                + "\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"点我\"\")\",-20\r\n"
                + "'+1,1\r\n'-1,2\r\n'@SUM(A1),3\r\n\"'\tx\",4\r\n\"'\rx\",5\r\na=b,6\r\n")
    }

    @Test func xlsxCellsKeepTheirTextWithAQuotePrefixStyle() throws {
        let sheet = Spreadsheet.Sheet(name: "成绩", header: ["姓名"], rows: [[.text("=1+2")], [.text("普通")]])
        let workbook = Spreadsheet.xlsx([sheet])
        let worksheet = try part("xl/worksheets/sheet1.xml", of: workbook)
        #expect(
            worksheet.contains("<c r=\"A2\" t=\"inlineStr\" s=\"2\"><is><t xml:space=\"preserve\">=1+2</t></is></c>"))
        #expect(worksheet.contains("<c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">普通</t></is></c>"))
        #expect(!worksheet.contains("<f>"))
        // Style 2 is the body style with Excel's quotePrefix flag.
        let styles = try part("xl/styles.xml", of: workbook)
        let formats = styles.components(separatedBy: "<cellXfs")[1].components(separatedBy: "<xf ").dropFirst()
        #expect(formats.count == 4)
        #expect(formats[formats.startIndex + 2].contains("quotePrefix=\"1\""))
        #expect(!formats[formats.startIndex].contains("quotePrefix"))
    }

    /// A bank whose every text field starts a formula comes back unchanged through CSV and XLSX.
    @Test(arguments: [BankFormat.csv, .xlsx])
    func hostileBankRoundTrips(format: BankFormat) throws {
        let bank = [
            Question(
                type: .single, stem: "=1+2 等于几？", options: ["+3", "-3", "@3", "'=3"], answer: .choices([0]),
                explanation: "=HYPERLINK(\"http://evil.example\")", difficulty: 2, category: "-分类", tags: ["@标签", "=a"]),
            Question(
                type: .fill, stem: "''-1 的写法", answer: .texts(["-1", "=-1"]), explanation: "'plain", category: "+"),
        ]
        let exported = try BankExporter.export(bank, as: format)
        #expect(try BankImporter.parse(exported, format: format).questions == bank)
        if format == .csv {
            let text = String(decoding: exported, as: UTF8.self)
            #expect(text.contains("\r\n单选,'=1+2 等于几？,'+3,'-3,'@3,''=3,A,\"'=HYPERLINK("))
        } else {
            let worksheet = try part("xl/worksheets/sheet1.xml", of: exported)
            #expect(
                worksheet.contains(
                    "<c r=\"B2\" t=\"inlineStr\" s=\"2\"><is><t xml:space=\"preserve\">=1+2 等于几？</t></is></c>"))
        }
    }

    @Test func contestStandingsNeutralizeAGuestsName() throws {
        let rounds = [ContestFixtures.round(.everyone, count: 1)]
        let machine = ContestFixtures.machine(rounds, seats: 0)
        let name = "=HYPERLINK(\"http://evil.example\",\"点我\")"
        let journal: [(input: ContestInput, at: ContestTime)] = [
            (.join(Seat(id: 1, branchId: 100, name: name, memberId: nil)), 0), (.command(.finish), 1_000),
        ]
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        let sheets = results.sheets(
            questions: machine.questions, branchNames: [100: "@支部"], memberNumbers: [:], branchScoring: .sum,
            timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let csv = String(decoding: Spreadsheet.csv(sheets[0]), as: UTF8.self)
        #expect(csv.contains("\r\n1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\",,'@支部,0,"))
        let worksheet = try part("xl/worksheets/sheet1.xml", of: Spreadsheet.xlsx(sheets))
        #expect(
            worksheet.contains(
                "<c r=\"B2\" t=\"inlineStr\" s=\"2\"><is><t xml:space=\"preserve\">=HYPERLINK(&quot;http://evil.example&quot;,&quot;点我&quot;)</t></is></c>"
            ))
    }

    @Test func campaignResultsNeutralizeAMembersName() throws {
        let tree = OrgTree([OrgUnit(id: 1, parentId: nil, name: "-党委"), OrgUnit(id: 2, parentId: 1, name: "支部")])
        let history = Participation.History(
            people: [7: .init(number: "+7", name: "=1+2")],
            placements: [.init(memberId: 7, unitId: 2, since: 0, until: nil)],
            activeSpans: [.init(memberId: 7, since: 0, until: nil)])
        let calendar = CampaignCalendar(
            timeZone: TimeZone(identifier: "Asia/Shanghai")!, first: CampaignDay("2026-07-01")!,
            last: CampaignDay("2026-07-03")!)
        let settings = CampaignSettings(title: "登高", startDate: "2026-07-01", endDate: "2026-07-03", banks: ["b"])
        let results = CampaignResults(
            settings: settings, calendar: calendar, attempts: [], history: history, owner: nil, branches: [2],
            tree: tree, today: CampaignDay("2026-07-02")!)
        let sheets = results.sheets(unitNames: [1: "-党委", 2: "@支部"])
        for sheet in sheets {
            let csv = String(decoding: Spreadsheet.csv(sheet), as: UTF8.self)
            for line in csv.split(separator: "\r\n") {
                for field in line.split(separator: ",") {
                    #expect(!FormulaInjection.startsFormula(String(field)), "\(sheet.name): \(field)")
                }
            }
        }
        let members = String(decoding: Spreadsheet.csv(sheets[0]), as: UTF8.self)
        #expect(members.contains("\r\n未参与,'=1+2,'+7,'-党委/支部,"))
    }

    private func part(_ path: String, of workbook: Data) throws -> String {
        let archive = try Archive(data: workbook, accessMode: .read)
        var data = Data()
        _ = try archive.extract(archive[path]!) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}
