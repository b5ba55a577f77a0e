import Foundation
import Testing

@testable import DengaoCore

/// Every reader stops at the row limit with a located error, and no input makes it use memory or time out of
/// proportion to the file.
@Suite struct ImportLimitsTests {
    static let csv = "题干,答案\n第一题,对\n第二题,错\n第三题,对\n"

    static func refusal(_ read: () throws(ImportFailure) -> ParsedBank) -> [String] {
        do {
            _ = try read()
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func csvStopsAtTheLimit() throws {
        #expect(try CSVBankReader.read(Data(Self.csv.utf8), maximumQuestions: 3).questions.count == 3)
        #expect(
            Self.refusal { () throws(ImportFailure) in try CSVBankReader.read(Data(Self.csv.utf8), maximumQuestions: 2)
            } == [
                "第 4 行 (line 4): 一个文件超过 2 道题，请拆成几个文件 (more than 2 questions in one file; split the bank into several files)"
            ])
    }

    @Test func textFormatsStopAtTheLimit() throws {
        let gift = "::1:: 一 {T}\n\n::2:: 二 {F}\n\n::3:: 三 {T}\n"
        #expect(
            Self.refusal { () throws(ImportFailure) in try GIFTBankReader.read(Data(gift.utf8), maximumQuestions: 2) }
                == [
                    "第 5 行 (line 5): 一个文件超过 2 道题，请拆成几个文件 (more than 2 questions in one file; split the bank into several files)"
                ])
        let aiken = "一？\nA. 是\nB. 否\nANSWER: A\n二？\nA. 是\nB. 否\nANSWER: B\n"
        #expect(
            Self.refusal { () throws(ImportFailure) in try AikenBankReader.read(Data(aiken.utf8), maximumQuestions: 1) }
                == [
                    "第 5 行 (line 5): 一个文件超过 1 道题，请拆成几个文件 (more than 1 questions in one file; split the bank into several files)"
                ])
        let text = "1. 一（ ）\n答案：对\n2. 二（ ）\n答案：错\n"
        #expect(
            Self.refusal { () throws(ImportFailure) in
                try PlainTextBankReader.read(Data(text.utf8), maximumQuestions: 1)
            } == [
                "第 3 行 (line 3): 一个文件超过 1 道题，请拆成几个文件 (more than 1 questions in one file; split the bank into several files)"
            ])
    }

    @Test func rosterStopsAtTheLimit() throws {
        let roster = "姓名,党员编号,所在支部\n张三,DG1,一支部\n李四,DG2,一支部\n"
        #expect(try RosterReader.read(Data(roster.utf8), maximumMembers: 2).roster.entries.count == 2)
        let (_, errors) = try RosterReader.read(Data(roster.utf8), maximumMembers: 1)
        #expect(
            errors.map(\.description) == [
                "第 3 行 (line 3): 一个文件超过 1 名党员，请拆成几个文件 (more than 1 members in one file; split the roster into several files)"
            ])
    }

    /// 60 MiB of `[0,0,0,…]` took 3.2 GB and minutes to refuse: every value became a node of a generic tree. Values
    /// are now counted before decoding, and records before any is decoded.
    @Test func jsonIsBoundedBeforeItIsDecoded() throws {
        let junk = Data(("[" + Array(repeating: "0", count: 200).joined(separator: ",") + "]").utf8)
        #expect(
            Self.refusal { () throws(ImportFailure) in try JSONBankReader.read(junk, maximumQuestions: 2) } == [
                "文件 (file): JSON 内容太多，超出 2 道题的上限，请把题库分成几个文件 "
                    + "(more JSON values (201) than 2 questions can hold; split the bank into several files)"
            ])
        let records = Data(
            #"[{"stem": "一", "answer": "对"}, {"stem": "二", "answer": "错"}, {"stem": "三", "answer": "对"}]"#.utf8)
        #expect(try JSONBankReader.read(records, maximumQuestions: 3).questions.count == 3)
        #expect(
            Self.refusal { () throws(ImportFailure) in try JSONBankReader.read(records, maximumQuestions: 2) } == [
                "第 3 题 (questions[2]): 一个文件超过 2 道题，请拆成几个文件 (more than 2 questions in one file; split the bank into several files)"
            ])
    }

    /// `Int(1e300)` trapped: a difficulty of 1e300 in a JSON bank stopped the process.
    @Test func anAbsurdJSONDifficultyIsAnError() {
        let json = Data(#"[{"type": "fill", "stem": "s", "answer": "a", "difficulty": 1e300}]"#.utf8)
        let errors = importErrors(json, format: .json)
        #expect(
            errors.count == 1 && errors[0].hasPrefix("第 1 题的 difficulty 字段 (questions[0].difficulty):"), "\(errors)")
    }

    /// One record of 16,385 empty fields made a 16,385-entry array and dictionary; a 64 MiB line of commas, 1 GiB.
    @Test func aRecordWiderThanExcelIsRefused() throws {
        let wide = "题干,答案\n" + String(repeating: ",", count: ImportLimits.columns) + "\n"
        #expect(
            importErrors(Data(wide.utf8), format: .csv) == [
                "第 2 行 (line 2): 超过 16,384 列，拒绝导入 (more than 16,384 columns; refused)"
            ])
        let fits = "题干,答案\n一,对" + String(repeating: ",", count: ImportLimits.columns - 2) + "\n"
        #expect(try BankImporter.parse(Data(fits.utf8), format: .csv).questions.count == 1)
    }

    /// Windows editors end lines with CRLF, which Swift reads as one Character: the text formats saw one long line.
    @Test(arguments: ["valid-word.txt", "valid.gift", "valid.aiken"])
    func windowsLineEndsReadLikeUnixOnes(file: String) throws {
        let unix = try fixture(file)
        let windows = Data(String(decoding: unix, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let expected = try BankImporter.parse(unix, fileName: file).questions
        #expect(expected.count >= 2)
        #expect(try BankImporter.parse(windows, fileName: file).questions == expected)
    }

    /// Every blank line inside an open GIFT question recounted the braces of all lines before it.
    @Test func blankLinesInsideAnOpenGIFTQuestionCostLinearTime() throws {
        let gift = "::1:: 长征 {\n" + String(repeating: "\n", count: 100_000) + "=1935年\n}\n"
        let bank = try BankImporter.parse(Data(gift.utf8), format: .gift)
        #expect(bank.questions.map(\.answer) == [.texts(["1935年"])])
    }
}
