#!/usr/bin/env python3
"""The organizer's whole job in the console, in a real browser (issue 13, points 11–16).

Starts the real `dengao` server with the demo organization and sample banks on a loopback port and walks what an
organizer does beyond the first contest: contests edited before they start, copied, deleted (and refused once
someone joined, on the page and by the server), the form emptied after creating, a finished contest showing its
results instead of its join code; a campaign's ladder resized without losing the levels already edited, and a
gentler ladder added for 离退休党员 (a copy of the default one, refused without a category, then stored); unit
pickers that name units by path; the roster template, and namesakes warned of when adding and importing; a
branch's invitation links made in bulk, printed to PDF as A4 cards, rasterized (pdftoppm) and every QR code read
back with zbarimg and redeemed, downloaded as CSV, and revoked in bulk; a large bank and roster showing the bytes
sent and then the server's processing over a throttled uplink; the climbing big screen's join QR code and legend.

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/organizer_test.py --dengao .build/debug/dengao --screenshots screenshots/organizer

Needs what console_test.py needs, the Python `websockets` package (a phone joins, a host finishes), and
poppler-utils and zbar-tools (pdfinfo, pdftotext, pdftoppm, zbarimg).
"""
import base64
import contextlib
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from websockets.sync.client import connect

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_test as base  # noqa: E402 - the shared server, browser and page helpers
from console_test import ADMIN_PASSWORD, Failure, Page, check, step  # noqa: E402


def contest_row(page, title):
    """The contests table's row of `title` (selector), waiting for it."""
    css = "#contest-rows tr[data-title='%s']" % title
    page.wait(lambda: page.exists(css), "the row of %s" % title)
    return css


def cell_count(page, row):
    return int(page.text(row + " td.num"))


def websocket(page, server):
    """A WebSocket to /ws/contest carrying the browser's console session, as host.html opens it."""
    cookie = page.d.get_cookie("dengao_session")
    headers = {"Origin": server.base}
    if cookie:
        headers["Cookie"] = "dengao_session=" + cookie["value"]
    return connect("ws://127.0.0.1:%d/ws/contest" % server.port, additional_headers=headers, open_timeout=10)


def next_message(socket, kind):
    while True:
        message = json.loads(socket.recv(timeout=10))
        if message.get("type") == kind:
            return message
        if message.get("type") == "error" and kind != "error":
            raise Failure("the socket answered an error while waiting for %s: %s" % (kind, message))


def contests_edit_copy_delete(page, server):
    with contextlib.ExitStack() as sockets:
        contests_walk(page, server, sockets)


def contests_walk(page, server, sockets):
    step("contests: create through the form — the form empties for the next one")
    page.go("/contests.html")
    page.wait(lambda: page.attr("#contest-rows", "aria-busy") == "false", "the contest list")
    page.wait(lambda: page.exists("#round-list input[name='bank']"), "the bank choices")
    page.type("#contest-title", "支部季度竞赛")
    page.click("#round-list li:first-child input[name='bank'][value='党章党规党纪']")
    page.type("#round-list li:first-child input[name='count']", "4")
    page.click("#contest-submit")
    page.wait_text("#contest-form-status", "已创建「支部季度竞赛」")
    check(page.js("return document.getElementById('contest-title').value;") == "",
          "the title field is empty after creating")
    check(page.js("return document.querySelectorAll('#round-list > li').length;") == 1, "one fresh round after creating")
    check(page.js("return document.querySelector('#round-list [name=count]').value;") == "5",
          "the round's count is back to its default")
    check(not page.js("return document.querySelector('#round-list [name=bank][value=\"党章党规党纪\"]').checked;"),
          "the round's banks are unticked after creating")
    row = contest_row(page, "支部季度竞赛")
    check(cell_count(page, row) == 4, "the new contest has 4 questions")
    pin = page.text(row + " td.mono")
    page.shot("01-contest-created")

    step("contests: edit before start — the form holds its settings; saving redraws, the PIN stays")
    page.click(row + " [data-action='edit']")
    page.wait_text("#create-title", "修改竞赛：支部季度竞赛")
    check(page.js("return document.getElementById('contest-title').value;") == "支部季度竞赛", "the title is in the form")
    check(page.js("return document.querySelector('#round-list [name=count]').value;") == "4", "the count is in the form")
    check(page.js("return document.querySelector('#round-list [name=bank][value=\"党章党规党纪\"]').checked;"),
          "the round's bank is ticked in the form")
    page.shot("02-contest-editing")
    page.type("#contest-title", "支部季度竞赛（改）")
    page.type("#round-list li:first-child input[name='count']", "3")
    page.click("#contest-submit")
    page.wait_text("#contest-form-status", "已保存「支部季度竞赛（改）」")
    edited = contest_row(page, "支部季度竞赛（改）")
    check(cell_count(page, edited) == 3, "the edited contest has 3 questions")
    check(page.text(edited + " td.mono") == pin, "the PIN stays %s after editing" % pin)
    check(not page.exists("#contest-rows tr[data-title='支部季度竞赛']"), "no contest keeps the old title")
    check(page.text("#create-title") == "新建竞赛", "the form is back to creating")
    contest_id = int(page.attr(edited, "data-contest"))

    step("contests: copy — the settings fill the form as a new contest")
    page.click(edited + " [data-action='copy']")
    page.wait(lambda: page.js("return document.getElementById('contest-title').value;") == "支部季度竞赛（改）（副本）",
              "the copy's title in the form")
    check(page.js("return document.querySelector('#round-list [name=count]').value;") == "3", "the copy keeps the count")
    page.click("#contest-submit")
    page.wait_text("#contest-form-status", "已创建「支部季度竞赛（改）（副本）」")
    copy = contest_row(page, "支部季度竞赛（改）（副本）")
    check(cell_count(page, copy) == 3, "the copy has 3 questions")
    check(page.text(copy + " td.mono") != pin, "the copy has its own PIN")

    step("contests: delete the copy after confirming")
    page.click(copy + " [data-action='delete']")
    page.accept_confirm()
    page.wait_text("#contest-list-status", "已删除「支部季度竞赛（改）（副本）」")
    page.wait(lambda: not page.exists("#contest-rows tr[data-title='支部季度竞赛（改）（副本）']"), "the copy's row to go")

    step("contests: once a phone joined, delete and edit are refused with the server's reason; nothing changes")
    info = json.loads(page.js("var x=new XMLHttpRequest();x.open('GET','/api/join/%s',false);x.send();return x.responseText;" % pin))
    phone = sockets.enter_context(connect("ws://127.0.0.1:%d/ws/contest" % server.port, additional_headers={"Origin": server.base}, open_timeout=10))
    phone.send(json.dumps({"type": "join", "pin": pin, "name": "王五", "branchId": info["branches"][0]["id"]}))
    next_message(phone, "welcome")
    page.click(edited + " [data-action='delete']")
    page.accept_confirm()
    page.wait_text("#contest-list-status", "删除失败：比赛已有人加入或已开始，不能再修改或删除")
    check(page.exists(edited), "the joined contest is still listed")
    page.click(edited + " [data-action='edit']")
    page.wait_text("#create-title", "修改竞赛")
    page.type("#contest-title", "不该改成这样")
    page.click("#contest-submit")
    page.wait_text("#contest-form-status", "保存失败：比赛已有人加入或已开始")
    page.shot("03-contest-edit-refused")
    page.click("#contest-cancel-edit")
    page.wait(lambda: page.text("#create-title") == "新建竞赛", "the form back to creating after cancelling")

    step("contests: a finished contest shows its results, not a join QR code")
    host = sockets.enter_context(websocket(page, server))
    host.send(json.dumps({"type": "host", "contestId": contest_id}))
    next_message(host, "welcome")
    host.send(json.dumps({"type": "command", "command": "finish"}))
    page.go("/contests.html")
    finished = contest_row(page, "支部季度竞赛（改）")
    page.wait(lambda: page.attr(finished + " .status-badge", "data-status") == "finished", "the contest to show 已结束")
    check(not page.exists(finished + " [data-action='edit']") and not page.exists(finished + " [data-action='delete']"),
          "a finished contest offers neither edit nor delete")
    page.click(finished + " [data-action='show']")
    page.wait_shown("[data-testid='finished-note']")
    check(not page.exists("[data-testid='join-qr']"), "no join QR code for a finished contest")
    href = page.attr("[data-testid='detail-results']", "href")
    check(href.endswith("/results.html?contest=%d" % contest_id), "the results link: %r" % href)
    page.shot("04-contest-finished")


def level_rows(page):
    """Each ladder row's title, count and lowest difficulty, in order."""
    return page.js(
        "return Array.prototype.map.call(document.querySelectorAll('#level-list > li'), function (li) {"
        "  var f = function (n) { return li.querySelector('[name=' + n + ']').value; };"
        "  return [f('title'), parseInt(f('count'), 10), parseInt(f('minDifficulty'), 10)]; });")


def set_level_count(page, count):
    page.js("var input = document.getElementById('level-count'); input.value = arguments[0];"
            "input.dispatchEvent(new Event('input', {bubbles: true}));"
            "input.dispatchEvent(new Event('change', {bubbles: true}));", str(count))


def campaign_ladder_keeps_edits(page):
    step("campaigns: a new number of levels resizes the ladder and keeps the levels already edited")
    page.go("/campaigns.html")
    page.wait(lambda: len(level_rows(page)) == 10, "the default ladder of 10 levels")
    page.type("#level-list > li:nth-child(2) [name='title']", "党章专题关")
    page.type("#level-list > li:nth-child(9) [name='count']", "12")
    set_level_count(page, 12)
    rows = level_rows(page)
    check(len(rows) == 12, "12 levels after asking for 12: %d" % len(rows))
    check(rows[1][0] == "党章专题关", "level 2 keeps its edited title: %r" % rows[1][0])
    check(rows[8][1] == 12, "level 9 keeps its edited count: %r" % rows[8][1])
    check(rows[11][0] == "第12关", "level 12 is a default one: %r" % rows[11][0])
    check(rows[11][2] == 4, "the untouched last level climbs to difficulty 4 over 12 levels: %r" % rows[11][2])
    set_level_count(page, 5)
    rows = level_rows(page)
    check(len(rows) == 5, "5 levels after asking for 5: %d" % len(rows))
    check(rows[1][0] == "党章专题关", "level 2 still keeps its edited title: %r" % rows[1][0])
    check(rows[4][2] == 4, "the untouched level 5 of 5 is the top of the default climb (difficulty 4): %r" % rows[4][2])
    page.shot("05-ladder-resized")
    set_level_count(page, 10)
    rows = level_rows(page)
    check(len(rows) == 10 and rows[8][1] == 12, "growing back to 10 brings level 9's edit back: %r" % rows[8:9])
    page.click("#ladder-reset")
    rows = level_rows(page)
    check(rows[1][0] != "党章专题关" and rows[8][1] != 12, "按默认阶梯生成 replaces every level with the default")


def campaign_for_a_category(page):
    step("campaigns: a campaign for 离退休党员 (分层分类) counts participation against the 15 retired members only")
    page.go("/campaigns.html")
    page.wait(lambda: page.exists("#campaign-member-categories [data-category-choice='离退休党员']"),
              "the member categories offered by the campaign form")
    page.type("#campaign-title", "离退休党员登高")
    page.click("#campaign-banks input[value='党章党规党纪']")
    page.click("#campaign-member-categories [data-category-choice='离退休党员']")
    page.click("#campaign-submit")
    page.wait_text("#campaign-form-status", "已创建")
    page.wait_text("#detail-facts", "面向：离退休党员", "the campaign's facts naming its category")
    campaign = next(c for c in api_get(page, "/api/campaigns")["campaigns"] if c["title"] == "离退休党员登高")
    retired = next(c for c in api_get(page, "/api/member-categories")["categories"] if c["name"] == "离退休党员")
    check(campaign["settings"].get("memberCategoryIds") == [retired["id"]],
          "the campaign stores its category: %r" % campaign["settings"].get("memberCategoryIds"))
    total = api_get(page, "/api/campaigns/%d/participation" % campaign["id"])["total"]
    check(total["roster"] == 15, "the campaign's roster is the 15 retired members: %r" % total)
    page.shot("05b-campaign-for-a-category")


def campaign_with_a_category_ladder(page):
    step("campaigns: a gentler ladder for 离退休党员 starts as a copy of the default one, is checked, and is stored")
    page.go("/campaigns.html")
    page.wait(lambda: page.exists("#campaign-banks input[value='党章党规党纪']"), "the bank choices")
    page.type("#campaign-title", "分类阶梯登高")
    page.click("#campaign-banks input[value='党章党规党纪']")
    set_level_count(page, 3)
    page.click("#ladder-add")
    ladder = "#category-ladder-list [data-ladder='1']"
    page.wait(lambda: page.exists(ladder + " [data-category-choice='离退休党员']"), "the new ladder's categories")
    rows = page.js("return document.querySelectorAll(arguments[0] + ' .level-row').length;", ladder)
    check(rows == 3, "the new ladder is a copy of the default ladder's 3 levels: %r" % rows)
    page.click("#campaign-submit")
    page.wait_text("#campaign-form-status", "请至少选一个党员类别", "a ladder without a category is refused")
    page.click(ladder + " [data-category-choice='离退休党员']")
    page.js("var input = document.querySelector(arguments[0] + ' [data-ladder-count]'); input.value = '2';"
            "input.dispatchEvent(new Event('input', {bubbles: true}));", ladder)
    page.click("#campaign-submit")
    page.wait_text("#campaign-form-status", "已创建")
    page.wait_text("#detail-facts", "分类阶梯 1：离退休党员 · 2 关", "the campaign's facts naming its extra ladder")
    campaign = next(c for c in api_get(page, "/api/campaigns")["campaigns"] if c["title"] == "分类阶梯登高")
    retired = next(c for c in api_get(page, "/api/member-categories")["categories"] if c["name"] == "离退休党员")
    ladders = campaign["settings"].get("categoryLadders") or []
    check(len(ladders) == 1 and ladders[0]["memberCategoryIds"] == [retired["id"]] and len(ladders[0]["levels"]) == 2
          and len(campaign["settings"]["levels"]) == 3 and "banks" not in ladders[0],
          "the campaign stores a 2-level ladder for 离退休党员 on the campaign's banks: %r" % ladders)
    page.shot("05c-campaign-category-ladder")


def contest_for_a_category(page):
    step("contests: a contest for 离退休党员 (分层分类) — ticking the category makes it members only; editing keeps it")
    page.go("/contests.html")
    page.wait(lambda: page.exists("#contest-member-categories [data-category-choice='离退休党员']"),
              "the member categories offered by the contest form")
    page.wait(lambda: page.exists("#round-list input[name='bank']"), "the bank choices")
    page.type("#contest-title", "离退休党员竞赛")
    page.click("#round-list li:first-child input[name='bank'][value='党章党规党纪']")
    page.click("#contest-member-categories [data-category-choice='离退休党员']")
    check(page.js("return document.getElementById('contest-members-only').checked;"),
          "ticking a category ticks members only")
    page.click("#contest-submit")
    page.wait_text("#contest-form-status", "已创建「离退休党员竞赛」")
    contest = next(c for c in api_get(page, "/api/contests")["contests"] if c["title"] == "离退休党员竞赛")
    retired = next(c for c in api_get(page, "/api/member-categories")["categories"] if c["name"] == "离退休党员")
    check(contest["settings"].get("memberCategoryIds") == [retired["id"]] and contest["settings"]["membersOnly"],
          "the contest stores its category, members only: %r" % contest["settings"])
    report = api_get(page, "/api/contests/%d/report" % contest["id"])
    check(report["participation"]["total"]["roster"] == 15,
          "the contest's roster is the 15 retired members: %r" % report["participation"]["total"])
    page.wait_text(contest_row(page, "离退休党员竞赛") + " [data-testid='contest-categories']", "面向：离退休党员",
                   "the list naming the contest's category")
    page.click(contest_row(page, "离退休党员竞赛") + " [data-action='edit']")
    page.wait_text("#create-title", "修改竞赛：离退休党员竞赛")
    check(page.js("return document.querySelector(\"#contest-member-categories [data-category-choice='离退休党员']\").checked;"),
          "the category is ticked in the edit form")
    page.shot("05c-contest-for-a-category")
    page.click("#contest-cancel-edit")


def api_get(page, path):
    """A same-origin GET made by the page itself (its session), as parsed JSON."""
    return json.loads(page.js("var x=new XMLHttpRequest();x.open('GET',arguments[0],false);"
                              "x.setRequestHeader('Accept','application/json');x.send();return x.responseText;", path))


def picker_labels(page, css):
    return page.js("return Array.prototype.map.call(document.querySelectorAll(arguments[0] + ' option'),"
                   " function (o) { return o.textContent; });", css)


def roster_template_and_namesakes(page, workdir):
    units = {unit["path"]: unit["id"] for unit in api_get(page, "/api/units")["units"]}
    first = units["机关党委/第一党支部"]
    step("roster: unit pickers name units by their path — two 第一党支部 are told apart")
    page.go("/roster.html?unit=%d" % first)
    page.wait(lambda: page.attr("#member-rows", "aria-busy") == "false", "the member list")
    page.click("#add-member")
    page.wait_shown("#member-number")
    labels = picker_labels(page, "#member-unit")
    check("机关党委 / 第一党支部" in labels and "离退休党总支 / 第一党支部" in labels,
          "the member's unit picker shows paths: %s" % labels)
    check(len(labels) == len(set(labels)), "no two options of the unit picker read the same: %s" % labels)
    check(page.js("var s=document.getElementById('member-unit');return s.options[s.selectedIndex].textContent;")
          == "机关党委 / 第一党支部", "the picker starts on the unit being shown")

    step("roster: adding a member whose name the unit already has warns of the namesake")
    page.type("#member-number", "D9901")
    page.type("#member-name", "王建国")
    page.click("#member-save")
    page.wait_text("#member-form-status", "已添加党员「王建国」。注意：本组织已有同名党员（编号 ")
    page.shot("06-member-namesake")
    page.click("#member-dialog-close")

    step("roster: the template downloads as the importer's XLSX; an import with namesakes warns of them")
    href = page.attr("#roster-template", "href")
    check(href.endswith("/api/roster/template.xlsx"), "the template link: %r" % href)
    head = page.js("var x=new XMLHttpRequest();x.open('GET','/api/roster/template.xlsx',false);"
                   "x.overrideMimeType('text/plain; charset=x-user-defined');x.send();"
                   "return [x.status, x.getResponseHeader('Content-Type'), x.responseText.slice(0, 2)];")
    check(head[0] == 200 and head[1].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          and head[2] == "PK", "the template is an XLSX workbook: %s" % head)
    csv_path = os.path.join(workdir, "namesakes.csv")
    with open(csv_path, "w", encoding="utf-8") as handle:
        handle.write("姓名,党员编号,所在支部\n李明,D9911,机关党委/第二党支部\n李明,D9912,机关党委/第二党支部\n")
    page.click("#toggle-import")
    page.upload("#roster-file", csv_path)
    page.click("#roster-import-submit")
    page.wait_text("#roster-warnings", "同一组织有 2 名党员都叫「李明」（编号 D9911、D9912）")
    check("机关党委/第二党支部" in page.text("#roster-warnings"), "the warning names the unit")
    page.shot("07-roster-namesakes")

    step("contests: the owner picker shows paths too")
    page.go("/contests.html")
    page.wait(lambda: len(picker_labels(page, "#contest-owner")) > 3, "the owner picker")
    labels = picker_labels(page, "#contest-owner")
    check("离退休党总支 / 第二党支部" in labels and len(labels) == len(set(labels)),
          "the contest owner picker shows distinct paths: %s" % labels)


def redeems(server, link):
    """Whether an invitation link opens a member session, as invite.html hands its fragment to the API."""
    token = link.split("#", 1)[1]
    request = urllib.request.Request(server.base + "/api/invitations/redeem", data=json.dumps({"token": token}).encode(),
                                     method="POST", headers={"Content-Type": "application/json", "Origin": server.base})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def invitation_sheet(page, server, workdir):
    units = {unit["path"]: unit["id"] for unit in api_get(page, "/api/units")["units"]}
    second = units["机关党委/第二党支部"]
    step("invitations: a branch's links in bulk, shown once as A4 cards with name, branch and QR code")
    page.go("/roster.html?unit=%d" % second)
    page.wait(lambda: page.attr("#member-rows", "aria-busy") == "false", "the member list")
    members = api_get(page, "/api/units/%d/members?subunits=1&pageSize=200" % second)["members"]
    names = sorted(member["name"] for member in members)
    check(len(members) >= 9, "第二党支部 holds its demo members and the namesakes imported before: %d" % len(members))
    page.click("#bulk-invite")
    page.accept_confirm()
    page.wait(lambda: page.shown("#invite-sheet"), "the invitation sheet")
    cards = page.js("return Array.prototype.map.call(document.querySelectorAll('#sheet-cards .invite-card'), function (c) {"
                    " return [c.querySelector('.invite-card-name').textContent, c.querySelector('.invite-card-unit').textContent,"
                    " c.querySelector('.invite-card-link').textContent]; });")
    check(sorted(card[0] for card in cards) == names, "one card per member: %s vs %s" % ([c[0] for c in cards], names))
    check(all(card[1] == "机关党委 / 第二党支部" for card in cards), "every card names the branch")
    links = {card[2] for card in cards}
    check(len(links) == len(cards) and all("/invite#" in link for link in links), "each card has its own link")
    page.wait_text("#bulk-status", "已生成 %d 个邀请链接" % len(cards))
    page.shot("08-invitation-sheet")

    step("invitations: the sheet printed to PDF (A4), rasterized, every QR code decodes to a working link")
    pdf = page.d.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"]
    pdf_path = os.path.join(workdir, "sheet.pdf")
    with open(pdf_path, "wb") as handle:
        handle.write(base64.b64decode(pdf))
    shutil.copy(pdf_path, os.path.join(page.shots, "invitation-sheet.pdf"))
    info = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    check(pages == (len(cards) + 7) // 8, "%d cards print on %d A4 pages (8 a page): %d" % (len(cards), (len(cards) + 7) // 8, pages))
    check(re.search(r"Page size:.*\(A4\)", info), "the pages are A4: %s" % info)
    text = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True, check=True).stdout
    check(all(name in text for name in names) and "第二党支部" in text, "the printout names every member and the branch")
    check("批量生成邀请" not in text and "党员名单" not in text and "打印（A4）" not in text,
          "only the cards are printed, not the console around them")
    prefix = os.path.join(workdir, "sheet")
    subprocess.run(["pdftoppm", "-r", "200", "-png", pdf_path, prefix], check=True)
    decoded = []
    for image in sorted(glob.glob(prefix + "*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", image], capture_output=True, text=True)
        decoded.extend(line for line in result.stdout.splitlines() if line.strip())
    check(sorted(decoded) == sorted(links), "zbarimg reads every card's link from the printout: %d of %d"
          % (len(set(decoded) & links), len(links)))
    check(all(redeems(server, link) for link in links), "every decoded link opens a member session")

    step("invitations: the links download as a CSV; closing the sheet takes the links away")
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads, exist_ok=True)
    page.d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    page.click("#sheet-download")
    page.wait(lambda: any(name.endswith(".csv") for name in os.listdir(downloads)), "the CSV download")
    time.sleep(0.3)
    csv_file = [name for name in os.listdir(downloads) if name.endswith(".csv")][0]
    with open(os.path.join(downloads, csv_file), encoding="utf-8-sig") as handle:
        rows = handle.read().splitlines()
    check(rows[0] == "所在单位,姓名,党员编号,邀请链接" and len(rows) == len(cards) + 1, "the CSV: %s" % rows[:2])
    check({row.split(",")[-1] for row in rows[1:]} == links, "the CSV holds the same links")
    page.click("#sheet-close")
    page.accept_confirm()
    page.wait(lambda: not page.shown("#invite-sheet") and not page.exists(".invite-card"), "the sheet to close")

    step("invitations: a second run makes none (everyone holds a link); revoking a ticked member, then the branch")
    page.click("#bulk-invite")
    page.accept_confirm()
    page.wait_text("#bulk-status", "没有需要生成的链接")
    first_link = sorted(links)[0]
    page.wait(lambda: page.exists("#member-rows [data-select]"), "the member rows")
    chosen = page.attr("#member-rows [data-select]", "data-select")
    page.click("#member-rows [data-select='%s']" % chosen)
    page.click("#bulk-revoke")
    page.accept_confirm()
    page.wait_text("#bulk-status", "已撤销 1 个邀请链接")
    page.wait(lambda: page.attr("tr[data-member='%s'] [data-invitations]" % chosen, "data-invitations") == "0",
              "the ticked member's link count to drop to 0")
    page.click("#member-rows [data-select='%s']" % chosen)
    page.click("#bulk-revoke")
    page.accept_confirm()
    page.wait_text("#bulk-status", "已撤销 %d 个邀请链接" % (len(cards) - 1))
    check(not any(redeems(server, link) for link in links), "no revoked link opens a session any more")
    check(not redeems(server, first_link), "the first link is revoked too")


PHASE_RECORDER = """
window.__phases = [];
var box = document.getElementById(arguments[0]);
new MutationObserver(function () {
  var phase = box.querySelector('.upload-phase');
  if (phase) window.__phases.push([phase.getAttribute('data-phase'), Number(phase.getAttribute('data-sent') || -1),
                                   phase.textContent]);
}).observe(box, {childList: true, subtree: true});
"""


def upload_progress(page, workdir):
    step("uploads: a large bank shows the bytes sent, then that the server is processing it")
    bank = os.path.join(workdir, "large-bank.csv")
    with open(bank, "w", encoding="utf-8") as handle:
        handle.write("题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分类,标签\n")
        for number in range(1, 20001):
            handle.write("单选,第%d题：中国共产党的最高理想和最终目标是实现（ ）。,共产主义,社会主义,小康社会,现代化,A,"
                         "党章总纲第%d条的说明文字。,2,党章,理想信念\n" % (number, number))
    size = os.path.getsize(bank)
    check(size > 3_000_000, "the bank file is large: %d bytes" % size)
    page.go("/banks.html")
    page.wait_shown("#upload-file")
    # A slow uplink (about 1.5 MB/s) so the upload takes a couple of seconds, as over a branch's office network.
    page.d.execute_cdp_cmd("Network.enable", {})
    page.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": 50_000_000, "uploadThroughput": 1_500_000})
    page.js(PHASE_RECORDER, "upload-message")
    page.upload("#upload-file", bank)
    page.type("#upload-name", "大题库")
    page.click("#upload-submit")
    page.wait(lambda: page.attr("#upload-result", "data-state") == "success", "the large bank to be imported", timeout=90)
    page.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    phases = page.js("return window.__phases;")
    sending = [entry for entry in phases if entry[0] == "sending" and 0 < entry[1] < size]
    check(len(sending) >= 2, "several partial byte counts were shown while sending: %s" % phases[:6])
    check(all(re.search(r"已上传 [\d.]+ (KB|MB) / [\d.]+ MB（\d+%）", entry[2]) for entry in sending),
          "the bytes read 已上传 X / Y（N%%）: %s" % sending[:2])
    counts = [entry[1] for entry in sending]
    check(counts == sorted(counts), "the byte counts only grow: %s" % counts)
    check(any(entry[0] == "processing" and "服务器处理中" in entry[2] for entry in phases),
          "after the bytes, the server's processing is shown: %s" % phases[-3:])
    check(phases.index(next(e for e in phases if e[0] == "processing")) > phases.index(sending[-1]),
          "processing comes after sending")
    page.wait_text("#upload-message", "20000")

    step("uploads: a roster import shows its progress the same way")
    roster = os.path.join(workdir, "large-roster.csv")
    with open(roster, "w", encoding="utf-8") as handle:
        handle.write("姓名,党员编号,所在支部,手机号\n")
        for number in range(1, 30001):
            handle.write("党员%d,R%06d,机关党委/第三党支部,139%08d\n" % (number, number, number))
    page.go("/roster.html")
    page.wait(lambda: page.attr("#member-rows", "aria-busy") == "false", "the member list")
    page.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": 50_000_000, "uploadThroughput": 400_000})
    page.js(PHASE_RECORDER, "roster-message")
    page.click("#toggle-import")
    page.upload("#roster-file", roster)
    page.click("#roster-import-submit")
    page.wait(lambda: page.attr("#roster-result", "data-state") == "success", "the roster to be imported", timeout=90)
    page.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    phases = page.js("return window.__phases;")
    check(any(entry[0] == "sending" and 0 < entry[1] < os.path.getsize(roster) for entry in phases),
          "the roster's bytes were shown while sending: %s" % phases[:4])
    check(any(entry[0] == "processing" for entry in phases), "the roster's processing phase was shown")
    page.shot("09-roster-imported-after-progress")


def climb_display_join_code(page, server, workdir):
    step("climbing big screen: the member page's QR code with its legend, read back by zbarimg")
    campaigns = api_get(page, "/api/campaigns")["campaigns"]
    check(campaigns, "the demo campaign exists")
    campaign_id = campaigns[0]["id"]
    link = page.js(
        "var s=new XMLHttpRequest();s.open('GET','/api/session',false);s.send();"
        "var csrf=JSON.parse(s.responseText).csrfToken;"
        "var x=new XMLHttpRequest();x.open('POST','/api/campaigns/'+arguments[0]+'/display-link',false);"
        "x.setRequestHeader('X-CSRF-Token',csrf);x.send();return JSON.parse(x.responseText).displayLink;", campaign_id)
    check(link and "/climb-display.html#" in link, "a display link: %r" % link)
    page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    page.d.get(link)
    page.wait(lambda: page.attr("body", "data-screen") == "board", "the climbing board")
    page.wait(lambda: page.js("var i=document.getElementById('c-join-qr');return i.complete&&i.naturalWidth>0;"),
              "the join QR code to load")
    check("扫码参加" in page.text("[data-testid='c-join']") and "我的登高" in page.text("[data-testid='c-join']"),
          "the legend says what the code is for: %r" % page.text("[data-testid='c-join']"))
    box = page.js("var r=document.getElementById('c-join-qr').getBoundingClientRect();"
                  "return [r.left, r.top, r.right, r.bottom, window.innerWidth, window.innerHeight];")
    check(box[0] >= 0 and box[1] >= 0 and box[2] <= box[4] and box[3] <= box[5], "the code is on screen: %s" % box)
    shot = os.path.join(workdir, "climb-board.png")
    page.d.save_screenshot(shot)
    page.shot("10-climb-display-join", full_page=False)
    result = subprocess.run(["zbarimg", "--raw", "-q", shot], capture_output=True, text=True)
    check(result.stdout.strip() == server.base + "/me.html", "the code reads %r, expected %s/me.html"
          % (result.stdout.strip(), server.base))
    page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def run(args):
    base.check_dictionaries()
    workdir = tempfile.mkdtemp(prefix="dengao-organizer-")
    server = base.Server(args.dengao, workdir, extra_args=["--demo"], database=args.database)
    browsers = []
    failed = True
    try:
        server.create_admin()
        server.start()
        step("server up at %s with the demo organization and banks" % server.base)
        driver = base.new_browser()
        browsers.append(driver)
        page = Page(driver, server.base, args.screenshots, "organizer")
        page.go("/login.html")
        base.sign_in(page, "admin", ADMIN_PASSWORD)
        contests_edit_copy_delete(page, server)
        campaign_ladder_keeps_edits(page)
        campaign_for_a_category(page)
        campaign_with_a_category_ladder(page)
        contest_for_a_category(page)
        roster_template_and_namesakes(page, workdir)
        invitation_sheet(page, server, workdir)
        upload_progress(page, workdir)
        climb_display_join_code(page, server, workdir)
        failed = False
    finally:
        base.clean_up(browsers, server, failed, workdir, keep=args.keep)


def main():
    return base.suite_main("organizer_test", "The organizer's console in a real browser.", "screenshots/organizer", 600,
                           run, "the organizer's console in Chromium")


if __name__ == "__main__":
    sys.exit(main())
