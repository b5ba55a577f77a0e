/// A guest's self-chosen display name, as it may appear on a hall's big screen.
public enum PlayerName {
    public static let maximumLength = 20

    /// The name cleaned for display (control, format and private-use characters removed — they can reorder or
    /// hide text on a screen — and runs of spaces collapsed), or nil when nothing sensible remains or it is too long.
    public static func cleaned(_ raw: String) -> String? {
        var result = ""
        var pendingSpace = false
        for scalar in raw.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate, .unassigned, .lineSeparator, .paragraphSeparator:
                continue
            case .spaceSeparator:
                pendingSpace = !result.isEmpty
            default:
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        guard !result.isEmpty, result.count <= maximumLength else { return nil }
        return result
    }
}
