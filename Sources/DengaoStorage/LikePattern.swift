extension Store {
    /// A LIKE pattern (with `\` as the escape character) matching text that contains `text` literally: searches
    /// for "100%" or "a_b" must not treat % and _ as wildcards.
    static func containsPattern(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
