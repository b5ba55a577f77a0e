#!/usr/bin/env python3
"""The organization's participation page (参与统计) in a real browser (issue 12).

Starts the real `dengao` server with its demo data (--demo) on a loopback port and a temporary data directory,
signs in as the administrator, has two members (DG0001 of 机关党委, DG0022 of 离退休党总支) start a climb in the
demo campaign, and in headless Chromium at 1440×900:

  the console bar's 参与统计 link opens reports.html → the overall figures equal the API's (36 on the roster, 2 took
  part) → the trend has one point per day of the range, the branch chart one bar per group, the table one row per
  unit line → opening 第一党支部's 未参与名单 lists exactly its absent members → every download is clicked: the XLSX
  starts with PK and holds 参与率, 趋势, 未参与名单 and 排名; each CSV's first line is its sheet's header, and no cell is
  epoch milliseconds → switching to 按周 and 统计 redraws with one point per week and keeps the query in the
  address → printed to an A4 PDF (1–6 pages) → 离退休党员 narrows the figures while the 按党员类别 table keeps every
  category's row as the API gives it → English → the campaign's results page splits by member category and
narrows to 离退休党员. Every page is checked for CSP violations and console errors.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/reports_test.py --dengao .build/debug/dengao --screenshots screenshots/reports

Needs what results_test.py needs. Exit code 0 when everything passed, 1 with the failing step, 2 for a setup problem.
"""
import csv
import datetime
import io
import os
import shutil
import sys
import tempfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import results_test as results  # noqa: E402 - the API client, downloads and print helpers
from console_test import Page, check, step  # noqa: E402
from contest_test import first_run_password  # noqa: E402

import openpyxl  # noqa: E402 - results_test reports its absence plainly


def wait_report(page):
    page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#overall .figure"), "the report to load")


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-reports-")
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads)
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    driver = None
    failed = True
    try:
        server.start()
        password = first_run_password(server)
        admin = results.Client(server.base)
        admin.sign_in(password)
        campaign = admin.call("GET", "/api/campaigns")["campaigns"][0]
        for number in ("DG0001", "DG0022"):
            admin.member_phone(number).call("POST", "/api/climb/%d/attempts" % campaign["id"])
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
        step("server up at %s; DG0001 and DG0022 started a climb today (%s)" % (server.base, today))
        contest = next(c for c in admin.call("GET", "/api/contests")["contests"] if "演示" in c["title"])
        results.play_two_questions(server, admin, contest)

        driver = results.wide_browser(downloads)
        page = Page(driver, server.base, args.screenshots, "console")
        page.go("/")
        page.wait(lambda: page.path().startswith("/login.html"), "the login page")
        base.sign_in(page, "admin", password, landing="/")
        step("console: the 参与统计 link opens the report of the last 30 days, whole organization, by day")
        page.wait_shown("#console-nav a[data-nav='reports']")
        page.click("#console-nav a[data-nav='reports']")
        page.wait(lambda: page.path().startswith("/reports.html"), "the participation page")
        wait_report(page)
        start = today - datetime.timedelta(days=29)
        report = admin.call("GET", "/api/reports/participation?from=%s&to=%s&period=day" % (start, today))
        total = report["overall"]["total"]
        check(total["roster"] == 36 and total["participants"] == 2, "36 on the roster, 2 took part: %s" % total)
        shown = page.js("return Array.from(document.querySelectorAll('#overall .figure')).map(function(f){"
                        "return [f.getAttribute('data-figure'), f.getAttribute('data-value')];});")
        for name, value in shown:
            check(abs(float(value) - float(total[name])) < 1e-9, "the figure %s shows %s, the API says %s" % (name, value, total[name]))
        check(len(shown) == 4, "four overall figures: %s" % shown)
        # Thirty points: the chart writes every third value (the table and the downloads carry them all).
        points = page.js("return document.querySelectorAll('#trend-chart svg circle.point').length;")
        check(points == len(report["periods"]), "the trend has one point per day: %d" % points)
        check(len(report["periods"]) == 30, "thirty days: %d" % len(report["periods"]))
        groups = [line for line in report["units"] if line["branch"] or line["direct"]]
        results.check_chart(page, "#branch-chart", "rect.bar", len(groups), "by day")
        check(len(page.els("#unit-table tbody tr")) == len(report["units"]), "one table row per unit line")
        ranks = page.js("return Array.from(document.querySelectorAll('#standings-table tbody tr td:first-child')).map(function(n){return n.textContent});")
        check(ranks == [str(row["rank"]) for row in report["standings"]], "the standings table ranks as the API: %s" % ranks)
        results.check_no_nan(page, "participation")
        page.shot("01-participation")

        step("weak categories of the range: the contest's four revealed answers, branch × category as the API says")
        matrix = admin.call("GET", "/api/reports/categories?from=%s&to=%s" % (start, today))
        check(matrix["answers"] == 4, "two questions answered by DG0001 and a guest: %s" % matrix["answers"])
        categories = matrix["categories"]
        cells = page.js("return document.querySelectorAll(\"[data-testid='period-categories'] svg[data-chart='heat'] > rect.cell\").length;")
        check(cells == len(categories["units"]) * len(categories["organization"]),
              "one heat-map cell per branch and category: %d for %d × %d" % (cells, len(categories["units"]), len(categories["organization"])))
        check(str(matrix["answers"]) in page.text("#categories-note"), "the note counts the answers: %r" % page.text("#categories-note"))
        page.shot("01b-categories")

        step("the 未参与名单 of 第一党支部: opened, it lists its members but DG0001")
        first = next(line for line in report["units"] if line["name"].endswith("第一党支部"))
        selector = "#absent-list details[data-unit='%d']" % first["unitId"]
        page.click(selector + " summary")
        page.wait(lambda: len(page.els(selector + " li")) == first["overall"]["absent"], "the absent list of 第一党支部")
        listed = page.js("return Array.from(document.querySelectorAll(arguments[0] + ' li .mono')).map(function(n){return n.textContent});", selector)
        check(listed == ["DG%04d" % n for n in range(2, 9)], "第一党支部's absent members: %s" % listed)
        page.shot("02-absent")

        step("every download: the XLSX holds 参与率, 趋势, 未参与名单 and 排名; each CSV is its sheet")
        links = page.js("return Array.from(document.querySelectorAll('#downloads a[data-download]')).map(function(a){"
                        "return [a.getAttribute('data-sheet'), a.getAttribute('download')];});")
        check(len(links) == 6, "the workbook, four CSVs and the weak categories' CSV: %s" % links)
        for index in range(len(links)):
            page.click("#downloads a[data-download]:nth-child(%d)" % (index + 1))
        workbook = results.wait_file(downloads, links[0][1])
        check(workbook[:2] == b"PK", "the XLSX starts with PK")
        book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
        check(book.sheetnames == ["参与率", "趋势", "未参与名单", "排名"], "the workbook's sheets: %s" % book.sheetnames)
        names = {"rates": "参与率", "trend": "趋势", "absent": "未参与名单", "standings": "排名"}
        for sheet, filename in links[1:]:
            if sheet == "categories":
                rows = list(csv.reader(io.StringIO(results.wait_file(downloads, filename).decode("utf-8-sig"))))
                check(rows[0][:2] == ["支部", "分类"] and len(rows) == 1 + len(categories["cells"]),
                      "the weak categories' CSV: a header and one row per cell: %s" % rows[:2])
                continue
            rows = list(csv.reader(io.StringIO(results.wait_file(downloads, filename).decode("utf-8-sig"))))
            header = [cell for cell in next(book[names[sheet]].iter_rows(values_only=True)) if cell is not None]
            check(rows[0] == header, "%s's first line is its sheet's header %s, not %s" % (filename, header, rows[0]))
            results.check_no_epoch_ms(rows, "CSV " + filename)
            if sheet == "absent":
                check(len(rows) == 1 + 34, "34 members did not take part: %d rows" % (len(rows) - 1))

        step("by week: the page redraws one point per week and keeps the query in its address")
        page.js("document.getElementById('query-period').value='week';")
        page.click("#query-run")
        page.wait(lambda: "period=week" in page.path(), "the address to carry the query")
        weekly = admin.call("GET", "/api/reports/participation?from=%s&to=%s&period=week" % (start, today))
        page.wait(lambda: len(page.els("#trend-chart svg circle.point")) == len(weekly["periods"]), "one point per week")
        check(4 <= len(weekly["periods"]) <= 6, "30 days are 4–6 weeks: %d" % len(weekly["periods"]))
        page.shot("03-weekly")
        step("printed to PDF (A4): %d pages" % results.print_pdf(page, args.screenshots, "participation"))

        step("by member category: 离退休党员 only — 15 on the roster, DG0022 took part; the address keeps it")
        page.choose("#query-category", "离退休党员")
        page.click("#query-run")
        page.wait(lambda: "category=" in page.path(), "the address to carry the category")
        wait_report(page)
        retired = next(c for c in admin.call("GET", "/api/member-categories")["categories"] if c["name"] == "离退休党员")
        filtered = admin.call("GET", "/api/reports/participation?from=%s&to=%s&period=week&category=%d"
                              % (start, today, retired["id"]))["overall"]["total"]
        check(filtered["roster"] == 15 and filtered["participants"] == 1, "15 retired members, 1 took part: %s" % filtered)
        page.wait(lambda: page.js("var f=document.querySelector(\"#overall .figure[data-figure='roster']\");"
                                  "return f && f.getAttribute('data-value');") == "15", "the page's roster figure of 15")
        retired_answers = admin.call("GET", "/api/reports/categories?from=%s&to=%s&memberCategory=%d"
                                     % (start, today, retired["id"]))["answers"]
        check(retired_answers == 0, "no 离退休党员 answered the contest: %s" % retired_answers)
        page.wait(lambda: "memberCategory=%d" % retired["id"] in page.attr("#downloads a[data-sheet='categories']", "href"),
                  "the weak categories' download narrowed too")
        step("the 按党员类别 table: one row per category as the API says, the whole roster's whatever the filter")
        split = admin.call("GET", "/api/reports/participation?from=%s&to=%s&period=week&category=%d"
                           % (start, today, retired["id"]))["memberCategories"]
        rows = "return Array.from(document.querySelectorAll('#member-category-table tbody tr')).map(function(r){" \
               "return Array.from(r.children).map(function(c){return c.textContent;});});"
        expected = [[line["name"], str(line["tally"]["roster"]), str(line["tally"]["participants"]),
                     "%.1f%%" % (line["tally"]["rate"] * 100) if line["tally"].get("rate") is not None else "—"]
                    for line in split]
        page.wait(lambda: page.js(rows) == expected, "the table to show the API's split: %s" % expected)
        shown = page.js(rows)
        check(["离退休党员", "15", "1", "6.7%"] in shown, "15 retired members, DG0022 took part: %s" % shown)
        check(any(row[0] == "机关党员" and row[1] == "21" for row in shown),
              "the other categories still show under the 离退休党员 filter: %s" % shown)
        page.shot("03b-retired-only")
        page.go(page.path())
        wait_report(page)
        check(page.js("return document.getElementById('query-category').value") == str(retired["id"]),
              "a reload keeps the category chosen")
        page.choose("#query-category", "全部类别")
        page.click("#query-run")
        page.wait(lambda: "category=" not in page.path(), "the address without a category")

        step("english: the page switches language")
        page.click(".lang-option[data-lang='en']")
        page.wait(lambda: page.text("#reports-title") == "Participation", "the English title")
        page.shot("04-participation-en")
        page.click(".lang-option[data-lang='zh']")

        step("results by member category: the campaign's 按党员类别 table as the API says; 离退休党员 narrows the figures")
        page.go("/results.html?campaign=%d" % campaign["id"])
        page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#headline .figure"), "the results")
        split = admin.call("GET", "/api/campaigns/%d/report" % campaign["id"])["memberCategories"]["rows"]
        shown = page.js("return Array.from(document.querySelectorAll('#member-category-table tbody tr')).map(function(r){"
                        "return Array.from(r.children).slice(0,3).map(function(c){return c.textContent;});});")
        check(shown == [[row["name"], str(row["roster"]), str(row["participants"])] for row in split],
              "one row per member category as the API: %s" % shown)
        check(["离退休党员", "15", "1"] in shown, "15 retired members, DG0022 climbed: %s" % shown)
        page.choose("#results-member-category", "离退休党员")
        page.wait(lambda: "memberCategory=%d" % retired["id"] in page.path(), "the address to carry the member category")
        page.wait(lambda: page.js("var f=document.querySelector(\"#headline .figure[data-figure='roster']\");"
                                  "return f && f.getAttribute('data-value');") == "15", "the results' roster of 15")
        check("离退休党员" in page.text("#results-meta"), "the heading says what it counts: %s" % page.text("#results-meta"))
        workbook = page.attr("#downloads a[data-download='xlsx']", "href")
        check("memberCategory=%d" % retired["id"] in workbook, "the workbook downloads the narrowed figures: %s" % workbook)
        url = workbook if workbook.startswith("http") else server.base + workbook
        with admin.opener.open(url, timeout=15) as response:
            book = openpyxl.load_workbook(io.BytesIO(response.read()), read_only=True)
        check(book.sheetnames[0] == "成绩（离退休党员）" and book.sheetnames[-1] == "党员类别",
              "the narrowed workbook names its sheets with the category, then the split: %s" % book.sheetnames)
        members = [row for row in book.worksheets[0].iter_rows(values_only=True)][1:]
        check(len(members) == 15, "its 成绩 sheet lists the 15 retired members: %d" % len(members))
        page.shot("05-results-retired-only")
        page.go(page.path())
        page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#headline .figure"), "the results")
        check(page.js("return document.getElementById('results-member-category').value") == str(retired["id"]),
              "a reload keeps the member category")
        failed = False
    finally:
        if driver:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001 - quitting is best effort
                pass
        server.stop()
        if failed:
            print("---- server log (last lines) ----\n" + server.log_tail(), file=sys.stderr)
        if args.keep:
            print("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    return base.suite_main("reports_test", "The organization's participation page in a real browser.",
                           "screenshots/reports", 180, run, "the participation page in Chromium")


if __name__ == "__main__":
    sys.exit(main())
