/// Ready-made surveys an organizer starts from and edits.
public enum SurveyTemplate {
    /// The training-needs survey (党员教育培训需求调研) most organizations send before planning a year's teaching:
    /// who is answering, what they want to learn (ranked), how, how satisfied they were, and their own words.
    public static let trainingNeeds = SurveySettings(
        title: "党员教育培训需求调研问卷",
        introduction: "为了让教育培训更贴近大家的需要，请根据实际情况填写。本问卷约需 3 分钟。",
        questions: [
            SurveyQuestion(
                prompt: "您的党员类别",
                form: .single(options: ["农村党员", "机关党员", "离退休党员", "两新组织党员", "党务干部", "其他"])),
            SurveyQuestion(
                prompt: "您最希望学习的内容（请排出最想学的 3 项）",
                form: .ranking(
                    topics: [
                        "党的创新理论", "党章党规党纪", "党史学习", "政策法规解读", "乡村振兴与产业技能", "党务工作实务",
                        "时事热点", "廉洁教育",
                    ],
                    picks: 3)),
            SurveyQuestion(
                prompt: "您喜欢的学习方式（最多选 3 项）",
                form: .multiple(
                    options: ["集中培训", "线上答题", "专题讲座", "现场教学", "送学上门", "小组讨论"], maxPicks: 3)),
            SurveyQuestion(prompt: "您对过去一年教育培训的满意程度（1 很不满意，5 很满意）", form: .rating(scale: 5)),
            SurveyQuestion(
                prompt: "您每月能用于学习的时间",
                form: .single(options: ["2 小时以内", "2–5 小时", "5–10 小时", "10 小时以上"])),
            SurveyQuestion(prompt: "您对教育培训的其他意见和建议", form: .text(maxLength: 500), required: false),
        ])

    /// Every template by the name the API uses.
    public static let all: [String: SurveySettings] = ["training-needs": trainingNeeds]
}
