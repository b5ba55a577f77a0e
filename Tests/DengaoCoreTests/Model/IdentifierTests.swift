import DengaoCore
import Foundation
import Testing

@Suite struct IdentifierTests {
    private struct Row: Codable, Equatable {
        var contest: ContestID
        var member: MemberID?
    }

    @Test func isTheBareIntegerOnTheWire() throws {
        let json = try JSONEncoder().encode(Row(contest: 7, member: 42))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["contest"] as? Int == 7)
        #expect(object["member"] as? Int == 42)
        #expect(try JSONDecoder().decode(Row.self, from: json) == Row(contest: 7, member: 42))
    }

    @Test func refusesWhatIsNotAnInteger() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"contest":"7"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"contest":1.5}"#.utf8))
        }
        #expect(ContestID("7") == 7)
        #expect(ContestID("7x") == nil)
        #expect(ContestID("99999999999999999999") == nil)
    }

    @Test func printsAndOrdersAsItsNumber() {
        let ids: [UnitID] = [3, 1, 2]
        #expect(ids.sorted() == [1, 2, 3])
        #expect("\(ContestID(12))" == "12")
        #expect(Set<MemberID>([1, 1, 2]).count == 2)
    }
}
