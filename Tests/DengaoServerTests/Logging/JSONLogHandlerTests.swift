import Foundation
import Logging
import Testing

@testable import DengaoServer

/// `--log-format json`: each event one line that any JSON reader takes, fields kept typed and nested.
struct JSONLogHandlerTests {
    @Test func eachEventIsOneLineOfJSONWithItsMetadata() throws {
        let output = JSONLogOutput.collecting()
        var logger = Logger(label: "dengao") { JSONLogHandler(label: $0, level: .info, output: output) }
        logger[metadataKey: "node"] = "a"
        logger.debug("below the level")
        logger.info(
            "第一行\n\"引号\" \\ \u{01}",
            metadata: [
                "contest": .stringConvertible(42), "route": "/api/members/{number}",
                "nested": .dictionary(["list": .array(["x", .stringConvertible(-1)])]),
            ])
        let lines = output.collected
        #expect(lines.count == 1)
        #expect(lines[0].hasSuffix("}\n") && lines[0].dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "第一行\n\"引号\" \\ \u{01}")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "dengao")
        #expect(object["node"] as? String == "a")
        #expect(object["contest"] as? Int == 42)
        #expect(object["route"] as? String == "/api/members/{number}")
        #expect(((object["nested"] as? [String: Any])?["list"] as? [Any])?.count == 2)
        let time = try #require(object["time"] as? String)
        #expect(
            try Date(time, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) <= Date())
    }
}
