import Foundation

/// Reads Moodle GIFT: single choice (`=` and `~`), multiple answers with `~%w%` weights, true/false, short answer
/// (as 填空), `$CATEGORY:` lines, `//` comments and `####` general feedback (as the explanation).
///
/// Dengao writes a question's difficulty and tags as comments right above it (`// 难度: 3`, `// 标签: a,b`);
/// they are read back here, and ignored by Moodle.
enum GIFTBankReader {
    static func read(_ data: Data, maximumQuestions: Int = ImportLimits.questions) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        var category = ""
        var metadata = Metadata()
        var chunk: [Substring] = []
        var chunkLine = 0
        // Kept as lines are added: recounting the chunk at every blank line is quadratic in its length.
        var chunkBraceDepth = 0
        var full = false

        func finishChunk() {
            guard !chunk.isEmpty else { return }
            let location = SourceLocation.line(chunkLine)
            guard questions.count < maximumQuestions else {
                issues.error(location, ImportLimits.tooManyQuestions(maximumQuestions))
                full = true
                return
            }
            if let question = parseQuestion(
                chunk.joined(separator: "\n"), category: category, metadata: metadata, location: location,
                issues: &issues)
            {
                questions.append(LocatedQuestion(question: question, location: location))
            }
            chunk = []
            chunkBraceDepth = 0
            metadata = Metadata()
        }

        for (lineNumber, line) in TextLines(text) where !full {
            let trimmed = FieldParsing.trimmed(line)
            if chunk.isEmpty {
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix("//") {
                    metadata.read(comment: trimmed.dropFirst(2))
                    continue
                }
                if trimmed.hasPrefix("$CATEGORY:") {
                    category = categoryName(trimmed.dropFirst("$CATEGORY:".count))
                    continue
                }
                chunkLine = lineNumber
            } else if trimmed.isEmpty && chunkBraceDepth == 0 {
                finishChunk()
                continue
            } else if trimmed.hasPrefix("//") {
                continue
            }
            let kept = line.hasSuffix("\r") ? line.dropLast() : line
            chunk.append(kept)
            chunkBraceDepth += braceDepth(kept)
        }
        if !full { finishChunk() }
        return try issues.finish(.gift, questions)
    }

    /// What Dengao's comments say about the next question.
    struct Metadata {
        var difficulty: String?
        var tags: String?

        mutating func read(comment: Substring) {
            let parts = comment.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "：" })
            guard parts.count == 2 else { return }
            let value = FieldParsing.trimmed(parts[1])
            switch FieldParsing.trimmed(parts[0]).lowercased() {
            case "难度", "difficulty": difficulty = value
            case "标签", "tags": tags = value
            default: break
            }
        }
    }

    /// The last segment of a Moodle category path such as `$course$/top/党史`.
    private static func categoryName(_ path: Substring) -> String {
        let segments = FieldParsing.trimmed(path).split(separator: "/").map(String.init)
        return FieldParsing.trimmed(segments.last.map { $0 == "top" ? "" : $0 } ?? "")
    }

    /// Opening minus closing unescaped braces on one line.
    private static func braceDepth(_ line: Substring) -> Int {
        var depth = 0
        scanUnescaped(line) { if $0 == "{" { depth += 1 } else if $0 == "}" { depth -= 1 } }
        return depth
    }

    private static func scanUnescaped(_ text: Substring, _ body: (Character) -> Void) {
        var escaped = false
        for character in text {
            if escaped { escaped = false } else if character == "\\" { escaped = true } else { body(character) }
        }
    }

    private static func parseQuestion(
        _ source: String, category: String, metadata: Metadata, location: SourceLocation,
        issues: inout IssueCollector
    ) -> Question? {
        var body = Substring(source)
        // The optional "::title::" names the question in Moodle; Dengao has no use for it.
        if body.hasPrefix("::"), let end = unescapedRange(of: "::", in: body.dropFirst(2)) {
            body = body[end.upperBound...]
        }
        body = body.drop(while: \.isWhitespace)
        if body.hasPrefix("["), let close = body.firstIndex(of: "]") { body = body[body.index(after: close)...] }

        guard let open = unescapedIndex(of: "{", in: body), let close = unescapedIndex(of: "}", in: body[open...])
        else {
            issues.error(location, "这道题没有答案块 { … } (no answer block { … } in this question)")
            return nil
        }
        let before = unescape(body[..<open]).trimmingCharacters(in: .whitespacesAndNewlines)
        let after = unescape(body[body.index(after: close)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        // "The Party was founded in {=1921} ." is GIFT's missing-word form: the blank goes where the braces were.
        let stem = after.isEmpty ? before : before + "（ ）" + after
        var block = body[body.index(after: open)..<close]

        var explanation = ""
        if let feedback = unescapedRange(of: "####", in: block) {
            explanation = unescape(block[feedback.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            block = block[..<feedback.lowerBound]
        }

        var raw = RawQuestion(location: location)
        raw.stem = RawField(text: stem, location: location)
        raw.explanation = RawField(text: explanation, location: location)
        raw.category = RawField(text: category, location: location)
        raw.difficulty = metadata.difficulty.map { RawField(text: $0, location: location) }
        raw.tags = metadata.tags.map { RawField(text: $0, location: location) }

        let answerPart = block.trimmingCharacters(in: .whitespacesAndNewlines)
        let truthWord = answerPart.split(separator: "#", maxSplits: 1).first.map { String($0).uppercased() } ?? ""
        if ["T", "TRUE", "F", "FALSE"].contains(truthWord) {
            raw.impliedType = .trueFalse
            raw.answer = RawField(text: truthWord.hasPrefix("T") ? "对" : "错", location: location)
            return QuestionBuilder.build(raw, issues: &issues)
        }

        let choices = splitChoices(block)
        guard !choices.isEmpty else {
            issues.error(
                location,
                answerPart.isEmpty
                    ? "问答题 ({}) 没有标准答案，无法评分 (essay questions ({}) have no answer key; Dengao cannot score them)"
                    : "看不懂答案块“{\(answerPart)}” (cannot read the answer block \"{\(answerPart)}\")")
            return nil
        }
        if choices.contains(where: { $0.text.contains("->") }) {
            issues.error(location, "不支持配对题 (matching questions are not supported)")
            return nil
        }
        let wrong = choices.filter { !$0.isCorrect }
        if wrong.isEmpty && choices.allSatisfy({ $0.weight == nil }) {
            raw.impliedType = .fill
            raw.answer = RawField(text: choices.map(\.text).joined(separator: "|"), location: location)
            return QuestionBuilder.build(raw, issues: &issues)
        }
        let correct = choices.indices.filter { choices[$0].isCorrect }
        let weighted = choices.contains { $0.weight != nil }
        raw.impliedType = weighted && correct.count != 1 ? .multiple : .single
        raw.options = choices.map { RawField(text: $0.text, location: location) }
        raw.answer = RawField(
            text: String(correct.map { Question.optionLetters[min($0, 7)] }), location: location)
        if correct.isEmpty {
            issues.error(
                location, "没有标出正确选项（用 = 或正的 %权重%） (no option is marked correct (with = or a positive %weight%))")
            return nil
        }
        if choices.count > 8 {
            issues.error(location, "有 \(choices.count) 个选项，最多 8 个 (\(choices.count) options; at most 8 are supported)")
            return nil
        }
        return QuestionBuilder.build(raw, issues: &issues)
    }

    private struct Choice {
        var text: String
        var isCorrect: Bool
        var weight: Double?
    }

    /// Splits `=a ~b ~%50%c` into choices; per-answer feedback after `#` is dropped.
    private static func splitChoices(_ block: Substring) -> [Choice] {
        var pieces: [(marker: Character, text: String)] = []
        var current = ""
        var marker: Character?
        var escaped = false
        for character in block {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "=" || character == "~" {
                if let marker { pieces.append((marker, current)) }
                marker = character
                current = ""
            } else {
                current.append(character)
            }
        }
        if let marker { pieces.append((marker, current)) }

        return pieces.map { marker, text in
            var body = Substring(text).drop(while: \.isWhitespace)
            var weight: Double?
            if body.hasPrefix("%"), let end = body.dropFirst().firstIndex(of: "%") {
                weight = Double(body[body.index(after: body.startIndex)..<end])
                body = body[body.index(after: end)...]
            }
            if let feedback = unescapedIndex(of: "#", in: body) { body = body[..<feedback] }
            let isCorrect = weight.map { $0 > 0 } ?? (marker == "=")
            return Choice(
                text: unescape(body).trimmingCharacters(in: .whitespacesAndNewlines), isCorrect: isCorrect,
                weight: weight)
        }
    }

    private static func unescapedIndex(of target: Character, in text: Substring) -> Substring.Index? {
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == target {
                return index
            }
        }
        return nil
    }

    private static func unescapedRange(of target: String, in text: Substring) -> Range<Substring.Index>? {
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if text[index...].hasPrefix(target) {
                return index..<text.index(index, offsetBy: target.count)
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// GIFT escapes: `\~ \= \# \{ \} \: \\` stand for themselves, `\n` for a line break.
    static func unescape(_ text: Substring) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
