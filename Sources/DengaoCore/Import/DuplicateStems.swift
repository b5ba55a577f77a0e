/// Finds stems that repeat inside one bank, also when they differ only in spacing, punctuation, width or case.
enum DuplicateStems {
    static func warnings(in questions: [LocatedQuestion]) -> [ImportIssue] {
        // Keys are scalar arrays, not Strings: String hashing normalizes Unicode, which cost a quarter of a
        // 100k-question import, and the normalized key needs no further normalizing.
        var firstSeen: [[UInt32]: Int] = [:]
        firstSeen.reserveCapacity(questions.count)
        var warnings: [ImportIssue] = []
        for (index, located) in questions.enumerated() {
            let key = normalized(located.question.stem)
            if let firstIndex = firstSeen[key] {
                let first = questions[firstIndex]
                // The place already reads Chinese first with its English in brackets, so it is named once.
                let message =
                    first.question.stem == located.question.stem
                    ? "题干与\(first.location) 重复 (duplicate stem)"
                    : "题干与\(first.location) 几乎相同 (near-duplicate stem)"
                warnings.append(.warning(located.location, message))
            } else {
                firstSeen[key] = index
            }
        }
        return warnings
    }

    /// The stem reduced to its letters and digits, full-width folded to half-width, ASCII lower-cased.
    static func normalized(_ stem: String) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(stem.utf8.count / 2)
        for scalar in stem.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            switch value {
            case 0x41...0x5A: result.append(value + 0x20)
            case 0x30...0x39, 0x61...0x7A, 0x4E00...0x9FFF: result.append(value)  // the common case, without lookups
            case ..<0x80: continue
            default:
                // Case folding beyond ASCII is left out: Chinese has no case.
                if let folded = Unicode.Scalar(value),
                    folded.properties.isAlphabetic || folded.properties.numericType != nil
                {
                    result.append(value)
                }
            }
        }
        return result
    }
}
