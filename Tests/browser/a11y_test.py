#!/usr/bin/env python3
"""Dengao's pages checked by axe-core in a real browser: no serious or critical accessibility violation.

Starts the real `dengao` server with its demo data (--demo) on a loopback port with a temporary data directory,
then opens every main page in headless Chromium as the people who use it — the console as the administrator (a
1440×900 desktop), the member pages and the contest's phone page on a phone, the big screens with their display
links, the login and invitation pages signed out — waits for each to draw its data, runs axe-core (the copy
bundled in PyPI's axe-playwright-python; axe runs inside the page, so any driver can inject it) and fails on any
violation of impact serious or critical, listing each rule, its nodes and axe's help link. Minor and moderate
findings are printed, not failed. Screenshots of each page are kept.

Run: python3 Tests/browser/a11y_test.py --dengao .build/debug/dengao [--screenshots DIR]
Needs: chromium, chromium-driver, selenium, and `pip install --no-deps axe-playwright-python==0.1.8`.
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
import results_test as results  # noqa: E402 - the API client
from console_test import Failure, Page, check, step  # noqa: E402
from contest_test import first_run_password  # noqa: E402

FAILING = ("serious", "critical")


def axe_source():
    try:
        import axe_playwright_python
    except ImportError:
        raise Failure("axe-core is missing: pip install --no-deps axe-playwright-python==0.1.8")
    path = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def audit(page, name, ready, source, findings):
    """Waits for `ready`, runs axe on the whole page, and records its violations under `name`."""
    page.wait(ready, "%s to draw its data" % name)
    page.shot(name)
    page.d.execute_script(source)
    page.d.set_script_timeout(60)
    result = page.d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
        "  done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        "    nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; }));"
        "}).catch(function (e) { done({error: String(e)}); });")
    page.d.set_script_timeout(15)
    if isinstance(result, dict):
        raise Failure("%s: axe failed: %s" % (name, result.get("error")))
    failing = [v for v in result if v["impact"] in FAILING]
    for violation in result:
        print("  %-8s %-9s %s — %s (%d: %s)" % (name, violation["impact"], violation["id"], violation["help"],
                                               len(violation["nodes"]), ", ".join(violation["nodes"][:4])))
    findings.append((name, failing))
    step("%s: %d violations, %d serious or critical" % (name, len(result), len(failing)))


def check_groups(page, name):
    """Every group of checkboxes (banks, question types) is a fieldset with a legend that names it."""
    loose = page.js("return Array.from(document.querySelectorAll('input[type=checkbox][name=bank], input[type=checkbox][name=type]'))"
                    ".filter(function (box) { var group = box.closest('fieldset');"
                    "  var legend = group && group.querySelector(':scope > legend');"
                    "  return !legend || !legend.textContent.trim() || group.classList.contains('round'); }).length;")
    boxes = len(page.els("input[type=checkbox][name=bank], input[type=checkbox][name=type]"))
    check(boxes > 0 and loose == 0, "%s: %d of %d bank/type checkboxes are outside a named fieldset" % (name, loose, boxes))
    step("%s: its %d bank and type checkboxes sit in named fieldsets" % (name, boxes))


def run(args):
    workdir = tempfile.mkdtemp(prefix="dengao-a11y-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    drivers = []
    failed = True
    findings = []
    try:
        server.start()
        source = axe_source()
        password = first_run_password(server)
        admin = results.Client(server.base)
        admin.sign_in(password)
        contest = next(c for c in admin.call("GET", "/api/contests")["contests"] if "演示" in c["title"])
        campaign = admin.call("GET", "/api/campaigns")["campaigns"][0]
        step("server up at %s; demo contest %d, demo campaign %d" % (server.base, contest["id"], campaign["id"]))
        contest_display = admin.call("POST", "/api/contests/%d/display-link" % contest["id"])["displayLink"]
        campaign_display = admin.call("POST", "/api/campaigns/%d/display-link" % campaign["id"])["displayLink"]
        invitation = admin.call("POST", "/api/members/DG0001/invitations")["link"]
        template = next(t for t in admin.call("GET", "/api/survey-templates")["templates"] if t["name"] == "training-needs")
        survey = admin.call("POST", "/api/surveys", {"settings": template["settings"]})["survey"]

        desk = base.new_browser()
        drivers.append(desk)
        desk.set_window_size(1440, 900)
        page = Page(desk, server.base, args.screenshots, "console")
        page.go("/login.html")
        audit(page, "login", lambda: page.shown("#login-username"), source, findings)
        base.sign_in(page, "admin", password, landing="/")
        idle = lambda: page.attr("#main", "aria-busy") == "false"
        console = [
            ("org", "/", lambda: page.attr("#unit-tree", "aria-busy") == "false"),
            ("roster", "/roster.html", lambda: len(page.els("#member-table tbody tr")) > 0),
            ("banks", "/banks.html", lambda: page.attr("#bank-list", "aria-busy") == "false" and len(page.els("#bank-list li")) > 0),
            ("contests", "/contests.html", lambda: len(page.els("[data-testid='contest-table'] tbody tr")) > 0),
            ("campaigns", "/campaigns.html", lambda: page.attr("#campaign-rows", "aria-busy") != "true" and len(page.els("#campaign-rows tr")) > 0),
            ("accounts", "/accounts.html", lambda: page.attr("#account-rows", "aria-busy") != "true" and len(page.els("#account-rows tr")) > 0),
            ("reports", "/reports.html", lambda: page.exists("#overall .figure")),
            ("results", "/results.html?contest=%d" % contest["id"], lambda: page.exists("#headline .figure")),
            ("bulletin", "/bulletin.html?campaign=%d" % campaign["id"], idle),
            ("host", "/host.html?contest=%d" % contest["id"], lambda: page.text("#host-phase") != ""),
            ("surveys", "/surveys.html", lambda: len(page.els("#survey-rows tr")) > 0 and len(page.els("#builder-owner option")) > 1),
        ]
        for name, path, ready in console:
            page.go(path)
            audit(page, name, ready, source, findings)
            if name in ("contests", "campaigns"):
                check_groups(page, name)
        # States a page reaches only when used: a survey's results and the builder holding the template; the member
        # dialog (its record, invitations, unit history).
        page.go("/surveys.html")
        page.wait(lambda: len(page.els("#survey-rows [data-action='results']")) > 0, "the survey listed")
        page.click("#survey-rows [data-action='results']")
        page.click("#use-template")
        audit(page, "survey-results", lambda: page.shown("[data-testid='survey-results']") and len(page.els("#question-results .question-result")) == 6
              and len(page.els("#builder-questions > li")) == 6, source, findings)
        page.go("/roster.html")
        page.wait(lambda: len(page.els("#member-rows [data-invite='DG0001']")) > 0, "DG0001 in the roster")
        page.click("#member-rows [data-invite='DG0001']")
        page.wait_shown("#member-dialog")
        audit(page, "roster-dialog", lambda: len(page.els("#member-record li")) > 0, source, findings)

        screen = base.new_browser()
        drivers.append(screen)
        screen.set_window_size(1920, 1080)
        big = Page(screen, server.base, args.screenshots, "screen")
        big.d.get(contest_display)
        audit(big, "display", lambda: big.text("#d-pin") != "", source, findings)
        big.d.get("about:blank")
        big.d.get(campaign_display)
        audit(big, "climb-display", lambda: big.attr("body", "data-screen") not in (None, "connecting"), source, findings)

        phone_driver = base.new_browser(phone=True)
        drivers.append(phone_driver)
        phone = Page(phone_driver, server.base, args.screenshots, "phone")
        phone.d.get(server.base + "/play.html?pin=" + contest["pin"])
        audit(phone, "play", lambda: phone.shown("#join-name"), source, findings)
        phone.type("#join-name", "无障碍检查")
        phone.choose("#join-branch", "第一党支部")
        phone.click("#join-submit")
        audit(phone, "play-lobby", lambda: phone.attr("body", "data-state") == "game" and phone.attr("#screen", "data-phase") == "lobby", source, findings)
        phone.d.get(invitation.replace("/invite#", "/invite.html#"))
        phone.wait(lambda: phone.path().startswith("/me.html"), "the invitation to sign the member in")
        audit(phone, "me", lambda: len(phone.els("#campaign-list li")) > 0 and phone.exists("[data-testid='me-history'] #history-body *"), source, findings)
        phone.go("/survey.html#survey=%d" % survey["id"])
        audit(phone, "survey", lambda: len(phone.els(".survey-question")) == 6, source, findings)
        phone.go("/climb.html#campaign=%d" % campaign["id"])
        audit(phone, "climb", lambda: phone.shown("[data-testid='start']"), source, findings)
        phone.click("[data-testid='start']")
        audit(phone, "climb-question", lambda: phone.text("[data-testid='stem']") != "", source, findings)
        phone.click("#large-text")
        audit(phone, "climb-large-text", lambda: phone.js("return document.documentElement.classList.contains('large-text')"), source, findings)

        serious = [(name, v) for name, violations in findings for v in violations]
        check(not serious, "serious or critical violations: " + "; ".join(
            "%s %s (%s) at %s — %s" % (name, v["id"], v["impact"], ", ".join(v["nodes"][:3]), v["helpUrl"]) for name, v in serious))
        failed = False
    finally:
        base.clean_up(drivers, server, failed, workdir, keep=False)


def main():
    return base.suite_main("a11y_test", "Dengao's pages checked by axe-core in a real browser.", "screenshots/a11y", 600,
                           run, "no serious or critical axe-core violation on the main pages")


if __name__ == "__main__":
    sys.exit(main())
