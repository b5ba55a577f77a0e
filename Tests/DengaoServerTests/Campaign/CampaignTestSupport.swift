import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Settings of a small campaign on the sample bank 党章党规党纪: true/false questions only, so a test answers from
/// the bank's key without knowing any option order; open from 2026 to 2099.
func climbSettings(levels: Int = 2, questions: Int = 3, timeLimit: LevelTimeLimit = .perQuestion(seconds: 60))
    -> CampaignSettings
{
    CampaignSettings(
        title: "测试登高", startDate: "2026-01-01", endDate: "2099-12-31", banks: ["党章党规党纪"],
        levels: (1...levels).map {
            LevelSettings(title: "第\($0)关", draw: DrawRule(count: questions, types: [.trueFalse]), timeLimit: timeLimit)
        })
}

struct NewCampaignRequest: Encodable {
    var ownerUnitId: Int64?
    var settings: CampaignSettings
}

struct CreatedCampaign: Decodable {
    struct Campaign: Decodable { var id: CampaignID }
    var campaign: Campaign
    var memberLink: String
    var displayLink: String?
}

/// The bank's key by stem, read from the store as the bank holds it: the tests' independent answer sheet.
func trueFalseKey(in configuration: AppConfiguration) async throws -> [String: Bool] {
    var key: [String: Bool] = [:]
    for (_, question) in try await TestBackend.storage(configuration).latestQuestions(ofBanks: ["党章党规党纪"]) {
        if case .truth(let truth) = question.answer { key[question.stem] = truth }
    }
    return key
}

extension SignedInClient {
    func createCampaign(ownerUnitId: Int64? = nil, settings: CampaignSettings = climbSettings()) async throws
        -> CreatedCampaign
    {
        try await send(.post, "/api/campaigns", json: NewCampaignRequest(ownerUnitId: ownerUnitId, settings: settings))
        { response in
            guard response.status == .created else {
                throw TestFailure("create campaign: \(response.status) \(String(buffer: response.body))")
            }
            return try response.body.decode(CreatedCampaign.self)
        }
    }

    /// An invitation for the member with this number, redeemed on a fresh "phone".
    func memberPhone(_ number: String) async throws -> SignedInClient {
        let link = try await execute(uri: "/api/members/\(number)/invitations", method: .post) {
            try $0.body.decode(InvitationBody.self).link
        }
        return try await client.redeem(link)
    }

    /// A JSON request; returns the status and the decoded object.
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil) async throws -> (
        status: Int, object: [String: Any]
    ) {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await execute(
            uri: uri, method: method, headers: body == nil ? [:] : [.contentType: "application/json"],
            body: data.map { ByteBuffer(data: $0) }
        ) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (Int(response.status.code), object)
        }
    }
}

/// Field names anywhere in a JSON value.
func jsonFieldNames(_ value: Any) -> Set<String> {
    if let object = value as? [String: Any] {
        return object.reduce(into: Set(object.keys)) { $0.formUnion(jsonFieldNames($1.value)) }
    }
    if let array = value as? [Any] { return array.reduce(into: []) { $0.formUnion(jsonFieldNames($1)) } }
    return []
}
