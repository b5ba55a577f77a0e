import Testing

@testable import DengaoCore

@Suite struct FieldParsingTests {
    @Test(arguments: [
        ("单选", QuestionType.single), ("单项选择题", .single), ("Single Choice", .single),
        ("多选题", .multiple), ("multiple", .multiple), ("判断", .trueFalse), ("truefalse", .trueFalse),
        ("填空", .fill), ("fill", .fill), ("short answer", .fill),
    ])
    func typeNames(name: String, type: QuestionType) {
        #expect(FieldParsing.questionType(name) == type)
    }

    @Test func unknownTypeName() {
        #expect(FieldParsing.questionType("问答") == nil)
    }

    @Test(arguments: [
        ("ABD", [0, 1, 3]), ("A,B,D", [0, 1, 3]), ("A、B、D", [0, 1, 3]), ("d，a", [0, 3]), ("ＢＣ", [1, 2]), ("E", [4]),
    ])
    func optionLetters(text: String, indices: [Int]) {
        #expect(FieldParsing.optionIndices(text) == indices)
    }

    @Test func notOptionLetters() {
        #expect(FieldParsing.optionIndices("1921") == nil)
        #expect(FieldParsing.optionIndices("") == nil)
        #expect(FieldParsing.optionIndices("对") == nil)
    }

    @Test(arguments: ["对", "正确", "√", "T", "true", "TRUE"])
    func trueWords(word: String) {
        #expect(FieldParsing.truth(word) == true)
    }

    @Test(arguments: ["错", "错误", "×", "F", "false"])
    func falseWords(word: String) {
        #expect(FieldParsing.truth(word) == false)
    }

    @Test func difficulties() {
        #expect(FieldParsing.difficulty("3") == 3)
        #expect(FieldParsing.difficulty("4.0") == 4)
        #expect(FieldParsing.difficulty("较难") == 4)
        #expect(FieldParsing.difficulty("★★") == 2)
        #expect(FieldParsing.difficulty("hard-ish") == nil)
    }

    @Test func tagsSplitOnEveryCommonSeparator() {
        #expect(FieldParsing.tags("建党、一大, 建党；长征") == ["建党", "一大", "长征"])
    }
}
