import DengaoCore
import DengaoPostgres
import Foundation
import Testing

let sampleQuestions: [Question] = [
    Question(
        type: .single, stem: "中共一大于（ ）年召开。", options: ["1919", "1921"], answer: .choices([1]), difficulty: 1,
        category: "党史", tags: ["建党"]),
    Question(
        type: .multiple, stem: "新发展理念包括（ ）。", options: ["创新", "协调", "封闭"], answer: .choices([0, 1]), difficulty: 3,
        category: "政治理论", tags: ["新发展理念", "理论"]),
    Question(
        type: .trueFalse, stem: "党员必须参加组织生活。", answer: .truth(true), explanation: "党章第一章", difficulty: 2, category: "党章"
    ),
    Question(
        type: .fill, stem: "遵义会议召开于（ ）年。", answer: .texts(["1935", "1935年"]), difficulty: 5, category: "党史",
        tags: ["长征"]),
    Question(
        type: .single, stem: "含 \"引号\"、\\反斜杠\\ 与\n换行", options: ["a\tb", "c\u{1}d"], answer: .choices([0]),
        category: "党史"),
]

/// Banks through `any Storage`, on a SQLite file and a PostgreSQL schema: versions, summaries, byte order, filters,
/// deletion, refusals (a bad name, a bank in use, a missing bank or version) and all-or-nothing imports.
@Suite struct BankContractTests {
    @Test(arguments: StorageBackend.available) func reimportCreatesVersionsAndOldOnesStayReadable(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let first = try await store.importBank(
                named: "题库", questions: sampleQuestions, format: .xlsx, sourceName: "v1.xlsx")
            let second = try await store.importBank(
                named: "题库", questions: Array(sampleQuestions.prefix(2)), format: .gift, sourceName: nil)
            #expect(first.version == 1 && second.version == 2)
            #expect(first.sourceName == "v1.xlsx" && second.sourceFormat == "gift")
            #expect(try await store.allQuestions(ofBank: "题库").questions.count == 2)
            #expect(try await store.allQuestions(ofBank: "题库", version: 1).questions == sampleQuestions)
            #expect(try await store.versions(ofBank: "题库").map(\.version) == [2, 1])
            let summary = try await store.bank(named: "题库")
            #expect(summary.latest.version == 2 && summary.versionCount == 2)
            #expect(summary.countsByType == ["single": 1, "multiple": 1])
            await #expect(throws: StorageError.versionNotFound(bank: "题库", version: 3)) {
                try await store.allQuestions(ofBank: "题库", version: 3)
            }
        }
    }

    @Test(arguments: StorageBackend.available) func summaryCountsByTypeCategoryAndDifficulty(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            _ = try await store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
            let summary = try #require(try await store.banks().first)
            #expect(summary.countsByType == ["single": 2, "multiple": 1, "truefalse": 1, "fill": 1])
            #expect(summary.countsByCategory == ["党史": 3, "政治理论": 1, "党章": 1])
            #expect(summary.countsByDifficulty == ["1": 1, "2": 1, "3": 2, "5": 1])
            #expect(summary.owner == nil && summary.shared == false)
        }
    }

    @Test(arguments: StorageBackend.available) func banksAreListedInSQLitesByteOrder(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            // SQLite compares text byte by byte; a PostgreSQL locale would put "b" before "B" or ignore case.
            for name in ["b", "B", "a", "党史", "A"] {
                _ = try await store.importBank(named: name, questions: sampleQuestions, format: .json, sourceName: nil)
            }
            #expect(try await store.banks().map(\.name) == ["A", "B", "a", "b", "党史"])
        }
    }

    @Test(arguments: StorageBackend.available) func filtersAndPaging(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
            _ = try await store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
            func numbers(_ query: QuestionQuery) async throws -> [Int] {
                try await store.questions(ofBank: "b", matching: query).questions.map(\.number)
            }
            #expect(try await numbers(QuestionQuery(type: .single)) == [1, 5])
            #expect(try await numbers(QuestionQuery(category: "党史")) == [1, 4, 5])
            #expect(try await numbers(QuestionQuery(difficulty: 2...3)) == [2, 3, 5])
            #expect(try await numbers(QuestionQuery(tag: "长征")) == [4])
            #expect(try await numbers(QuestionQuery(text: "遵义")) == [4])
            #expect(try await numbers(QuestionQuery(text: "协调")) == [2])  // matched in an option
            #expect(try await numbers(QuestionQuery(text: "%")) == [])  // LIKE wildcards are literal
            #expect(try await numbers(QuestionQuery(type: .single, category: "党史", text: "引号")) == [5])
            let page = try await store.questions(ofBank: "b", matching: QuestionQuery(offset: 2, limit: 2))
            #expect(page.total == 5 && page.questions.map(\.number) == [3, 4])
            #expect(page.questions[0].question == sampleQuestions[2])
            // Case-insensitive, as SQLite's LIKE is for ASCII.
            _ = try await store.importBank(
                named: "en",
                questions: [
                    Question(type: .single, stem: "The Party Congress", options: ["x", "y"], answer: .choices([0]))
                ],
                format: .json, sourceName: nil)
            let found = try await store.questions(ofBank: "en", matching: QuestionQuery(text: "party CONGRESS"))
                .questions.map(\.number)
            #expect(found == [1])
        }
    }

    @Test(arguments: StorageBackend.available) func deleteRemovesVersionsAndQuestions(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            _ = try await store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
            var ids = Set(try await store.latestQuestions(ofBanks: ["b"]).map(\.id))
            _ = try await store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
            ids.formUnion(try await store.latestQuestions(ofBanks: ["b"]).map(\.id))
            #expect(ids.count == 2 * sampleQuestions.count)
            try await store.deleteBank(named: "b")
            #expect(try await store.banks().isEmpty)
            // No question of either version is left to read, by id.
            #expect(try await store.questions(ids: ids).isEmpty)
            #expect(try await store.questionsForReport(ids: ids).isEmpty)
            await #expect(throws: StorageError.bankNotFound("b")) { try await store.allQuestions(ofBank: "b") }
            await #expect(throws: StorageError.bankNotFound("b")) { try await store.deleteBank(named: "b") }
        }
    }

    @Test(arguments: StorageBackend.available) func aBankAContestUsesCannotBeDeleted(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            _ = try await JournalContractTests.contest(store)
            await #expect(throws: StorageError.bankInUse("题库")) {
                try await store.deleteBank(named: "题库")
            }
            #expect(try await store.hasBanks())
        }
    }

    @Test(arguments: StorageBackend.available) func badNamesAreRefused(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
            for name in ["", "  ", "a/b", "x\u{7}", ".", "..", String(repeating: "长", count: 101)] {
                await #expect(throws: StorageError.self) {
                    try await store.importBank(named: name, questions: sampleQuestions, format: .csv, sourceName: nil)
                }
            }
            let banks = try await store.banks()
            #expect(banks.isEmpty)
        }
    }

    @Test(arguments: StorageBackend.available) func aFailedImportLeavesNothingBehind(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            var invalid = sampleQuestions
            invalid.append(
                Question(type: .single, stem: "x", options: ["a", "b"], answer: .choices([0]), difficulty: 9))
            // The CHECK constraint is the last line of defence when a caller skips validation.
            await #expect(throws: (any Error).self) {
                try await store.importBank(named: "b", questions: invalid, format: .csv, sourceName: nil)
            }
            let (banks, hasBanks) = (try await store.banks(), try await store.hasBanks())
            #expect(banks.isEmpty)
            #expect(hasBanks == false)
        }
    }

    @Test(arguments: StorageBackend.available) func ownershipAndSharingChange(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
            let (unit, _) = try await JournalContractTests.unitAndMember(store)
            _ = try await store.importBank(
                named: "b", questions: sampleQuestions, format: .json, sourceName: nil, owner: unit, shared: false)
            #expect(try await store.bankOwnership(named: "b") == BankOwnership(ownerUnitId: unit, shared: false))
            #expect(try await store.bankOwnership(named: "none") == nil)
            let shared = try await store.updateBank(named: "b", shared: true)
            #expect(shared.shared && shared.owner?.id == unit && shared.owner?.path == "第一党支部")
            let organization = try await store.updateBank(named: "b", ownerUnitId: .some(nil))
            #expect(organization.owner == nil && organization.shared)
            await #expect(throws: StorageError.unitNotFound(999)) {
                try await store.updateBank(named: "b", ownerUnitId: 999)
            }
        }
    }

    @Test(arguments: StorageBackend.available) func aLargeImportIsOneTransactionInChunks(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let many = (1...2_500).map {
                Question(type: .single, stem: "题 \($0)", options: ["甲", "乙"], answer: .choices([$0 % 2]))
            }
            let version = try await store.importBank(named: "大题库", questions: many, format: .csv, sourceName: nil)
            #expect(version.questionCount == 2_500)
            let all = try await store.allQuestions(ofBank: "大题库")
            #expect(all.questions == many)
            let last = try await store.questions(ofBank: "大题库", matching: QuestionQuery(offset: 2_499, limit: 5))
            #expect(last.questions.map(\.number) == [2_500])
        }
    }
}

/// The guard around loading live rooms, on both backends: a load under way at a crash sets its room aside at the next
/// start.
@Suite struct RoomLoadContractTests {
    @Test(arguments: StorageBackend.available) func aLoadInterruptedByACrashSetsItsRoomAsideOnce(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            #expect(try await store.beginLoading(.contest, id: 7) == nil)
            #expect(try await store.beginLoading(.campaign, id: 9) == nil)
            try await store.finishLoading(.campaign, id: 9)
            // The process died while contest 7 loaded; campaign 9 loaded fine.
            let interrupted = try await store.setAsideInterruptedLoads()
            #expect(interrupted.map(\.id) == [7])
            #expect(try await store.setAsideInterruptedLoads().isEmpty)
            #expect(try await store.beginLoading(.contest, id: 7)?.contains("意外停止") == true)
            #expect(try await store.beginLoading(.campaign, id: 9) == nil)
            try await store.finishLoading(.campaign, id: 9, setAsideBecause: "坏数据")
            #expect(try await store.setAsideRooms().first { $0.kind == .campaign && $0.id == 9 }?.reason == "坏数据")
            #expect(try await store.clearSetAside(.contest, id: 7))
            #expect(try await !store.clearSetAside(.contest, id: 7))
            #expect(try await store.beginLoading(.contest, id: 7) == nil)
        }
    }

    @Test(arguments: StorageBackend.available) func aSetAsideContestIsListedWithItsReasonAndRefusesResults(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let (contest, _) = try await JournalContractTests.contest(store)
            _ = try await store.beginLoading(.contest, id: contest.rawValue)
            try await store.finishLoading(.contest, id: contest.rawValue, setAsideBecause: "坏数据")
            #expect(try await store.contest(id: contest)?.setAside == "坏数据")
            await #expect(throws: StorageError.setAside("坏数据")) { try await store.contestResults(contest) }
        }
    }
}
