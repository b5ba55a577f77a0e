import Testing

@testable import DengaoCore

@Suite struct QuestionValidationTests {
    @Test func mockBankIsValid() {
        for question in Question.mockBank { #expect(question.problems.isEmpty, "\(question.stem)") }
    }

    @Test func answerBeyondOptionsNamesTheRange() {
        let question = Question(type: .single, stem: "s", options: ["a", "b", "c", "d"], answer: .choices([4]))
        #expect(question.problems.map(\.message) == ["答案“E”，但只有选项 A–D (\"E\" but only options A–D)"])
    }

    @Test func choiceCountsAndOptionLimits() {
        #expect(!Question(type: .single, stem: "s", options: ["a", "b"], answer: .choices([0, 1])).problems.isEmpty)
        #expect(!Question(type: .multiple, stem: "s", options: ["a", "b"], answer: .choices([0])).problems.isEmpty)
        #expect(!Question(type: .single, stem: "s", options: ["a"], answer: .choices([0])).problems.isEmpty)
        let nine = (1...9).map(String.init)
        #expect(!Question(type: .single, stem: "s", options: nine, answer: .choices([0])).problems.isEmpty)
    }

    @Test func difficultyAndStem() {
        let problems = Question(type: .fill, stem: "", answer: .texts(["x"]), difficulty: 6).problems
        #expect(Set(problems.map(\.field)) == [.stem, .difficulty])
    }
}
