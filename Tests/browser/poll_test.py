#!/usr/bin/env python3
"""A 投票 round in real browsers: made in the console's contest form, voted on a phone, shown on the big screen.

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory. In
three headless Chromium browsers of their own:

  the console (1366×900) signs in as the administrator, makes a contest through the form whose only round is a
  投票 round: the bank, draw and points fields are hidden for it; a question with one option is refused before
  anything is sent, naming the round and question; two questions (one 多选) are created → host.html hosts it →
  display.html opens with the form's display link at 1920×1080 → a phone joins as a guest → question 1: the phone
  says it is a poll with no right answer and no score, votes → the host reveals: the phone thanks the voter and
  shows every option's count and share with its own pick, no ✓ or ✗; the big screen shows 投票结果 · 共 1 人 and
  the bars with no option marked as the answer; the host page shows the number who voted → question 2 (多选) takes
  two picks → finish: the phone's score is still 0 → the results page lists both polls apart, with the 投票 sheet.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/poll_test.py --dengao .build/debug/dengao --screenshots screenshots/poll

Exit code 0 when everything passed, 1 with the failing step and its reason, 2 for a setup problem.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import contest_test as contest  # noqa: E402 - the API client, the first-run password, the page states
from console_test import Page, check, step  # noqa: E402

TITLE = "七一主题党日现场投票"
VOTER = ("王小明", "第一党支部")
POLL = "你最想学哪方面内容？ | 党史 | 党章党规 | 时事政策\n多选：哪些学习方式适合你？ | 集中培训 | 线上答题 | 送学上门"


def make_poll_contest(console, password):
    step("console: the contest form makes a 投票 round; its draw and score fields are hidden")
    console.go("/login.html")
    base.sign_in(console, "admin", password)
    console.go("/contests.html")
    console.wait_shown("#contest-title", "the contest form")
    console.type("#contest-title", TITLE)
    round_item = console.els("#round-list > li")[0]
    console.js("var s = arguments[0].querySelector('[name=kind]'); s.value = 'poll';"
               "s.dispatchEvent(new Event('change', {bubbles: true}));", round_item)
    check(console.js("return arguments[0].querySelector('fieldset.round').getAttribute('data-kind')", round_item) == "poll",
          "the round is a poll")
    for name in ["count", "points", "categories"]:
        shown = console.js("var n = arguments[0].querySelector('[name=%s]'); return !!(n && n.offsetParent);" % name, round_item)
        check(not shown, "the %s field is hidden for a poll" % name)
    textarea = round_item.find_element("css selector", "[data-testid='poll-questions']")
    check(textarea.is_displayed(), "the poll questions box is shown")
    check("多选" in textarea.get_attribute("placeholder"), "the placeholder shows the format: %r" % textarea.get_attribute("placeholder"))

    step("console: a poll question with one option is refused before sending, named by round and question")
    textarea.send_keys("只有一个选项？ | 唯一")
    console.click("#contest-submit")
    console.wait(lambda: "第 1 轮第1题" in console.text("#contest-form-status"), "the refusal naming the question")
    console.shot("console-01-refused")

    step("console: two poll questions (the second 多选) make the contest; its display link is shown")
    textarea.clear()
    console.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
               textarea, POLL)
    console.click("#contest-submit")
    console.wait_text("#contest-form-status", "已创建")
    console.wait_shown("[data-testid='display-link']")
    link = console.attr("[data-testid='display-link']", "value")
    console.shot("console-02-created")
    return link


def play(console, display, phone, api, link):
    contests = api.call("GET", "/api/contests")["contests"]
    made = [c for c in contests if c["title"] == TITLE]
    check(len(made) == 1 and made[0]["questionCount"] == 2, "one contest with 2 poll questions: %s" % made)
    contest_id, pin = made[0]["id"], made[0]["pin"]
    check(made[0]["settings"]["rounds"][0]["poll"][1]["multiple"] is True, "the second question allows several picks")

    contest.open_host(console, contest_id)
    step("display and phone: the big screen opens with the form's link; %s joins" % VOTER[0])
    display.d.get(link)
    display.wait(lambda: contest.screen(display) == "lobby", "the lobby screen")
    phone.go("/play.html?pin=" + pin)
    phone.wait(lambda: contest.body_state(phone) == "join", "the join form")
    phone.type("#join-name", VOTER[0])
    phone.choose("#join-branch", VOTER[1])
    phone.click("#join-submit")
    phone.wait(lambda: contest.body_state(phone) == "game" and contest.phase(phone) == "lobby", "the waiting screen")

    step("question 1: the phone says it is a poll, not scored; the voter picks 时事政策")
    console.click("[data-command='next']")
    phone.wait(lambda: contest.phase(phone) == "open", "the poll on the phone")
    check("没有标准答案" in phone.text("[data-testid='poll-label']"), "the poll label: %r" % phone.text("[data-testid='poll-label']"))
    display.wait(lambda: contest.screen(display) == "question" and "不计分" in display.text("#d-q-meta"),
                 "the big screen says the poll is not scored")
    check("不计分" in console.text("#host-q-meta"), "the host page says it is not scored: %r" % console.text("#host-q-meta"))
    pick(phone, ["时事政策"])
    contest.wait_received(phone)
    contest.shoot([console, display, phone], "1-voting")

    step("host: reveal — thanks and the room's shares on the phone, 投票结果 on the big screen, no answer marked")
    console.click("[data-command='reveal']")
    phone.wait(lambda: phone.attr("[data-testid='result']", "data-correctness") == "poll", "the thanks on the phone")
    phone.wait(lambda: poll_counts(phone) == {"党史": 0, "党章党规": 0, "时事政策": 1},
               "the phone to show the counts (now %s)" % poll_counts(phone))
    mine = phone.js("return Array.from(document.querySelectorAll(\"[data-testid='poll-option'].is-mine\"))"
                    ".map(function(n){return n.textContent;});")
    check(len(mine) == 1 and "时事政策" in mine[0] and "100%" in mine[0] and "您的选择" in mine[0],
          "the voter's own pick marked with its share: %s" % mine)
    check(not phone.els("[data-testid='revealed-option']"), "no ✓/✗ options on a poll")
    display.wait(lambda: contest.screen(display) == "reveal", "the reveal screen")
    display.wait(lambda: display.text("#d-r-meta") == "投票结果 · 共 1 人", "投票结果 on the big screen")
    bars = display.els("#d-bars li")
    check(sum(int(b.get_attribute("data-count")) for b in bars) == 1, "the bars count one vote")
    check(not display.els("#d-bars li[data-key='true']"), "no bar is marked as the answer")
    check(any("100%" in b.text for b in bars), "the bar shows its share: %s" % [b.text for b in bars])
    console.wait(lambda: "共 1 人参与" in console.text("#host-q-key"), "the host page shows how many voted")
    contest.shoot([console, display, phone], "2-revealed")

    step("question 2 (多选): two picks are one vote; finish: the score is still 0")
    console.click("[data-command='next']")
    phone.wait(lambda: contest.phase(phone) == "open" and "学习方式" in phone.text("[data-testid='stem']"), "question 2")
    pick(phone, ["线上答题", "送学上门"])
    phone.click("[data-testid='submit']")
    contest.wait_received(phone)
    console.click("[data-command='reveal']")
    phone.wait(lambda: phone.attr("[data-testid='result']", "data-correctness") == "poll", "the thanks on the phone")
    phone.wait(lambda: poll_counts(phone) == {"集中培训": 0, "线上答题": 1, "送学上门": 1},
               "both picks counted (now %s)" % poll_counts(phone))
    console.click("[data-command='finish']")
    console.accept_confirm()
    phone.wait(lambda: contest.phase(phone) == "finished", "the finished screen")
    phone.wait(lambda: phone.exists("[data-testid='final-rank']"), "the final rank")
    final = phone.text("[data-testid='final-rank']")
    check("0 分" in final, "a poll scores nothing: %r" % final)
    contest.shoot([console, display, phone], "3-finished")

    step("console: the results page lists both polls apart from the scores, with the 投票 sheet to download")
    console.go("/results.html?contest=%d" % contest_id)
    console.wait_shown("[data-testid='polls']", "the poll results panel")
    console.wait(lambda: len(console.els("#polls .poll-result")) == 2, "two poll results")
    check("共 1 人投票" in console.text("#polls .poll-result[data-poll='1']"), "the voters: %r" % console.text("#polls"))
    check(console.exists("[data-download='csv'][data-sheet='polls']"), "the 投票 sheet's CSV link")
    console.check_page_health("results-polls")
    console.shot("console-03-results")


def poll_counts(phone):
    """{option: count} of the poll's result on the phone, read at once (the page re-renders as frames arrive)."""
    pairs = phone.js("return Array.from(document.querySelectorAll(\"[data-testid='poll-option']\")).map(function(n){"
                     "return [n.querySelector('.option-text').textContent, Number(n.getAttribute('data-count'))];});")
    return {text: count for text, count in pairs or []}


def pick(phone, texts):
    """Taps each option by its text, finding it afresh each time: a tap re-renders the list."""
    for text in texts:
        phone.js("var t = arguments[0]; Array.from(document.querySelectorAll(\"[data-testid='option']\")).forEach("
                 "function(b){ if (b.querySelector('.option-text').textContent.trim() === t) b.click(); });", text)
        phone.wait(lambda text=text: phone.js(
            "var t = arguments[0]; return Array.from(document.querySelectorAll(\"[data-testid='option']\")).some("
            "function(b){ return b.querySelector('.option-text').textContent.trim() === t && "
            "(b.getAttribute('aria-pressed') === 'true' || b.classList.contains('is-selected') || b.disabled); });", text)
            or phone.attr("[data-testid='answer-status']", "data-ack") in ("pending", "accepted"), "%s picked" % text)


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-poll-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    browsers = []
    drivers = {}
    failed = True
    try:
        base.check_dictionaries()
        server.start()
        password = contest.first_run_password(server)
        step("server up at %s with the demo data" % server.base)
        api = contest.Api(server.base)
        api.sign_in(password)

        makers = [("console", base.new_browser), ("display", contest.display_browser),
                  ("phone", lambda: base.new_browser(phone=True))]
        drivers.update(base.start_browsers(makers))
        browsers.extend(drivers.values())
        check(len(drivers) == 3, "three browsers started")
        console, display, phone = (Page(drivers[label], server.base, args.screenshots, label) for label, _ in makers)

        link = make_poll_contest(console, password)
        play(console, display, phone, api, link)
        failed = False
    finally:
        if failed:
            base.print_browser_logs(drivers)
        base.clean_up(browsers, server, failed, workdir, keep=args.keep)


def main():
    return base.suite_main("poll_test", "A 投票 round in real browsers: console, big screen and phone.",
                           "screenshots/poll", 180, run, "a poll round made, voted and shown in Chromium")


if __name__ == "__main__":
    sys.exit(main())
