#!/usr/bin/env python3
"""A needs survey (需求调研) in real browsers: built in the console, answered on a phone, read back in the console.

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory. In
two headless Chromium browsers of their own:

  the console (1366×900) signs in as the administrator, opens 调研 from the top bar, starts from the training-needs
  template, refuses a question with one option (the server's located message shows), then publishes the survey
  for 机关党委 → the phone (390×844) opens 王建国's invitation link, finds the survey on me.html, answers it in large
  text: a single choice, a ranking of three topics tapped in order (one tapped twice to take it back), two learning
  ways, a rating of 4 and a comment; a rating left out is refused naming the question; the survey submits once, and
  opening it again says it was answered → the console's results show 1 response, the reach per unit, the choice's
  bar, the ranking in the member's order, the mean rating 4.00 and the comment; the CSV download names 王建国 (the
  survey is not anonymous). Then member categories (分层分类): a survey sent to 离退休党员 counts the 15 retired
  members and is not sent to 王建国 (机关党员), and a contest for 离退休党员 refuses him on the join screen; a
  离退休党员's phone opens in 大字 without choosing (their category's default), their own choice wins, and the
  console's 默认大字 tick turns the default off.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/survey_test.py --dengao .build/debug/dengao --screenshots screenshots/survey

Exit code 0 when everything passed, 1 with the failing step and its reason, 2 for a setup problem.
"""
import os
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import contest_test as contest  # noqa: E402 - the API client and the first-run password
from console_test import Page, check, step  # noqa: E402

MEMBER = ("DG0001", "王建国")
TITLE = "党员教育培训需求调研问卷"


def build_survey(console, password):
    step("console: sign in, open 调研 from the top bar, start from the training-needs template")
    console.go("/login.html")
    base.sign_in(console, "admin", password)
    console.click("a[data-nav='surveys']")
    console.wait(lambda: console.path().startswith("/surveys.html"), "the surveys page")
    console.wait_shown("#no-surveys", "the empty list's note")
    console.wait(lambda: len(console.els("#builder-owner option")) > 1, "the units to choose from")
    console.click("#use-template")
    console.wait(lambda: len(console.els("#builder-questions > li")) == 6, "the template's six questions")
    check(console.js("return document.getElementById('builder-title').value") == TITLE, "the template's title")
    console.check_page_health("surveys-template")
    console.shot("console-01-template")

    step("console: a question with one option is refused, named by its number; removing it publishes")
    console.click("#add-question")
    console.wait(lambda: len(console.els("#builder-questions > li")) == 7, "a seventh question")
    console.type("#builder-questions > li[data-index='6'] input[data-field='prompt']", "只有一个选项的题")
    console.type("#builder-questions > li[data-index='6'] textarea[data-field='options']", "唯一选项")
    console.choose("#builder-owner", "机关党委")
    console.click("#create-survey")
    console.wait(lambda: "第7题" in console.text("#builder-status"), "the refusal naming question 7")
    check("选项数须为 2–20" in console.text("#builder-status"), "it says why: %r" % console.text("#builder-status"))
    console.click("#builder-questions > li[data-index='6'] .btn-small")
    console.wait(lambda: len(console.els("#builder-questions > li")) == 6, "back to six questions")
    console.click("#create-survey")
    console.wait(lambda: "已发布" in console.text("#builder-status"), "the survey published")
    console.wait_shown("[data-testid='survey-results']", "its results panel")
    check("0 份答卷" in console.text("#results-summary"), "no responses yet: %r" % console.text("#results-summary"))
    rows = console.els("#survey-rows tr[data-survey]")
    check(len(rows) == 1, "one survey listed")
    return int(rows[0].get_attribute("data-survey"))


def answer_on_phone(phone, survey_id, link):
    number, name = MEMBER
    step("phone: the invitation link signs %s in; me.html lists the survey" % name)
    phone.d.get(link)
    phone.wait(lambda: phone.path().startswith("/me.html"), "me.html after the invitation link")
    phone.wait_text("#member-name", name)
    selector = "[data-testid='me-campaigns'] a[data-survey='%d']" % survey_id
    phone.wait_shown(selector, "the survey on me.html")
    phone.click("#large-text")
    phone.click(selector)
    phone.wait(lambda: phone.js("return document.body.getAttribute('data-state')") == "survey", "the survey form")
    check(phone.text("#survey-title") == TITLE, "the title: %r" % phone.text("#survey-title"))
    check(len(phone.els(".survey-question")) == 6, "six questions")
    phone.check_page_health("survey-form")
    phone.shot("phone-01-survey", full_page=False)

    step("phone: answers picked; a rating left out is refused naming question 4, and nothing is stored")
    phone.click(".survey-question[data-index='0'] input[value='1']")  # 机关党员
    topics = ".survey-question[data-index='1'] .rank-topic[data-topic='%d']"
    for topic in (4, 0, 2):  # 乡村振兴与产业技能, 党的创新理论, 党史学习 … then 2 is taken back and 1 chosen
        phone.click(topics % topic)
    phone.click(topics % 2)
    phone.click(topics % 1)
    check(phone.text(topics % 4 + " .rank-number") == "1", "the first topic tapped is ranked 1")
    check(phone.text(topics % 1 + " .rank-number") == "3", "党章党规党纪 ranked 3 after 党史学习 was taken back")
    phone.click(".survey-question[data-index='2'] input[value='1']")  # 线上答题
    phone.click(".survey-question[data-index='2'] input[value='4']")  # 送学上门
    phone.click(".survey-question[data-index='4'] input[value='0']")
    phone.type(".survey-question[data-index='5'] textarea", "希望多组织送学上门")
    phone.click("#survey-submit")
    phone.wait(lambda: "第4题" in phone.text("#survey-error"), "the refusal naming question 4")
    check("必答" in phone.text("#survey-error"), "it says the answer is required: %r" % phone.text("#survey-error"))
    # The message sits at the foot of a long form: the question it names must be numbered, marked, and brought
    # into view with the focus in it, or a member in 大字 mode cannot find "第4题".
    rating = ".survey-question[data-index='3']"
    check(phone.text(rating + " legend").startswith("4. "), "question 4 carries its number: %r" % phone.text(rating + " legend"))
    check("is-missing" in phone.attr(rating, "class"), "question 4 is marked as missing an answer")
    check(phone.shown(rating + " .q-missing") and "必答" in phone.text(rating + " .q-missing"),
          "question 4 says 此题必答 under itself")
    check(phone.attr(rating + " fieldset", "aria-describedby") == "q3-missing", "the note describes the question's group")
    check(phone.js("return !!document.activeElement.closest(arguments[0])", rating), "the focus is in question 4")
    top, bottom, height = phone.js("var r = document.querySelector(arguments[0]).getBoundingClientRect();"
                                   "return [r.top, r.bottom, window.innerHeight];", rating + " legend")
    check(0 <= top and bottom <= height, "question 4's title is on screen (%.0f–%.0f of %d px)" % (top, bottom, height))
    check(len(phone.els(".survey-question.is-missing")) == 1, "only the unanswered required question is marked")
    phone.shot("phone-02-refused", full_page=False)

    step("phone: with the rating the mark goes; the survey submits once; opening it again says it was answered")
    phone.click(".survey-question[data-index='3'] input[value='4']")
    check("is-missing" not in phone.attr(rating, "class") and not phone.shown(rating + " .q-missing"),
          "answering question 4 takes its mark away")
    phone.click("#survey-submit")
    phone.wait(lambda: phone.js("return document.body.getAttribute('data-state')") == "done", "the thank-you view")
    check("感谢" in phone.text("#done-title"), "thanks: %r" % phone.text("#done-title"))
    phone.shot("phone-03-done", full_page=False)
    phone.d.refresh()
    phone.wait(lambda: phone.js("return document.body.getAttribute('data-state')") == "done", "the answered view")
    check("已提交过" in phone.text("#done-title"), "already answered: %r" % phone.text("#done-title"))
    phone.go("/me.html")
    phone.wait_text("#member-name", name)
    check(not phone.exists("a[data-survey='%d']" % survey_id), "me.html no longer offers the answered survey")


def read_results(console, survey_id, base_url):
    step("console: the results show the response, the reach per unit, the bars, the ranking, the mean and the comment")
    console.click("#survey-rows tr[data-survey='%d'] [data-action='results']" % survey_id)
    console.wait(lambda: "1 份答卷" in console.text("#results-summary"), "one response in the summary")
    reach = console.els("#reach-rows tr")
    check(len(reach) > 3, "a row per unit of 机关党委's subtree: %d" % len(reach))
    first = console.text("#reach-rows tr:first-child")
    check("机关党委" in first and "1" in first, "the owner's row counts the response: %r" % first)
    figures = console.els("#question-results .question-result")
    check(len(figures) == 6, "a figure per question")
    ranking = console.els("#question-results .question-result[data-kind='ranking'] .row .label")
    labels = [label.text for label in ranking]
    check(labels[:3] == ["乡村振兴与产业技能", "党的创新理论", "党章党规党纪"], "topics by points: %r" % labels[:3])
    check("平均 4.00 分" in console.text("#question-results .question-result[data-kind='rating']"),
          "the mean rating: %r" % console.text("#question-results .question-result[data-kind='rating']"))
    check("希望多组织送学上门" in console.text("#question-results .question-result[data-kind='text']"), "the comment")
    console.check_page_health("survey-results")
    console.shot("console-02-results")
    href = console.attr("#export-csv", "href")
    cookies = "; ".join("%s=%s" % (c["name"], c["value"]) for c in console.d.get_cookies())
    request = urllib.request.Request(href if href.startswith("http") else base_url + href, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        csv = response.read().decode("utf-8-sig")
    check(MEMBER[0] in csv and MEMBER[1] in csv, "the CSV names who answered (not anonymous)")
    check("乡村振兴与产业技能 > 党的创新理论 > 党章党规党纪" in csv, "the ranking as the member gave it")


def seed_ladder(console, survey_id):
    step("console: a new campaign's levels seeded from the survey's ranking — 党章党规党纪 finds the bank's 党章; "
         "the topics no bank covers are named")
    console.go("/campaigns.html")
    console.wait(lambda: console.exists("#seed-survey option[value='%d']" % survey_id), "the survey offered for seeding")
    console.wait(lambda: len(console.els("#campaign-banks input")) > 0, "the banks to choose from")
    console.click("#campaign-banks input[value='党章党规党纪']")
    console.js("document.getElementById('seed-weak').checked = false;")
    console.js("var s = document.getElementById('seed-survey'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
               str(survey_id))
    console.click("#ladder-seed")
    console.wait(lambda: "党章" in console.text("#seed-status"), "the seeded categories named")
    status = console.text("#seed-status")
    check("乡村振兴与产业技能" in status and "党的创新理论" in status, "the unmatched topics named: %r" % status)
    first = console.js("return document.querySelector('#level-list li[data-level=\"1\"] [name=\"categories\"]').value")
    check(first == "党章", "level 1 draws from 党章: %r" % first)
    console.check_page_health("campaign-seeded")
    console.shot("console-03-seeded")


def survey_for_a_category(console, phone):
    step("console: a survey sent to 离退休党员 (分层分类) — its reach counts the 15 retired members; 王建国 does not see it")
    console.go("/surveys.html")
    console.wait(lambda: console.exists("#builder-member-categories [data-category-choice='离退休党员']"),
                 "the member categories offered by the builder")
    console.type("#builder-title", "离退休党员学习需求")
    console.click("#add-question")
    console.wait(lambda: len(console.els("#builder-questions > li")) == 1, "one question")
    console.type("#builder-questions > li[data-index='0'] input[data-field='prompt']", "希望的学习方式")
    console.type("#builder-questions > li[data-index='0'] textarea[data-field='options']", "送学上门\n集中学习")
    console.click("#builder-member-categories [data-category-choice='离退休党员']")
    console.click("#create-survey")
    console.wait(lambda: "已发布" in console.text("#builder-status"), "the targeted survey published")
    console.wait(lambda: "面向：离退休党员" in console.text("#survey-rows"), "the list naming its category")
    console.wait(lambda: "离退休党员学习需求" in console.text("#results-title"), "its results")
    results_roster = console.js("var x=new XMLHttpRequest();x.open('GET','/api/surveys',false);x.send();"
                                "var s=JSON.parse(x.responseText).surveys.filter(function (s) {"
                                " return s.settings.title==='离退休党员学习需求'; })[0];"
                                "x=new XMLHttpRequest();x.open('GET','/api/surveys/'+s.id+'/results',false);x.send();"
                                "return [s.id, JSON.parse(x.responseText).roster];")
    check(results_roster[1] == 15, "its roster is the 15 retired members: %r" % results_roster)
    mine = phone.js("var x=new XMLHttpRequest();x.open('GET','/api/my/surveys',false);x.send();"
                    "return JSON.parse(x.responseText).surveys.map(function (s) { return s.id; });")
    check(results_roster[0] not in mine, "王建国 (机关党员) is not sent it: %r" % mine)
    console.shot("console-04-for-a-category")


def contest_for_another_category(api, phone):
    step("phone: a contest for 离退休党员 refuses 王建国 (机关党员) on the join screen, in Chinese, and seats nobody")
    retired = next(c["id"] for c in api.call("GET", "/api/member-categories")["categories"] if c["name"] == "离退休党员")
    created = api.call("POST", "/api/contests", {"settings": {
        "title": "离退休党员竞赛", "membersOnly": True, "memberCategoryIds": [retired],
        "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 3}}]}})
    phone.go("/play.html?pin=%s" % created["contest"]["pin"])
    phone.wait_shown("#join-submit", "the member's join button")
    phone.click("#join-submit")
    phone.wait(lambda: "仅限指定类别的党员" in phone.text("#join-error"), "the refusal on the join screen")
    check(phone.js("return document.body.getAttribute('data-state')") == "join", "still on the join screen")
    report = api.call("GET", "/api/contests/%d/report" % created["contest"]["id"])
    check(report["participation"]["total"] == {**report["participation"]["total"], "roster": 15, "participants": 0},
          "nobody seated; the roster is the 15 retired members: %r" % report["participation"]["total"])
    phone.shot("phone-04-not-in-categories", full_page=False)


def retired_member_default(console, phone, api):
    step("phone: a 离退休党员 (DG0022) opens me.html in 大字 without choosing; their own choice wins; "
         "the console turns the category's default off")
    phone.js("window.localStorage.removeItem('dengao.largeText');")
    retired = api.call("POST", "/api/members/DG0022/invitations")
    phone.d.get(retired["link"])
    phone.wait(lambda: phone.path().startswith("/me.html"), "me.html after DG0022's invitation link")
    phone.wait_text("#member-name", "宋德明")
    size = "return document.documentElement.getAttribute('data-text-size')"
    large = "return document.documentElement.classList.contains('large-text')"
    phone.wait(lambda: phone.js(size) == "category", "the size settled by the member's category")
    check(phone.js(large), "大字 on for a 离退休党员 who never chose")
    check(phone.js("return window.localStorage.getItem('dengao.largeText')") is None, "the default is not stored as a choice")
    check(phone.js("return document.getElementById('large-text').getAttribute('aria-pressed')") == "true",
          "the 大字 button shows it on")
    phone.shot("phone-05-retired-large-text", full_page=False)
    phone.click("#large-text")
    check(not phone.js(large), "one press turns it off")
    phone.d.refresh()
    phone.wait_text("#member-name", "宋德明")
    phone.wait(lambda: phone.js(size) == "chosen", "the member's own choice")
    check(not phone.js(large), "the member's choice (usual size) wins over the category's default after a reload")

    console.go("/roster.html")
    box = "li[data-category='离退休党员'] input[data-large-text]"
    console.wait_shown(box, "离退休党员's 默认大字 tick")
    check(console.js("return document.querySelector(\"%s\").checked" % box), "ticked from the start")
    check(console.exists("#category-large-text"), "the new-category form offers 默认大字")
    console.click(box)
    console.wait(lambda: "默认常规字号" in console.text("#category-status"), "the change confirmed")
    flags = {c["name"]: c["largeText"] for c in api.call("GET", "/api/member-categories")["categories"]}
    check(flags["离退休党员"] is False, "stored: %r" % flags)
    console.shot("console-05-category-large-text")
    phone.js("window.localStorage.removeItem('dengao.largeText');")
    phone.d.refresh()
    phone.wait_text("#member-name", "宋德明")
    phone.wait(lambda: phone.js(size) == "usual", "the size settled again")
    check(not phone.js(large), "without the category's default the page opens at the usual size")


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-survey-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"])
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
        invitation = api.call("POST", "/api/members/%s/invitations" % MEMBER[0])

        makers = [("console", base.new_browser), ("phone", lambda: base.new_browser(phone=True))]
        drivers.update(base.start_browsers(makers))
        browsers.extend(drivers.values())
        check(len(drivers) == 2, "two browsers started")
        console, phone = (Page(drivers[label], server.base, args.screenshots, label) for label, _ in makers)

        survey_id = build_survey(console, password)
        answer_on_phone(phone, survey_id, invitation["link"])
        read_results(console, survey_id, server.base)
        seed_ladder(console, survey_id)
        survey_for_a_category(console, phone)
        contest_for_another_category(api, phone)
        retired_member_default(console, phone, api)
        failed = False
    finally:
        if failed:
            base.print_browser_logs(drivers)
        base.clean_up(browsers, server, failed, workdir, keep=args.keep)


def main():
    return base.suite_main("survey_test", "A needs survey in real browsers: console and phone.",
                           "screenshots/survey", 180, run, "a needs survey built, answered and read in Chromium")


if __name__ == "__main__":
    sys.exit(main())
