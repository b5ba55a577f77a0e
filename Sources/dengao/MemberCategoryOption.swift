import ArgumentParser
import DengaoCore
import DengaoServer

/// `--member-category ID` of the results exports: the same narrowing as the console's download with
/// `?memberCategory=ID`.
struct MemberCategoryOption: ParsableArguments {
    @Option(
        name: .customLong("member-category"),
        help: ArgumentHelp(
            "Count only the members holding this member category (its id: GET /api/member-categories), as the console's download with ?memberCategory=ID does.",
            valueName: "id"))
    var id: Int64?

    /// The filter for `id`, or nil without the option; an unknown id is refused by the storage's error.
    func filter(storage: any Storage) async throws -> MemberCategoryFilter? {
        guard let id else { return nil }
        return try await MemberCategoryReports.filter(category: MemberCategoryID(id), storage: storage)
    }
}
