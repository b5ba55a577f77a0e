import DengaoCore

extension Branches {
    /// `names` keyed by the bare number, for the campaign and report types still on `Int64`: the one conversion
    /// they share until they speak `UnitID` too.
    var rawNames: [Int64: String] {
        // typed-ids boundary (next line)
        Dictionary(names.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
