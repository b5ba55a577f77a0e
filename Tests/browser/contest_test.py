#!/usr/bin/env python3
"""A short live contest played in real browsers: the host console, the big screen and two phones.

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory,
signs in as the administrator with the password the first run prints, and creates a contest through the API: one
必答 round of two questions from 党章党规党纪, single choice and true/false only. Then, in four headless Chromium
browsers of their own (no shared cookies or storage):

  the console (1366×900) lists the contest and shows its join link and QR code, creates a second contest through
  the form and makes it a new display link → host.html connects as host → display.html opens with the display
  link at 1920×1080 and shows the PIN and who joined → two phones (390×844, no session) join as guests of two
  branches → question 1: 李四 right, 张三 wrong → reveal (distribution on the big screen, right/wrong on the
  phones) → leaderboard (ranks on the screen and the phones) → question 2: 李四 answers, then reloads the page
  and is back in the same seat with the same name, score and answer → 张三 answers → reveal → leaderboard →
  finish → the podium on the big screen and the final ranks on the phones. In the lobby 张三 leaves the page: the
  host page shows the seat 离线 within seconds (the socket's close, not the silence limit), and 在线 again once back.
  At the end the next contest's display link is pasted into the big screen's tab: it shows that contest's lobby.

The answer key never reaches a page before the reveal, so the test reads it from the database
(contestQuestion → question) to know which option is right.

Screenshots of every page at every phase go to --screenshots (host-*, display-*, phone-a-*, phone-b-*).

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/contest_test.py --dengao .build/debug/dengao --screenshots screenshots/contest

Needs what console_test.py needs (chromium, chromium-driver, selenium). Exit code 0 when everything passed, 1 with
the failing step and its reason, 2 for a setup problem.
"""
import http.cookiejar
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
from console_test import Failure, Page, check, step  # noqa: E402


BANK = "党章党规党纪"
TITLE = "学党章守党规知识竞赛"
# "张三" in the steps below: a guest with a long name (16 characters), which every screen must fit or end in "…".
ZHANG = ("阿卜杜热合曼·买买提艾力·吐尔逊", "第一党支部")
LI = ("李四", "第二党支部")


# ---- the server and its API ------------------------------------------------------------------------

def first_run_password(server):
    deadline = time.time() + 10
    while time.time() < deadline:
        match = re.search(r'as "admin" with the password (\S+)', server.log_tail(400))
        if match:
            return match.group(1)
        time.sleep(0.1)
    raise Failure("the server log does not show the first run's administrator password")


class Api:
    """The console API as a signed-in administrator (cookie and CSRF token), for setting the contest up."""

    def __init__(self, base_url):
        self.base = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = None

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode("utf-8")
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raise Failure("%s %s answered %d: %s" % (method, path, error.code, error.read().decode("utf-8", "replace")))

    def sign_in(self, password):
        session = self.call("POST", "/api/session", {"username": "admin", "password": password})
        self.csrf = session["csrfToken"]


class Keys:
    """The answer keys of the contest's questions, straight from the database (the pages never see them early)."""

    def __init__(self, database, contest_id):
        self.database = database  # Tests/support/test_database.py: SQLite or PostgreSQL
        self.contest_id = contest_id

    def question(self, number):
        query = ("SELECT q.type, q.stem, q.options, q.answer FROM contestQuestion c JOIN question q ON q.id = c.questionId"
                 " WHERE c.contestId = ? AND c.number = ?")
        rows = self.database.rows(query, query, (self.contest_id, number))
        row = rows[0] if rows else None
        check(row is not None, "the database has no question %d for contest %d" % (number, self.contest_id))
        kind, stem, options, answer = row
        return {"type": kind, "stem": stem, "options": json.loads(options), "answer": json.loads(answer)}


# ---- browsers ----------------------------------------------------------------------------------------

def display_browser():
    driver = base.new_browser()
    driver.set_window_size(1920, 1080)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    return driver


def shoot(pages, name):
    """One screenshot of each page (viewport, in parallel: each waits for its page to settle)."""
    errors = []

    def one(page):
        try:
            page.shot("%s-%s" % (page.label, name), full_page=page.label.startswith("host"))
        except Exception as error:  # noqa: BLE001 - reported below, with the page it came from
            errors.append(error)
    threads = [threading.Thread(target=one, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def wait_all(pages, condition, what):
    for page in pages:
        page.wait(lambda page=page: condition(page), what)


def body_state(page):
    return page.attr("body", "data-state")


def screen(page):
    return page.attr("body", "data-screen")


def phase(page):
    return page.attr("#screen", "data-phase")


# ---- steps ---------------------------------------------------------------------------------------------

def create_contest(api):
    units = {unit["path"]: unit["id"] for unit in api.call("GET", "/api/units")["units"]}
    check("机关党委" in units, "the demo organization has 机关党委: %s" % sorted(units))
    settings = {
        "title": TITLE,
        "rounds": [{
            "kind": "everyone", "title": "必答题", "banks": [BANK],
            "draw": {"count": 2, "types": ["single", "truefalse"]},
            "timeLimitSeconds": 60, "points": 1000, "streakBonus": 100,
        }],
    }
    created = api.call("POST", "/api/contests", {"ownerUnitId": units["机关党委"], "settings": settings})
    contest = created["contest"]
    check(contest["questionCount"] == 2, "the contest has 2 questions: %s" % contest)
    check(re.fullmatch(r"\d{6}", contest["pin"]), "a 6-digit PIN: %r" % contest["pin"])
    check(created.get("displayLink", "").startswith(api.base + "/display.html#contest=%d&token=" % contest["id"]),
          "a display link: %r" % created.get("displayLink"))
    return created


def console_pages(host, password, created):
    step("console: sign in, the contests page lists the contest with its join link and QR code")
    host.go("/contests.html")
    host.wait(lambda: host.path().startswith("/login.html?next="), "the redirect to the login page")
    host.type("#login-username", "admin")
    host.type("#login-password", password)
    host.click("#login-submit")
    host.wait(lambda: host.path().startswith("/contests.html"), "the contests page after signing in")
    host.wait(lambda: host.attr("[data-nav='contests']", "aria-current") == "page", "the nav to mark 竞赛 as current")
    row = "#contest-rows tr[data-contest='%d']" % created["contest"]["id"]
    host.wait_shown(row)
    check(created["contest"]["pin"] in host.text(row), "the row shows the PIN: %r" % host.text(row))
    host.click(row + " [data-action='show']")
    host.wait_shown("[data-testid='join-link']")
    check(host.attr("[data-testid='join-link']", "value") == created["joinLink"],
          "the join link shown is the API's: %r" % host.attr("[data-testid='join-link']", "value"))
    host.wait(lambda: host.js("var i=document.querySelector('[data-testid=join-qr]');return !!i&&i.complete&&i.naturalWidth>0;"),
              "the join QR code to load")
    host.shot("host-01-contests")

    step("console: create a contest through the form; its display link is shown once, and can be replaced")
    host.type("#contest-title", "表单创建的竞赛")
    host.click("#round-list input[name='bank'][value='%s']" % BANK)
    count = host.el("#round-list input[name='count']")
    count.clear()
    count.send_keys("3")
    host.click("#contest-submit")
    host.wait_text("#contest-form-status", "已创建")
    host.wait_shown("[data-testid='display-link']")
    first_link = host.attr("[data-testid='display-link']", "value")
    check("/display.html#contest=" in first_link, "the new contest's display link: %r" % first_link)
    host.shot("host-02-created")
    host.click("[data-testid='new-display-link']")
    host.accept_confirm()
    host.wait(lambda: host.attr("[data-testid='display-link']", "value") not in (None, first_link), "a new display link")

    step("console: a 风险 round's stakes follow the 必答 points, and the editor says what the largest is worth")
    host.click("#add-round")
    rounds = host.els("#round-list > li")
    risk = rounds[-1]
    host.js("var s = arguments[0].querySelector('[name=kind]'); s.value = 'risk'; s.dispatchEvent(new Event('change', {bubbles: true}));", risk)
    wagers = risk.find_element("css selector", "[data-testid='wagers']")
    check(wagers.get_attribute("placeholder") == "留空则自动：500、1000、2000", "the default stakes: %r" % wagers.get_attribute("placeholder"))
    effect = lambda: risk.find_element("css selector", "[data-testid='wager-effect']").text
    check("2000" in effect() and "1000" in effect() and "2 倍" in effect(), "the effect line: %r" % effect())
    points = rounds[0].find_element("css selector", "[name='points']")
    points.clear()
    points.send_keys("3000")
    host.wait(lambda: "6000" in effect() and "2 倍" in effect(), "the stakes to follow 3000-point questions")
    check("3000、6000" in wagers.get_attribute("placeholder"), "the placeholder follows: %r" % wagers.get_attribute("placeholder"))
    wagers.send_keys("10, 20, 30")
    host.wait(lambda: "30 分" in effect() and "1%" in effect() and "难以改变名次" in effect(), "stakes typed in are judged too")
    host.shot("host-03-risk-stakes")


def open_host(host, contest_id):
    step("host: host.html connects as host")
    host.go("/host.html?contest=%d" % contest_id)
    host.wait_text("#host-phase", "等待开始")
    host.wait(lambda: host.el("[data-command='next']").is_enabled(), "开始比赛 to be enabled")
    check(not host.el("[data-command='reveal']").is_enabled(), "公布答案 is disabled in the lobby")


def open_display(display, link, pin):
    step("display: the display link opens the lobby with the PIN and the join address")
    display.d.get(link)
    display.wait(lambda: screen(display) == "lobby", "the lobby screen")
    display.wait_text("#d-pin", pin[:3] + " " + pin[3:])
    check(display.text("#d-join-url").endswith("/play.html?pin=" + pin), "the join address: %r" % display.text("#d-join-url"))


def join(phone, pin, who):
    name, branch = who
    step("phone: %s joins as a guest of %s" % (name, branch))
    phone.go("/play.html?pin=" + pin)
    phone.wait(lambda: body_state(phone) == "join", "the join form")
    check(phone.text("#join-title") == TITLE, "the join form names the contest: %r" % phone.text("#join-title"))
    phone.type("#join-name", name)
    phone.choose("#join-branch", branch)
    phone.click("#join-submit")
    phone.wait(lambda: body_state(phone) == "game" and phase(phone) == "lobby", "the waiting screen")
    check(phone.text("#player-name") == name and phone.text("#player-branch") == branch,
          "the phone shows %s · %s, not %r · %r" % (name, branch, phone.text("#player-name"), phone.text("#player-branch")))
    # The round is called 必答题 and is of the kind 必答: named once, not "必答题（必答）".
    check(phone.text("[data-testid='contest-shape']") == "共 2 题：必答题",
          "the waiting card names the round once: %r" % phone.text("[data-testid='contest-shape']"))


def online_on_host(host, name):
    return host.attr("#host-player-rows tr[data-name='%s'] td:nth-child(3)" % name, "data-online")


def presence_follows_the_page(host, display, phone, who):
    """A phone that leaves its page is offline on the host page at once (its socket's close), not after the
    server's 75 s silence limit; coming back puts it online again in the same seat."""
    name = who[0]
    step("phone: %s leaves the page — 离线 on the host page at once; back again — 在线" % name)
    host.wait(lambda: online_on_host(host, name) == "true", "%s 在线 on the host page" % name)
    left = time.time()
    phone.d.get("about:blank")
    host.wait(lambda: online_on_host(host, name) == "false", "%s 离线 on the host page within 5 s" % name, timeout=5)
    print("  (离线 on the host page %.1f s after the phone left)" % (time.time() - left))
    display.wait_text("#d-joined-count", "2")  # the seat stays taken
    phone.d.back()
    phone.wait(lambda: body_state(phone) == "game" and phase(phone) == "lobby", "the waiting screen again")
    check(phone.text("#player-name") == name, "the same seat after coming back: %r" % phone.text("#player-name"))
    host.wait(lambda: online_on_host(host, name) == "true", "%s 在线 again on the host page" % name)


def score_label_on_one_line(phone, who):
    """Beside a name long enough to wrap, the player bar's 得分 stays one line (it was squeezed to 得 / 分)."""
    lines = phone.js("var r = document.createRange();"
                     "r.selectNodeContents(document.querySelector('.player-score-label'));"
                     "return r.getClientRects().length;")
    check(lines == 1, "%s's player bar: 得分 is broken over %s lines beside the long name" % (who[0], lines))


def set_offline(phone, offline):
    """The phone's network gone or back, as Chromium's DevTools emulate it: new requests and sockets fail and the
    page gets its offline/online event, but an open WebSocket is not closed — as on a phone whose Wi-Fi vanished
    without a FIN, the page has to give it up itself."""
    phone.d.execute_cdp_cmd("Network.enable", {})
    phone.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def network_drop(phone, who):
    step("phone: %s loses the network mid-question — 连接中断 at once, not after the 45 s ping; back online, the"
         " same seat and the open question" % who[0])
    set_offline(phone, True)
    phone.wait(lambda: phone.shown("[data-testid='connection']"), "连接中断 on the phone within 3 s of losing the network",
               timeout=3)
    check("连接中断" in phone.text("[data-testid='connection']"), "the banner: %r" % phone.text("[data-testid='connection']"))
    check(phase(phone) == "open", "the question stays on the screen while offline")
    phone.d.save_screenshot(os.path.join(phone.shots, "phone-a-6-offline.png"))
    set_offline(phone, False)
    phone.wait(lambda: not phone.shown("[data-testid='connection']"), "the phone back online and connected", timeout=10)
    check(phone.text("#player-name") == who[0], "the same seat after the drop: %r" % phone.text("#player-name"))
    check(phase(phone) == "open", "the open question after the drop")
    # The failed reconnections while offline are logged by Chromium as errors; they were expected here.
    unexpected = [entry["message"] for entry in phone.d.get_log("browser")
                  if entry.get("level") == "SEVERE" and "WebSocket" not in entry.get("message", "")
                  and "ERR_INTERNET_DISCONNECTED" not in entry.get("message", "")]
    check(not unexpected, "errors other than the failed reconnections while offline: %s" % unexpected)


def answer(phone, question, right):
    """Taps the right (or a wrong) answer on this phone, whose options are in its own shuffled order."""
    if question["type"] == "truefalse":
        truth = question["answer"]["truth"]
        phone.click("[data-truth='%s']" % str(truth if right else not truth).lower())
        return
    key = question["answer"]["choices"]
    wanted = [question["options"][index] for index in key]
    buttons = phone.els("[data-testid='option']")
    for button in buttons:
        text = button.find_element("css selector", ".option-text").text.strip()
        if (text in wanted) == right:
            phone.d.execute_script("arguments[0].scrollIntoView({block:'center'});", button)
            button.click()
            return
    raise Failure("%s: no %s option among %s" % (phone.label, "right" if right else "wrong", [b.text for b in buttons]))


def wait_received(phone):
    phone.wait(lambda: phone.attr("[data-testid='answer-status']", "data-ack") == "accepted", "已收到 (the server's ack)")


def question_shown(pages, host, display, number):
    host.wait(lambda: host.text("#host-q-stem") != "" and ("第 %d / 2 题" % number) in host.text("#host-q-meta"),
              "question %d on the host page" % number)
    stem = host.text("#host-q-stem")
    display.wait(lambda: screen(display) == "question" and display.text("#d-stem") == stem, "the question on the big screen")
    for phone in pages:
        phone.wait(lambda phone=phone: phase(phone) == "open" and phone.text("[data-testid='stem']") == stem,
                   "the question on the phone")
    return stem


def letters_of(page, option, letter, text):
    """{option text: its letter} of the options on a page."""
    return page.js("var a = arguments; return Array.from(document.querySelectorAll(a[0])).map(function(n){"
                   "return [n.querySelector(a[2]).textContent.replace(/^[A-H]\\. /, ''), n.querySelector(a[1]).textContent];});",
                   option, letter, text)


def check_letters_agree(phones, display):
    """Each phone shows its own order of the options, and every option with the big screen's letter for it."""
    screen_letters = dict(letters_of(display, "#d-options li.d-option", ".d-letter", ".d-option-text"))
    if not screen_letters or any(letter in "✓✗" for letter in screen_letters.values()):
        return
    for phone in phones:
        shown = letters_of(phone, "[data-testid='option']", ".option-letter", ".option-text")
        check(dict(shown) == screen_letters, "the phone letters its options as the big screen does: %s vs %s" % (shown, screen_letters))
    step("phones letter their %d options as the big screen does" % len(screen_letters))


def reveal(host, display, phones, expected):
    step("host: reveal — the big screen shows the distribution, the phones right and wrong")
    host.click("[data-command='reveal']")
    display.wait(lambda: screen(display) == "reveal", "the reveal screen")
    counts = [int(node.get_attribute("data-count")) for node in display.els("#d-bars li")]
    check(sum(counts) == 2, "the distribution counts both answers: %s" % counts)
    keyed = display.els("#d-bars li[data-key='true']")
    check(len(keyed) == 1, "one bar is marked as the answer")
    check(display.text("#d-explanation") != "", "the explanation is shown")
    for phone, correctness in zip(phones, expected):
        phone.wait(lambda phone=phone, correctness=correctness:
                   phone.attr("[data-testid='result']", "data-correctness") == correctness,
                   "the phone to show %s" % correctness)
    host.wait(lambda: host.shown("#host-q-key"), "the key on the host page")
    # The phones name the key with the big screen's letter, whatever their order ("答案是 C" is C everywhere).
    key_letter = keyed[0].find_element("css selector", ".d-letter").text
    if key_letter not in "✓✗":
        for phone in phones:
            marked = phone.js("return Array.from(document.querySelectorAll(\"[data-testid='revealed-option'][data-key='true'] .option-text\")).map(function(n){return n.textContent});")
            check(len(marked) == 1 and marked[0].startswith(key_letter + ". "),
                  "the phone writes the key as the big screen's %s: %s" % (key_letter, marked))


def leaderboard(host, display, phones, ranks, changes=None):
    step("host: leaderboard — ranks on the big screen and the phones")
    host.click("[data-command='leaderboard']")
    display.wait(lambda: screen(display) == "leaderboard", "the leaderboard screen")
    first = ranks.index(1)
    display.wait(lambda: display.text("#d-top li:first-child b") == phones[first].text("#player-name"),
                 "%s first on the big screen" % phones[first].text("#player-name"))
    for phone, rank in zip(phones, ranks):
        phone.wait(lambda phone=phone, rank=rank: phone.attr("[data-testid='my-rank']", "data-rank") == str(rank),
                   "rank %d on the phone" % rank)
    time.sleep(1.2)  # the big screen shows the old order first, then the rows move
    marks = [node.text.strip() for node in display.els("#d-top .d-change")]
    host_marks = [node.text.strip() for node in host.els(".host-change")]
    if changes is None:
        # The first question: there is no earlier ranking, so no row moved (no ▼1 for a wrong first answer).
        check(marks and all(mark == "" for mark in marks), "no rank changes on the big screen yet: %s" % marks)
        check(all(mark == "" for mark in host_marks), "no rank changes on the host page yet: %s" % host_marks)
        for phone in phones:
            check(not phone.exists("[data-testid='rank-change']"), "%s shows no rank change yet: %r"
                  % (phone.label, phone.text("[data-testid='rank-change']") if phone.exists("[data-testid='rank-change']") else ""))
    else:
        for phone, change in zip(phones, changes):
            name = phone.text("#player-name")
            shown = display.js("var out={};document.querySelectorAll('#d-top li').forEach(function(li){"
                               "var b=li.querySelector('b');var c=li.querySelector('.d-change');"
                               "if(b&&c)out[b.textContent.trim()]=c.textContent.trim();});return out;")
            check(shown.get(name) == change, "%s's change on the big screen is %r: %s" % (name, change, shown))


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-contest-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    browsers = []
    failed = True
    try:
        base.check_dictionaries()
        server.start()
        password = first_run_password(server)
        step("server up at %s with the demo data; signed in with the first run's password" % server.base)
        api = Api(server.base)
        api.sign_in(password)
        created = create_contest(api)
        contest_id, pin = created["contest"]["id"], created["contest"]["pin"]
        keys = Keys(server.database, contest_id)

        drivers = {}

        def start(label, make):
            drivers[label] = make()
        makers = [("host", base.new_browser), ("display", display_browser),
                  ("phone-a", lambda: base.new_browser(phone=True)), ("phone-b", lambda: base.new_browser(phone=True))]
        threads = [threading.Thread(target=start, args=pair) for pair in makers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        browsers.extend(drivers.values())
        check(len(drivers) == 4, "four browsers started")
        host, display, a, b = (Page(drivers[label], server.base, args.screenshots, label)
                               for label, _ in makers)
        phones = [a, b]
        every = [host, display, a, b]

        console_pages(host, password, created)
        open_host(host, contest_id)
        open_display(display, created["displayLink"], pin)
        join(a, pin, ZHANG)
        join(b, pin, LI)
        score_label_on_one_line(a, ZHANG)
        display.wait_text("#d-joined-count", "2")
        branches = display.text("#d-branches")
        check(ZHANG[0] in branches and LI[0] in branches, "the big screen lists who joined per branch: %r" % branches)
        host.wait(lambda: len(host.els("#host-player-rows tr[data-seat]")) == 2, "two players on the host page")
        presence_follows_the_page(host, display, a, ZHANG)
        qr_shown = display.js("var i=document.getElementById('d-qr');return i.complete&&i.naturalWidth>0;")
        print("  (big screen QR code %s)" % ("shown" if qr_shown else "not shown: /api/qr needs a console session"))
        shoot(every, "1-lobby")

        # ---- question 1: 李四 right, 张三 wrong
        step("host: start — question 1 on every screen; 张三 answers wrong, 李四 right")
        host.click("[data-command='next']")
        stem = question_shown(phones, host, display, 1)
        q1 = keys.question(1)
        check(q1["stem"] == stem, "the page shows the drawn question: %r vs %r" % (stem, q1["stem"]))
        check_letters_agree(phones, display)
        shoot(every, "2-question")
        answer(a, q1, right=False)
        answer(b, q1, right=True)
        wait_received(a)
        wait_received(b)
        display.wait_text("#d-answered", "2")
        host.wait_text("#host-phase", "作答结束")  # everyone answered: the server closes the question
        shoot(every, "3-answered")
        reveal(host, display, phones, ["wrong", "correct"])
        shoot(every, "4-reveal")
        leaderboard(host, display, phones, [2, 1])
        shoot(every, "5-leaderboard")
        step("display: on a 1024×768 projector the long name ends in …, not cut off (checked at every screenshot)")
        display.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False})
        display.shot("display-5-leaderboard-1024", full_page=False)
        display.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})

        # ---- question 2: 李四 answers and reloads mid-question; both right
        step("host: question 2; 李四 answers, then reloads the page and is back in the same seat")
        host.click("[data-command='next']")
        question_shown(phones, host, display, 2)
        q2 = keys.question(2)
        answer(b, q2, right=True)
        wait_received(b)
        score = b.text("#player-score")
        check(int(score) > 0, "李四 has points after question 1: %r" % score)
        b.d.refresh()
        b.wait(lambda: body_state(b) == "game" and phase(b) == "open", "the game again after the reload")
        b.wait(lambda: b.text("#player-score") == score, "the same score after the reload (%s)" % score)
        check(b.text("#player-name") == LI[0] and b.text("#player-branch") == LI[1],
              "the same seat after the reload: %r · %r" % (b.text("#player-name"), b.text("#player-branch")))
        wait_received(b)  # the server echoes the answer already given
        check(b.els("[aria-pressed='true']"), "the answer given before the reload is marked")
        b.shot("phone-b-6-resumed", full_page=False)
        network_drop(a, ZHANG)
        answer(a, q2, right=True)
        wait_received(a)
        host.wait_text("#host-phase", "作答结束")
        reveal(host, display, phones, ["correct", "correct"])
        leaderboard(host, display, phones, [2, 1], changes=["—", "—"])
        shoot(every, "7-leaderboard")

        step("host: finish — the podium on the big screen, final ranks on the phones")
        host.click("[data-command='finish']")
        host.accept_confirm()
        display.wait(lambda: screen(display) == "finished", "the final screen")
        display.wait(lambda: display.text("#d-podium .place-1 .d-place-name") == LI[0], "李四 on top of the podium")
        for phone, rank in zip(phones, [2, 1]):
            phone.wait(lambda phone=phone, rank=rank: phone.attr("[data-testid='final-rank']", "data-rank") == str(rank),
                       "final rank %d on the phone" % rank)
        host.wait_text("#host-phase", "已结束")
        check(not any(host.el("[data-command='%s']" % name).is_enabled() for name in ("next", "reveal", "finish")),
              "the host's buttons are disabled once finished")
        time.sleep(1.0)  # the podium rises
        shoot(every, "8-finished")

        step("display: the next contest's display link pasted into the open tab (only the #… changes) shows its lobby")
        following = create_contest(api)
        display.js("location.hash = arguments[0];", following["displayLink"].split("#", 1)[1])
        next_pin = following["contest"]["pin"]
        display.wait(lambda: screen(display) == "lobby" and display.text("#d-pin") == next_pin[:3] + " " + next_pin[3:],
                     "the next contest's lobby with its PIN %s" % next_pin)
        check(display.text("#d-join-url").endswith("/play.html?pin=" + next_pin), "the next contest's join address: %r"
              % display.text("#d-join-url"))
        display.wait_text("#d-joined-count", "0")
        display.shot("display-9-next-contest")

        step("display: a display link whose token was replaced says so to the hall, not the phone's 请重新加入")
        bad = following["displayLink"].split("&token=")[0] + "&token=" + "A" * 43
        display.d.get("about:blank")
        display.d.get(bad)
        display.wait(lambda: screen(display) == "error", "the error screen")
        message = display.text("#d-error")
        check("大屏链接" in message and "竞赛" in message and "座位" not in message,
              "the screen names the display link and where a new one is made: %r" % message)
        display.shot("display-10-bad-link")
        failed = False
    finally:
        for driver in browsers:
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
    return base.suite_main("contest_test", "A live contest in real browsers: host, big screen, two phones.",
                           "screenshots/contest", 180, run, "a live contest in Chromium (host, big screen, two phones)")


if __name__ == "__main__":
    sys.exit(main())
