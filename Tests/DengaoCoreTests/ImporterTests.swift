import Foundation
import Testing

@testable import DengaoCore

/// The errors of a failed import, as the organizer reads them.
func importErrors(_ data: Data, fileName: String? = nil, format: BankFormat? = nil) -> [String] {
    do {
        _ = try BankImporter.parse(data, fileName: fileName, format: format)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

@Suite struct XLSXImportTests {
    @Test func chineseTemplateFromOpenpyxl() throws {
        let bank = try BankImporter.parse(fixture("valid-chinese.xlsx"), fileName: "题库.xlsx")
        #expect(bank.format == .xlsx)
        #expect(bank.questions.count == 5)
        #expect(
            bank.questions[0]
                == Question(
                    type: .single, stem: "中国共产党第一次全国代表大会于（ ）年召开。", options: ["1919", "1921", "1927", "1949"],
                    answer: .choices([1]), explanation: "中共一大于1921年7月召开。", difficulty: 1, category: "党史",
                    tags: ["建党", "一大"]))
        #expect(bank.questions[1].answer == .choices([0, 1, 3]))
        #expect(bank.questions[2].answer == .truth(true))
        #expect(bank.questions[3].answer == .texts(["1935", "1935年"]))
        // 判断 given as two options 正确/错误 with the key "B".
        #expect(bank.questions[4].type == .trueFalse)
        #expect(bank.questions[4].options.isEmpty)
        #expect(bank.questions[4].answer == .truth(false))
        #expect(bank.questions[4].difficulty == 1)
    }

    @Test func englishHeadersAndANonBankSheet() throws {
        let bank = try BankImporter.parse(fixture("valid-english.xlsx"))
        #expect(bank.questions.map(\.type) == [.single, .multiple, .trueFalse])
        #expect(bank.questions[1].tags == ["light", "colour"])
        #expect(
            bank.warnings.map(\.description) == [
                "工作表“Notes”第 1 行 (sheet \"Notes\", row 1): 首行不是题库表头（题干、答案…），已跳过此工作表 (no bank header in the first row; sheet skipped)"
            ])
    }

    @Test func everyErrorIsReportedWithItsCell() throws {
        let errors = importErrors(try fixture("broken.xlsx"))
        #expect(
            errors == [
                "工作表“题库”第 3 行“答案”列 (sheet \"题库\", row 3, column 答案): 答案“E”，但只有选项 A–D (\"E\" but only options A–D)",
                "工作表“题库”第 4 行“题型”列 (sheet \"题库\", row 4, column 题型): 未知题型“问答”，请用 单选、多选、判断 或 填空 (unknown question type \"问答\")",
                "工作表“题库”第 5 行“答案”列 (sheet \"题库\", row 5, column 答案): “也许”不是判断题答案，请写 对/错、正确/错误、√/× 或 T/F (\"也许\" is not a true/false answer)",
                "工作表“题库”第 6 行 (sheet \"题库\", row 6): 题干为空 (the stem is empty)",
                "工作表“题库”第 7 行“难度”列 (sheet \"题库\", row 7, column 难度): 难度 9 不在 1–5 之间 (difficulty 9 is outside 1–5)",
                "工作表“题库”第 8 行“选项B”列 (sheet \"题库\", row 8, column 选项B): 选项 B 为空，但有选项 C (option B is empty but option C is given)",
            ])
    }

    @Test func damagedContainers() throws {
        #expect(
            importErrors(try fixture("not-a-zip.xlsx"), fileName: "not-a-zip.xlsx") == [
                "文件 (file): 不是有效的 XLSX 文件：压缩包已损坏或不完整 (not an XLSX file: the ZIP container is damaged or truncated)"
            ])
        let truncated = importErrors(try fixture("truncated.xlsx"))
        #expect(truncated.count == 1)
        #expect(truncated.first?.hasPrefix("文件 (file): ") == true)
    }

    @Test func fiftyMegabyteCellIsAnError() throws {
        let huge = String(repeating: "党", count: 50 * 1024 * 1024 / 3)
        let sheet = """
            <?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="inlineStr"><is><t>题干</t></is></c><c r="B1" t="inlineStr"><is><t>答案</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>\(huge)</t></is></c><c r="B2" t="inlineStr"><is><t>对</t></is></c></row>\
            </sheetData></worksheet>
            """
        // libxml2 itself stops at text nodes over 10 MB; either way the file is refused at the right row.
        let errors = importErrors(try XLSXFixtures.workbook(sheetXML: Data(sheet.utf8)))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("工作表“题库”第 2 行") == true)
    }

    @Test func cellOverExcelsLimitIsAnError() throws {
        let long = String(repeating: "党", count: Question.maximumFieldLength + 1)
        let sheet = """
            <?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="inlineStr"><is><t>题干</t></is></c><c r="B1" t="inlineStr"><is><t>答案</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>ok</t></is></c><c r="B2" t="inlineStr"><is><t>\(long)</t></is></c></row>\
            </sheetData></worksheet>
            """
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(sheet.utf8))) == [
                "工作表“题库”第 2 行“答案”列 (sheet \"题库\", row 2, column 答案): 单元格有 32768 个字，上限 32767 (cell text is 32768 characters long; the limit is 32767)"
            ])
    }

    @Test func sheetNamedForATypeImpliesIt() throws {
        let sheet = """
            <?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="inlineStr"><is><t>题干</t></is></c><c r="B1" t="inlineStr"><is><t>答案</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>遵义会议召开于（ ）年。</t></is></c><c r="B2"><v>1935</v></c></row>\
            </sheetData></worksheet>
            """
        let bank = try BankImporter.parse(try XLSXFixtures.workbook(sheetXML: Data(sheet.utf8), sheetName: "填空题"))
        #expect(bank.questions == [Question(type: .fill, stem: "遵义会议召开于（ ）年。", answer: .texts(["1935"]))])
    }
}

@Suite struct CSVImportTests {
    @Test(arguments: ["valid-gb18030.csv", "valid-utf8-bom.csv"])
    func encodings(file: String) throws {
        let bank = try BankImporter.parse(try fixture(file), fileName: file)
        #expect(bank.questions.count == 4)
        #expect(bank.questions[1].stem == "下列属于\"四个全面\"战略布局的有（ ）。")
        #expect(bank.questions[1].answer == .choices([0, 1, 2, 3]))
        #expect(bank.questions[3].answer == .texts(["服务"]))
    }

    @Test func bothEncodingsReadTheSame() throws {
        let gb = try BankImporter.parse(try fixture("valid-gb18030.csv")).questions
        let utf8 = try BankImporter.parse(try fixture("valid-utf8-bom.csv")).questions
        #expect(gb == utf8)
    }

    @Test func locatedErrorsNameTheLineAndColumn() throws {
        let csv = "题型,题干,选项A,选项B,答案,难度\n单选,好题,甲,乙,A,1\n单选,坏题,甲,乙,C,2\n多选,\"多行\n题干\",甲,乙,A,abc\n"
        #expect(
            importErrors(Data(csv.utf8), fileName: "x.csv") == [
                "第 3 行“答案”列 (line 3, column 答案): 答案“C”，但只有选项 A–B (\"C\" but only options A–B)",
                "第 4 行“难度”列 (line 4, column 难度): “abc”不是难度，请写 1–5 或 易/较易/中等/较难/难 (\"abc\" is not a difficulty)",
            ])
    }

    @Test func missingHeaderColumns() {
        #expect(importErrors(Data("题型,题干\n单选,x\n".utf8), format: .csv) == ["第 1 行 (line 1): 表头：缺少“答案”列 (no 答案 column)"])
    }

    @Test func unreadableInput() throws {
        #expect(
            importErrors(try fixture("binary.csv"), fileName: "binary.csv") == [
                "文件 (file): 文件无法当作文字读取：既不是 UTF-8 也不是 GB18030 编码的文字 (not readable as text: the file is neither UTF-8 nor GB18030 text)"
            ])
        #expect(
            importErrors(try fixture("unclosed-quote.csv"), fileName: "q.csv") == [
                "第 2 行 (line 2): 这里开始的引号没有结束 (a quoted field opened here is never closed)"
            ])
        #expect(importErrors(Data(), fileName: "e.csv") == ["文件 (file): 文件是空的 (the file is empty)"])
    }

    @Test func tabSeparatedTextIsRead() throws {
        let tsv = "题干\t答案\t选项A\t选项B\n问题一\tA\t甲\t乙\n"
        let bank = try BankImporter.parse(Data(tsv.utf8), format: .csv)
        #expect(bank.questions.first?.options == ["甲", "乙"])
    }

    @Test func duplicateStemsAreWarnings() throws {
        let csv = "题干,答案\n党的宗旨是什么？,为人民服务\n党的宗旨是什么?,为人民服务\n 党的宗旨是什么？ ,为人民服务\n"
        let bank = try BankImporter.parse(Data(csv.utf8), format: .csv)
        #expect(bank.questions.count == 3)
        #expect(
            bank.warnings.map(\.description) == [
                "第 3 行 (line 3): 题干与第 2 行 (line 2) 几乎相同 (near-duplicate stem)",
                "第 4 行 (line 4): 题干与第 2 行 (line 2) 重复 (duplicate stem)",
            ])
    }
}

@Suite struct JSONImportTests {
    @Test func ownSchema() throws {
        let json = """
            {"format": "dengao-bank", "version": 1, "questions": [
              {"type": "single", "stem": "s1", "options": ["a", "b"], "answer": "B", "difficulty": 2},
              {"type": "multiple", "stem": "s2", "options": ["a", "b", "c"], "answer": ["A", "C"]},
              {"type": "truefalse", "stem": "s3", "answer": false, "tags": ["t"]},
              {"type": "fill", "stem": "s4", "answer": ["x", "y"], "category": "c"}
            ]}
            """
        let bank = try BankImporter.parse(Data(json.utf8), fileName: "bank.json")
        #expect(bank.questions.map(\.answer) == [.choices([1]), .choices([0, 2]), .truth(false), .texts(["x", "y"])])
        #expect(bank.questions[2].tags == ["t"])
    }

    @Test func errorsNameTheRecordAndField() {
        let json = """
            [{"type": "single", "stem": "s", "options": ["a", "b"], "answer": 3},
             {"type": "single", "stem": 5, "options": ["a", "b"], "answer": "A"},
             {"type": "quiz", "stem": "s", "answer": "A"}]
            """
        #expect(
            importErrors(Data(json.utf8), format: .json) == [
                "第 1 题的 answer 字段 (questions[0].answer): 答案应是文字、文字列表或 true/false (expected a string, an array of strings or a boolean)",
                "第 2 题的 stem 字段 (questions[1].stem): 应是文字 (expected a string)",
                "第 3 题的 type 字段 (questions[2].type): 未知题型“quiz”，请用 单选、多选、判断 或 填空 (unknown question type \"quiz\")",
            ])
    }

    @Test func malformedJSON() {
        let errors = importErrors(Data("{\"questions\": [".utf8), format: .json)
        #expect(errors.count == 1 && errors[0].hasPrefix("文件 (file): 不是有效的 JSON 文件 (not valid JSON"))
    }
}

@Suite struct GIFTImportTests {
    @Test func everyQuestionKind() throws {
        let bank = try BankImporter.parse(try fixture("valid.gift"))
        #expect(bank.format == .gift)
        #expect(bank.questions.count == 5)
        let first = bank.questions[0]
        #expect(first.type == .single && first.options == ["1921年", "1919年", "1927年"] && first.answer == .choices([0]))
        #expect(first.explanation == "中共一大于1921年7月在上海召开。")
        #expect(first.category == "党史" && first.difficulty == 1 && first.tags == ["建党", "一大"])
        #expect(bank.questions[1].type == .multiple && bank.questions[1].answer == .choices([0, 1]))
        #expect(bank.questions[2].answer == .truth(true) && bank.questions[2].category == "党章")
        #expect(bank.questions[3].type == .fill)
        #expect(bank.questions[3].stem == "党的最高领导机关是党的全国代表大会和它所产生的（ ）。")
        #expect(bank.questions[3].answer == .texts(["中央委员会", "中共中央"]))
        #expect(bank.questions[4].stem == "比值 1:2 中的符号{} 与 ~ = # 如何写？")
    }

    @Test func unsupportedAndBrokenQuestions() {
        let gift = "::a:: 论述题 {}\n\n::b:: 配对 {=a -> 1 =b -> 2}\n\n::c:: 没有答案块\n\n::d:: 无正确项 {~a ~b}\n"
        #expect(
            importErrors(Data(gift.utf8), format: .gift) == [
                "第 1 行 (line 1): 问答题 ({}) 没有标准答案，无法评分 (essay questions ({}) have no answer key; Dengao cannot score them)",
                "第 3 行 (line 3): 不支持配对题 (matching questions are not supported)",
                "第 5 行 (line 5): 这道题没有答案块 { … } (no answer block { … } in this question)",
                "第 7 行 (line 7): 没有标出正确选项（用 = 或正的 %权重%） (no option is marked correct (with = or a positive %weight%))",
            ])
    }
}

@Suite struct AikenImportTests {
    @Test func singleChoice() throws {
        let bank = try BankImporter.parse(try fixture("valid.aiken"), fileName: "q.txt")
        #expect(bank.format == .aiken)
        #expect(bank.questions.map(\.answer) == [.choices([1]), .choices([0])])
        #expect(bank.questions[1].options == ["1949", "1950"])
    }

    @Test func missingAnswer() {
        #expect(
            importErrors(Data("Q?\nA. x\nB. y\nANSWER: C\nQ2?\nA. x\n".utf8), format: .aiken) == [
                "第 4 行 (line 4): 答案“C”，但只有选项 A–B (\"C\" but only options A–B)",
                "第 5 行 (line 5): 缺少答案行 ANSWER (question has no ANSWER line)",
            ])
    }
}

@Suite struct PlainTextImportTests {
    @Test func wordLayout() throws {
        let bank = try BankImporter.parse(try fixture("valid-word.txt"))
        #expect(bank.format == .text)
        #expect(bank.questions.count == 5)
        #expect(bank.questions[0].options == ["1919", "1921", "1927", "1949"])
        #expect(bank.questions[0].explanation == "中共一大于1921年7月在上海召开，\n后转移到嘉兴南湖继续举行。")
        #expect(bank.questions[0].tags == ["建党", "一大"])
        // The key written inside the stem's brackets.
        #expect(bank.questions[1].stem == "新中国成立于（ ）年。")
        #expect(bank.questions[1].answer == .choices([0]))
        #expect(bank.questions[2].type == .multiple)
        #expect(bank.questions[3].answer == .truth(false))
        #expect(bank.questions[4].answer == .texts(["1935", "1935年"]) && bank.questions[4].difficulty == 3)
        #expect(
            bank.warnings.map(\.description) == [
                "第 1 行 (line 1): 第一道带题号的题目之前的文字已忽略 (text before the first numbered question ignored)"
            ])
    }

    @Test func locatedErrors() throws {
        #expect(
            importErrors(try fixture("broken-word.txt")) == [
                "第 1 行 (line 1): 答案为空 (the answer is missing)",
                "第 8 行 (line 8): 答案“D”，但只有选项 A–B (\"D\" but only options A–B)",
                "第 12 行 (line 12): 选项 C 顺序不对 (option C follows option A)",
            ])
    }
}

@Suite struct FormatDetectionTests {
    @Test func detectsFromContentWhateverTheName() throws {
        #expect(BankFormat.detect(fileName: "a.txt", content: try fixture("valid.gift")) == .gift)
        #expect(BankFormat.detect(fileName: "a.txt", content: try fixture("valid.aiken")) == .aiken)
        #expect(BankFormat.detect(fileName: "a.txt", content: try fixture("valid-word.txt")) == .text)
        #expect(BankFormat.detect(fileName: "a.txt", content: try fixture("valid-gb18030.csv")) == .csv)
        #expect(BankFormat.detect(fileName: "a.dat", content: try fixture("valid-chinese.xlsx")) == .xlsx)
        #expect(BankFormat.detect(fileName: nil, content: Data("[{}]".utf8)) == .json)
    }
}
