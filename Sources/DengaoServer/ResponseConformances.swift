import DengaoCore
import Hummingbird

// The store's views are plain Codable values; the server sends them as JSON bodies as they are.
extension UnitRef: ResponseEncodable {}
extension MemberView: ResponseEncodable {}
extension MemberCategoryView: ResponseEncodable {}
extension MemberPage: ResponseEncodable {}
extension MemberDetail: ResponseEncodable {}
extension AccountView: ResponseEncodable {}
extension BankSummary: ResponseEncodable {}
