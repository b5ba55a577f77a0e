@testable import DengaoCore

extension Question {
    /// One question of each type with every field set, including text that stresses escaping in every format.
    static let mockBank: [Question] = [
        Question(
            type: .single, stem: "中国共产党第一次全国代表大会于（ ）年召开。", options: ["1919", "1921", "1927", "1949"],
            answer: .choices([1]), explanation: "中共一大于1921年7月召开。", difficulty: 1, category: "党史",
            tags: ["建党", "一大"]),
        Question(
            type: .multiple, stem: "下列属于“四个全面”的有：{A}, \"B\" & <C>; 比值 1:2 # ~ =",
            options: ["全面建设社会主义现代化国家", "全面深化改革", "全面依法治国", "全面从严治党", "全面开放", "E", "F", "G"],
            answer: .choices([0, 1, 2, 3]), explanation: "第一行\n第二行，含逗号, 和引号\"", difficulty: 4,
            category: "政治理论", tags: ["四个全面"]),
        Question(
            type: .trueFalse, stem: "党员有权在党的会议上提出有根据的批评。", answer: .truth(true), explanation: "",
            difficulty: 2, category: "党章", tags: []),
        Question(
            type: .trueFalse, stem: "党员可以不参加党的组织生活。", answer: .truth(false), explanation: "党章第一章。",
            difficulty: 2, category: "党章", tags: ["组织生活"]),
        Question(
            type: .fill, stem: "遵义会议召开于（ ）年。", answer: .texts(["1935", "1935年"]), explanation: "遵义会议。",
            difficulty: 5, category: "", tags: ["遵义会议", "长征"]),
        Question(
            type: .single, stem: "English stem with option text that looks like B. a letter",
            options: ["yes", "B. no"],
            answer: .choices([0]), explanation: "", difficulty: 3, category: "常识", tags: []),
    ]
}
