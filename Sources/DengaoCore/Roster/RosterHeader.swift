/// The columns of a roster file, found by their header names in any order.
struct RosterHeader {
    enum Column: Hashable { case name, number, unit, phone, active, categories }

    private static let aliases: [String: Column] = {
        var aliases: [String: Column] = [:]
        for (column, names) in [
            (Column.name, ["姓名", "名字", "党员姓名", "name", "membername"]),
            (.number, ["党员编号", "编号", "工号", "人员编号", "成员编号", "number", "membernumber", "memberno", "id"]),
            (
                .unit,
                ["所在支部", "支部", "所在党支部", "党支部", "所在组织", "组织", "党组织", "所在党组织", "单位", "unit", "branch", "organization"]
            ),
            (.phone, ["手机号", "手机", "手机号码", "联系电话", "电话", "phone", "mobile", "phonenumber"]),
            (.active, ["状态", "是否在册", "在册", "active", "status"]),
            // Not 分类: that is a question's knowledge category in the bank template.
            (.categories, ["类别", "党员类别", "人员类别", "分层分类", "category", "categories", "membercategory"]),
        ] {
            for name in names { aliases[name] = column }
        }
        return aliases
    }()

    private var row: HeaderRow<Column>
    var columns: [Int: Column] { row.columns }
    var names: [Int: String] { row.names }
    var ignored: [String] { row.ignored }
    var problems: [String] { row.problems }

    static func column(named header: String) -> Column? {
        aliases[HeaderRow<Column>.key(header)]
    }

    init(cells: [Int: String]) {
        row = HeaderRow(cells: cells, field: Self.column(named:))
        row.require(.name, "缺少“姓名”列 (no 姓名 column)")
        row.require(.number, "缺少“党员编号”列 (no 党员编号 column)")
        row.require(.unit, "缺少“所在支部”列 (no 所在支部 column)")
    }

    /// Whether the row names any roster field, which is how a sheet's header row is recognised.
    var isHeader: Bool { row.present.contains(.name) || row.present.contains(.number) }

    /// One row as an entry; its field problems go to `issues`, located by the column's header.
    func entry(
        cells: [Int: String], rowLocation: SourceLocation, cellLocation: (String) -> SourceLocation,
        issues: inout IssueCollector
    ) -> RosterEntry? {
        var values: [Column: (text: String, header: String)] = [:]
        for (index, column) in columns { values[column] = (cells[index] ?? "", names[index] ?? "") }
        func field<T>(_ column: Column, _ rule: (String) -> Result<T, MemberFieldProblem>) -> T? {
            guard let value = values[column] else { return nil }
            switch rule(value.text) {
            case .success(let parsed): return parsed
            case .failure(let problem):
                issues.error(cellLocation(value.header), problem.description)
                return nil
            }
        }
        let number = field(.number, MemberFields.number)
        let name = field(.name, MemberFields.name)
        let unitText = FieldParsing.trimmed(values[.unit]?.text ?? "")
        if unitText.isEmpty, let header = values[.unit]?.header {
            issues.error(cellLocation(header), "所在支部为空 (the unit is missing)")
        }
        let phone = field(.phone, MemberFields.phone)
        let active = field(.active, MemberFields.active)
        let categories = field(.categories, MemberFields.categories)
        guard let number, let name, !unitText.isEmpty else { return nil }
        if values[.phone] != nil && phone == nil && !FieldParsing.trimmed(values[.phone]!.text).isEmpty { return nil }
        if values[.active] != nil && active == nil && !FieldParsing.trimmed(values[.active]!.text).isEmpty {
            return nil
        }
        if values[.categories] != nil && categories == nil
            && !MemberCategories.split(values[.categories]!.text).isEmpty
        {
            return nil
        }
        return RosterEntry(
            number: number, name: name, unit: unitText, phone: phone ?? nil, active: active ?? nil,
            categories: categories ?? nil, location: rowLocation)
    }
}
