/// A spreadsheet or CSV header row read against a table of aliases: which column means which field, the header
/// text of each column (for locations such as `column 答案`), the unknown columns, and fields named twice.
/// Shared by bank and roster files, which differ only in their fields and aliases.
struct HeaderRow<Field: Hashable> {
    private(set) var columns: [Int: Field] = [:]
    private(set) var names: [Int: String] = [:]
    private(set) var ignored: [String] = []
    private(set) var problems: [String] = []

    init(cells: [Int: String], field: (String) -> Field?) {
        var seen: [Field: String] = [:]
        for (index, raw) in cells.sorted(by: { $0.key < $1.key }) {
            let name = FieldParsing.trimmed(raw)
            guard !name.isEmpty else { continue }
            names[index] = name
            guard let column = field(name) else {
                ignored.append(name)
                continue
            }
            if let earlier = seen[column] {
                problems.append(
                    "“\(earlier)”和“\(name)”两列是同一个字段 (columns \"\(earlier)\" and \"\(name)\" both mean the same field)")
            }
            seen[column] = name
            columns[index] = column
        }
    }

    var present: Set<Field> { Set(columns.values) }

    mutating func require(_ field: Field, _ problem: String) {
        if !present.contains(field) { problems.append(problem) }
    }

    /// The key a header is looked up by: lower case, without spaces, "*", colons, dashes, underscores and a
    /// trailing （必填）/（选填）.
    static func key(_ header: String) -> String {
        var key = header.lowercased().filter { !$0.isWhitespace && !"*＊:：_-".contains($0) }
        for suffix in ["（必填）", "(必填)", "（选填）", "(选填)"] where key.hasSuffix(suffix) {
            key.removeLast(suffix.count)
        }
        return key
    }
}
