#!/usr/bin/env python3
"""Writes the third-party-made fixtures of the core tests: XLSX from openpyxl, CSV in GB18030.

Run from this folder: `pip install openpyxl && python3 make_fixtures.py`. The outputs are committed; this script
documents how they were made (a real spreadsheet library, not Dengao's own writer).
"""
import openpyxl

# A template with Chinese headers in a shuffled order, shared strings (openpyxl's default), a title-less sheet,
# numeric difficulties, and the 判断-as-two-options style.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "题库"
ws.append(["题干", "题型", "答案", "选项A", "选项B", "选项C", "选项D", "难度", "分类", "标签", "解析"])
ws.append(["中国共产党第一次全国代表大会于（ ）年召开。", "单选", "B", "1919", "1921", "1927", "1949", 1, "党史", "建党、一大", "中共一大于1921年7月召开。"])
ws.append(["下列属于新发展理念的有（ ）。", "多选", "A、B、D", "创新", "协调", "封闭", "共享", 2, "政治理论", "新发展理念", "新发展理念是创新、协调、绿色、开放、共享。"])
ws.append(["党的最高领导机关是党的全国代表大会和它所产生的中央委员会。", "判断", "√", None, None, None, None, 2, "党章", "", ""])
ws.append(["遵义会议召开于（ ）年。", "填空", "1935|1935年", None, None, None, None, 3, "党史", "遵义会议", ""])
ws.append(["党员可以不参加党的组织生活。", "判断", "B", "正确", "错误", None, None, "易", "党章", "", "党员必须参加党的组织生活。"])
wb.save("valid-chinese.xlsx")

# English headers, a question type given as English words, and two sheets (the second with no header).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Questions"
ws.append(["Type", "Stem", "Option A", "Option B", "Option C", "Answer", "Difficulty", "Category", "Tags", "Explanation"])
ws.append(["single", "Which year was the PRC founded?", "1911", "1949", "1978", "B", 1, "history", "prc", ""])
ws.append(["multiple", "Which are primary colours of light?", "Red", "Green", "Blue", "A,B,C", 2, "science", "light,colour", ""])
ws.append(["truefalse", "Water boils at 100 °C at sea level.", None, None, None, "T", 1, "science", "", ""])
notes = wb.create_sheet("Notes")
notes.append(["This sheet holds notes, not questions."])
wb.save("valid-english.xlsx")

# Located errors: an unknown type, an answer past the options, a 判断 answer that is not a truth word, a missing
# stem, a difficulty out of range, and a gap in the options.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "题库"
ws.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "难度"])
ws.append(["单选", "正确的一题。", "甲", "乙", "丙", "丁", "A", 1])
ws.append(["单选", "答案超出选项。", "甲", "乙", "丙", "丁", "E", 2])
ws.append(["问答", "未知题型。", None, None, None, None, "略", 2])
ws.append(["判断", "判断题答案不对。", None, None, None, None, "也许", 2])
ws.append(["单选", None, "甲", "乙", None, None, "A", 2])
ws.append(["单选", "难度超出范围。", "甲", "乙", None, None, "A", 9])
ws.append(["单选", "选项有空缺。", "甲", None, "丙", None, "A", 2])
wb.save("broken.xlsx")

rows = [
    "题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分类,标签",
    "单选,中国共产党的最高理想和最终目标是实现（ ）。,共产主义,社会主义,小康社会,现代化,A,党章总纲。,2,党章,理想信念",
    '多选,"下列属于""四个全面""战略布局的有（ ）。",全面建设社会主义现代化国家,全面深化改革,全面依法治国,全面从严治党,ABCD,"四个全面。",3,政治理论,四个全面',
    "判断,党员有权在党的会议上对党的任何组织和任何党员提出有根据的批评。,,,,,对,,2,党章,党员权利",
    "填空,党的根本宗旨是全心全意为人民（ ）。,,,,,服务,,1,党章,宗旨",
]
text = "\r\n".join(rows) + "\r\n"
with open("valid-gb18030.csv", "wb") as f:
    f.write(text.encode("gb18030"))
with open("valid-utf8-bom.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))

# Rosters: numbers and phones as Excel numbers (as people type them), a second sheet of notes, extra columns.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "花名册"
ws.append(["序号", "姓名", "党员编号", "所在支部", "手机号", "性别"])
ws.append([1, "王建国", 1001, "机关党委/第一党支部", 13800138000, "男"])
ws.append([2, "李秀英", 1002, "第二党支部", None, "女"])
ws.append([3, "张伟", "D-003", "机关党委 / 第一党支部", "138-0013-8001", "男"])
notes = wb.create_sheet("说明")
notes.append(["本表由组织部导出"])
wb.save("roster.xlsx")

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "花名册"
ws.append(["姓名", "党员编号", "所在支部", "手机号"])
ws.append(["王建国", 1001, "机关党委/第一党支部", 12345])
ws.append([None, 1002, "第二党支部", None])
ws.append(["张伟", 1001, "不存在的支部", None])
wb.save("roster-broken.xlsx")

roster_rows = ["姓名,党员编号,所在支部,状态", "王建国,1001,机关党委/第一党支部,在册", "赵六,1004,机关党委/第一党支部/第一党小组,停用"]
with open("roster-gb18030.csv", "wb") as f:
    f.write(("\r\n".join(roster_rows) + "\r\n").encode("gb18030"))

# Rosters with members' categories (分层分类): several in one cell separated by 、 or a comma, an empty cell (left as
# it is), header 类别 in a shuffled column order.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "花名册"
ws.append(["类别", "姓名", "党员编号", "所在支部"])
ws.append(["农村党员、党务干部", "王建国", 1001, "机关党委/第一党支部"])
ws.append(["机关党员", "李秀英", 1002, "机关党委/第一党支部"])
ws.append([None, "张伟", 1003, "机关党委/第一党支部"])
wb.save("roster-categories.xlsx")

category_rows = ["姓名,党员编号,所在支部,类别", '王建国,1001,机关党委/第一党支部,"离退休党员,党务干部"', "赵六,1004,机关党委/第一党支部,两新组织党员"]
with open("roster-categories-gb18030.csv", "wb") as f:
    f.write(("\r\n".join(category_rows) + "\r\n").encode("gb18030"))
