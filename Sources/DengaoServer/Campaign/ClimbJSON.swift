import DengaoCore
import Hummingbird
import NIOCore

/// The climbing replies written as JSON bytes directly, the same document `JSONEncoder` makes of them (nil fields
/// left out, as the synthesized `Encodable` does).
///
/// Hand-written because every climbing request sends one and Foundation's `JSONEncoder` was a fifth of the server's
/// CPU under `dengao-bench climb` (the attempt's graded review, with explanations, is re-sent with every answer);
/// `ClimbJSONTests` checks the output against `JSONEncoder` field by field.
struct ClimbJSON {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(2048) }

    /// A 200 response carrying what was written.
    func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    mutating func attempt(_ state: CampaignView.AttemptState) {
        object {
            $0.key("seq", state.seq)
            $0.key("level", state.level)
            $0.key("levelCount", state.levelCount)
            $0.key("levelTitle", state.levelTitle)
            $0.key("questionCount", state.questionCount)
            $0.key("correctNeeded", state.correctNeeded)
            $0.key("status", state.status.rawValue)
            $0.key("answered", state.answered)
            $0.key("correct", state.correct)
            $0.key("remainingMs", Int(state.remainingMs))
            if let question = state.question {
                $0.name("question")
                $0.question(question)
            }
            $0.name("graded")
            $0.array(state.graded) { json, graded in json.graded(graded) }
            if let height = state.height { $0.key("height", height) }
        }
    }

    mutating func reply(_ reply: CampaignView.AnswerReply) {
        object {
            $0.name("graded")
            $0.graded(reply.graded)
            $0.name("attempt")
            $0.attempt(reply.attempt)
        }
    }

    mutating func question(_ question: CampaignView.QuestionShown) {
        object {
            $0.key("index", question.index)
            $0.key("type", question.type.rawValue)
            $0.key("stem", question.stem)
            $0.key("options", question.options)
            if let limit = question.timeLimitMs { $0.key("timeLimitMs", limit) }
            $0.key("remainingMs", Int(question.remainingMs))
        }
    }

    mutating func graded(_ graded: CampaignView.Graded) {
        object {
            $0.key("index", graded.index)
            $0.key("type", graded.type.rawValue)
            $0.key("stem", graded.stem)
            $0.key("options", graded.options)
            $0.key("correct", graded.correct)
            if let picks = graded.picks { $0.key("picks", picks) }
            if let truth = graded.truth { $0.key("truth", truth) }
            if let text = graded.text { $0.key("text", text) }
            if let keyPicks = graded.keyPicks { $0.key("keyPicks", keyPicks) }
            if let keyTruth = graded.keyTruth { $0.key("keyTruth", keyTruth) }
            if let keyTexts = graded.keyTexts { $0.key("keyTexts", keyTexts) }
            $0.key("explanation", graded.explanation)
        }
    }

    // MARK: - Writing

    /// Whether the next member of the object or array being written needs a comma first.
    private var needsComma = false

    private mutating func object(_ members: (inout ClimbJSON) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func array<Element>(_ elements: [Element], _ write: (inout ClimbJSON, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { write(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// A member's name; its value follows.
    mutating func name(_ name: String) {
        separate()
        needsComma = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func key(_ name: String, _ value: Int) {
        self.name(name)
        number(value)
    }

    private mutating func key(_ name: String, _ value: Bool) {
        self.name(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    private mutating func key(_ name: String, _ value: String) {
        self.name(name)
        string(value)
    }

    private mutating func key(_ name: String, _ values: [String]) {
        self.name(name)
        array(values) { json, value in json.string(value) }
    }

    private mutating func key(_ name: String, _ values: [Int]) {
        self.name(name)
        array(values) { json, value in json.number(value) }
    }

    private mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8.
    private mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }
}

extension CampaignView.AttemptState: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = ClimbJSON()
        json.attempt(self)
        return json.response()
    }
}

extension CampaignView.AnswerReply: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = ClimbJSON()
        json.reply(self)
        return json.response()
    }
}
