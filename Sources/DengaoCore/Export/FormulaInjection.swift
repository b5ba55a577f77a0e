/// OWASP's CSV-injection rule for the cells Dengao writes: a cell whose text starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return is read by Excel, WPS and LibreOffice as a formula (`=HYPERLINK(…)` in a guest's name would
/// run when the organizer opens the results). Such text is written so that it stays text and stays readable:
///
/// - CSV has no types, so the text gets one leading `'` (`'=1+2`), which spreadsheets show and never evaluate.
///   The CSV importers take exactly one such `'` off again, so a bank exported to CSV re-imports unchanged.
/// - XLSX keeps the text as it is, in an inline string (never a formula), with a `quotePrefix` style: Excel's own
///   mark for "typed with a leading `'`", which keeps the cell text even when someone edits it.
enum FormulaInjection {
    /// The first characters that make a spreadsheet read a cell as a formula.
    static let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a spreadsheet would read `text` as a formula.
    static func startsFormula(_ text: String) -> Bool {
        text.unicodeScalars.first.map(triggers.contains) ?? false
    }

    /// The text as a CSV field's content: one `'` before a formula trigger.
    ///
    /// Text that already is `'`s followed by a trigger gets one more `'` too, so that `csvUnescaped` can always take
    /// exactly one off: the two functions are inverse for every string.
    static func csvEscaped(_ text: String) -> String {
        startsFormula(text.drop(while: { $0 == "'" })) ? "'" + text : text
    }

    /// The inverse of `csvEscaped`, for fields read from CSV: drops one leading `'` when only `'`s and then a
    /// trigger follow it. Any other leading `'` is the text's own.
    static func csvUnescaped(_ text: String) -> String {
        guard text.unicodeScalars.first == "'", startsFormula(text.drop(while: { $0 == "'" })) else { return text }
        return String(text.unicodeScalars.dropFirst())
    }

    private static func startsFormula(_ text: Substring) -> Bool {
        text.unicodeScalars.first.map(triggers.contains) ?? false
    }
}
