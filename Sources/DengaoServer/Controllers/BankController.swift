import DengaoCore
import Foundation
import Hummingbird

/// The bank API: upload (any supported format), list, browse questions with filters, export, share, delete.
/// Organizers see the banks their subtree owns and those shared with it from above.
struct BankController: Sendable {
    let storage: any Storage
    let authorizer: Authorizer
    let imports: ImportGate

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("", .staff, use: list)
        routes.post("", .staff, use: upload)
        routes.get(":name", .readBank(parameter: "name"), use: show)
        routes.get(":name/questions", .readBank(parameter: "name"), use: questions)
        routes.get(":name/export", .readBank(parameter: "name"), use: export)
        routes.patch(":name", .editBank(parameter: "name"), use: update)
        routes.delete(":name", .editBank(parameter: "name"), use: delete)
    }

    /// A bank summary plus whether the caller may change it, flattened into one JSON object.
    struct BankEntry: Encodable {
        var summary: BankSummary
        var canEdit: Bool

        private enum Keys: String, CodingKey { case canEdit }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(canEdit, forKey: .canEdit)
        }
    }

    struct BankList: ResponseEncodable {
        var banks: [BankEntry]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> BankList {
        let policy = AccessPolicy(tree: try await storage.orgTree())
        return BankList(
            banks: try await storage.banks().compactMap { bank in
                let ownership = BankOwnership(ownerUnitId: bank.owner?.id, shared: bank.shared)
                guard policy.canRead(bank: ownership, as: principal) else { return nil }
                return BankEntry(summary: bank, canEdit: policy.canEdit(bank: ownership, as: principal))
            })
    }

    struct Sharing: Decodable {
        var shared: Bool?
        var ownerUnitId: UnitID?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> BankSummary
    {
        let name = try Self.bankName(context)
        let body = try await request.decodeJSON(Sharing.self, context: context)
        if let owner = body.ownerUnitId { try await authorizer.demandManage(unit: owner, principal: principal) }
        return try await storage.updateBank(
            named: name, ownerUnitId: body.ownerUnitId.map { Optional($0) }, shared: body.shared)
    }

    struct Imported: ResponseEncodable {
        var bank: String
        var version: Int
        var questionCount: Int
        var format: BankFormat
        var warnings: [IssueJSON]
    }

    /// `POST /api/banks?name=…&filename=…[&format=…]` with the file as the body; 201, or 422 with located errors.
    /// `POST /api/banks?name=…&filename=…[&format=…][&unit=ID][&shared=1]`: a new bank is owned by `unit` (an
    /// organizer's default: their own unit); a new version of an existing bank needs the right to edit it.
    @Sendable func upload(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<Imported>
    {
        let query = request.uri.queryParameters
        guard let rawName = query.get("name"), !rawName.isEmpty else {
            throw APIError.badRequest("请填写题库名称 (the bank name is missing: ?name=…)")
        }
        let fileName = query.get("filename")
        let formatName = query.get("format") ?? ""
        let format = BankFormat(name: formatName)
        if !formatName.isEmpty && format == nil {
            throw APIError.badRequest("不支持的格式「\(formatName)」 (unknown format \"\(formatName)\")")
        }
        let name: String
        do { name = try StorageRules.validatedBankName(rawName) } catch let error as StorageError {
            throw APIError(error)
        }
        let owner: UnitID?
        if let unitText = query.get("unit"), !unitText.isEmpty {
            guard let unit = UnitID(unitText) else { throw APIError.badRequest("unit 须为单位编号 (unit must be a unit id)") }
            owner = unit
        } else {
            owner = principal.scopeRoot
        }
        let shared = ["1", "true", "yes"].contains(query.get("shared") ?? "")
        if try await storage.bankOwnership(named: name) != nil {
            try await authorizer.demand(.editBank(parameter: "name"), principal: principal) { _ in name }
        } else if let owner {
            try await authorizer.demandManage(unit: owner, principal: principal)
        }
        let imported = try await imports.run(.bank) {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let data = Data(buffer: body, byteTransferStrategy: .noCopy)
            let bank: ParsedBank
            let version: BankVersionSummary
            do {
                // Parsing (a 100k-question workbook takes seconds) is CPU work: off Swift's pool. The storage may
                // insert what it delivers meanwhile, in the transaction a parse error rolls back.
                (bank, version) = try await storage.importBank(
                    named: name, sourceName: fileName, owner: owner, shared: shared, at: Date()
                ) { delivery in
                    try await onCPUThreads {
                        try BankImporter.parse(data, fileName: fileName, format: format, delivery: delivery)
                    }
                }
            } catch let failure as ImportFailure {
                throw APIError(failure)
            }
            return Imported(
                bank: name, version: version.version, questionCount: version.questionCount, format: bank.format,
                warnings: bank.warnings.map(IssueJSON.init))
        }
        return EditedResponse(status: .created, response: imported)
    }

    struct BankDetail: ResponseEncodable {
        var bank: BankSummary
        var versions: [BankVersionSummary]
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> BankDetail
    {
        let name = try Self.bankName(context)
        return try await {
            BankDetail(bank: try await storage.bank(named: name), versions: try await storage.versions(ofBank: name))
        }()
    }

    struct QuestionJSON: Codable {
        var id: QuestionID
        var number: Int
        var type: QuestionType
        var stem: String
        var options: [String]
        /// As templates write it: "B", "ABD", "对", "遵义会议|遵义".
        var answer: String
        var explanation: String
        var difficulty: Int
        var category: String
        var tags: [String]

        init(_ stored: StoredQuestion) {
            let question = stored.question
            id = stored.id
            number = stored.number
            type = question.type
            stem = question.stem
            options = question.options
            answer = question.answerText
            explanation = question.explanation
            difficulty = question.difficulty
            category = question.category
            tags = question.tags
        }
    }

    struct QuestionPageJSON: ResponseEncodable {
        var version: Int
        var total: Int
        var page: Int
        var perPage: Int
        var questions: [QuestionJSON]
    }

    /// `GET /api/banks/:name/questions?type=&category=&difficulty=2|1-3&tag=&q=&version=&page=&perPage=`
    @Sendable func questions(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> QuestionPageJSON
    {
        let name = try Self.bankName(context)
        let parameters = request.uri.queryParameters
        func nonEmpty(_ key: String) -> String? {
            parameters.get(key).flatMap { $0.isEmpty ? nil : $0 }
        }
        var query = QuestionQuery()
        if let type = nonEmpty("type") {
            guard let parsed = QuestionType(rawValue: type) else {
                throw APIError.badRequest("未知题型「\(type)」 (unknown type \"\(type)\")")
            }
            query.type = parsed
        }
        query.category = nonEmpty("category")
        query.tag = nonEmpty("tag")
        query.text = nonEmpty("q")
        query.version = try request.wholeNumber("version")
        if let difficulty = nonEmpty("difficulty") {
            let parts = difficulty.split(separator: "-", omittingEmptySubsequences: false)
            let bounds = parts.compactMap { Int($0) }
            guard (1...2).contains(parts.count), bounds.count == parts.count,
                bounds.allSatisfy(Question.difficultyRange.contains),
                bounds.first! <= bounds.last!
            else {
                throw APIError.badRequest(
                    "difficulty 须为 1–5 或 2-4 这样的范围 (difficulty must be 1–5 or a range such as 2-4)")
            }
            query.difficulty = bounds.first!...bounds.last!
        }
        let paging = try request.paging(defaultSize: 20)
        query.offset = paging.offset
        query.limit = paging.perPage
        let filters = query
        let result = try await storage.questions(ofBank: name, matching: filters)
        return QuestionPageJSON(
            version: result.version, total: result.total, page: paging.page, perPage: paging.perPage,
            questions: result.questions.map(QuestionJSON.init))
    }

    /// `GET /api/banks/:name/export?format=xlsx|csv|json|gift|aiken|text[&version=]` as a download.
    @Sendable func export(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response
    {
        let name = try Self.bankName(context)
        let formatName = request.uri.queryParameters.get("format") ?? "xlsx"
        guard let format = BankFormat(name: formatName) else {
            throw APIError.badRequest("不支持的格式「\(formatName)」 (unknown format \"\(formatName)\")")
        }
        let version = try request.wholeNumber("version")
        let (_, questions) = try await storage.allQuestions(ofBank: name, version: version)
        let data: Data
        do {
            // Writing a workbook of a whole bank is CPU work: off Swift's pool.
            data = try await onCPUThreads { try BankExporter.export(questions, as: format, bankName: name) }
        } catch let error as BankExporter.Unrepresentable {
            throw APIError(status: .unprocessableContent, message: error.description)
        }
        let fileName = "\(name).\(format.fileExtension)"
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "bank"
        return Response(
            status: .ok,
            headers: [
                .contentType: format.contentType,
                .contentDisposition:
                    "attachment; filename=\"bank.\(format.fileExtension)\"; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let name = try Self.bankName(context)
        try await storage.deleteBank(named: name)
        return .noContent
    }

    static func bankName(_ context: AppRequestContext) throws -> String {
        let raw = try context.parameters.require("name")
        // Hummingbird hands path parameters over still percent-encoded; bank names are usually Chinese.
        return raw.removingPercentEncoding ?? raw
    }
}
