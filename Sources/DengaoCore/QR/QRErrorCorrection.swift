/// How much of a QR symbol may be damaged and still decode: roughly 7 % (L), 15 % (M), 25 % (Q) or 30 % (H)
/// of the codewords. Higher levels spend more of the symbol on Reed–Solomon codewords, so the same text needs a
/// larger version.
public enum QRErrorCorrection: String, Sendable, CaseIterable {
    case low = "L"
    case medium = "M"
    case quartile = "Q"
    case high = "H"

    /// The row of the ISO/IEC 18004 block tables, which list the levels in L, M, Q, H order.
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two-bit indicator in the format information. The standard does not number the levels in L, M, Q, H
    /// order here (Table 12), so this cannot be derived from `tableIndex`.
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}
