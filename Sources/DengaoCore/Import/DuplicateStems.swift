/// Finds stems that repeat inside one bank, also when they differ only in spacing, punctuation, width or case.
enum DuplicateStems {
    static func warnings(in questions: [LocatedQuestion]) -> [ImportIssue] {
        var firstSeen: [String: LocatedQuestion] = [:]
        var warnings: [ImportIssue] = []
        for located in questions {
            let key = normalized(located.question.stem)
            if let first = firstSeen[key] {
                let kind = first.question.stem == located.question.stem ? "duplicate stem" : "near-duplicate stem"
                warnings.append(.warning(located.location, "\(kind), same as \(first.location)"))
            } else {
                firstSeen[key] = located
            }
        }
        return warnings
    }

    /// The stem reduced to its letters and digits, full-width folded to half-width and lower-cased.
    static func normalized(_ stem: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in stem.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            guard let folded = Unicode.Scalar(value) else { continue }
            if folded.properties.isAlphabetic || folded.properties.numericType != nil {
                result.append(contentsOf: String(folded).lowercased().unicodeScalars)
            }
        }
        return String(result)
    }
}
