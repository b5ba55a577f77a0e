import Foundation

/// A new campaign's ladder seeded from what members asked for and where they are weak (干什么教什么、缺什么补什么):
/// the topics a survey ranked, most wanted first, then the weakest categories of the reports, each matched to a
/// category the campaign's banks hold; the default ladder then gets one of them per level, in that order. The
/// organizer edits the result; nothing here is stored.
public enum LadderSeed {
    /// The banks' categories in the order the wanted topics and then the weak categories ask for them, each once;
    /// and the wanted topics and weak categories no bank category matched, for the organizer to see.
    ///
    /// A topic matches the category of the same name, else the first category (in the banks' sorted order) that
    /// contains it or that it contains: the survey's "党史学习" finds the bank's "党史".
    public static func categories(wanted: [String], weak: [String], available: Set<String>) -> (
        ordered: [String], unmatched: [String]
    ) {
        let choices = available.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.sorted()
        var ordered: [String] = []
        var unmatched: [String] = []
        for topic in wanted + weak {
            let name = topic.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            let match =
                choices.first { $0 == name } ?? choices.first { $0.contains(name) || name.contains($0) }
            if let match {
                if !ordered.contains(match) { ordered.append(match) }
            } else if !unmatched.contains(name) {
                unmatched.append(name)
            }
        }
        return (ordered, unmatched)
    }

    /// The default ladder of `count` levels with one category per level, in `categories`' order and round again;
    /// without categories, the default ladder itself.
    public static func levels(categories: [String], count: Int) -> [LevelSettings] {
        var ladder = CampaignSettings.defaultLadder(count: count)
        guard !categories.isEmpty else { return ladder }
        for index in ladder.indices {
            let category = categories[index % categories.count]
            ladder[index].title = "第\(index + 1)关 · \(category.prefix(20))"
            ladder[index].draw.categories = [category]
        }
        return ladder
    }
}
