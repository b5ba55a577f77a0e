#!/usr/bin/env python3
"""An answer-climbing campaign in real browsers: the member's phone, the big screen and the console.

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory,
signs in as the administrator with the password the first run prints, and through the API creates a campaign for
机关党委 of two levels, each three true/false questions from 党章党规党纪 (60 s per question, 80 % to pass), and an
invitation link for 王建国 (DG0001, 第一党支部). Then, in three headless Chromium browsers of their own (no shared
cookies or storage):

  the console (1366×900) signs in, finds 登高 in the top bar, lists the campaign, opens it (member link, live
  monitor over /ws/campaign) and creates a second campaign through the form with the default ten-level ladder,
  whose display link is shown once → the big screen (1920×1080) opens the display link: title, date, roster and
  branch board, nobody climbing yet → the phone (390×844) opens the invitation link, sees the campaign on me.html,
  opens it: the mountain at height 0, the next level, attempts left → starts level 1 and answers every question
  right, seeing right/wrong, the key and the explanation after each; in the middle of the level the page is
  reloaded and the same question comes back → the level's result: the celebration, height 1; the big screen shows
  王建国 at height 1 and the participation moving → level 2 the same way, its first answer sent with the network
  down (the page offers to send it again, and it counts once) → height 2, the summit; the big screen shows 王建国
  at height 2; the console's monitor too → the mountain at the summit, in large text → in a third campaign with a
  one-level ladder for 机关党员, 王建国's mountain is that one level → the second campaign's
  display link pasted into the open screen (only the fragment changes) shows that campaign, and the first one's link
  brings it back → a display link whose token was replaced explains itself. Before the invitation, the campaign
  page explains that the invitation comes first.

The answer key never reaches a page before the answer, so the test reads it from the database (the `question`
table, matched by the stem the phone shows) to know which answer is right.

Screenshots of every step go to --screenshots (console-*, display-*, phone-*).

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/climb_test.py --dengao .build/debug/dengao --screenshots screenshots/climb

Needs what console_test.py needs (chromium, chromium-driver, selenium). Exit code 0 when everything passed, 1 with
the failing step and its reason, 2 for a setup problem.
"""
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import contest_test as contest  # noqa: E402 - the API client, the first-run password and the big-screen browser
from console_test import Failure, Page, check, step  # noqa: E402

BANK = "党章党规党纪"
TITLE = "学党章守党规答题登高"
OWNER = "机关党委"
MEMBER = ("DG0001", "王建国", "第一党支部")


# ---- the server and its API ------------------------------------------------------------------------

def shanghai_today():
    """The campaign's calendar day now (Asia/Shanghai is UTC+8, without daylight saving)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def level(title):
    return {"title": title,
            "draw": {"count": 3, "categories": [], "tags": [], "types": ["truefalse"], "minDifficulty": 1, "maxDifficulty": 5},
            "timeLimit": {"perQuestion": {"seconds": 60}}, "passThreshold": 0.8}


def create_campaign(api):
    units = {unit["path"]: unit["id"] for unit in api.call("GET", "/api/units")["units"]}
    check(OWNER in units, "the demo organization has %s: %s" % (OWNER, sorted(units)))
    today = shanghai_today()
    settings = {
        "title": TITLE,
        "startDate": (today - datetime.timedelta(days=1)).isoformat(),
        "endDate": (today + datetime.timedelta(days=14)).isoformat(),
        "timeZone": "Asia/Shanghai",
        "banks": [BANK],
        "levels": [level("第一关 · 学党章"), level("第二关 · 守党规")],
        "attemptsPerDay": 3,
        "composite": {"participation": 0.5, "height": 0.5},
    }
    created = api.call("POST", "/api/campaigns", {"ownerUnitId": units[OWNER], "settings": settings})
    campaign = created["campaign"]
    check(len(campaign["settings"]["levels"]) == 2, "the campaign has 2 levels: %s" % campaign)
    check(created.get("memberLink") == api.base + "/climb.html#campaign=%d" % campaign["id"],
          "the member link: %r" % created.get("memberLink"))
    check(created.get("displayLink", "").startswith(api.base + "/climb-display.html#campaign=%d&token=" % campaign["id"]),
          "a display link: %r" % created.get("displayLink"))
    return created


class Keys:
    """The answer key of a question the phone shows, from the database, by its stem."""

    def __init__(self, database):
        self.database = database  # Tests/support/test_database.py: SQLite or PostgreSQL

    def truth(self, stem):
        query = ("SELECT DISTINCT q.type, q.answer FROM question q JOIN bankVersion v ON v.id = q.bankVersionId"
                 " JOIN bank b ON b.id = v.bankId WHERE b.name = ? AND q.stem = ?")
        rows = self.database.rows(query, query, (BANK, stem))
        check(rows, "the database has the question the phone shows: %r" % stem)
        check(len({answer for _, answer in rows}) == 1, "one key for %r: %s" % (stem, rows))
        kind, answer = rows[0]
        check(kind == "truefalse", "a true/false question: %r is %s" % (stem, kind))
        return json.loads(answer)["truth"]


# ---- pages -----------------------------------------------------------------------------------------------

def category_ladder_mountain(api, phone):
    """A campaign whose 机关党员 climb a one-level ladder: 王建国 (机关党员) sees that ladder, not the default."""
    step("phone: in a campaign with a one-level ladder for 机关党员, 王建国's mountain is that ladder")
    categories = api.call("GET", "/api/member-categories")["categories"]
    office = next(c["id"] for c in categories if c["name"] == "机关党员")
    units = {unit["path"]: unit["id"] for unit in api.call("GET", "/api/units")["units"]}
    today = shanghai_today()
    settings = {
        "title": "分类阶梯登高", "startDate": today.isoformat(), "endDate": (today + datetime.timedelta(days=7)).isoformat(),
        "banks": [BANK], "levels": [level("一"), level("二"), level("三")],
        "categoryLadders": [{"memberCategoryIds": [office], "levels": [level("机关党员关")]}],
    }
    campaign = api.call("POST", "/api/campaigns", {"ownerUnitId": units[OWNER], "settings": settings})["campaign"]
    phone.go("/climb.html#campaign=%d" % campaign["id"])
    phone.wait(lambda: view(phone) == "mountain", "the mountain of the campaign with a category ladder")
    phone.wait(lambda: len(phone.els("#mountain .step[data-level]")) == 2, "one level and the foot on the mountain")
    check("1" in phone.text("#height-of") and "3" not in phone.text("#height-of"),
          "height out of 1 level: %r" % phone.text("#height-of"))
    check("机关党员关" in phone.text("#next-title"), "the next level is the ladder's: %r" % phone.text("#next-title"))
    phone.shot("phone-10-category-ladder")


def screen(page):
    return page.attr("body", "data-screen")


def view(page):
    return page.attr("body", "data-state")


def phase(page):
    return page.attr("#screen", "data-phase")


def climber_row(display, name):
    """(height, rank) of a climber on the big screen, or None."""
    return display.js(
        "var n=arguments[0];var r=[].slice.call(document.querySelectorAll('#c-top li')).filter(function(li){"
        "var b=li.querySelector('.d-who b');return b&&b.textContent===n;})[0];"
        "return r?[Number(r.getAttribute('data-height')),Number(r.getAttribute('data-rank'))]:null;", name)


def branch_participants(display, name):
    return display.js(
        "var n=arguments[0];var r=[].slice.call(document.querySelectorAll('#c-branches li')).filter(function(li){"
        "var b=li.querySelector('.c-name b');return b&&b.textContent===n;})[0];"
        "return r?Number(r.getAttribute('data-participants')):null;", name)


def console_pages(page, password, created):
    step("console: sign in; 登高 in the top bar lists the campaign; its member link and live monitor")
    page.go("/campaigns.html")
    page.wait(lambda: page.path().startswith("/login.html?next="), "the redirect to the login page")
    page.type("#login-username", "admin")
    page.type("#login-password", password)
    page.click("#login-submit")
    page.wait(lambda: page.path().startswith("/campaigns.html"), "the campaigns page after signing in")
    page.wait(lambda: page.attr("[data-nav='campaigns']", "aria-current") == "page", "the nav to mark 登高 as current")
    check(page.text("[data-nav='campaigns']") == "登高", "the nav names the page 登高: %r" % page.text("[data-nav='campaigns']"))
    nav = [node.get_attribute("data-nav") for node in page.els("#console-nav [data-nav]")]
    check(nav.index("campaigns") == nav.index("contests") + 1, "登高 comes right after 竞赛 in the nav: %s" % nav)
    campaign_id = created["campaign"]["id"]
    row = "#campaign-rows tr[data-campaign='%d']" % campaign_id
    page.wait_shown(row)
    check(OWNER in page.text(row), "the row shows the scope: %r" % page.text(row))
    page.click(row + " [data-action='show']")
    page.wait_shown("[data-testid='member-link']")
    check(page.attr("[data-testid='member-link']", "value") == created["memberLink"],
          "the member link shown is the API's: %r" % page.attr("[data-testid='member-link']", "value"))
    page.wait_text("#monitor-connection", "实时更新中", "the monitor to be live over /ws/campaign")
    page.wait(lambda: page.text("[data-testid='stat-roster']") not in ("", "0"), "the roster count on the monitor")
    page.wait(lambda: page.js("var i=document.querySelector('[data-testid=member-qr]');return !!i&&i.complete&&i.naturalWidth>0;"),
              "the member link's QR code to load")
    page.shot("console-01-campaign")

    step("console: create a campaign through the form (the default ten-level ladder); the display link is shown once")
    check(len(page.els("#level-list .level-row")) == 10, "the ladder editor starts with 10 levels")
    check(page.attr("#level-list .level-row:last-child [name='count']", "value") == "9",
          "level 10 of 10 draws 9 questions: %r" % page.attr("#level-list .level-row:last-child [name='count']", "value"))
    check(page.attr("#level-list .level-row:last-child [name='minDifficulty']", "value") == "4",
          "level 10 of 10 draws from difficulty 4")
    page.type("#campaign-title", "表单创建的登高活动")
    page.click("#campaign-banks input[value='%s']" % BANK)
    page.click("#campaign-submit")
    page.wait_text("#campaign-form-status", "已创建")
    page.wait_shown("[data-testid='display-link']")
    link = page.attr("[data-testid='display-link']", "value")
    check("/climb-display.html#campaign=" in link, "the new campaign's display link: %r" % link)
    page.wait(lambda: len(page.els("#campaign-rows tr[data-campaign]")) >= 2, "both campaigns in the list")
    page.shot("console-02-created")
    page.click(row + " [data-action='show']")
    page.wait(lambda: page.attr("[data-testid='member-link']", "value") == created["memberLink"], "the first campaign again")
    page.wait_text("#monitor-connection", "实时更新中", "the monitor to watch the first campaign")
    return link


def open_display(display, created):
    step("display: the display link opens the board: title, date, roster, branches, nobody climbing yet")
    display.d.get(created["displayLink"])
    display.wait(lambda: screen(display) == "board", "the board screen")
    display.wait_text("#d-title", TITLE)
    today = shanghai_today()
    check(display.text("#d-today") == "%d年%d月%d日" % (today.year, today.month, today.day),
          "today's date on the screen: %r" % display.text("#d-today"))
    check(int(display.text("#c-roster")) > 0, "the roster count: %r" % display.text("#c-roster"))
    check(display.text("#c-today") == "0" and display.text("#c-participants") == "0", "nobody has climbed yet")
    check(MEMBER[2] in display.text("#c-branches"), "the branch board lists %s: %r" % (MEMBER[2], display.text("#c-branches")))
    check(display.shown("#c-top-empty"), "the empty top list says nobody has started")
    # 综合 is explained under the board, with this campaign's weights and ladder (two levels, 50/50 by default).
    legend = display.text("[data-testid='c-legend']")
    check(legend == "综合 = 100 ×（0.5 × 参与率 + 0.5 × 人均高度 ÷ 2 级）", "the legend says what 综合 is: %r" % legend)


def open_mountain(phone, created, link):
    number, name, branch = MEMBER
    step("phone: without a session the campaign page explains that the invitation link comes first")
    phone.go("/climb.html#campaign=%d" % created["campaign"]["id"])
    phone.wait(lambda: view(phone) == "signed-out", "the signed-out explanation")
    check("邀请链接" in phone.text("[data-view='signed-out']"), "it names the invitation link: %r" % phone.text("[data-view='signed-out']"))
    phone.shot("phone-00-signed-out", full_page=False)
    step("phone: the invitation link signs %s in; me.html lists the campaign; the mountain at height 0" % name)
    phone.d.get(link)
    phone.wait(lambda: phone.path().startswith("/me.html"), "me.html after opening the invitation link")
    phone.wait_text("#member-name", name)
    phone.wait_shown("[data-testid='me-campaigns'] a[data-campaign='%d']" % created["campaign"]["id"])
    check(not phone.shown("#no-activities"), "me.html does not say there are no activities")
    phone.shot("phone-01-me", full_page=False)
    phone.click("[data-testid='me-campaigns'] a[data-campaign='%d']" % created["campaign"]["id"])
    phone.wait(lambda: view(phone) == "mountain", "the mountain")
    check(phone.text("#campaign-title") == TITLE, "the campaign's title: %r" % phone.text("#campaign-title"))
    check(name in phone.text("#climber") and branch in phone.text("#climber"), "who climbs: %r" % phone.text("#climber"))
    check(phone.text("#my-height") == "0", "height 0 before the first climb: %r" % phone.text("#my-height"))
    check(len(phone.els("#mountain .step[data-level]")) == 3, "two levels and the foot on the mountain")
    check(phone.attr("#mountain .is-here", "data-level") == "0", "the marker at the foot")
    check("第一关" in phone.text("#next-title"), "the next level: %r" % phone.text("#next-title"))
    check("3" in phone.text("[data-testid='attempts-left']"), "attempts left today: %r" % phone.text("[data-testid='attempts-left']"))
    check(phone.el("#start").is_enabled(), "开始挑战 is enabled")
    phone.shot("phone-02-mountain")


def answer_right(phone, keys, number, shots=None):
    """Answers the question on show right; waits for the feedback (right, the key, the explanation)."""
    phone.wait(lambda: phase(phone) == "question" and phone.text("[data-testid='stem']") != "", "question %d" % number)
    check(("第 %d/3 题" % number) in phone.text("#q-meta"), "question %d of 3: %r" % (number, phone.text("#q-meta")))
    phone.wait(lambda: phone.text("#q-timer").endswith("秒"), "the countdown")
    stem = phone.text("[data-testid='stem']")
    truth = keys.truth(stem)
    if shots:
        phone.shot(shots[0], full_page=False)
    phone.click("[data-testid='truth'][data-truth='%s']" % str(truth).lower())
    phone.wait(lambda: phase(phone) == "feedback", "the feedback after answering question %d" % number)
    check(phone.attr("[data-testid='verdict']", "data-outcome") == "right", "question %d marked right" % number)
    check(("正确答案：" + ("正确" if truth else "错误")) in phone.text("[data-testid='key']"),
          "the key is shown: %r" % phone.text("[data-testid='key']"))
    check(phone.text("[data-testid='explanation']") != "", "the explanation is shown")
    check(phone.text("#attempt-correct") == str(number), "%d right so far: %r" % (number, phone.text("#attempt-correct")))
    if shots:
        phone.shot(shots[1])
    return stem


def offline(phone, on):
    phone.d.execute_cdp_cmd("Network.enable", {})
    phone.d.execute_cdp_cmd("Network.emulateNetworkConditions",
                            {"offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def answer_offline_then_retry(phone, keys):
    """The answer is sent with the network down: the countdown keeps running and says what is left, the page sends
    it again by itself once the network is back, and it counts once."""
    step("phone: an answer sent with the network down is sent again by itself, the countdown running, and counts once")
    phone.wait(lambda: phase(phone) == "question" and phone.text("[data-testid='stem']") != "", "question 1")
    truth = keys.truth(phone.text("[data-testid='stem']"))
    offline(phone, True)
    phone.click("[data-testid='truth'][data-truth='%s']" % str(truth).lower())
    phone.wait_shown("[data-testid='retry-box']", "the retry offer")
    check(phone.attr("[data-testid='truth'][data-truth='%s']" % str(truth).lower(), "aria-pressed") == "true",
          "the answer given stays marked while it waits to be sent again")
    # Offline, the question's clock keeps running (the server's does) and the member is told what is left.
    def seconds_left():
        text = phone.text("#q-timer")  # "18 秒", or "1:05" above a minute
        if ":" in text:
            minutes, secs = text.split(":")
            return int(minutes) * 60 + int(secs)
        digits = re.search(r"\d+", text)
        return int(digits.group()) if digits else 0
    before = seconds_left()
    phone.wait(lambda: seconds_left() <= before - 2, "the countdown to keep running while offline (it showed %d s)" % before)
    retry_text = phone.text("#retry-text")
    check("自动重新发送" in retry_text and "本题还剩" in retry_text and "秒后自动重试" in retry_text,
          "the retry box says it retries by itself and how long the question has: %r" % retry_text)
    phone.d.save_screenshot(os.path.join(phone.shots, "phone-05-offline.png"))
    base.SHOTS.append(os.path.join(phone.shots, "phone-05-offline.png"))
    offline(phone, False)
    phone.d.get_log("browser")  # the failed request Chromium logged is the point of this step, not a page error
    # No tap: the page sends it again by itself (at once when the phone is back online, else after its pause).
    phone.wait(lambda: phase(phone) == "feedback", "the feedback once the answer got through by itself")
    check(not phone.shown("[data-testid='retry-box']"), "the retry offer is gone")
    check(phone.attr("[data-testid='verdict']", "data-outcome") == "right", "the answer sent again counts as right")
    check(phone.text("#attempt-correct") == "1", "counted once: %r" % phone.text("#attempt-correct"))
    phone.click("[data-testid='next']")


def climb_level(phone, keys, level_number, reload_at=None, shots="", offline_first=False):
    stem = None
    for number in (1, 2, 3):
        if number == 1 and offline_first:
            answer_offline_then_retry(phone, keys)
            continue
        if number == reload_at:
            phone.wait(lambda: phase(phone) == "question", "question %d" % number)
            stem = phone.text("[data-testid='stem']")
            step("phone: reload in the middle of question %d; the same question comes back" % number)
            phone.d.refresh()
            phone.wait(lambda: view(phone) == "attempt" and phase(phone) == "question", "the attempt again after the reload")
            check(phone.text("[data-testid='stem']") == stem, "the same question after the reload: %r vs %r"
                  % (phone.text("[data-testid='stem']"), stem))
            check(("第 %d/3 题" % number) in phone.text("#q-meta"), "still question %d: %r" % (number, phone.text("#q-meta")))
            check(phone.text("#attempt-correct") == str(number - 1), "the right answers so far survive the reload")
            phone.shot("phone-%s-resumed" % shots, full_page=False)
        first = shots and number == 1 and not offline_first
        answer_right(phone, keys, number, ("phone-%s-question" % shots, "phone-%s-feedback" % shots) if first else None)
        label = "查看本关结果" if number == 3 else "下一题"
        check(phone.text("[data-testid='next']") == label, "the button says %s: %r" % (label, phone.text("[data-testid='next']")))
        phone.click("[data-testid='next']")
    phone.wait(lambda: view(phone) == "result", "the result of level %d" % level_number)
    check(phone.attr("[data-testid='result']", "data-status") == "passed", "level %d passed" % level_number)
    check(phone.shown("[data-testid='celebration']"), "the celebration")
    check(phone.text("[data-testid='new-height']") == str(level_number), "height %d: %r" % (level_number, phone.text("[data-testid='new-height']")))
    check(len(phone.els("[data-testid='review'] > li")) == 3, "the review lists the three questions")
    time.sleep(1.6)  # the climber hops up and the flag goes up


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-climb-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    browsers = []
    drivers = {}
    failed = True
    try:
        base.check_dictionaries()
        server.start()
        password = contest.first_run_password(server)
        step("server up at %s with the demo data; signed in with the first run's password" % server.base)
        api = contest.Api(server.base)
        api.sign_in(password)
        created = create_campaign(api)
        invitation = api.call("POST", "/api/members/%s/invitations" % MEMBER[0])
        check(invitation.get("link", "").startswith(server.base + "/invite#"), "an invitation link: %r" % invitation)
        keys = Keys(server.database)

        makers = [("console", base.new_browser), ("display", contest.display_browser),
                  ("phone", lambda: base.new_browser(phone=True))]
        drivers.update(base.start_browsers(makers))
        browsers.extend(drivers.values())
        check(len(drivers) == 3, "three browsers started")
        console, display, phone = (Page(drivers[label], server.base, args.screenshots, label) for label, _ in makers)

        second_link = console_pages(console, password, created)
        open_display(display, created)
        display.shot("display-01-start")
        open_mountain(phone, created, invitation["link"])

        step("phone: level 1 — every answer right, with the key and explanation after each; a reload mid-level")
        phone.click("#start")
        phone.wait(lambda: view(phone) == "attempt", "the attempt")
        check("第一关" in phone.text("#attempt-level"), "the level's title: %r" % phone.text("#attempt-level"))
        climb_level(phone, keys, 1, reload_at=2, shots="03")
        phone.shot("phone-04-passed", full_page=False)
        phone.shot("phone-04-passed-full")

        step("display: 王建国 at height 1; participation moves")
        display.wait(lambda: climber_row(display, MEMBER[1]) == [1, 1], "%s at height 1, first" % MEMBER[1])
        display.wait_text("#c-today", "1")
        check(display.text("#c-participants") == "1", "one participant: %r" % display.text("#c-participants"))
        check(branch_participants(display, MEMBER[2]) == 1, "%s has a participant" % MEMBER[2])
        check(display.text("#c-rate") != "0%", "the participation rate moved: %r" % display.text("#c-rate"))
        check(not display.shown("#c-top-empty"), "the empty note is gone")
        time.sleep(1.0)  # the row's glow and the slide settle
        display.shot("display-02-level-1")

        step("phone: level 2 the same way; height 2 — the summit")
        phone.wait_shown("[data-testid='continue']")
        check("第二关" in phone.text("[data-testid='continue']"), "continue to level 2: %r" % phone.text("[data-testid='continue']"))
        phone.click("[data-testid='continue']")
        phone.wait(lambda: view(phone) == "attempt" and "第二关" in phone.text("#attempt-level"), "level 2")
        climb_level(phone, keys, 2, shots="05", offline_first=True)
        check("登顶" in phone.text("[data-testid='celebration']"), "the summit is celebrated: %r" % phone.text("[data-testid='celebration']"))
        phone.shot("phone-06-summit-reached", full_page=False)

        step("display and console: 王建国 at height 2")
        display.wait(lambda: climber_row(display, MEMBER[1]) == [2, 1], "%s at height 2 on the big screen" % MEMBER[1])
        time.sleep(1.0)
        display.shot("display-03-summit")
        console.wait(lambda: console.attr("#monitor-top tr[data-rank='1']", "data-height") == "2",
                     "the console's monitor to show height 2 on top")
        check(MEMBER[1] in console.text("#monitor-top"), "the monitor names %s" % MEMBER[1])
        check(console.text("[data-testid='stat-participants']") == "1", "one participant on the monitor")
        console.shot("console-03-monitor")

        step("phone: back to the mountain — at the summit, ranked first; large text")
        phone.click("[data-testid='back-to-mountain']")
        phone.wait(lambda: view(phone) == "mountain", "the mountain again")
        check(phone.text("#my-height") == "2", "height 2 on the mountain: %r" % phone.text("#my-height"))
        check(phone.attr("#mountain .is-here", "data-level") == "2", "the marker on level 2")
        check("登顶" in phone.text("#next-title"), "the summit instead of a next level: %r" % phone.text("#next-title"))
        check(not phone.shown("#start"), "no start button at the summit")
        check("第 1 名" in phone.text("[data-testid='standing']"), "ranked first: %r" % phone.text("[data-testid='standing']"))
        check(MEMBER[2] in phone.text("#branch-name"), "the branch card: %r" % phone.text("#branch-name"))
        phone.shot("phone-07-mountain-summit")
        phone.click("#large-text")
        phone.wait(lambda: phone.js("return document.documentElement.classList.contains('large-text')"), "large text")
        phone.shot("phone-08-large-text")
        phone.click("#large-text")

        step("phone: me.html's 我的学习记录 shows the climb (height 2, six answers) and accuracy per category")
        phone.go("/me.html")
        phone.wait_shown("[data-testid='me-history'] li[data-campaign='%d']" % created["campaign"]["id"])
        line = phone.text("[data-testid='me-history'] li[data-campaign='%d']" % created["campaign"]["id"])
        check("2 级" in line, "the record names height 2: %r" % line)
        check(len(phone.els("[data-testid='me-history'] li[data-category]")) >= 1, "accuracy per category is listed")
        # Accuracy over time: one heat-map row per category listed, one column per month, and each cell says the
        # category's accuracy this month (everything here was answered this month, so it is the listed figure).
        categories = phone.els("[data-testid='me-history'] li[data-category]")
        cells = phone.els("[data-testid='history-chart'] svg[data-chart='heat'] rect.cell:not(.legend rect)")
        check(len(cells) == len(categories), "one heat-map cell per category this month: %d cells, %d categories" % (len(cells), len(categories)))
        listed = [phone.js("return arguments[0].querySelector('span').textContent", c) for c in categories]
        shown = phone.js("return Array.from(document.querySelectorAll(\"[data-testid='history-chart'] text.cell-value\")).map(t => t.textContent)")
        for text, cell in zip(listed, shown):
            check(cell.rstrip('%') in text, "the month's cell %r matches the listed accuracy %r" % (cell, text))
        phone.shot("phone-09-me-history")

        category_ladder_mountain(api, phone)

        step("display: the second campaign's link pasted into the open tab (only the #… changes) shows that campaign")
        display.js("location.hash = arguments[0];", second_link.split("#", 1)[1])
        display.wait(lambda: display.text("#d-title") == "表单创建的登高活动", "the second campaign's title on the screen")
        display.wait(lambda: screen(display) == "board" and display.shown("#c-top-empty"),
                     "the second campaign's board, nobody climbing yet")
        check(MEMBER[1] not in display.text("#c-top"), "nothing of the first campaign is left: %r" % display.text("#c-top"))
        display.shot("display-04-second-campaign")
        display.js("location.hash = arguments[0];", created["displayLink"].split("#", 1)[1])
        display.wait(lambda: climber_row(display, MEMBER[1]) == [2, 1], "the first campaign again, %s at height 2" % MEMBER[1])
        check(display.text("#d-title") == TITLE, "the first campaign's title again: %r" % display.text("#d-title"))
        step("display: in English (&lang=en in the link) each figure's unit agrees with it: 1 player, 21 players")
        first_fragment = created["displayLink"].split("#", 1)[1]
        display.js("location.hash = arguments[0];", first_fragment + "&lang=en")
        display.wait(lambda: display.js("return document.documentElement.lang;") == "en", "the screen in English")
        units = display.js("return ['c-today','c-participants','c-roster'].map(function(id){"
                           "var b=document.getElementById(id);return b.textContent+' '+b.nextElementSibling.textContent;});")
        check(units[0] == "1 player" and units[1] == "1 player" and units[2].endswith(" players"),
              "the units follow the figures: %s" % units)
        display.shot("display-05-english")
        display.js("location.hash = arguments[0];", first_fragment + "&lang=zh")
        display.wait(lambda: display.js("return document.documentElement.lang;") == "zh-CN", "the screen in Chinese again")

        step("display: a display link whose token was replaced explains itself")
        bad = created["displayLink"].split("&token=")[0] + "&token=" + "A" * 43
        display.d.get("about:blank")
        display.d.get(bad)
        display.wait(lambda: screen(display) == "error", "the error screen")
        check("无效" in display.text("#d-error"), "the screen says the link is invalid: %r" % display.text("#d-error"))
        display.shot("display-06-bad-link")
        failed = False
    finally:
        if failed:
            base.print_browser_logs(drivers)
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
    return base.suite_main("climb_test", "An answer-climbing campaign in real browsers: phone, big screen, console.",
                           "screenshots/climb", 240, run, "an answer-climbing campaign in Chromium (phone, big screen, console)")


if __name__ == "__main__":
    sys.exit(main())
