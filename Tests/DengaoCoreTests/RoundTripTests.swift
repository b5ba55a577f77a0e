import Foundation
import Testing

@testable import DengaoCore

@Suite struct RoundTripTests {
    /// import → export → import gives equal questions, for every format that can hold the bank.
    @Test(arguments: [BankFormat.xlsx, .csv, .json, .gift, .text])
    func mockBankSurvivesExportAndImport(format: BankFormat) throws {
        let exported = try BankExporter.export(Question.mockBank, as: format, bankName: "示例")
        let bank = try BankImporter.parse(exported, fileName: "bank.\(format.fileExtension)", format: format)
        #expect(bank.questions == Question.mockBank)
        #expect(bank.warnings.isEmpty)
    }

    @Test(arguments: [BankFormat.xlsx, .csv, .json, .gift, .text])
    func exportsAreDetectedAsTheirFormat(format: BankFormat) throws {
        let exported = try BankExporter.export(Question.mockBank, as: format)
        let name = format == .text ? "bank.txt" : "bank.\(format.fileExtension)"
        #expect(BankFormat.detect(fileName: name, content: exported) == format)
    }

    @Test(arguments: ["valid-chinese.xlsx", "valid-english.xlsx", "valid-gb18030.csv", "valid.gift", "valid-word.txt"])
    func fixturesRoundTripThroughEveryFormat(file: String) throws {
        let original = try BankImporter.parse(try fixture(file)).questions
        for format in [BankFormat.xlsx, .csv, .json, .gift, .text] {
            let again = try BankImporter.parse(try BankExporter.export(original, as: format), format: format)
            #expect(again.questions == original, "\(file) via \(format)")
        }
    }

    @Test func aikenHoldsSingleChoiceOnly() throws {
        let singles = Question.mockBank.filter { $0.type == .single }.map {
            var question = $0
            question.explanation = ""
            question.difficulty = Question.defaultDifficulty
            question.category = ""
            question.tags = []
            return question
        }
        let exported = try BankExporter.export(singles, as: .aiken)
        #expect(try BankImporter.parse(exported, format: .aiken).questions == singles)
        #expect(throws: BankExporter.Unrepresentable.self) { try BankExporter.export(Question.mockBank, as: .aiken) }
    }
}
