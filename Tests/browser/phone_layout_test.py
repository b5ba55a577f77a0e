#!/usr/bin/env python3
"""Dengao's member pages on a small phone in 大字 mode: every primary action fully visible without scrolling, and
every tap target at least 44 px.

Starts the real `dengao` server with its demo data (--demo) on a loopback port, then opens the member pages in
headless Chromium as a 360×640 phone with WeChat's in-app user agent and the large-text mode on, in every state a
member meets: me.html; the climb's mountain, a question, its feedback and the result; the contest's join form, a
必答 question, the 抢答 buzzer and the 风险 stake (the host driven over a real WebSocket). In each state the page's
primary action (the button the member needs next) must lie inside the 640 px viewport as first drawn — no scrolling —
and every visible button, link and picker must be at least 44 px tall (WCAG 2.5.5's target size). Screenshots of
each state are kept.

Run: python3 Tests/browser/phone_layout_test.py --dengao .build/debug/dengao [--screenshots DIR]
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import climb_test as climb  # noqa: E402 - a true/false campaign and its answer key from the database
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import results_test as results  # noqa: E402 - the API client and the contest socket
from console_test import Page, check, step  # noqa: E402
from contest_test import first_run_password  # noqa: E402

WIDTH, HEIGHT = 360, 640
TARGET = 44

# Whatever is shown and can be tapped, with its box; hidden ones (display none, zero size) are left out.
TARGETS_JS = """
return Array.from(document.querySelectorAll('button, a[href], select, [role=button]')).filter(function (n) {
  var r = n.getBoundingClientRect(); var s = getComputedStyle(n);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !n.closest('[hidden]') && !n.closest('.skip-link')
    && n.className.indexOf('skip-link') < 0;
}).map(function (n) { var r = n.getBoundingClientRect();
  return {what: n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.getAttribute('data-testid') ? '[' + n.getAttribute('data-testid') + ']' : '')
    + ' "' + (n.textContent || '').trim().slice(0, 12) + '"', height: r.height, width: r.width}; });
"""


def small_phone():
    """A 360×640 touch phone with WeChat's in-app user agent (the page itself is 360×640: no browser chrome)."""
    driver = base.new_browser()
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setUserAgentOverride", {"userAgent": base.PHONE_UA})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    return driver


def large_text(page):
    page.js("window.localStorage.setItem('dengao.largeText', '1');")


def check_state(page, name, primary):
    """`primary`: CSS of the action(s) the member needs next; each must be inside the viewport, unscrolled."""
    page.js("window.scrollTo(0, 0);")
    page.shot(name, full_page=False)
    check(page.js("return document.documentElement.classList.contains('large-text')"), "%s: 大字 mode is on" % name)
    boxes = page.js("return Array.from(document.querySelectorAll(arguments[0])).filter(function (n) {"
                    "  var r = n.getBoundingClientRect(); return r.width > 0 && r.height > 0; })"
                    ".map(function (n) { var r = n.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; });", primary)
    check(boxes, "%s: the primary action %s is shown" % (name, primary))
    for top, bottom, left, right in boxes:
        check(top >= 0 and bottom <= HEIGHT + 0.5 and left >= 0 and right <= WIDTH + 0.5,
              "%s: %s is at %.0f–%.0f px of a %d px screen, not wholly visible without scrolling" % (name, primary, top, bottom, HEIGHT))
    small = [t for t in page.js(TARGETS_JS) if t["height"] < TARGET - 0.5]
    check(not small, "%s: tap targets under %d px: %s" % (name, TARGET, "; ".join(
        "%s %.0f px" % (t["what"], t["height"]) for t in small[:6])))
    step("%s: %s fully visible at %s px, every tap target ≥ %d px" % (name, primary, ", ".join("%.0f–%.0f" % (b[0], b[1]) for b in boxes[:2]), TARGET))


def climb_three(phone, keys, right):
    """Answers the level's three true/false questions, each right or each wrong by the key, up to the result."""
    for number in (1, 2, 3):
        phone.wait(lambda: climb.phase(phone) == "question" and phone.text("[data-testid='stem']") != "", "question %d" % number)
        truth = keys.truth(phone.text("[data-testid='stem']"))
        phone.click("[data-testid='truth'][data-truth='%s']" % str(truth == right).lower())
        phone.wait_shown("[data-testid='next']")
        phone.click("[data-testid='next']")
    phone.wait(lambda: climb.view(phone) == "result", "the result")


def both_results(phone, admin, server):
    """Which result the demo climb ended on is chance; the passed one (with its celebration) is the taller, so
    both are reached on purpose: a level failed, then the same level passed."""
    step("a true/false campaign: a level failed, then passed — both results keep their actions on the screen")
    created = climb.create_campaign(admin)
    keys = climb.Keys(server.database)
    phone.go("/climb.html#campaign=%d" % created["campaign"]["id"])
    phone.wait_shown("[data-testid='start']")
    phone.click("[data-testid='start']")
    climb_three(phone, keys, right=False)
    check(phone.attr("[data-testid='result']", "data-status") == "failed", "the level failed")
    check_state(phone, "climb-result-failed", "[data-testid='continue'], [data-testid='back-to-mountain']")
    phone.click("[data-testid='continue']")
    climb_three(phone, keys, right=True)
    check(phone.attr("[data-testid='result']", "data-status") == "passed", "the level passed")
    check_state(phone, "climb-result-passed", "[data-testid='continue'], [data-testid='back-to-mountain']")


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-phone-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    drivers = []
    failed = True
    try:
        server.start()
        password = first_run_password(server)
        admin = results.Client(server.base)
        admin.sign_in(password)
        contest = next(c for c in admin.call("GET", "/api/contests")["contests"] if "演示" in c["title"])
        campaign = admin.call("GET", "/api/campaigns")["campaigns"][0]
        invitation = admin.call("POST", "/api/members/DG0001/invitations")["link"]
        step("server up at %s; a %d×%d phone, WeChat's user agent, 大字" % (server.base, WIDTH, HEIGHT))

        driver = small_phone()
        drivers.append(driver)
        phone = Page(driver, server.base, args.screenshots, "phone")
        phone.go("/me.html")
        large_text(phone)
        phone.d.get(invitation.replace("/invite#", "/invite.html#"))
        phone.wait(lambda: phone.path().startswith("/me.html") and len(phone.els("#campaign-list li")) > 0, "me.html with the campaigns")
        check_state(phone, "me", "#campaign-list li:first-child a")

        phone.go("/climb.html#campaign=%d" % campaign["id"])
        phone.wait_shown("[data-testid='start']")
        check_state(phone, "climb-mountain", "[data-testid='start']")
        phone.click("[data-testid='start']")
        phone.wait(lambda: phone.text("[data-testid='stem']") != "", "the first question")
        answers = "[data-testid='option'], [data-testid='truth'], [data-testid='submit'], [data-testid='fill-submit']"
        # What moves the member on: the 提交 of a multiple choice or a blank, else 正确/错误, else the first option.
        first_moves = ("[data-testid='submit'], [data-testid='truth'], .options:not(:has([data-testid='submit'])) > [data-testid='option']:first-child")
        check_state(phone, "climb-question", first_moves)
        # Answer until the level ends, checking each feedback's 下一题 and the result.
        for _ in range(12):
            phone.wait(lambda: phone.shown("[data-testid='next']") or phone.exists(answers), "a question or its feedback")
            if phone.shown("[data-testid='next']"):
                check_state(phone, "climb-feedback", "[data-testid='next']")
                phone.click("[data-testid='next']")
                phone.wait(lambda: not phone.shown("[data-testid='verdict']") or phone.shown("[data-testid='result']"), "the next screen")
                if phone.exists("[data-testid='result']") and phone.shown("[data-testid='result']"):
                    break
                continue
            if phone.exists("[data-testid='truth']"):
                phone.click("[data-testid='truth']")
            elif phone.exists("[data-testid='fill-input']"):
                phone.type("[data-testid='fill-input']", "答案")
                phone.click("[data-testid='submit']")
            else:
                phone.click("[data-testid='option']")
                if phone.shown("[data-testid='submit']"):
                    phone.click("[data-testid='submit']")
        phone.wait_shown("[data-testid='result']")
        check_state(phone, "climb-result", "[data-testid='continue'], [data-testid='back-to-mountain']")
        both_results(phone, admin, server)

        step("contest: a guest on the small phone joins; the host runs 必答, 抢答 and 风险 over a WebSocket")
        driver2 = small_phone()
        drivers.append(driver2)
        player = Page(driver2, server.base, args.screenshots, "player")
        player.go("/play.html?pin=" + contest["pin"])
        large_text(player)
        player.go("/play.html?pin=" + contest["pin"])
        player.wait_shown("#join-name")
        check_state(player, "play-join", "#join-submit")
        player.type("#join-name", "大字测试")
        player.choose("#join-branch", "第一党支部")
        player.click("#join-submit")
        player.wait(lambda: player.attr("#screen", "data-phase") == "lobby", "the lobby")
        host = results.Socket(server.base, admin.session_cookie())
        host.send({"type": "host", "contestId": contest["id"]})
        host.next("welcome")
        questions = admin.call("GET", "/api/contests/%d" % contest["id"]).get("contest", {}).get("questionCount", 8)
        seen = set()
        for number in range(1, questions + 1):
            host.send({"type": "command", "command": "next"})
            state = host.next("state", lambda m, n=number: (m.get("question") or {}).get("number") == n)
            kind = state["question"]["kind"]
            if kind == "risk" and "risk" not in seen:
                player.wait_shown("[data-testid='wager']")
                check_state(player, "play-wager", "[data-testid='wager']")
                seen.add("risk")
                break
            if kind == "buzz" and "buzz" not in seen:
                player.wait_shown("[data-testid='buzz']")
                check_state(player, "play-buzz", "[data-testid='buzz']")
                seen.add("buzz")
            elif kind == "everyone" and "everyone" not in seen:
                player.wait(lambda: player.exists("[data-testid='option']") or player.exists("[data-testid='truth']")
                            or player.exists("[data-testid='fill-input']"), "a 必答 question")
                check_state(player, "play-question", "[data-testid='submit'], [data-testid='truth'], .options:not(:has([data-testid='submit'])) > [data-testid='option']:first-child")
                seen.add("everyone")
            host.send({"type": "command", "command": "close"})
            host.next("state", lambda m: m.get("phase") == "closed")
            host.send({"type": "command", "command": "reveal"})
            host.next("state", lambda m: m.get("phase") == "revealed")
        check(seen == {"everyone", "buzz", "risk"}, "the 必答, 抢答 and 风险 screens were all checked: %s" % sorted(seen))
        host.close()
        failed = False
    finally:
        base.clean_up(drivers, server, failed, workdir, keep=False)


def main():
    return base.suite_main("phone_layout_test", "Member pages on a 360×640 phone in 大字 mode.", "screenshots/phone", 600,
                           run, "member pages on a 360×640 phone in 大字 mode")


if __name__ == "__main__":
    sys.exit(main())
