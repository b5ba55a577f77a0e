#!/usr/bin/env python3
"""The printable 通报 in a real browser, printed to PDF (issue 12, point 7).

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory,
signs in as the administrator, has a member and a guest play two questions of the demo contest and 30 of the 36
members climb the first level of the demo campaign, and in headless Chromium:

  the contest's results page's 打印通报 link opens bulletin.html?contest=ID → every headline figure equals the
  report API's; the date of issue is today in Asia/Shanghai; the bar chart has one bar per group; the best and worst
  units by 参与率 and by mean score are the ones this script finds in the API's figures (ties together); the weakest
  categories and the hardest questions are the API's, lowest first → printed through DevTools' Page.printToPDF, the
  PDF is exactly one A4 page (pdfinfo: 595×842 pt) whose text (pdftotext) holds the title and the headline → the
  same for the campaign (with each branch's weakest categories) → nine branches with long names are added, so the
  period's chart must cut to the best and worst five and still fit → the participation page's 打印通报 link carries
  its range; the period 通报's figures equal /api/reports/participation's, with the change since the previous
  range, and it says that a range has no weak categories or hardest questions → bulletin-figures.js on made-up
  rows: ties, caps → English → an organizer of one branch gets that branch's 通报 by default and 无权访问 (403)
  for another unit or the whole-organization contest. Each PDF is kept beside the screenshots with a PNG of its
  page (pdftoppm). Every page is checked for CSP violations and console errors.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/bulletin_test.py --dengao .build/debug/dengao --screenshots screenshots/bulletin

Needs what results_test.py needs plus poppler-utils (pdfinfo, pdftotext, pdftoppm) and a CJK font
(fonts-noto-cjk) for the PDF's text. Exit code 0 when everything passed, 1 with the failing step, 2 for setup.
"""
import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import results_test as results  # noqa: E402 - the API client, the contest play and the chart checks
from console_test import Page, check, step  # noqa: E402
from contest_test import first_run_password  # noqa: E402

A4_POINTS = (595.28, 841.89)
CLIMBERS = 30  # of the demo's 36 members: every branch has some, none has all


def wait_bulletin(page):
    page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#headline .figure")
              and page.exists("#extremes li"), "the bulletin to load")


def shown_figures(page):
    return page.js("return Array.from(document.querySelectorAll('#headline .figure')).map(function(f){"
                   "return [f.getAttribute('data-figure'), f.getAttribute('data-value'), f.querySelector('dd').textContent];});")


def check_figures(page, expected, name):
    """Every figure on the page is one of `expected` (name → API value) and shows it; each expected one is there."""
    figures = shown_figures(page)
    names = [figure[0] for figure in figures]
    for key in expected:
        check(key in names, "%s: the headline shows %s: %s" % (name, key, names))
    for key, value, text in figures:
        if key not in expected:
            continue
        want = expected[key]
        if want is None:
            check(value == "" and "—" in text, "%s: %s has no value and shows —, not %r" % (name, key, text))
        else:
            check(value != "" and abs(float(value) - float(want)) < 1e-9, "%s: %s shows %s, the API says %s" % (name, key, value, want))


def extremes_of(rows, key):
    """The ids at the top and at the bottom of `key` among rows that have it, found here independently of the page."""
    counted = [row for row in rows if isinstance(row.get(key), (int, float))]
    if len(counted) < 2:
        return None
    top = max(row[key] for row in counted)
    bottom = min(row[key] for row in counted)
    ids = lambda value: ",".join("" if row.get("id") is None else str(row["id"])  # noqa: E731
                                 for row in counted if abs(row[key] - value) <= 1e-9)
    if top - bottom <= 1e-9:
        return {"level": ids(top)}
    return {"best": ids(top), "worst": ids(bottom)}


def check_extreme(page, measure, rows, key, name):
    shown = page.js("var li=document.querySelector(\"#extremes li[data-extreme='\"+arguments[0]+\"']\");if(!li)return null;"
                    "var o={};li.querySelectorAll('[data-side]').forEach(function(s){o[s.getAttribute('data-side')]=s.getAttribute('data-units')});"
                    "return o;", measure)
    check(shown is not None, "%s: the %s line is there" % (name, measure))
    want = extremes_of(rows, key)
    check((want or {}) == shown, "%s: by %s the page names %s, the API's figures give %s" % (name, measure, shown, want))
    return want


def check_issued(page, name):
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    issued = page.attr("#bulletin-issued [data-issued]", "data-issued")
    check(issued == today.isoformat(), "%s: issued %s, today in Asia/Shanghai is %s" % (name, issued, today))
    written = "印发日期：%d年%d月%d日（Asia/Shanghai）" % (today.year, today.month, today.day)
    check(page.text("#bulletin-issued") == written, "%s: the date of issue reads %r, not %r" % (name, page.text("#bulletin-issued"), written))


def check_items(page, items, name, hardest_shown=5):
    """The weakest categories and the hardest questions are the API's, lowest first, cut to 3 and to `hardest_shown`."""
    organization = sorted([c for c in items["categories"]["organization"] if c.get("accuracy") is not None],
                          key=lambda c: c["accuracy"])[:3]
    shown = page.js("return Array.from(document.querySelectorAll(\"[data-testid='weakest-organization'] [data-category]\")).map(function(n){return n.getAttribute('data-category')});")
    check(shown == [c["category"] or "" for c in organization], "%s: the weakest categories %s, the API's lowest %s" % (name, shown, organization))
    rated = [q for q in items["questions"] if q.get("facilityIndex") is not None]
    hardest = sorted(enumerate(rated), key=lambda pair: (pair[1]["facilityIndex"], -pair[1]["count"], pair[0]))[:hardest_shown]
    shown = page.js("return Array.from(document.querySelectorAll(\"[data-testid='hardest'] tbody tr\")).map(function(n){"
                    "return [n.getAttribute('data-question'), n.getAttribute('data-facility'),"
                    "Array.from(n.querySelectorAll('[data-flag]')).map(function(f){return f.getAttribute('data-flag')})]});")
    want = [[str(q["questionId"]), str(q["facilityIndex"]), q["flags"]] for _, q in hardest]
    check([[row[0], row[2]] for row in shown] == [[row[0], row[2]] for row in want],
          "%s: the hardest questions %s, the API's lowest facility %s" % (name, shown, want))
    for row, expected in zip(shown, want):
        check(abs(float(row[1]) - float(expected[1])) < 1e-9, "%s: facility %s, the API says %s" % (name, row[1], expected[1]))
    return len(want)


def print_and_check_pdf(page, folder, name, needles):
    """Page.printToPDF as Chromium's print dialog does (print CSS, A4 from @page); one A4 page holding `needles`."""
    # A sheet taller than a page prints a little smaller rather than spill; never so small it stops being readable.
    scale = float(page.attr("#bulletin", "data-print-scale") or "1")
    check(0.85 <= scale <= 1, "%s: printed at %.3f of its size, not below 0.85" % (name, scale))
    data = base64.b64decode(page.d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    check(data[:5] == b"%PDF-", "%s: the print is a PDF" % name)
    path = os.path.join(folder, name + ".pdf")
    with open(path, "wb") as handle:
        handle.write(data)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    check(pages and pages.group(1) == "1", "%s: the 通报 prints on exactly one page: %s" % (name, info))
    check(size and abs(float(size.group(1)) - A4_POINTS[0]) < 1 and abs(float(size.group(2)) - A4_POINTS[1]) < 1,
          "%s: the page is A4 (595×842 pt): %s" % (name, size.group(0) if size else info))
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout
    for needle in needles:
        check(needle in text, "%s: the PDF's text holds %r:\n%s" % (name, needle, text[:600]))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", path, os.path.join(folder, name + "-pdf")], check=True)
    return "%s x %s pt, scale %.3f" % (size.group(1), size.group(2), scale)


def check_module(page):
    """bulletin-figures.js on made-up rows: ties at both ends, a level field, the caps."""
    found = page.d.execute_async_script(
        "var done=arguments[arguments.length-1];"
        "import('/js/bulletin-figures.js').then(function(m){"
        "var rows=[{id:1,v:0.5},{id:2,v:1},{id:3,v:0.25},{id:4,v:1},{id:5,v:null},{id:6,v:0.25}];"
        "var x=m.extremes(rows,function(r){return r.v});"
        "var lvl=m.extremes([{id:1,v:2/3},{id:2,v:4/6}],function(r){return r.v});"
        "var one=m.extremes([{id:1,v:1},{id:2,v:null}],function(r){return r.v});"
        "var many=[];for(var i=0;i<14;i++)many.push({id:i,v:i});"
        "var cut=m.bestAndWorst(many,function(r){return r.v},10);"
        "var few=m.bestAndWorst(rows,function(r){return r.v},10);"
        "var bare=[];for(var j=0;j<12;j++)bare.push({id:j,v:j<3?j:null});"
        "var first=m.bestAndWorst(bare,function(r){return r.v},10);"
        "var qs=[{questionId:1,facilityIndex:50,count:3},{questionId:2,facilityIndex:null,count:0},{questionId:3,facilityIndex:10,count:3},"
        "{questionId:4,facilityIndex:50,count:9},{questionId:5,facilityIndex:90,count:3},{questionId:6,facilityIndex:0,count:1},"
        "{questionId:7,facilityIndex:20,count:3},{questionId:8,facilityIndex:50,count:3}];"
        "var h=m.hardestQuestions(qs,5);"
        "done({best:x.best.rows.map(function(r){return r.id}),worst:x.worst.rows.map(function(r){return r.id}),count:x.count,"
        "level:lvl.level,one:one.best,cut:cut.rows.map(function(r){return r.id}),cutFlag:cut.cut,total:cut.total,"
        "few:few.rows.map(function(r){return r.id}),fewCut:few.cut,half:cut.half,"
        "first:first.rows.map(function(r){return r.id}),firstHalf:first.half,firstCut:first.cut,hard:h.questions.map(function(q){return q.questionId}),hardTotal:h.total});"
        "}).catch(function(e){done({error:String(e)})});")
    check("error" not in found, "bulletin-figures.js loads: %s" % found)
    check(found["best"] == [2, 4] and found["worst"] == [3, 6] and found["count"] == 5,
          "ties at the top and at the bottom are named together, a row without a value is left out: %s" % found)
    check(found["level"] is True, "2/3 and 4/6 are one value: nobody is best or worst: %s" % found)
    check(found["one"] is None, "one row with a value has no best or worst: %s" % found)
    check(found["cut"] == [13, 12, 11, 10, 9, 4, 3, 2, 1, 0] and found["cutFlag"] and found["total"] == 14,
          "14 rows cut to the best 5 and the worst 5: %s" % found)
    check(found["few"] == [2, 4, 1, 3, 6, 5] and not found["fewCut"], "six rows kept, best first, no value last: %s" % found)
    check(found["half"] == 5, "the cut keeps five at each end: %s" % found)
    check(found["first"] == [2, 1, 0, 3, 4, 5, 6, 7, 8, 9] and found["firstCut"] and found["firstHalf"] == 0,
          "with only three values among twelve rows, the first ten are kept (no two ends to show): %s" % found)
    check(found["hard"] == [6, 3, 7, 4, 1] and found["hardTotal"] == 7,
          "the five lowest facilities; among equal ones the most answered, then the order: %s" % found)


def climb_first_level(phone, campaign_id, number):
    """One member's first level, every question answered with a choice that depends on the member and the question,
    so accuracy differs between questions, categories and branches. Returns how many answers were given."""
    attempt = phone.call("POST", "/api/climb/%d/attempts" % campaign_id)
    given = 0
    for _ in range(40):
        question = attempt.get("question")
        if attempt.get("status") != "answering" or not question:
            break
        index = question["index"]
        choice = (number * 7 + index * 3) % 4
        reply = {"index": index}
        if question["type"] in ("single", "multiple"):
            reply["picks"] = [choice % len(question["options"])]
        elif question["type"] == "fill":
            reply["text"] = "答案"
        else:
            reply["truth"] = choice % 2 == 0
        attempt = phone.call("POST", "/api/climb/%d/attempts/%d/answers" % (campaign_id, attempt["seq"]), reply)["attempt"]
        given += 1
        if attempt.get("status") == "answering":  # the next question is put on show when the phone asks for it
            attempt = phone.call("GET", "/api/climb/%d/attempts/%d" % (campaign_id, attempt["seq"]))
    return given


def add_long_branches(admin, count):
    """A committee with `count` branches of long names, one member each: more groups than the 通报 draws."""
    top = admin.call("POST", "/api/units", {"parentId": None, "name": "机关第二党委（用于检验版面的很长的上级单位名称）"})
    for index in range(1, count + 1):
        unit = admin.call("POST", "/api/units", {"parentId": top["id"], "name": "第%d党支部（名称较长的基层党组织示例）" % index})
        admin.call("POST", "/api/members", {"number": "DGL%03d" % index, "name": "测试党员%d" % index, "unitId": unit["id"]})


def check_organizer_scope(page, admin, contest, query):
    """An organizer of one branch gets their own branch's 通报 by default and 无权访问 for anything outside it."""
    step("scope: an organizer of 机关党委/第一党支部 gets that branch's 通报, and 无权访问 outside it")
    units = admin.call("GET", "/api/units")["units"]
    first = next(unit for unit in units if unit["path"] == "机关党委/第一党支部")
    other = next(unit for unit in units if unit["path"].startswith("离退休党总支"))
    admin.call("POST", "/api/accounts", {"username": "zhibu1", "displayName": "第一党支部组织委员", "password": "Zhibu1-pass-2026",
                                         "role": "organizer", "unitId": first["id"]})
    page.wait_shown("#logout")
    page.click("#logout")
    page.wait(lambda: page.path().startswith("/login.html"), "the login page after signing out")
    base.sign_in(page, "zhibu1", "Zhibu1-pass-2026", landing="/")
    organizer = results.Client(page.base)
    organizer.csrf = organizer.call("POST", "/api/session", {"username": "zhibu1", "password": "Zhibu1-pass-2026"})["csrfToken"]
    page.go("/bulletin.html?" + query)
    wait_bulletin(page)
    report = organizer.call("GET", "/api/reports/participation?" + query)
    check(report["unitId"] == first["id"], "the organizer's report is their branch's: %s" % report.get("unitName"))
    check(report["unitName"] in page.text("#bulletin-title"), "the 通报 names the branch: %r" % page.text("#bulletin-title"))
    total = report["overall"]["total"]
    check_figures(page, {"roster": total["roster"], "participants": total["participants"], "rate": total.get("rate")}, "organizer")
    for address in ("/bulletin.html?unit=%d&%s" % (other["id"], query), "/bulletin.html?contest=%d" % contest["id"]):
        page.go(address)
        page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.text("#page-status") != "", "the refusal of " + address)
        check(page.attr("#page-status", "data-status") == "403" and "无权访问" in page.text("#page-status"),
              "%s is refused: %r" % (address, page.text("#page-status")))
        check(not page.exists("#headline .figure"), "%s shows no figures" % address)
    page.shot("05-organizer-refused")


def run(args):
    for tool in ("pdfinfo", "pdftotext", "pdftoppm"):
        if not shutil.which(tool):
            print("bulletin_test: %s is missing; apt-get install -y poppler-utils" % tool, file=sys.stderr)
            sys.exit(2)
    workdir = tempfile.mkdtemp(prefix="dengao-bulletin-")
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads)
    for old in os.listdir(args.screenshots):
        if old.endswith(".pdf"):
            os.remove(os.path.join(args.screenshots, old))
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    driver = None
    failed = True
    try:
        base.check_dictionaries()
        server.start()
        password = first_run_password(server)
        admin = results.Client(server.base)
        admin.sign_in(password)
        contest = next(c for c in admin.call("GET", "/api/contests")["contests"] if "演示" in c["title"])
        campaign = admin.call("GET", "/api/campaigns")["campaigns"][0]
        step("server up at %s; demo contest %d, demo campaign %d" % (server.base, contest["id"], campaign["id"]))
        results.play_two_questions(server, admin, contest)
        answers = sum(climb_first_level(admin.member_phone("DG%04d" % number), campaign["id"], number) for number in range(1, CLIMBERS + 1))
        step("campaign: DG0001–DG%04d climbed their first level, %d answers" % (CLIMBERS, answers))
        check(answers >= CLIMBERS * 2, "every climber answered: %d answers" % answers)

        driver = results.wide_browser(downloads)
        page = Page(driver, server.base, args.screenshots, "bulletin")
        page.go("/")
        page.wait(lambda: page.path().startswith("/login.html"), "the login page")
        base.sign_in(page, "admin", password, landing="/")

        step("contest: the results page's 打印通报 opens the 通报; figures, units, categories and questions are the API's")
        page.go("/results.html?contest=%d" % contest["id"])
        results.wait_report(page)
        page.click("#results-bulletin")
        page.wait(lambda: page.path() == "/bulletin.html?contest=%d" % contest["id"], "the contest's 通报")
        wait_bulletin(page)
        report = admin.call("GET", "/api/contests/%d/report" % contest["id"])
        items = admin.call("GET", "/api/contests/%d/items" % contest["id"])
        check(page.text("#bulletin-title") == contest["title"], "the 通报 names the contest: %r" % page.text("#bulletin-title"))
        check_issued(page, "contest")
        h = report["headline"]
        check_figures(page, {key: h.get(key) for key in ("players", "roster", "rosterParticipants", "participationRate",
                                                         "meanScore", "meanScoreOverRoster", "medianScore", "questions")}, "contest")
        groups = report["participation"]["groups"]
        results.check_chart(page, "#participation-chart", "rect.bar", min(len(groups), 10), "contest")
        rate = check_extreme(page, "rate", groups, "rate", "contest")
        check_extreme(page, "mean", report["branches"], "meanScore", "contest")
        check(rate is not None, "the contest's groups can be compared by 参与率")
        hardest = check_items(page, items, "contest")
        check(hardest == 2, "both revealed questions are among the hardest: %d" % hardest)
        results.check_no_nan(page, "contest bulletin")
        page.shot("01-contest")
        size = print_and_check_pdf(page, args.screenshots, "contest-bulletin", [contest["title"], "现场竞赛情况通报", "参与率", "印发日期"])
        step("contest: one A4 page (%s)" % size)

        step("campaign: the results page's 打印通报 opens the campaign's 通报")
        page.go("/results.html?campaign=%d" % campaign["id"])
        results.wait_report(page)
        page.click("#results-bulletin")
        page.wait(lambda: page.path() == "/bulletin.html?campaign=%d" % campaign["id"], "the campaign's 通报")
        wait_bulletin(page)
        report = admin.call("GET", "/api/campaigns/%d/report" % campaign["id"])
        items = admin.call("GET", "/api/campaigns/%d/items" % campaign["id"])
        check(report["headline"]["participants"] == CLIMBERS, "the climbers took part: %s" % report["headline"])
        check(any(unit["categories"] for unit in items["categories"]["weakest"]), "some branch has weakest categories")
        check_issued(page, "campaign")
        h = report["headline"]
        check_figures(page, {key: h.get(key) for key in ("roster", "participants", "coverageRate", "latestDayRate",
                                                         "meanHeightOverParticipants", "meanHeightOverRoster",
                                                         "medianHeightOverParticipants", "levels")}, "campaign")
        groups = report["participation"]["groups"]
        results.check_chart(page, "#participation-chart", "rect.bar", min(len(groups), 10), "campaign")
        check_extreme(page, "rate", groups, "rate", "campaign")
        check_extreme(page, "mean", report["groups"], "meanHeightOverRoster", "campaign")
        check_items(page, items, "campaign")
        results.check_no_nan(page, "campaign bulletin")
        page.shot("02-campaign")
        size = print_and_check_pdf(page, args.screenshots, "campaign-bulletin", [campaign["title"], "答题登高活动情况通报", "覆盖率"])
        step("campaign: one A4 page (%s)" % size)

        step("period: nine more branches with long names, so the 通报 must cut its chart and name lists to stay one page")
        add_long_branches(admin, 9)
        step("period: the participation page's 打印通报 carries its query; the figures are /api/reports/participation's")
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
        start = today - datetime.timedelta(days=6)
        query = "from=%s&to=%s&period=day" % (start, today)
        page.go("/reports.html?" + query)
        page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#overall .figure"), "the participation page")
        href = page.attr("#reports-bulletin", "href")
        check(href.endswith("/bulletin.html?" + query), "the 打印通报 link carries the query: %s" % href)
        page.click("#reports-bulletin")
        page.wait(lambda: page.path() == "/bulletin.html?" + query, "the period's 通报")
        wait_bulletin(page)
        report = admin.call("GET", "/api/reports/participation?" + query)
        total, before = report["overall"]["total"], report["previous"]["total"]
        change = (total["rate"] - before["rate"]) * 100 if total.get("rate") is not None and before.get("rate") is not None else None
        check(total["participants"] == CLIMBERS and total["roster"] == 45, "%d of 45 members took part this week: %s" % (CLIMBERS, total))
        check_figures(page, {"roster": total["roster"], "participants": total["participants"], "absent": total["absent"],
                             "rate": total.get("rate"), "previousRate": before.get("rate"), "rateChange": change,
                             "meanResult": None}, "period")
        check_issued(page, "period")
        rows = [{"id": row["unitId"], "rate": row["tally"].get("rate"), "rateChange": row.get("rateChange")} for row in report["standings"]]
        check(len(rows) == 14, "fourteen branches in the standings: %d" % len(rows))
        results.check_chart(page, "#participation-chart", "rect.bar", 10, "period")
        check("共 14 个单位" in page.text("#participation-note") and "完整名单见下载" in page.text("#participation-note"),
              "the cut chart says so: %r" % page.text("#participation-note"))
        drawn = page.attr("#participation-chart figure", "data-units").split(",")
        by_rate = sorted(rows, key=lambda row: -(row["rate"] or 0))
        check(drawn[:5] == [str(row["id"]) for row in by_rate[:5]] and drawn[5:] == [str(row["id"]) for row in by_rate[-5:]],
              "the chart keeps the five best and the five worst: %s" % drawn)
        bottom = [row for row in rows if row["rate"] == min(r["rate"] for r in rows)]
        check(len(bottom) == 9 and "等 9 个单位" in page.text("#extremes li[data-extreme='rate']"),
              "the nine new branches tie at the bottom and are cut to three names: %s" % page.text("#extremes li[data-extreme='rate']"))
        check(len(page.els("#trend-chart svg circle.point")) == len(report["periods"]) == 7, "the trend has one point per day")
        check_extreme(page, "rate", rows, "rate", "period")
        check_extreme(page, "change", rows, "rateChange", "period")
        # The range's weak categories and hardest questions: every answer of the week, as /api/reports/categories says.
        items = admin.call("GET", "/api/reports/categories?" + query)
        check(items["answers"] > 0, "the week's climbs answered questions: %d" % items["answers"])
        check(str(items["answers"]) in page.text("[data-testid='weak-period']"), "the 通报 says how many answers it read")
        hardest = check_items(page, items, "period", hardest_shown=3)
        check(hardest == min(3, len(items["questions"])), "the period's hardest questions: %d" % hardest)
        results.check_no_nan(page, "period bulletin")
        page.shot("03-period")
        size = print_and_check_pdf(page, args.screenshots, "period-bulletin", [report["unitName"], "学习参与情况通报", "参与率"])
        step("period: one A4 page (%s)" % size)

        step("print layout: the console bar and the buttons are hidden")
        page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = page.js("return ['#console-header','#bulletin-tools'].map(function(s){return getComputedStyle(document.querySelector(s)).display;});")
        page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        check(hidden == ["none", "none"], "printed, the bar and the tools are hidden: %s" % hidden)

        step("bulletin-figures.js: ties, a level field, the caps and the hardest questions on made-up rows")
        check_module(page)

        step("english: the 通报 switches language")
        page.click(".lang-option[data-lang='en']")
        page.wait(lambda: page.text("#bulletin-kind") == "Participation bulletin", "the English 通报")
        issued = page.text("#bulletin-issued")
        check(issued == "Issued %s (Asia/Shanghai)" % today.isoformat(), "the English date of issue: %r" % issued)
        check(page.text("#headline-title") == "1. Overview", "the section titles switch too: %r" % page.text("#headline-title"))
        page.shot("04-period-en")
        page.click(".lang-option[data-lang='zh']")

        check_organizer_scope(page, admin, contest, query)
        failed = False
    finally:
        base.clean_up([driver], server, failed, workdir, keep=args.keep)


def main():
    return base.suite_main("bulletin_test", "The printable 通报 in a real browser, printed to PDF.",
                           "screenshots/bulletin", 240, run, "the 通报 of a contest, a campaign and a period, each one A4 page")


if __name__ == "__main__":
    sys.exit(main())
