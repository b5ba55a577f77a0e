#!/usr/bin/env python3
"""The results page in a real browser, for the demo contest and the demo campaign (issue 12).

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory,
signs in as the administrator with the password the first run prints, and in headless Chromium at 1440×900:

  the demo contest's results page before anyone played shows 还没有人参加 and no NaN → a member (DG0001, through
  an invitation) and a guest play the first two questions over the contest WebSocket, the host revealing each →
  the contests list's 结果 button opens results.html?contest=ID → every headline figure equals the report API's,
  the participation chart has one bar per group, the histogram one bar per bin, the bands chart and table and the
  rank table with its ▲/▼/—/新 match the API's bands and ranks → every download is clicked and its
  file checked: the XLSX starts with PK and opens, each CSV's first line is its sheet's header in the workbook, and
  no column anywhere holds epoch milliseconds (答题明细's 作答时间 is a local date-time within minutes of now in
  Asia/Shanghai) → the print layout (emulated print media) hides the console bar and the buttons → a second contest
  with a 抢答 question (a false start) and a 风险 question (a stake chosen, one defaulted): its item table shows both,
  and its rank table is compared with the first contest → the demo
  campaign, after two members started a climb, the same from the campaigns list, with the daily trend's points.
  Every page is checked for CSP violations and console errors.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/results_test.py --dengao .build/debug/dengao --screenshots screenshots/results

Needs what console_test.py needs (chromium, chromium-driver, selenium) plus websockets and openpyxl (pip).
Exit code 0 when everything passed, 1 with the failing step and its reason, 2 for a setup problem.
"""
import csv
import datetime
import http.cookiejar
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
from console_test import Failure, Page, check, step  # noqa: E402
from contest_test import first_run_password  # noqa: E402

try:
    import openpyxl
    from websockets.sync.client import connect
except ImportError:  # pragma: no cover - a setup problem, reported plainly
    print("results_test: pip install websockets openpyxl", file=sys.stderr)
    sys.exit(2)

# Newer websockets prefer `with connect(...)`; openpyxl notes the workbook's own minimal styles. Neither matters here.
warnings.filterwarnings("ignore", category=DeprecationWarning, module="websockets")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=__name__)
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")

EPOCH_MS = 10 ** 12  # any whole number this large in a sheet would be milliseconds since 1970
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


class Client:
    """The API with its own cookie jar: the administrator, or a member's phone after redeeming an invitation."""

    def __init__(self, base_url):
        self.base = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=15) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            raise Failure("%s %s answered %d: %s" % (method, path, error.code, error.read()[:300]))
        return json.loads(text) if text else None

    def session_cookie(self):
        for cookie in self.jar:
            if cookie.name == "dengao_session":
                return cookie.value
        raise Failure("no session cookie after signing in")

    def sign_in(self, password):
        self.csrf = self.call("POST", "/api/session", {"username": "admin", "password": password})["csrfToken"]

    def member_phone(self, number):
        link = self.call("POST", "/api/members/%s/invitations" % number)["link"]
        phone = Client(self.base)
        phone.csrf = phone.call("POST", "/api/invitations/redeem", {"token": link.split("#")[-1]})["csrfToken"]
        return phone


class Socket:
    """One contest WebSocket: sends JSON, and waits for the next message of a type that satisfies a condition."""

    def __init__(self, base_url, cookie=None):
        headers = {"Cookie": "dengao_session=" + cookie} if cookie else {}
        self.ws = connect(base_url.replace("http://", "ws://") + "/ws/contest", additional_headers=headers, open_timeout=10)

    def send(self, message):
        self.ws.send(json.dumps(message))

    def next(self, kind, condition=lambda message: True, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.time())))
            if message.get("type") == "error":
                raise Failure("the contest socket answered an error: %s" % message)
            if message.get("type") == kind and condition(message):
                return message
        raise Failure("no %s message within %d s" % (kind, timeout))

    def close(self):
        self.ws.close()


def play_two_questions(server, admin, contest):
    step("contest: 王建国 (DG0001, by invitation) and a guest answer questions 1 and 2; the host reveals each")
    host = Socket(server.base, admin.session_cookie())
    host.send({"type": "host", "contestId": contest["id"]})
    host.next("welcome")
    branches = admin.call("GET", "/api/join/" + contest["pin"])["branches"]
    member = Socket(server.base, admin.member_phone("DG0001").session_cookie())
    member.send({"type": "join", "v": 1, "pin": contest["pin"]})
    member.next("welcome")
    guest = Socket(server.base)
    guest.send({"type": "join", "v": 1, "pin": contest["pin"], "name": "访客甲", "branchId": branches[-1]["id"]})
    guest.next("welcome")
    players = [member, guest]
    for number in (1, 2):
        host.send({"type": "command", "command": "next"})
        for player in players:
            state = player.next("state", lambda m: (m.get("question") or {}).get("number") == number)
            question = state["question"]
            kind = question.get("type")
            reply = {"type": "answer", "number": number}
            if kind == "truefalse":
                reply["truth"] = True
            elif kind == "fill":
                reply["text"] = "答案"
            else:
                reply["picks"] = [0]
            player.send(reply)
            ack = player.next("ack")
            check(ack.get("status") == "accepted", "the answer to question %d was accepted: %s" % (number, ack))
        host.send({"type": "command", "command": "reveal"})
        for player in players:
            player.next("reveal", lambda m: m.get("number") == number)
            # A reveal's points reach the answer rows up to half a second after it (docs/contest-protocol.md), before
            # its leaderboard leaves: the reports read below count them.
            player.next("leaderboard")
    for socket in players + [host]:
        socket.close()


def answer_for(question, right=True):
    """Any answer to a shown question (its correctness does not matter here)."""
    kind = question.get("type")
    if kind == "truefalse":
        return {"truth": right}
    if kind == "fill":
        return {"text": "答案"}
    return {"picks": [0]}


def finish(server, admin, contest):
    host = Socket(server.base, admin.session_cookie())
    host.send({"type": "host", "contestId": contest["id"]})
    host.next("welcome")
    host.send({"type": "command", "command": "finish"})
    host.next("state", lambda m: m.get("phase") == "finished")
    host.close()


def play_buzz_and_risk(server, admin):
    """A contest of a 抢答 and a 风险 question: 王建国 presses the buzzer while the question is read (a false start),
    the guest wins it once the one-second reading time has passed (the real server runs on the wall clock, so this
    step waits 1.3 s) and answers; then 王建国 stakes 30 and the guest chooses none (10), both answer."""
    step("contest 2: a 抢答 question with a false start, a 风险 question with a stake chosen and one defaulted")
    draw = {"count": 1, "types": ["single", "truefalse"]}
    created = admin.call("POST", "/api/contests", {"settings": {"title": "抢答风险测试", "rounds": [
        {"kind": "buzz", "title": "抢答", "banks": ["党章党规党纪"], "draw": draw, "readSeconds": 1},
        {"kind": "risk", "title": "风险", "banks": ["党章党规党纪"], "draw": draw, "wagers": [10, 20, 30]}]}})
    contest = created["contest"]
    host = Socket(server.base, admin.session_cookie())
    host.send({"type": "host", "contestId": contest["id"]})
    host.next("welcome")
    branches = admin.call("GET", "/api/join/" + contest["pin"])["branches"]
    member = Socket(server.base, admin.member_phone("DG0001").session_cookie())
    member.send({"type": "join", "v": 1, "pin": contest["pin"]})
    member.next("welcome")
    guest = Socket(server.base)
    guest.send({"type": "join", "v": 1, "pin": contest["pin"], "name": "访客乙", "branchId": branches[-1]["id"]})
    guest.next("welcome")
    players = [member, guest]
    host.send({"type": "command", "command": "next"})
    shown = {}
    for index, player in enumerate(players):
        shown[index] = player.next("state", lambda m: m.get("phase") == "open" and (m.get("question") or {}).get("number") == 1)
    member.send({"type": "buzz", "number": 1})
    ack = member.next("ack")
    check(ack.get("status") == "early-buzz", "pressing while the question is read is a false start: %s" % ack)
    time.sleep(1.3)
    guest.send({"type": "buzz", "number": 1})
    ack = guest.next("ack")
    check(ack.get("status") == "buzz-won", "after the reading time the guest wins the buzzer: %s" % ack)
    reply = {"type": "answer", "number": 1}
    reply.update(answer_for(shown[1]["question"]))
    guest.send(reply)
    check(guest.next("ack").get("status") == "accepted", "the buzz winner's answer is accepted")
    host.send({"type": "command", "command": "close"})
    host.send({"type": "command", "command": "reveal"})
    for player in players:
        player.next("reveal", lambda m: m.get("number") == 1)
    host.send({"type": "command", "command": "next"})
    for player in players:
        player.next("state", lambda m: m.get("phase") == "wagering")
    member.send({"type": "wager", "number": 2, "amount": 30})
    check(member.next("ack").get("status") == "wager", "the stake is taken")
    host.send({"type": "command", "command": "next"})
    for player in players:
        state = player.next("state", lambda m: m.get("phase") == "open" and (m.get("question") or {}).get("number") == 2)
        reply = {"type": "answer", "number": 2}
        reply.update(answer_for(state["question"]))
        player.send(reply)
        check(player.next("ack").get("status") == "accepted", "the 风险 answer is accepted")
    host.send({"type": "command", "command": "reveal"})
    for player in players:
        player.next("reveal", lambda m: m.get("number") == 2)
    host.send({"type": "command", "command": "finish"})
    member.next("state", lambda m: m.get("phase") == "finished")
    for socket in players + [host]:
        socket.close()
    return contest


def check_buzz_and_risk(page, admin, contest):
    step("contest 2: the item table shows the 抢答 false start and the 风险 stakes, as the item report says")
    items = admin.call("GET", "/api/contests/%d/items" % contest["id"])
    lines = items["questions"]
    buzz = lines[0].get("buzz") or {}
    check(buzz.get("buzzes") == 1 and buzz.get("falseStarts") == 1 and buzz.get("correct", 0) + buzz.get("wrong", 0) == 1
          and buzz.get("timedOut") == 0, "one false start, one buzz won and answered: %s" % buzz)
    stakes = lines[1]["stakes"]
    check([[l["stake"], l["count"]] for l in stakes["levels"]] == [[10, 1], [20, 0], [30, 1]] and stakes["defaulted"] == 1,
          "a stake of 30 chosen, one defaulted to 10: %s" % stakes)
    page.go("/results.html?contest=%d" % contest["id"])
    wait_report(page)
    page.wait(lambda: page.exists("#items-panel [data-buzz]"), "the 抢答 cell of the item table")
    buzz = page.js("return document.querySelector('#items-panel [data-buzz]').getAttribute('data-buzz');")
    expected = "1,1,%d,%d,0" % (lines[0]["buzz"]["correct"], lines[0]["buzz"]["wrong"])
    check(buzz == expected, "the 抢答 cell's figures: %s, expected %s" % (buzz, expected))
    cell = page.js("return document.querySelector('#items-panel [data-stakes]');")
    check(cell is not None, "the 风险 question has a stakes cell")
    check(page.js("return document.querySelector('#items-panel [data-stakes]').getAttribute('data-stakes');") == "10:1,20:0,30:1",
          "the stakes cell lists each stake's count")
    text = page.js("return document.querySelector('#items-panel [data-buzz]').textContent;")
    check("抢跑 1 次" in text, "the 抢答 cell says 抢跑 1 次: %r" % text)
    headers = page.js("return Array.from(document.querySelectorAll('#items-panel .item-table thead th')).map(function(h){return h.textContent});")
    check(headers[-1] == "抢答／风险", "the item table has a 抢答／风险 column: %s" % headers)
    check_no_nan(page, "buzz and risk contest")
    page.shot("06-contest-buzz-risk")


def wide_browser(downloads):
    driver = base.new_browser()
    driver.set_window_size(1440, 900)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def wait_report(page):
    page.wait(lambda: page.attr("#main", "aria-busy") == "false" and page.exists("#headline .figure"), "the report to load")


def check_no_nan(page, name):
    text = page.js("return document.body.innerText;")
    for bad in ("NaN", "undefined", "Infinity", "null"):
        check(bad not in text, "%s: the page shows %r" % (name, bad))


def check_headline(page, headline, name):
    figures = page.js("return Array.from(document.querySelectorAll('#headline .figure')).map(function(f){"
                      "return [f.getAttribute('data-figure'), f.getAttribute('data-value'), f.querySelector('dd').textContent];});")
    check(len(figures) >= 8, "%s: eight headline figures, not %d" % (name, len(figures)))
    for key, value, text in figures:
        expected = headline.get(key)
        check(key in headline, "%s: the figure %s is one of the API's headline fields" % (name, key))
        if expected is None:
            check(value == "" and "—" in text, "%s: %s has no value and shows —, not %r" % (name, key, text))
        else:
            check(abs(float(value) - float(expected)) < 1e-9, "%s: %s shows %s, the API says %s" % (name, key, value, expected))
            check(text.strip() != "", "%s: %s is written" % (name, key))


def check_chart(page, slot, shape, count, name):
    info = page.js("var s=document.querySelector(arguments[0]+' svg');if(!s)return null;"
                   "return {n:s.querySelectorAll(arguments[1]).length,title:(s.querySelector('title')||{}).textContent||'',"
                   "label:s.getAttribute('aria-label')||'',texts:s.querySelectorAll('text').length};", slot, shape)
    check(info is not None, "%s: %s holds an SVG chart" % (name, slot))
    check(info["n"] == count, "%s: %s has %d %s, expected %d" % (name, slot, info["n"], shape, count))
    check(info["title"] and info["label"], "%s: %s has a title and an aria-label" % (name, slot))
    check(info["texts"] >= count, "%s: %s writes its numbers as text" % (name, slot))


def check_bands_and_ranks(page, report, name):
    """The bands (a stacked bar per group and the total, and a table of counts) and the rank table (▲/▼/—/新)
    agree with the report API."""
    step("%s: the bands chart and table and the branch rank table with its change match the API" % name)
    bands, ranks = report["bands"], report["ranks"]
    lines = [line for line in bands["groups"] if line["players"] > 0] + [bands["overall"]]
    if bands["overall"]["players"] == 0:
        lines = []
    rows = page.js("return Array.from(document.querySelectorAll('#bands-table tbody tr[data-unit]')).map(function(r){"
                   "return [r.getAttribute('data-unit'), r.getAttribute('data-counts')];});")
    expected = [["total" if line.get("id") is None else str(line["id"]), ",".join(str(c) for c in line["counts"])] for line in lines]
    check(rows == expected, "%s: the bands table rows are %s, the API's %s" % (name, rows, expected))
    segments = sum(1 for line in lines for share in line["shares"] if share > 0)
    check_chart(page, "#bands-chart", "rect.segment", segments + len(bands["bands"]) if lines else 0, name + " bands")
    legend = page.js("return Array.from(document.querySelectorAll('#bands-chart text.legend')).map(function(t){return t.textContent});")
    check(legend == ["优秀", "良好", "合格", "待提高"] or not lines, "%s: the bands legend is %s" % (name, legend))
    shown = page.js("return Array.from(document.querySelectorAll('#ranks-table tbody tr[data-unit]')).map(function(r){"
                    "var c=r.querySelector('[data-movement]');return [r.getAttribute('data-unit'), c.getAttribute('data-movement'), c.textContent];});")
    expected = [[str(line["id"]), line["movement"], "新" if line["isNew"] else (line["movement"] or "—")] for line in ranks["lines"]]
    check(shown == expected, "%s: the rank table is %s, the API's %s" % (name, shown, expected))
    note = page.text("#ranks-note")
    check((ranks.get("previous") or "没有可比的上一期") in note, "%s: the rank note names what is compared: %r" % (name, note))
    return shown


def wait_file(folder, filename, timeout=20):
    path = os.path.join(folder, filename)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and not os.path.exists(path + ".crdownload") and os.path.getsize(path) > 0:
            time.sleep(0.2)
            with open(path, "rb") as handle:
                return handle.read()
        time.sleep(0.1)
    raise Failure("the download %s did not arrive in %s: %s" % (filename, folder, os.listdir(folder)))


def check_no_epoch_ms(rows, where):
    """No whole number in any cell is epoch milliseconds, and every time-looking column holds local date-times."""
    for row in rows[1:]:
        for header, value in zip(rows[0], row):
            text = "" if value is None else str(value).strip()
            if re.fullmatch(r"-?\d+(\.0+)?", text):
                check(abs(float(text)) < EPOCH_MS, "%s: column %s holds %s, epoch milliseconds" % (where, header, text))


def check_downloads(page, folder, report, name, expect_time_column):
    step("%s: click every download; check the XLSX (PK, opens) and each CSV against its sheet" % name)
    links = page.js("return Array.from(document.querySelectorAll('#downloads a[data-download]')).map(function(a){"
                    "return [a.getAttribute('data-download'), a.getAttribute('data-sheet'), a.getAttribute('download'), a.getAttribute('href')];});")
    check(len(links) == 1 + len(report["downloads"]["sheets"]), "%s: the workbook and one CSV per sheet: %s" % (name, links))
    check(links[0][3] == report["downloads"]["workbook"], "%s: the workbook link is the API's: %s" % (name, links[0]))
    for index in range(len(links)):
        page.click("#downloads a[data-download]:nth-child(%d)" % (index + 1))
    workbook = wait_file(folder, links[0][2])
    check(workbook[:2] == b"PK", "%s: the XLSX starts with PK, not %r" % (name, workbook[:2]))
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    names = {sheet["sheet"]: sheet["name"] for sheet in report["downloads"]["sheets"]}
    check(book.sheetnames == list(names.values()), "%s: the workbook's sheets are %s, not %s" % (name, list(names.values()), book.sheetnames))
    sheets = {}
    for title in book.sheetnames:
        rows = [list(row) for row in book[title].iter_rows(values_only=True)]
        check_no_epoch_ms(rows, "%s XLSX %s" % (name, title))
        sheets[title] = rows
    for kind, sheet, filename, href in links[1:]:
        data = wait_file(folder, filename)
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        header = [cell for cell in sheets[names[sheet]][0] if cell is not None]
        check(rows[0] == header, "%s: %s's first line is its sheet's header %s, not %s" % (name, filename, header, rows[0]))
        check_no_epoch_ms(rows, "%s CSV %s" % (name, filename))
    if expect_time_column:
        answers = sheets["答题明细"]
        column = answers[0].index("作答时间")
        check(len(answers) > 1, "%s: 答题明细 has the answers" % name)
        now = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
        for row in answers[1:]:
            value = row[column]
            check(isinstance(value, str) and LOCAL_TIME.match(value), "%s: 作答时间 %r is a local date-time" % (name, value))
            when = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            check(abs((when - now).total_seconds()) < 600, "%s: 作答时间 %s is now in Asia/Shanghai (%s)" % (name, value, now))


def check_print_layout(page, name):
    step("%s: the print layout hides the console bar, the buttons and the downloads" % name)
    page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": False})
    try:
        page.shot("%s-print" % name)
        hidden = page.js("return ['#console-header','.results-tools','.results-downloads'].map(function(s){"
                         "return getComputedStyle(document.querySelector(s)).display;});")
        check(hidden == ["none", "none", "none"], "%s: printed, the bar, tools and downloads are hidden: %s" % (name, hidden))
        check(page.js("return getComputedStyle(document.querySelector('#histogram-chart svg')).display;") != "none",
              "%s: the charts print" % name)
    finally:
        page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def print_pdf(page, folder, name):
    """Prints the page to an A4 PDF as Chromium's print dialog would (print CSS), kept beside the screenshots."""
    import base64
    data = base64.b64decode(page.d.execute_cdp_cmd("Page.printToPDF", {
        "preferCSSPageSize": True, "printBackground": True})["data"])
    check(data[:5] == b"%PDF-", "%s: the print is a PDF" % name)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    check(1 <= pages <= 6, "%s: the print is 1–6 A4 pages, not %d" % (name, pages))
    with open(os.path.join(folder, name + ".pdf"), "wb") as handle:
        handle.write(data)
    return pages


def check_items(page, admin, kind, activity_id, name):
    """The item analysis and weak-category sections agree with GET …/items."""
    step("%s: the item analysis lists every question with its figures; the heat map one cell per branch and category" % name)
    items = admin.call("GET", "/api/%ss/%d/items" % (kind, activity_id))
    page.wait(lambda: page.exists("#items-panel") and page.exists("#categories-panel"), "the item analysis sections")
    rows = page.els("#items-panel [data-testid='item-table'] tbody tr[data-question]")
    check(len(rows) == len(items["questions"]), "%s: %d question rows, the API has %d" % (name, len(rows), len(items["questions"])))
    shown = page.js("return document.querySelector(\"#items-panel [data-figure='count']\").getAttribute('data-value');")
    check(shown == str(items["test"]["count"]), "%s: the attempts figure %s is the API's %s" % (name, shown, items["test"]["count"]))
    matrix = items["categories"]
    cells = page.js("return document.querySelectorAll(\"[data-testid='category-chart'] svg rect.cell\").length;")
    expected = len(matrix["units"]) * len(matrix["organization"]) + 5 if matrix["units"] else 0
    check(cells == expected, "%s: the heat map has %d cells, expected %d" % (name, cells, expected))
    links = page.js("return Array.from(document.querySelectorAll('#items-panel a.bank-link')).map(function(a){return a.getAttribute('href')});")
    check(all(link.startswith("/banks.html?bank=") for link in links) and len(links) == len(items["questions"]),
          "%s: every question links to its bank: %s" % (name, links[:3]))
    return items


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-results-")
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads)
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    driver = None
    failed = True
    try:
        base.check_dictionaries()
        server.start()
        password = first_run_password(server)
        admin = Client(server.base)
        admin.sign_in(password)
        contest = next(c for c in admin.call("GET", "/api/contests")["contests"] if "演示" in c["title"])
        campaign = admin.call("GET", "/api/campaigns")["campaigns"][0]
        step("server up at %s; demo contest %d, demo campaign %d" % (server.base, contest["id"], campaign["id"]))

        driver = wide_browser(downloads)
        page = Page(driver, server.base, args.screenshots, "console")
        step("console: sign in; the demo contest's results before anyone played: 还没有人参加, no NaN")
        page.go("/contests.html")
        page.wait(lambda: page.path().startswith("/login.html?next="), "the redirect to the login page")
        base.sign_in(page, "admin", password, landing="/contests.html")
        page.go("/results.html?contest=%d" % contest["id"])
        wait_report(page)
        check(page.shown("#results-nobody") and "还没有人参加" in page.text("#results-nobody"), "the empty state is shown")
        check(page.exists("#histogram-chart figure.is-empty"), "the histogram says nobody took part instead of drawing bars")
        check_no_nan(page, "empty contest")
        page.shot("01-contest-empty")

        play_two_questions(server, admin, contest)

        step("console: the contests list's 结果 button opens the report; figures, charts and tables match the API")
        page.go("/contests.html")
        row = "#contest-rows tr[data-contest='%d']" % contest["id"]
        page.wait_shown(row + " [data-action='results']")
        page.click(row + " [data-action='results']")
        page.wait(lambda: page.path() == "/results.html?contest=%d" % contest["id"], "the results page of the contest")
        wait_report(page)
        report = admin.call("GET", "/api/contests/%d/report" % contest["id"])
        check(report["headline"]["players"] == 2 and report["headline"]["rosterParticipants"] == 1,
              "two players, one of them a roster member: %s" % report["headline"])
        check(not page.shown("#results-nobody"), "the empty state is gone once people played")
        check(page.text("#results-title") == contest["title"], "the page names the contest: %r" % page.text("#results-title"))
        check_headline(page, report["headline"], "contest")
        check_chart(page, "#participation-chart", "rect.bar", len(report["participation"]["groups"]), "contest")
        check_chart(page, "#histogram-chart", "rect.bar", len(report["histogram"]), "contest")
        check(len(page.els("#participation-table tbody tr")) ==
              len(report["participation"]["units"]) + len(report["participation"]["groups"]) + 1,
              "the participation table lists every unit, every group and the total")
        check(len(page.els("#top-table tbody tr")) == len(report["top"]) == 2, "the top table lists both players")
        check(len(page.els("#branch-table tbody tr")) == len(report["branches"]), "one row per branch that played")
        check_bands_and_ranks(page, report, "contest")
        check(report["bands"]["overall"]["players"] == 2, "both players are banded: %s" % report["bands"]["overall"])
        check_items(page, admin, "contest", contest["id"], "contest")
        check_no_nan(page, "played contest")
        page.shot("02-contest")
        check_downloads(page, downloads, report, "contest", expect_time_column=True)
        check_print_layout(page, "contest")
        step("contest: printed to PDF (A4): %d pages" % print_pdf(page, args.screenshots, "contest-results"))

        step("contest: the host finishes the demo contest (the next contest of the organization is ranked against it)")
        finish(server, admin, contest)
        contest_two = play_buzz_and_risk(server, admin)
        check_buzz_and_risk(page, admin, contest_two)
        report_two = admin.call("GET", "/api/contests/%d/report" % contest_two["id"])
        check(report_two["ranks"].get("previous", "").find("#%d" % contest["id"]) >= 0,
              "the second contest is ranked against the first: %s" % report_two["ranks"].get("previous"))
        check_bands_and_ranks(page, report_two, "contest 2")

        step("campaign: 王建国 and DG0022 start a climb; the campaigns list's 结果 button opens its report")
        for number in ("DG0001", "DG0022"):
            admin.member_phone(number).call("POST", "/api/climb/%d/attempts" % campaign["id"])
        page.go("/campaigns.html")
        row = "tr[data-campaign='%d']" % campaign["id"]
        page.wait_shown(row + " [data-action='results']")
        page.click(row + " [data-action='results']")
        page.wait(lambda: page.path() == "/results.html?campaign=%d" % campaign["id"], "the results page of the campaign")
        wait_report(page)
        report = admin.call("GET", "/api/campaigns/%d/report" % campaign["id"])
        check(report["headline"]["participants"] >= 2, "at least the two climbers took part: %s" % report["headline"])
        check_headline(page, report["headline"], "campaign")
        check_chart(page, "#participation-chart", "rect.bar", len(report["participation"]["groups"]), "campaign")
        check_chart(page, "#histogram-chart", "rect.bar", len(report["histogram"]), "campaign")
        check_chart(page, "#trend-chart", "circle.point", len(report["trend"]), "campaign")
        check_bands_and_ranks(page, report, "campaign")
        check(len(report["ranks"]["lines"]) == len([g for g in report["groups"] if not g["direct"]]),
              "every branch of the board is ranked: %s" % report["ranks"]["lines"])
        check_items(page, admin, "campaign", campaign["id"], "campaign")
        check_no_nan(page, "campaign")
        page.shot("03-campaign")
        check_downloads(page, downloads, report, "campaign", expect_time_column=False)
        check_print_layout(page, "campaign")
        step("campaign: printed to PDF (A4): %d pages" % print_pdf(page, args.screenshots, "campaign-results"))

        step("charts.js: a heat map and a line chart drawn in the page: one cell per value, a legend, numbers as text")
        drawn = page.d.execute_async_script(
            "var done=arguments[arguments.length-1];"
            "import('/js/charts.js').then(function(c){"
            "var f=c.heatMap('正确率',['一支部','二支部'],['党章','党史','理论'],[[0.9,0.5,null],[0.1,1,0.75]]);"
            "document.getElementById('extra-sections').appendChild(f);"
            "var l=c.lineChart('趋势',[{label:'12-01',value:10},{label:'12-02',value:NaN}]);"
            "document.getElementById('extra-sections').appendChild(l);"
            "var t=Array.from(f.querySelectorAll('text.cell-value')).map(function(n){return n.textContent});"
            "done({cells:f.querySelectorAll('rect.cell').length,values:t,"
            "line:Array.from(l.querySelectorAll('text.value')).map(function(n){return n.textContent}),"
            "label:f.querySelector('svg').getAttribute('aria-label')});"
            "}).catch(function(e){done({error:String(e)})});")
        check("error" not in drawn, "charts.js loads as a module: %s" % drawn)
        check(drawn["cells"] == 6 + 5, "six cells and a five-step legend: %s" % drawn)
        check(drawn["values"] == ["90%", "50%", "—", "10%", "100%", "75%"], "each cell writes its value: %s" % drawn["values"])
        check(drawn["line"] == ["10", "—"], "a missing value is written —, not NaN: %s" % drawn["line"])
        check(drawn["label"] == "正确率", "the heat map is labelled")
        page.shot("04-charts")

        step("english: the page switches language")
        page.click(".lang-option[data-lang='en']")
        page.wait(lambda: page.text("#headline-title") == "Overview", "the English headline title")
        page.shot("05-campaign-en")
        page.click(".lang-option[data-lang='zh']")
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
    return base.suite_main("results_test", "The results page of a contest and a campaign in a real browser.",
                           "screenshots/results", 240, run, "the results pages in Chromium (contest and campaign)")


if __name__ == "__main__":
    sys.exit(main())
