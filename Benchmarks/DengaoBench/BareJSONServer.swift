import Foundation
import Hummingbird
import Synchronization

/// `dengao-bench bare-json --port P --members N`: the reference the climbing benchmark measures Dengao against.
///
/// A bare Hummingbird server on the same stack with none of the product: the climbing routes' shape (start an
/// attempt, answer, fetch it) behind a session-cookie and CSRF check against an in-memory dictionary, a small JSON
/// body decoded and a small JSON answer encoded with Foundation's coders, no storage, no journal. `ClimbBench` drives
/// it with the same `Climber` clients as the real server, so the ratio of the two is what Dengao's own work costs.
/// Member i's cookie is `dengao_session=bare<i>`, its CSRF token `csrf<i>`.
enum BareJSONServer {
    /// The question every bare attempt asks; the climbing client knows its key (`key`).
    static let stem = "裸服务器的题目"
    static let options = ["甲", "乙", "丙", "丁"]
    static let key = ClimbBench.Key(choices: ["乙"])
    /// Answers per attempt, as in the benchmark campaign's levels.
    static let questionsPerAttempt = 5

    /// What a session knows between requests: its CSRF token and its open attempt.
    struct Session {
        var csrf: String
        var seq = 0
        var answered = 0
    }

    /// Every member's session, shared by the event loops.
    final class Sessions: Sendable {
        let table: Mutex<[String: Session]>
        init(members: Int) {
            table = Mutex(
                Dictionary(uniqueKeysWithValues: (0..<members).map { ("bare\($0)", Session(csrf: "csrf\($0)")) }))
        }
    }

    struct AnswerBody: Decodable {
        var index: Int
        var picks: [Int]?
        var truth: Bool?
        var text: String?
    }

    struct QuestionView: Codable {
        var index: Int
        var stem: String
        var options: [String]
    }

    struct AttemptView: ResponseCodable {
        var seq: Int
        var status: String
        var question: QuestionView?
    }

    struct AnsweredView: ResponseCodable {
        var correct: Bool
        var attempt: AttemptView
    }

    static func run(_ arguments: [String]) -> Int32 {
        var port = 0
        var members = 1_000
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--port": port = rest.popFirst().flatMap { Int($0) } ?? port
            case "--members": members = rest.popFirst().flatMap { Int($0) } ?? members
            default:
                say("usage: dengao-bench bare-json --port P [--members 1000]")
                return 64
            }
        }
        let sessions = Sessions(members: members)
        let router = Router()
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/api/climb/:campaign/attempts") { request, context -> AttemptView in
            let token = try authorize(request, sessions: sessions)
            return sessions.table.withLock { all in
                all[token]?.seq += 1
                all[token]?.answered = 0
                return attempt(all[token] ?? Session(csrf: ""))
            }
        }
        router.get("/api/climb/:campaign/attempts/:seq") { request, _ -> AttemptView in
            let token = try authorize(request, sessions: sessions)
            return sessions.table.withLock { attempt($0[token] ?? Session(csrf: "")) }
        }
        router.post("/api/climb/:campaign/attempts/:seq/answers") { request, context -> AnsweredView in
            let token = try authorize(request, sessions: sessions)
            let body = try await request.decode(as: AnswerBody.self, context: context)
            return try sessions.table.withLock { all in
                guard var session = all[token], body.index == session.answered else {
                    throw HTTPError(.conflict, message: "not the current question")
                }
                session.answered += 1
                all[token] = session
                return AnsweredView(correct: body.picks == [1], attempt: attempt(session))
            }
        }
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil))
        let done = Atomic<Int32>(0)
        let finished = DispatchSemaphore(value: 0)
        Task {
            do { try await application.runService() } catch {
                say("bare server failed: \(error)")
                done.store(1, ordering: .relaxed)
            }
            finished.signal()
        }
        finished.wait()
        return done.load(ordering: .relaxed)
    }

    /// The token of a request whose cookie names a known session and whose CSRF header matches it; else 401.
    static func authorize(_ request: Request, sessions: Sessions) throws -> String {
        guard let token = request.cookies["dengao_session"]?.value,
            let csrf = request.headers[.init("X-CSRF-Token")!],
            sessions.table.withLock({ $0[token]?.csrf == csrf })
        else { throw HTTPError(.unauthorized) }
        return token
    }

    /// The attempt as the client sees it: the next question while answering, "passed" after the last.
    static func attempt(_ session: Session) -> AttemptView {
        guard session.answered < questionsPerAttempt else {
            return AttemptView(seq: session.seq, status: "passed", question: nil)
        }
        return AttemptView(
            seq: session.seq, status: "answering",
            question: QuestionView(index: session.answered, stem: stem, options: options))
    }
}
