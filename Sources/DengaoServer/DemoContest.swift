import DengaoCore
import Logging

/// A ready-to-play contest for `--demo` and fresh data directories: three rounds, one of each kind, drawn from the
/// sample banks, owned by the whole organization. Its links are logged once (the display token is stored hashed).
enum DemoContest {
    static let settings = ContestSettings(
        title: "登高知识竞赛（演示）",
        rounds: [
            RoundSettings(
                title: "第一轮 必答", kind: .everyone, banks: ["党章党规党纪"], draw: DrawRule(count: 5),
                timeLimitSeconds: 20, points: 1000, streakBonus: 100),
            RoundSettings(
                title: "第二轮 抢答", kind: .buzz, banks: ["政治理论与常识"], draw: DrawRule(count: 2), timeLimitSeconds: 15,
                points: 300, readSeconds: 3, answerSeconds: 10, earlyBuzzPenalty: 50, wrongAnswerPenalty: 100),
            RoundSettings(
                title: "第三轮 风险", kind: .risk, banks: ["党史与革命传统"], draw: DrawRule(count: 1), timeLimitSeconds: 20,
                wagers: [500, 1000, 2000]),  // ContestSettings.defaultWagers beside 必答 at 1000
        ])

    static func seedIfNone(_ storage: any Storage, publicBaseURL: String, logger: Logger) async throws {
        guard try await storage.contests(ownedBy: nil).isEmpty else { return }
        let (contest, token): (ContestSummary, String)
        do {
            (contest, token) = try await ContestCreation.create(
                settings, ownerUnitId: nil, createdById: nil, storage: storage)
        } catch is ContestCreation.DrawProblems {
            return  // the sample banks are not all there (a custom samples folder): no demo contest
        } catch StorageError.bankNotFound {
            return
        }
        logger.notice(
            "demo contest \"\(contest.title)\" is ready: players join at \(publicBaseURL)/play.html?pin=\(contest.pin) (PIN \(contest.pin)); the big screen opens \(publicBaseURL)/display.html#contest=\(contest.id)&token=\(token); host it from the console's 竞赛 page."
        )
    }
}
