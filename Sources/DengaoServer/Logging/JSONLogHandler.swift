import Foundation
import Logging
import NIOConcurrencyHelpers

/// swift-log's handler for `dengao serve --log-format json`: one JSON object per line on standard error, for log
/// collectors (journald, Loki, Elasticsearch) that read fields rather than text.
///
/// swift-log ships only the text `StreamLogHandler`; a JSON line is small enough to write here rather than take a
/// logging backend package for it. Fields: `time` (ISO 8601, UTC, milliseconds), `level`, `label`, `message`, then
/// the metadata's keys; nested metadata stays nested.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: JSONLogOutput

    public init(label: String, level: Logger.Level, output: JSONLogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line = "{\"time\":\(Self.quoted(Self.timestamp(Date())))"
        line += ",\"level\":\(Self.quoted(event.level.rawValue)),\"label\":\(Self.quoted(label))"
        line += ",\"message\":\(Self.quoted(event.message.description))"
        for key in fields.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            line += ",\(Self.quoted(key)):\(Self.json(fields[key]!))"
        }
        output.write(line + "}\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let value):
            if let number = value as? any BinaryInteger { "\(number)" } else { quoted(value.description) }
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let fields):
            "{" + fields.keys.sorted().map { quoted($0) + ":" + json(fields[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7: quote, backslash and control characters escaped).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Where JSON log lines go: standard error, whole lines at a time, or (tests) a buffer.
public final class JSONLogOutput: Sendable {
    private let lines: NIOLockedValueBox<[String]>?

    private init(collecting: Bool) { lines = collecting ? NIOLockedValueBox([]) : nil }

    public static let standardError = JSONLogOutput(collecting: false)
    /// Keeps the lines in memory, for tests.
    public static func collecting() -> JSONLogOutput { JSONLogOutput(collecting: true) }

    public var collected: [String] { lines?.withLockedValue { $0 } ?? [] }

    func write(_ line: String) {
        if let lines {
            lines.withLockedValue { $0.append(line) }
        } else {
            // One write(2) per line, so lines from different threads never interleave.
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { _ = Foundation.write(2, $0.baseAddress, $0.count) }
        }
    }
}
