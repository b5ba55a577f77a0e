/// An extra ladder of a campaign for some member categories (分层分类): its own levels and, if it names them, its
/// own banks — a gentler ladder for 离退休 members, say. A member climbs the first extra ladder whose categories
/// they hold, and the campaign's default ladder (`CampaignSettings.levels`) otherwise.
public struct CategoryLadder: Codable, Sendable, Hashable {
    /// The member categories (ids of the organization's list) that climb this ladder; at least one.
    public var memberCategoryIds: [MemberCategoryID]
    public var levels: [LevelSettings]
    /// The banks its levels draw from; nil: the campaign's own `banks`.
    public var banks: [String]?

    public init(memberCategoryIds: [MemberCategoryID], levels: [LevelSettings], banks: [String]? = nil) {
        self.memberCategoryIds = memberCategoryIds
        self.levels = levels
        self.banks = banks
    }
}

/// A ladder as a member climbs it: its levels and the banks they draw from. Ladder 0 is the campaign's default;
/// ladder k ≥ 1 is `categoryLadders[k - 1]`. The number is stored with every attempt, so it names the same ladder
/// after a restart (settings cannot change once a campaign is made).
public struct Ladder: Sendable, Hashable {
    public let index: Int
    public let levels: [LevelSettings]
    public let banks: [String]
}

extension CampaignSettings {
    /// The default ladder (0), then each extra one, in order.
    public var ladders: [Ladder] {
        [Ladder(index: 0, levels: levels, banks: banks)]
            + categoryLadders.enumerated().map { offset, extra in
                Ladder(index: offset + 1, levels: extra.levels, banks: extra.banks ?? banks)
            }
    }

    /// Ladder `index`, or the default one for a number no ladder has (a store written by hand).
    public func ladder(_ index: Int) -> Ladder {
        let all = ladders
        return all.indices.contains(index) ? all[index] : all[0]
    }

    /// The ladder a member holding `categories` climbs: the first extra ladder naming one of them, else the default.
    /// The campaign asks once, at the member's first attempt, and keeps the answer (`StartedAttempt.ladder`).
    public func ladderIndex(forCategories categories: Set<MemberCategoryID>) -> Int {
        guard !categories.isEmpty else { return 0 }
        for (offset, extra) in categoryLadders.enumerated() where !categories.isDisjoint(with: extra.memberCategoryIds)
        {
            return offset + 1
        }
        return 0
    }

    /// Every bank some ladder draws from, each once, the default ladder's first.
    public var allBanks: [String] {
        var seen = Set<String>()
        return ladders.flatMap(\.banks).filter { seen.insert($0).inserted }
    }

    /// Every reason the extra ladders cannot be climbed, each located ("分类阶梯2：第3关：…"): the default ladder's
    /// bounds for levels and banks, at least one category each, and no category in two of them.
    func categoryLadderProblems() -> [String] {
        var problems = [Bounds.categoryLadders.problem(categoryLadders.count)].compactMap { $0 }
        var owner: [MemberCategoryID: Int] = [:]
        for (offset, extra) in categoryLadders.enumerated() {
            let location = FieldLocation.ladder(offset + 1)
            if extra.memberCategoryIds.isEmpty {
                problems.append(
                    "\(location.chinese)：须至少选一个党员类别 (\(location.english): memberCategoryIds must name at least one category)"
                )
            }
            for id in Set(extra.memberCategoryIds).sorted() {
                if let first = owner[id] {
                    problems.append(
                        "党员类别 \(id) 同时属于分类阶梯\(first)和分类阶梯\(offset + 1) (member category \(id) is in category ladders \(first) and \(offset + 1))"
                    )
                } else {
                    owner[id] = offset + 1
                }
            }
            problems += [
                extra.banks.flatMap { Bounds.banks.problem($0.count, at: location) },
                Bounds.levels.problem(extra.levels.count, at: location),
            ].compactMap { $0 }
            problems += extra.levels.enumerated().flatMap { index, level in
                level.problems(at: location.level(index + 1))
            }
        }
        return problems
    }
}

extension FieldLocation {
    /// "分类阶梯2 (categoryLadders 2)": an extra ladder, counted from 1.
    public static func ladder(_ number: Int) -> FieldLocation {
        FieldLocation(chinese: "分类阶梯\(number)", english: "categoryLadders \(number)")
    }

    /// A level inside this location: "分类阶梯2第3关 (categoryLadders 2 level 3)".
    public func level(_ number: Int) -> FieldLocation {
        FieldLocation(chinese: "\(chinese)第\(number)关", english: "\(english) level \(number)")
    }
}
