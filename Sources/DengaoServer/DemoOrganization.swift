import DengaoCore
import Foundation
import Logging

/// A small demo organization for `--demo` and fresh data directories, so the console has something to show:
/// two levels of units (two branches share a name under different parents, as real trees do) and 36 members.
enum DemoOrganization {
    static let roster: [(unit: String, names: [String])] = [
        ("机关党委/第一党支部", ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]),
        ("机关党委/第二党支部", ["周杰", "吴敏", "徐强", "孙娜", "胡军", "朱琳", "高峰"]),
        ("机关党委/第三党支部", ["林涛", "何芳", "郭勇", "马超", "罗霞", "梁栋"]),
        ("离退休党总支/第一党支部", ["宋德明", "郑淑芬", "谢长青", "韩桂兰", "唐志远", "冯玉珍", "于海"]),
        ("离退休党总支/第二党支部", ["董建华", "萧红梅", "程立新", "曹秀兰", "袁志强", "邓丽君", "许国平", "傅雪"]),
    ]

    static func seedIfEmpty(_ storage: any Storage, logger: Logger) async throws {
        guard try await storage.orgTree().isEmpty else { return }
        // A fresh PostgreSQL database starts without the usual categories (its migration adds them only where
        // members exist, so it can be a copy's target); a fresh SQLite one has them already.
        var categories = Set(try await storage.memberCategories().map(\.name))
        if categories.isEmpty {
            for name in MemberCategories.defaults {
                try await storage.createMemberCategory(
                    name: name, largeText: MemberCategories.largeTextDefaults.contains(name))
            }
            categories = Set(MemberCategories.defaults)
        }
        var entries: [RosterEntry] = []
        for (unit, names) in roster {
            let category = unit.hasPrefix("离退休") ? "离退休党员" : "机关党员"
            for (index, name) in names.enumerated() {
                let number = String(format: "DG%04d", entries.count + 1)
                // Each branch's first member is its secretary: a Party worker too.
                let held = (index == 0 ? [category, "党务干部"] : [category]).filter(categories.contains)
                entries.append(
                    RosterEntry(
                        number: number, name: name, unit: unit, categories: held.isEmpty ? nil : held,
                        location: .line(entries.count + 2)))
            }
        }
        let result = try await storage.importRoster(
            ParsedRoster(entries: entries, warnings: []), scope: nil, base: nil, createUnits: true)
        logger.info(
            "demo organization created", metadata: ["units": "\(result.unitsCreated)", "members": "\(result.created)"])
    }
}
