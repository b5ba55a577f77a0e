/// What one uploaded file may cost, proportionate to the largest real inputs: a 100,000-question bank is a ~20 MiB
/// XLSX whose sheet inflates to ~108 MiB, or a ~48 MiB CSV; a province's roster is up to a million members.
/// Past a limit the import is refused with a located error, never half read (docs/formats.md lists them).
public enum ImportLimits {
    /// The largest file accepted (the HTTP API also caps request bodies, at 64 MiB).
    public static let fileBytes = 200 * 1024 * 1024
    /// Bytes all parts of one XLSX file may inflate to together: a part is streamed to the parser as it inflates,
    /// never held whole, so this bounds time, not memory.
    public static let inflatedBytes = 256 * 1024 * 1024
    /// An XLSX part may inflate to at most this many times its compressed size. Real sheets compress 5–30× (Dengao's
    /// own 100,000-question export 5.5×, a million empty formatted rows 28×); a zip bomb aims at deflate's limit of
    /// ~1,000×, and is refused as soon as it passes this ratio, long before its rows could fill memory.
    public static let compressionRatio = 50
    /// Below this many inflated bytes a part is not held to `compressionRatio` (tiny parts compress oddly).
    public static let compressionRatioGrace = 1024 * 1024
    /// Entries in an XLSX container; a workbook has a dozen or so, plus one per sheet.
    public static let archiveEntries = 10_000
    /// Sheets one workbook may declare.
    public static let sheets = 1_000
    /// Questions (rows, records) in one bank file: twice the 100,000 a bank is built for.
    public static let questions = 200_000
    /// Members (rows) in one roster file.
    public static let members = 1_000_000
    /// JSON values and keys per question a bank file may average: a real bank has ~21 (Dengao's own export of
    /// 100,000 questions, 2.1 million); junk such as `[0,0,0,…]` has one per two bytes, and JSON decoders index
    /// every value before anything can look at the document.
    public static let jsonValuesPerQuestion = 40
}

extension ImportLimits {
    /// Columns in one row or record: Excel's own limit (A … XFD).
    public static let columns = 16_384
    /// Strings in an XLSX shared-string table: enough for a million-member roster's distinct names and numbers.
    public static let sharedStrings = 4_000_000

    static func tooManyQuestions(_ limit: Int) -> String {
        "一个文件超过 \(grouped(limit)) 道题，请拆成几个文件 (more than \(grouped(limit)) questions in one file; split the bank into several files)"
    }

    static func tooManyMembers(_ limit: Int) -> String {
        "一个文件超过 \(grouped(limit)) 名党员，请拆成几个文件 (more than \(grouped(limit)) members in one file; split the roster into several files)"
    }

    static let tooManyColumns = "超过 \(grouped(columns)) 列，拒绝导入 (more than \(grouped(columns)) columns; refused)"

    /// 268435456 as "256 MiB", 524288 as "512 KiB".
    static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / 1024 / 1024) MiB" : "\(bytes / 1024) KiB"
    }

    /// 200000 as "200,000".
    static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
