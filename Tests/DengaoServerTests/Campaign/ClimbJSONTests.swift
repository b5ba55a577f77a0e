import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// The hand-written climbing replies are the documents `JSONEncoder` makes of the same values.
@Suite struct ClimbJSONTests {
    static let graded = [
        CampaignView.Graded(
            index: 0, type: .single, stem: "“引号” \"quoted\" \\ back\nslash\ttab \u{01}", options: ["甲", "乙/丙"],
            correct: true, picks: [1], truth: nil, text: nil, keyPicks: [1], keyTruth: nil, keyTexts: nil,
            explanation: "解析 </script>"),
        CampaignView.Graded(
            index: 1, type: .fill, stem: "填空", options: [], correct: false, picks: nil, truth: nil, text: "不知道",
            keyPicks: nil, keyTruth: nil, keyTexts: ["答案", "另一答案"], explanation: ""),
        CampaignView.Graded(
            index: 2, type: .trueFalse, stem: "判断", options: [], correct: false, picks: nil, truth: nil, text: nil,
            keyPicks: nil, keyTruth: true, keyTexts: nil, explanation: "时间到"),
    ]

    static func state(question: Bool, height: Int?) -> CampaignView.AttemptState {
        CampaignView.AttemptState(
            seq: 7, level: 3, levelCount: 6, levelTitle: "第3关", questionCount: 5, correctNeeded: 4,
            status: question ? .answering : .passed, answered: 3, correct: 1, remainingMs: -12,
            question: question
                ? CampaignView.QuestionShown(
                    index: 3, type: .multiple, stem: "多选", options: ["a", "b", "c"], timeLimitMs: nil,
                    remainingMs: 59_000)
                : nil,
            graded: graded, height: height)
    }

    /// Both documents parsed back, so key order and Foundation's optional `\/` escaping do not matter.
    func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test(arguments: [(true, nil), (false, 4)] as [(Bool, Int?)])
    func anAttemptIsWhatJSONEncoderWrites(question: Bool, height: Int?) throws {
        let state = Self.state(question: question, height: height)
        var json = ClimbJSON()
        json.attempt(state)
        #expect(try parsed(json.bytes) == parsed(Array(JSONEncoder().encode(state))))
    }

    @Test func anAnswerReplyIsWhatJSONEncoderWrites() throws {
        let reply = CampaignView.AnswerReply(graded: Self.graded[0], attempt: Self.state(question: true, height: nil))
        var json = ClimbJSON()
        json.reply(reply)
        #expect(try parsed(json.bytes) == parsed(Array(JSONEncoder().encode(reply))))
    }
}
