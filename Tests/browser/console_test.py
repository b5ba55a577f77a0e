#!/usr/bin/env python3
"""The real-browser suite of the console and the member pages (issue 3, point 8).

Starts the real `dengao` server on a loopback port with a temporary data directory, drives Debian's headless
Chromium through selenium 4, and walks what an administrator, an organizer and a member do:

  sign-in (and its generic error) → org tree (add, rename, delete, the 409 of a unit with sub-units) →
  roster import through the page (counts; a re-import that updates and moves; a broken file's located errors,
  nothing changed) → search, paging, sub-unit toggle → add and move a member (history) → bank upload with owner
  unit and sharing, and a broken bank's located errors → accounts (create an organizer of 第一党支部; disable,
  enable, reset a password, delete) → an invitation link with its QR code → the organizer, in a fresh browser,
  sees only their subtree and gets 403 for 第二党支部's roster (on the page and by a direct fetch) → the member
  opens the link in a fresh phone-sized browser and lands signed in on me.html → the link is revoked and the
  member's page turns to the signed-out state → English switch → sign-out; the console at 390 px wide.

Screenshots of every page go to --screenshots (desktop 1366×900, member pages 390×844 at device scale 3).

Run from the repository root after `swift build --product dengao`:

    python3 Tests/browser/console_test.py --dengao .build/debug/dengao --screenshots screenshots/console

Needs: apt-get install -y --no-install-recommends chromium chromium-driver; pip install selenium (4.x).
Exit code 0 when everything passed, 1 with the failing step and its reason otherwise, 2 for a setup problem.
"""
import argparse
import atexit
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import threading
import traceback
import urllib.error
import urllib.request

try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,
                                            TimeoutException, WebDriverException)
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - a setup problem, reported plainly
    print("console_test: selenium is not installed (pip install selenium)", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "support"))
from test_database import TestDatabase  # noqa: E402 - SQLite in the data directory, or a fresh PostgreSQL database
FIXTURES = os.path.join(HERE, "fixtures")
BANK_FIXTURES = os.path.join(ROOT, "Tests", "DengaoCoreTests", "Fixtures")

ADMIN_PASSWORD = "Admin-pass-2024"
ORGANIZER_PASSWORD = "Zhibu1-pass-2024"
ORGANIZER_NEW_PASSWORD = "Zhibu1-newpass-2026"
WAIT = 15  # seconds for any one thing to appear in the page
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0}
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47")


class Failure(Exception):
    """A check that did not hold; the message says what was expected and what the page showed."""


def check(condition, message):
    if not condition:
        raise Failure(message)


# ---- the server -------------------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, dengao, workdir, extra_args=(), database=None):
        """`database`: a PostgreSQL URL (the suites' `--database`) to run on a fresh database of that cluster,
        dropped when the script exits; None for the SQLite file in the data directory."""
        self.dengao = dengao
        self.extra_args = list(extra_args)  # e.g. ["--demo"] (contest_test.py)
        self.data = os.path.join(workdir, "data")
        self.database = TestDatabase(self.data, database)
        atexit.register(self.database.drop)
        self.log_path = os.path.join(workdir, "server.log")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.process = None
        self.log = None

    def create_admin(self):
        # --data belongs to each subcommand (`dengao --data DIR user add …` is refused as an unknown option).
        result = subprocess.run(
            [self.dengao, "user", "add", "admin", "--admin", "--password-stdin", "--data", self.data]
            + self.database.server_args,
            input=ADMIN_PASSWORD + "\n", capture_output=True, text=True, timeout=60, cwd=ROOT)
        if result.returncode != 0:
            raise Failure("`dengao user add admin --admin --password-stdin --data DIR` exited with %d:\n%s%s"
                          % (result.returncode, result.stdout, result.stderr))

    def start(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.dengao, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port),
             "--public-url", self.base] + self.database.server_args + self.extra_args,
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise Failure("the server exited with %d before answering /healthz" % self.process.returncode)
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise Failure("the server did not answer %s/healthz within 60 s" % self.base)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log:
            self.log.close()

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as handle:
                return "\n".join(handle.read().decode("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


# ---- browsers ---------------------------------------------------------------------------------------

# Runs before any script of the page (and is not subject to its policy): collects what the policy refused.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' refused ' + (e.blockedURI || 'inline') + ' at ' +
    (e.sourceFile || location.pathname) + ':' + e.lineNumber);
}, true);
"""

# Text cut off at the edge of a box that hides its overflow, with no ellipsis to show something is missing: a
# long name must end in "…", never just stop. Visually hidden text (a 1-pixel box) is left alone.
CLIPPED_WITHOUT_ELLIPSIS = """
var found = [];
function clipper(e) {
  for (var a = e; a && a !== document.body; a = a.parentElement) {
    var s = getComputedStyle(a);
    if (s.overflowX === 'hidden' || s.overflowX === 'clip') return a;
  }
  return null;
}
document.querySelectorAll('body *').forEach(function (e) {
  // Charts are SVG, where text-overflow does not exist: their labels are laid out by charts.js.
  if (e.closest('svg')) return;
  var style = getComputedStyle(e);
  if (style.visibility === 'hidden' || !e.getClientRects().length) return;
  var box = clipper(e);
  if (!box) return;
  var edges = box.getBoundingClientRect();
  if (edges.width < 2 || edges.height < 2) return;
  [].forEach.call(e.childNodes, function (node) {
    if (node.nodeType !== 3 || !node.textContent.trim()) return;
    var range = document.createRange();
    range.selectNodeContents(node);
    var text = range.getBoundingClientRect();
    if (text.right <= edges.right + 1 && text.left >= edges.left - 1) return;
    // An ellipsis is drawn only by a block container for its own inline content: text-overflow on a flex or grid
    // box (whose children are items) or on an ancestor of a block cuts the text off silently.
    var inline = true;
    for (var a = e; a !== box; a = a.parentElement) if (getComputedStyle(a).display !== 'inline') inline = false;
    var boxStyle = getComputedStyle(box);
    if (boxStyle.textOverflow === 'ellipsis' && inline && !/flex|grid/.test(boxStyle.display)) return;
    found.push((e.className || e.tagName) + ' in ' + (box.className || box.tagName) + ': ' + node.textContent.trim().slice(0, 30));
  });
});
return found;
"""


def new_browser(phone=False):
    """A fresh Chromium with its own profile: cookies and storage start empty (a fresh browser context)."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                 "--disable-background-networking", "--disable-extensions", "--no-first-run",
                 "--disable-sync", "--disable-features=Translate,PasswordLeakDetection",
                 "--lang=zh-CN", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh",
                                              "credentials_enable_service": False,
                                              "profile.password_manager_enabled": False})
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE, "userAgent": PHONE_UA})
    else:
        options.add_argument("--window-size=1366,900")
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    # Every page records its Content-Security-Policy violations from the first moment; check_page_health fails on any.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(15)
    if not phone:
        # The window size flag sets the outer window; make the page itself 1366×900.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    return driver


class Page:
    """Helpers over one browser: waiting, reading, typing, and screenshots with page checks."""

    def __init__(self, driver, base, shots, label):
        self.d = driver
        self.base = base
        self.shots = shots
        self.label = label

    def go(self, path):
        self.d.get(self.base + path)

    def path(self):
        url = self.d.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def wait(self, condition, what, timeout=WAIT):
        try:
            # The pages re-render lists after every change: an element found a moment ago may be gone.
            return WebDriverWait(self.d, timeout, poll_frequency=0.1,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: condition())
        except TimeoutException:
            raise Failure("%s: waited %ds for %s; page %s shows: %s"
                          % (self.label, timeout, what, self.path(), self.page_summary()))

    def page_summary(self):
        try:
            status = self.d.execute_script(
                "var s=[];['page-status','unit-status','roster-result','upload-result','login-error',"
                "'account-form-status','account-status','member-form-status','invite-status','invite-error']"
                ".forEach(function(id){var n=document.getElementById(id);"
                "if(n&&n.textContent.trim()&&!n.hidden)s.push(id+'='+n.textContent.trim().slice(0,300));});"
                "return s.join(' | ')||document.body.innerText.slice(0,400);")
            return status.replace("\n", " ")
        except WebDriverException:
            return "(page unreadable)"

    def el(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.els(css)) > 0

    def shown(self, css):
        for _ in range(3):
            try:
                found = self.els(css)
                return bool(found) and found[0].is_displayed()
            except StaleElementReferenceException:
                time.sleep(0.1)
        return False

    def text(self, css):
        for _ in range(3):
            try:
                found = self.els(css)
                return found[0].text.strip() if found else ""
            except StaleElementReferenceException:
                time.sleep(0.1)
        return ""

    def attr(self, css, name):
        for _ in range(3):
            try:
                found = self.els(css)
                return found[0].get_attribute(name) if found else None
            except StaleElementReferenceException:
                time.sleep(0.1)
        return None

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def wait_shown(self, css, what=None):
        return self.wait(lambda: self.shown(css) and self.el(css), what or css + " to be shown")

    def wait_text(self, css, needle, what=None):
        self.wait(lambda: needle in self.text(css), what or "%s to contain %r" % (css, needle))
        return self.text(css)

    def type(self, css, value):
        node = self.wait_shown(css)
        node.clear()
        node.send_keys(value)

    def click(self, css):
        # A list redrawn between the wait and the click (a refresh landing then) leaves the node found stale:
        # find it again rather than fail on the race.
        for attempt in range(3):
            node = self.wait(lambda: self.shown(css) and self.el(css).is_enabled() and self.el(css),
                             css + " to be clickable")
            try:
                self.d.execute_script("arguments[0].scrollIntoView({block:'center'});", node)
                node.click()
                return
            except StaleElementReferenceException:
                if attempt == 2:
                    raise

    def choose(self, css, visible_text_contains):
        select = Select(self.wait_shown(css))
        for option in select.options:
            if visible_text_contains in option.text:
                # By value: the picker indents with ideographic spaces, which selenium's text match trims.
                value = option.get_attribute("value")
                select.select_by_value(value)
                return value
        raise Failure("%s: no option containing %r in %s (has %s)"
                      % (self.label, visible_text_contains, css, [o.text for o in select.options]))

    def alert(self):
        """The open alert or confirmation dialog, or None."""
        try:
            return self.d.switch_to.alert
        except NoAlertPresentException:
            return None

    def accept_confirm(self):
        box = self.wait(self.alert, "a confirmation dialog")
        box.accept()

    def upload(self, css, file_path):
        self.el(css).send_keys(os.path.abspath(file_path))

    def fetch_status(self, url):
        """The status of a same-origin GET made by the page itself (with its cookie)."""
        return self.d.execute_async_script(
            "var done=arguments[arguments.length-1];"
            "fetch(arguments[0],{credentials:'same-origin',headers:{Accept:'application/json'}})"
            ".then(function(r){done(r.status)}).catch(function(e){done(String(e))});", url)

    def check_page_health(self, name):
        """No JavaScript errors; nothing loaded from anywhere but the server; no sideways scrolling; no text cut off
        without an ellipsis."""
        errors = []
        try:
            for entry in self.d.get_log("browser"):
                message = entry.get("message", "")
                if entry.get("level") != "SEVERE":
                    continue
                # A 4xx answer (the 401 that sends a visitor to sign in, the 403 the suite provokes, a 409
                # or 422 shown in the page) is logged by Chromium as a failed resource; it is not a bug.
                if re.search(r"Failed to load resource: the server responded with a status of 4\d\d", message):
                    continue
                errors.append(message)
        except WebDriverException:
            pass
        check(not errors, "%s, %s: JavaScript errors in the console: %s" % (self.label, name, errors))
        violations = self.js("return window.__cspViolations === undefined ? null : window.__cspViolations;")
        check(violations is not None, "%s, %s: the CSP violation listener is not in the page" % (self.label, name))
        check(not violations, "%s, %s: Content-Security-Policy violations: %s" % (self.label, name, violations))
        foreign = self.js(
            "return performance.getEntriesByType('resource').map(function(e){return e.name})"
            ".filter(function(u){return u.indexOf(location.origin)!==0&&u.indexOf('data:')!==0});")
        check(not foreign, "%s, %s: resources from outside the server: %s" % (self.label, name, foreign))
        overflow = self.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        check(overflow <= 1, "%s, %s: the page scrolls sideways by %spx" % (self.label, name, overflow))
        clipped = self.js(CLIPPED_WITHOUT_ELLIPSIS)
        check(not clipped, "%s, %s: text cut off without an ellipsis: %s" % (self.label, name, clipped))
        # A dictionary key shown as text: t() found no entry (a key missing from the page's copy of the dictionary).
        raw = [text for text in self.js(KEY_LIKE_TEXT) if text in dictionary_keys()]
        check(not raw, "%s, %s: dictionary keys shown instead of their text: %s" % (self.label, name, raw))

    def shot(self, name, full_page=True):
        self.check_page_health(name)
        path = os.path.join(self.shots, name + ".png")
        # Let transitions and the QR image settle.
        time.sleep(0.3)
        data = None
        if full_page:
            try:
                metrics = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})
                size = metrics.get("cssContentSize") or metrics["contentSize"]
                data = self.d.execute_cdp_cmd("Page.captureScreenshot", {
                    "format": "png", "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000),
                             "scale": 1},
                })["data"]
            except WebDriverException:
                data = None
        if data:
            import base64
            with open(path, "wb") as handle:
                handle.write(base64.b64decode(data))
        else:
            self.d.save_screenshot(path)
        SHOTS.append(path)


SHOTS = []


def step(title):
    print("· " + title, flush=True)


def decode_qr(png):
    """What zbarimg reads in a PNG, or None when zbarimg is not installed (apt-get install zbar-tools)."""
    if not shutil.which("zbarimg"):
        print("  (zbarimg not installed: the QR code on the page is not decoded)", flush=True)
        return None
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as handle:
        handle.write(png)
        path = handle.name
    try:
        result = subprocess.run(["zbarimg", "--raw", "-q", path], capture_output=True, timeout=30)
        return result.stdout.decode("utf-8", "replace").strip()
    finally:
        os.remove(path)


# ---- static checks ----------------------------------------------------------------------------------

# Every shown text or attribute that looks like a dictionary key ("play.pinTitle").
KEY_LIKE_TEXT = """
var found = [];
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var text = walker.currentNode.nodeValue.trim();
  if (/^[a-z][A-Za-z]*(\\.[A-Za-z0-9]+)+$/.test(text)) found.push(text);
}
document.querySelectorAll('[aria-label], [placeholder], [title]').forEach(function (n) {
  ['aria-label', 'placeholder', 'title'].forEach(function (a) {
    var v = (n.getAttribute(a) || '').trim();
    if (/^[a-z][A-Za-z]*(\\.[A-Za-z0-9]+)+$/.test(v)) found.push(v);
  });
});
return found;
"""
_DICTIONARY_KEYS = []


def dictionary_keys():
    if not _DICTIONARY_KEYS:
        with open(os.path.join(ROOT, "Public", "js", "lang", "zh.js"), encoding="utf-8") as handle:
            _DICTIONARY_KEYS.append(set(re.findall(r"^\s*'([\w.]+)':", handle.read(), re.M)))
    return _DICTIONARY_KEYS[0]


def check_dictionaries():
    """Both language dictionaries have the same keys, every key a page or module names exists, and the
    Chinese text written in the HTML is the dictionary's (so nothing changes when the Chinese pages load)."""
    def load(name):
        with open(os.path.join(ROOT, "Public", "js", "lang", name), encoding="utf-8") as handle:
            return dict(re.findall(r"^\s*'([\w.]+)':\s*'((?:[^'\\]|\\.)*)',?\s*$", handle.read(), re.M))
    zh, en = load("zh.js"), load("en.js")
    check(zh and set(zh) == set(en), "i18n: keys only in zh.js: %s; only in en.js: %s"
          % (sorted(set(zh) - set(en)), sorted(set(en) - set(zh))))
    used = set()
    for path in glob.glob(os.path.join(ROOT, "Public", "js", "*.js")):
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        used |= set(re.findall(r"\bt\(\s*'([\w.]+)'", source))
        used |= set(re.findall(r"'data-i18n': '([\w.]+)'", source))
        used |= set(re.findall(r"\? '([a-z]+\.[\w.]+)' : '[a-z]+\.[\w.]+'", source))
        used |= set(re.findall(r"\? '[a-z]+\.[\w.]+' : '([a-z]+\.[\w.]+)'", source))
    pages = glob.glob(os.path.join(ROOT, "Public", "*.html")) + glob.glob(os.path.join(ROOT, "Public", "*", "*.html"))
    for path in pages:
        with open(path, encoding="utf-8") as handle:
            html = handle.read()
        for key, text in re.findall(r'data-i18n="([\w.]+)"[^>]*>([^<]*)<', html):
            used.add(key)
            check(key not in zh or not text.strip() or text == zh[key],
                  "i18n: %s writes %r for %s, the dictionary says %r" % (os.path.basename(path), text, key, zh.get(key)))
        for attr in re.findall(r'data-i18n-attr="([^"]+)"', html):
            used |= {pair.split(":")[1].strip() for pair in attr.split(";")}
    missing = sorted(key for key in used if key not in zh and not key.endswith("."))  # "x." + name: a family
    check(not missing, "i18n: keys used but missing from the dictionaries: %s" % missing)
    for key in zh:
        check(set(re.findall(r"\{\w+\}", zh[key])) == set(re.findall(r"\{\w+\}", en[key])),
              "i18n: %s has different placeholders in zh and en" % key)
        for name in re.findall(r"\{(\w+)\|", en[key]):
            check(name == "count" and "{" not in zh[key] or "{%s}" % name in zh[key],
                  "i18n: %s's plural form counts {%s}, which the Chinese text does not name" % (key, name))


# ---- the walk-through -------------------------------------------------------------------------------

FIRST, SECOND, THIRD = "第一党支部", "第二党支部", "第三党支部"


def unit_ids(page):
    """{name: id} of the units in the tree the page shows."""
    return page.js("var m={};document.querySelectorAll('#unit-tree [data-unit]').forEach(function(b){"
                   "m[b.getAttribute('data-name')]=b.getAttribute('data-unit')});return m;")


def tree_node(name):
    return "#unit-tree [data-name='%s']" % name


def sign_in(page, username, password, landing="/"):
    page.type("#login-username", username)
    page.type("#login-password", password)
    page.click("#login-submit")
    page.wait(lambda: page.path().split("?")[0].split("#")[0] == landing and page.shown("#console-nav"),
              "the console (%s) after signing in as %s" % (landing, username))
    page.wait(lambda: page.attr("#signed-in-user", "data-username") == username,
              "the top bar to show %s signed in" % username)


def admin_signs_in(page):
    step("admin: / without a session goes to the login page; a wrong password gets the generic error")
    page.go("/")
    page.wait(lambda: page.path().startswith("/login.html?next="), "the redirect to login.html?next=…")
    page.wait_shown("#login-username")
    page.shot("01-login")
    page.type("#login-username", "admin")
    page.type("#login-password", "not-the-password")
    page.click("#login-submit")
    page.wait(lambda: page.text("#login-error") != "", "the login error")
    error = page.text("#login-error")
    check("用户名或密码错误" in error, "a wrong password shows %r, expected the generic 用户名或密码错误" % error)
    page.shot("02-login-error")
    step("admin: signs in and lands on the org page")
    sign_in(page, "admin", ADMIN_PASSWORD)
    check(page.attr("[data-nav='org']", "aria-current") == "page", "the nav marks 组织架构 as current")
    page.wait(lambda: page.attr("#unit-tree", "aria-busy") == "false", "the org tree to load")


def csp_is_enforced(page):
    step("the Content-Security-Policy is on: pages, scripts and the API carry it; an injected inline script is "
         "refused and reported")
    for path in ("/", "/login.html", "/play.html", "/js/api.js", "/api/session"):
        try:
            with urllib.request.urlopen(page.base + path, timeout=10) as response:
                headers = response.headers
        except urllib.error.HTTPError as refused:
            headers = refused.headers
        policy = headers.get("Content-Security-Policy", "")
        check("script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors" in policy,
              "%s: Content-Security-Policy is %r" % (path, policy))
        check(headers.get("X-Content-Type-Options") == "nosniff", "%s: no X-Content-Type-Options: nosniff" % path)
        if path.startswith("/api/"):
            check(headers.get("Cache-Control") == "no-store", "%s: Cache-Control is %r" % (path, headers.get("Cache-Control")))
    ran = page.js("var s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;';"
                  "document.body.appendChild(s); return window.__inlineRan === true;")
    check(not ran, "an inline script ran: the browser does not enforce the policy")
    page.wait(lambda: page.js("return window.__cspViolations.length;") > 0, "the refused inline script to be reported")
    page.js("window.__cspViolations = [];")
    page.d.get_log("browser")  # Chromium logged the refusal too; this one was on purpose


def admin_builds_tree(page):
    step("org: add 机关党委 with 第一党支部 and 第二党支部; rename and delete a unit; a unit with sub-units is refused")
    page.wait_shown("#root-name")
    page.type("#root-name", "机关党委")
    page.click("#root-submit")
    page.wait_shown(tree_node("机关党委"))
    page.wait(lambda: page.attr(tree_node("机关党委"), "aria-pressed") == "true", "机关党委 selected")
    for name in (FIRST, SECOND, "临时支部"):
        page.type("#child-name", name)
        page.click("#child-submit")
        page.wait_shown(tree_node(name), "%s in the tree" % name)
        page.wait_text("#unit-status", name)
    page.click(tree_node("临时支部"))
    page.wait_text("#unit-title", "临时支部")
    page.type("#rename-name", "临时党小组")
    page.click("#rename-submit")
    page.wait_shown(tree_node("临时党小组"), "the renamed unit in the tree")
    check(not page.exists(tree_node("临时支部")), "the old name is gone from the tree")
    page.click(tree_node("临时党小组"))
    page.click("#delete-unit")
    page.accept_confirm()
    page.wait(lambda: not page.exists(tree_node("临时党小组")), "the deleted unit to leave the tree")
    page.click(tree_node("机关党委"))
    page.wait_text("#unit-title", "机关党委")
    page.click("#delete-unit")
    page.accept_confirm()
    page.wait(lambda: "无法删除" in page.text("#unit-status") and len(page.text("#unit-status")) > len("无法删除："),
              "the refusal (409) with the server's reason")
    check(page.exists(tree_node("机关党委")), "机关党委 is still there after the refused delete")
    page.shot("03-org-tree")


def roster_counts(page):
    return {name: page.text("#roster-result [data-count='%s']" % name) for name in
            ("created", "updated", "moved", "unchanged", "unitsCreated")}


def count_of(text):
    numbers = re.findall(r"\d+", text)
    return int(numbers[0]) if numbers else None


def admin_imports_roster(page):
    step("roster: import roster.xlsx through the page, creating 第三党支部; counts shown")
    page.click(tree_node("机关党委"))
    page.click("#open-roster")
    page.wait(lambda: page.path().startswith("/roster.html?unit="), "the roster page")
    page.wait_text("#roster-title", "机关党委")
    page.wait(lambda: page.attr("#member-rows", "aria-busy") == "false", "the member list to load")
    page.click("#toggle-import")
    page.upload("#roster-file", os.path.join(FIXTURES, "roster.xlsx"))
    page.el("#roster-create-units").click()
    page.click("#roster-import-submit")
    page.wait(lambda: page.attr("#roster-result", "data-state") in ("success", "rejected", "error"),
              "the roster import result")
    state = page.attr("#roster-result", "data-state")
    check(state == "success", "roster.xlsx was not imported: %s" % page.text("#roster-result"))
    counts = {key: count_of(value) for key, value in roster_counts(page).items()}
    check(counts["created"] == 28, "the import shows %r, expected 28 created" % counts)
    check(counts["unitsCreated"] == 1, "the import shows %r, expected 1 unit created (第三党支部)" % counts)
    page.wait_shown(tree_node(THIRD), "第三党支部 (created by the import) in the tree")
    page.wait_text("#member-page-info", "28", "the roster to list 28 members with sub-units")
    page.shot("04-roster-imported")

    step("roster: paging (20 a page), search, and the sub-unit toggle")
    page.choose("#member-page-size", "20")
    page.wait_text("#member-page-info", "1 / 2")
    check(len(page.els("#member-rows tr[data-member]")) == 20, "page 1 holds 20 members")
    page.click("#member-next")
    page.wait_text("#member-page-info", "2 / 2")
    page.wait(lambda: len(page.els("#member-rows tr[data-member]")) == 8, "page 2 to hold 8 members")
    page.type("#member-search", "王建国")
    page.wait(lambda: len(page.els("#member-rows tr[data-member]")) == 1 and page.exists("tr[data-member='D0003']"),
              "the search for 王建国 to find exactly D0003")
    page.el("#member-search").clear()
    page.type("#member-search", "13800130004")
    page.wait(lambda: page.exists("tr[data-member='D0004']") and len(page.els("#member-rows tr[data-member]")) == 1,
              "the search by phone to find D0004")
    page.el("#member-search").clear()
    page.js("var n=document.getElementById('member-search');n.dispatchEvent(new Event('input'));")
    page.el("#member-subunits").click()
    page.wait(lambda: page.exists("#member-rows td.empty"), "机关党委 without sub-units to list nobody")
    page.el("#member-subunits").click()
    page.wait_text("#member-page-info", "28")
    page.choose("#member-page-size", "50")

    step("roster: a re-import updates one member and moves another")
    page.upload("#roster-file", os.path.join(FIXTURES, "roster-update.csv"))
    page.click("#roster-import-submit")
    page.wait(lambda: page.attr("#roster-result", "data-state") == "success"
              and "1" in page.text("#roster-result [data-count='moved']"), "the re-import's counts")
    counts = {key: count_of(value) for key, value in roster_counts(page).items()}
    # "updated" counts every changed member, the moved one included; "moved" is the part that changed unit.
    check(counts["moved"] == 1 and counts["updated"] == 2 and counts["created"] == 0,
          "the re-import shows %r, expected 2 updated (1 of them moved), 0 created" % counts)
    page.wait(lambda: page.exists("tr[data-member='D0001']") and "张伟明" in page.text("tr[data-member='D0001']"),
              "D0001 renamed to 张伟明 in the list")
    page.wait(lambda: SECOND in page.text("tr[data-member='D0002']"), "D0002 listed in 第二党支部")

    step("roster: a broken file is refused with every located error, and nothing changes")
    page.upload("#roster-file", os.path.join(FIXTURES, "roster-broken.csv"))
    page.click("#roster-import-submit")
    page.wait(lambda: page.attr("#roster-result", "data-state") in ("rejected", "error"),
              "the broken roster's result")
    check(page.attr("#roster-result", "data-state") == "rejected",
          "the broken roster was answered with %s, expected located errors (422)" % page.text("#roster-result"))
    items = page.els("#roster-errors li")
    # Phone, missing name, missing number, duplicate number, and the unknown unit of a well-formed row.
    check(len(items) == 5, "the broken roster lists %d errors, expected 5: %s"
          % (len(items), [i.text for i in items]))
    check(any("不存在的支部" in i.text for i in items), "the unknown unit is reported with the field errors")
    located = [i for i in items if i.find_elements(By.CSS_SELECTOR, ".issue-location")]
    check(len(located) == len(items), "every roster error names its place (file, row): %s" % [i.text for i in items])
    # In the page's language first, English in brackets, as every message: the place and the reason.
    phone = next((i.text for i in items if "12345" in i.text), "")
    check(phone.startswith("第 2 行“手机号”列") and "手机号“12345”不是 11 位手机号码" in phone,
          "the located error reads Chinese first: %r" % phone)
    check(all(i.text.startswith("第 ") for i in items), "every place is Chinese first: %s" % [i.text for i in items])
    check("没有任何改动" in page.text("#roster-message"), "the message says nothing changed")
    page.shot("05-roster-errors")
    page.wait_text("#member-page-info", "28")
    check(not page.exists("tr[data-member='D0301']"), "no member of the broken file was imported")
    first = page.text(tree_node(FIRST) + " .count-total")
    check(count_of(first) == 23, "第一党支部 shows %r members in the tree, expected 23 (24 less D0002)" % first)


def admin_edits_member(page, ids):
    step("member: add 赵新 to 第二党支部, then move them to 第一党支部 (history kept)")
    page.click(tree_node(SECOND))
    page.wait_text("#roster-title", SECOND)
    page.click("#add-member")
    page.wait_shown("#member-dialog")
    page.type("#member-number", "T9001")
    page.type("#member-name", "赵新")
    page.choose("#member-unit", SECOND)
    page.type("#member-phone", "13912345678")
    page.click("#member-save")
    page.wait(lambda: "赵新" in page.text("#member-form-status") and page.shown("#member-extra"),
              "the new member saved and the dialog showing them")
    page.choose("#member-unit", FIRST)
    page.click("#member-save")
    page.wait_text("#member-form-status", FIRST, "the move to 第一党支部 confirmed")
    page.wait(lambda: len(page.els("#member-history li")) == 2, "two entries in the member's unit history")
    page.wait(lambda: "还没有参加过" in page.text("#member-record"), "the new member's learning record: nothing yet")
    check(page.js("return document.getElementById('member-record-chart').hidden"), "no accuracy timeline without answers")
    page.shot("06-member-dialog", full_page=False)
    page.click("#member-dialog-close")
    page.wait(lambda: not page.el("#member-dialog").is_displayed(), "the dialog to close")


def admin_sets_categories(page):
    step("categories: add 流动党员 (默认大字) to the list and move it up; tick 农村党员 for 赵新; filter 第一党支部's roster by it")
    page.click(tree_node(FIRST))
    page.wait_text("#roster-title", FIRST)
    page.wait(lambda: page.attr("#member-rows", "aria-busy") == "false", "the member list to load")
    page.wait(lambda: page.exists("#category-list li[data-category='农村党员']"), "the default categories listed")
    page.type("#category-name", "流动党员")
    page.click("#category-large-text")  # its members' pages open in 大字 by default
    page.click("#category-add")
    page.wait_text("#category-status", "流动党员", "the new category confirmed")
    large = "return (document.querySelector(\"#category-list li[data-category='%s'] [data-large-text]\") || {}).checked;"
    check(page.js(large % "流动党员") is True and page.js(large % "农村党员") is False,
          "流动党员 added with 默认大字 ticked, 农村党员 without")
    check(not page.js("return document.getElementById('category-large-text').checked;"), "the form's tick cleared")
    page.wait(lambda: page.exists("#member-category option") and "流动党员" in page.text("#member-category"),
              "流动党员 offered by the category filter")
    # A name the list already has: refused in Chinese, the list unchanged.
    page.type("#category-name", "党务干部")
    page.click("#category-add")
    page.wait_text("#category-status", "已有名为「党务干部」的党员类别", "the duplicate refused")
    check(len(page.els("#category-list li[data-category='党务干部']")) == 1, "党务干部 listed once")
    page.el("#category-name").clear()
    # 流动党员 (last) moves up one place: the list and the filter follow the new order.
    names = lambda: page.js("return Array.from(document.querySelectorAll('#category-list li')).map(function(n){"
                            "return n.getAttribute('data-category');});")
    # In the narrow side panel each category's buttons share one row (↑ used to sit on the name's line, ↓ below).
    rows = page.js("return Array.from(document.querySelectorAll('#category-list li')).map(function (li) {"
                   "  return [li.getAttribute('data-category'), Array.from(li.querySelectorAll('[data-move], [data-rename], [data-delete]'))"
                   "    .map(function (b) { return Math.round(b.getBoundingClientRect().top); })]; });")
    broken = [name for name, tops in rows if len(set(tops)) != 1]
    check(not broken, "the category buttons are split over two lines for %s: %s" % (broken, rows))
    page.click("#category-list li[data-category='流动党员'] [data-step='-1']")
    page.wait(lambda: names()[-2:] == ["流动党员", "党务干部"], "流动党员 moved above 党务干部 (now %s)" % names())
    page.wait_text("#category-status", "已调整「流动党员」的位置", "the move confirmed")

    page.click("tr[data-member='T9001'] [data-open]")
    page.wait_shown("#member-dialog")
    page.wait(lambda: page.exists("#member-categories [data-category-choice='农村党员']"), "the category ticks")
    page.el("#member-categories [data-category-choice='农村党员']").click()
    page.click("#member-save")
    page.wait_text("#member-form-status", "已保存", "the categories saved")
    page.wait(lambda: "农村党员" in page.text("#member-category-history"), "农村党员 in the member's category history")
    check(page.js("return document.querySelector(\"#member-categories [data-category-choice='农村党员']\").checked"),
          "农村党员 stays ticked after the save")
    page.shot("06b-member-categories", full_page=False)
    page.click("#member-dialog-close")
    page.wait(lambda: not page.el("#member-dialog").is_displayed(), "the dialog to close")
    page.wait(lambda: page.attr("tr[data-member='T9001'] [data-categories]", "data-categories") == "农村党员",
              "赵新's row showing 农村党员")

    page.choose("#member-category", "农村党员")
    page.wait(lambda: [r.get_attribute("data-member") for r in page.els("#member-rows tr[data-member]")] == ["T9001"],
              "the 农村党员 filter to list only 赵新 (T9001)")
    page.wait_text("#member-page-info", "共 1 人", "the filtered count")
    page.choose("#member-category", "流动党员")
    page.wait(lambda: page.exists("#member-rows td.empty"), "nobody in 流动党员")
    page.choose("#member-category", "全部类别")
    page.wait(lambda: len(page.els("#member-rows tr[data-member]")) > 1, "the whole branch listed again")


def admin_banks(page):
    step("banks: upload a bank owned by 第一党支部, share it; a broken bank shows located errors")
    page.click("[data-nav='banks']")
    page.wait(lambda: page.path().startswith("/banks.html"), "the banks page")
    page.wait(lambda: page.attr("#bank-list", "aria-busy") == "false", "the bank list")
    page.wait(lambda: len(Select(page.el("#upload-unit")).options) > 1, "the owner unit picker")
    page.upload("#upload-file", os.path.join(BANK_FIXTURES, "valid-chinese.xlsx"))
    page.type("#upload-name", "支部学习题库")
    page.choose("#upload-unit", FIRST)
    page.click("#upload-submit")
    page.wait(lambda: page.attr("#upload-result", "data-state") in ("success", "rejected", "error"),
              "the bank upload's result")
    check(page.attr("#upload-result", "data-state") == "success",
          "valid-chinese.xlsx was not imported: %s" % page.text("#upload-result"))
    bank = "[data-bank='支部学习题库']"
    page.wait_shown(bank)
    check(FIRST in page.text(bank + " .bank-owner"), "the bank list shows the owner unit: %r" % page.text(bank))
    page.wait_text("#browser-title", "支部学习题库")
    page.wait(lambda: len(page.els("#question-list .question")) > 0, "the bank's questions")
    page.click("#bank-shared")
    page.wait(lambda: page.exists(bank + " [data-shared]"), "the 共享 badge after sharing")
    page.upload("#upload-file", os.path.join(BANK_FIXTURES, "valid-english.xlsx"))
    page.type("#upload-name", "党委共享题库")
    page.choose("#upload-unit", "机关党委")
    page.el("#upload-shared").click()
    page.click("#upload-submit")
    page.wait(lambda: page.exists("[data-bank='党委共享题库'] [data-shared]"), "党委共享题库 listed as shared")
    page.upload("#upload-file", os.path.join(BANK_FIXTURES, "broken.xlsx"))
    page.el("#upload-name").clear()
    page.type("#upload-name", "坏题库")
    page.click("#upload-submit")
    page.wait(lambda: page.attr("#upload-result", "data-state") in ("success", "rejected", "error"),
              "the broken bank's result")
    check(page.attr("#upload-result", "data-state") == "rejected",
          "broken.xlsx was answered with %s, expected located errors" % page.text("#upload-result"))
    errors = page.els("#upload-errors li")
    check(len(errors) >= 5, "broken.xlsx lists %d errors, expected at least 5" % len(errors))
    check(not page.exists("[data-bank='坏题库']"), "the broken bank was not created")
    page.shot("07-banks-errors")


def admin_accounts(page):
    step("accounts: create organizer zhibu1 of 第一党支部; disable, enable, reset and delete another")
    page.click("[data-nav='accounts']")
    page.wait(lambda: page.path().startswith("/accounts.html"), "the accounts page")
    page.wait(lambda: page.exists("#account-rows tr[data-account='admin']"), "the account list with admin")
    check(page.shown("#account-role"), "an administrator sees the role picker")
    page.wait(lambda: len(Select(page.el("#account-unit")).options) > 1, "the unit picker")

    def create(username, display, password, unit):
        page.type("#account-username", username)
        page.type("#account-display", display)
        page.type("#account-password", password)
        page.choose("#account-role", "组织者")
        page.choose("#account-unit", unit)
        page.click("#account-submit")
        page.wait(lambda: page.exists("#account-rows tr[data-account='%s']" % username),
                  "%s in the account list" % username)

    create("zhibu1", "第一党支部组织委员", ORGANIZER_PASSWORD, FIRST)
    row = "#account-rows tr[data-account='zhibu1']"
    check(FIRST in page.text(row), "zhibu1's row names 第一党支部: %r" % page.text(row))
    create("temp2", "临时账号", "Temp2-pass-2024", SECOND)
    temp = "#account-rows tr[data-account='temp2']"
    page.click(temp + " [data-action='toggle']")
    page.wait_text(temp, "已停用")
    page.click(temp + " [data-action='toggle']")
    page.wait_text(temp, "正常")
    page.click(temp + " [data-action='password']")
    check(page.text("#password-title") == "重置「temp2」的密码", "another account's dialog resets: %r" % page.text("#password-title"))
    page.type("#password-new", "Temp2-newpass-2024")
    page.type("#password-confirm", "Temp2-newpass-2024")
    page.click("#password-save")
    # Not just "temp2": the status already named temp2 (已启用), so that wait raced the dialog still open.
    page.wait_text("#account-status", "已重置「temp2」的密码")
    page.wait(lambda: not page.shown("#password-dialog"), "the password dialog to close")
    page.click(temp + " [data-action='delete']")
    page.accept_confirm()
    page.wait(lambda: not page.exists(temp), "temp2 to leave the list")
    page.shot("08-accounts")


def admin_issues_invitation(page, ids):
    step("invitation: issue a link for 王建国 (D0003), with a copy button and a QR code")
    page.go("/roster.html?unit=" + ids[FIRST])
    page.wait_text("#roster-title", FIRST)
    page.click("#member-rows [data-invite='D0003']")
    page.wait_shown("#member-dialog")
    page.click("#invite-issue")
    page.wait(lambda: page.attr("#invite-link", "value"), "the invitation link")
    link = page.attr("#invite-link", "value")
    check(link.startswith(page.base + "/invite"), "the link %r is built from the public URL %s" % (link, page.base))
    check("#" in link or "token=" in link, "the link %r carries its token" % link)
    page.wait(lambda: page.js("var i=document.getElementById('invite-qr');return i.complete&&i.naturalWidth>0;"),
              "the QR code image (/api/qr) to load")
    src = page.attr("#invite-qr", "src")
    check("/api/qr?text=" in src, "the QR image comes from /api/qr: %r" % src)
    decoded = decode_qr(page.el("#invite-qr").screenshot_as_png)
    if decoded is not None:
        check(decoded == link, "the QR code on the page reads %r, expected the link %r" % (decoded, link))
    page.click("#invite-copy")
    page.wait(lambda: page.text("#invite-copy-status") != "", "the copy confirmation")
    copied = page.attr("#invite-copy-status", "data-copied")
    if copied == "true":
        # Chromium lets the page read back what it wrote when the permission is granted.
        try:
            read = page.d.execute_async_script(
                "var done=arguments[arguments.length-1];navigator.clipboard.readText().then(done,"
                "function(){done(null)});")
            check(read in (None, link), "the clipboard holds %r, expected the link" % read)
        except WebDriverException:
            pass
    page.wait(lambda: page.exists("#invite-list [data-state='active']"), "the active invitation in the list")
    page.shot("09-invitation", full_page=False)
    return link


def organizer_is_scoped(page, ids):
    step("organizer: zhibu1 in a fresh browser sees only 第一党支部; 第二党支部's roster is refused (403)")
    page.go("/login.html")
    sign_in(page, "zhibu1", ORGANIZER_PASSWORD)
    page.wait(lambda: page.attr("#unit-tree", "aria-busy") == "false", "the organizer's tree")
    page.wait_shown(tree_node(FIRST))
    check(not page.exists(tree_node(SECOND)), "the organizer's tree shows 第二党支部")
    check(not page.exists(tree_node("机关党委")), "the organizer's tree shows 机关党委")
    check(not page.shown("#root-form"), "an organizer sees the 添加顶级单位 form")
    page.shot("10-organizer-org")
    page.go("/roster.html?unit=" + ids[SECOND])
    page.wait(lambda: page.attr("#page-status", "data-status") in ("403", "404"), "the refusal")
    check(page.attr("#page-status", "data-status") == "403",
          "第二党支部's roster answered %s, expected 403" % page.attr("#page-status", "data-status"))
    check("无权访问" in page.text("#page-status"), "the page says 无权访问: %r" % page.text("#page-status"))
    check(not page.exists("#member-rows tr[data-member]"), "no member of 第二党支部 is listed")
    page.shot("11-organizer-forbidden")
    for url in ("/api/units/%s/members" % ids[SECOND], "/api/members/D0101", "/api/members/D0002"):
        status = page.fetch_status(url)
        check(status == 403, "the organizer's fetch of %s answered %r, expected 403" % (url, status))
    check(page.fetch_status("/api/units/%s/members" % ids[FIRST]) == 200, "the organizer reads 第一党支部's roster")
    check(page.fetch_status("/api/member-categories") == 200, "the organizer reads the category list")
    page.go("/accounts.html")
    page.wait(lambda: page.attr("#account-rows", "aria-busy") == "false", "the organizer's accounts")
    check(not page.shown("#account-role"), "an organizer sees the role picker (admin only)")
    check(not page.exists("#account-rows tr[data-account='admin']"), "an organizer sees the admin account")
    page.go("/banks.html")
    page.wait_shown("[data-bank='支部学习题库']", "第一党支部's bank in the organizer's list")
    shared = "[data-bank='党委共享题库']"
    page.wait_shown(shared, "the bank 机关党委 shares down, in the organizer's list")
    check(page.exists(shared + " [data-readonly]"), "the organizer sees 机关党委's shared bank marked read only")
    page.click(shared)
    page.wait_text("#browser-title", "党委共享题库")
    page.wait(lambda: not page.shown("#delete-bank") and not page.shown("#bank-shared-field"),
              "no delete or sharing controls on a bank the organizer may not change")
    page.click("[data-bank='支部学习题库']")
    page.wait_text("#browser-title", "支部学习题库")
    page.wait_shown("#delete-bank", "the delete button on the organizer's own bank")
    page.shot("12-organizer-banks")


def organizer_changes_own_password(page):
    step("organizer: zhibu1 changes their own password: 修改密码, a mistyped repeat is refused with nothing sent, then"
         " the login page says to sign in again, and only the new password works")
    page.go("/accounts.html")
    own = "#account-rows tr[data-account='zhibu1']"
    page.wait_shown(own + " [data-action='password']", "zhibu1's own row")
    check(page.text(own + " [data-action='password']") == "修改密码",
          "one's own row offers 修改密码, not %r" % page.text(own + " [data-action='password']"))
    page.click(own + " [data-action='password']")
    page.wait_shown("#password-dialog")
    check(page.text("#password-title") == "修改我的密码（zhibu1）", "the dialog's title: %r" % page.text("#password-title"))
    check(page.shown("#password-hint-own") and not page.shown("#password-hint"), "the hint says this device signs out too")
    check("重新登录" in page.text("#password-hint-own"), "the hint: %r" % page.text("#password-hint-own"))
    page.type("#password-new", ORGANIZER_NEW_PASSWORD)
    page.type("#password-confirm", ORGANIZER_NEW_PASSWORD + "x")
    page.click("#password-save")
    page.wait_text("[data-testid='password-status']", "不一致")
    check(page.path().startswith("/accounts.html"), "a mismatch stays on the page")
    check(page.fetch_status("/api/session") == 200, "a mismatch sends nothing: the session is still alive")
    page.type("#password-confirm", ORGANIZER_NEW_PASSWORD)
    page.shot("12b-organizer-own-password")
    page.click("#password-save")
    page.wait(lambda: page.path().startswith("/login.html"), "the login page after changing one's own password")
    page.wait_shown("[data-testid='login-notice']")
    check("请用新密码重新登录" in page.text("[data-testid='login-notice']"),
          "the login page explains why: %r" % page.text("[data-testid='login-notice']"))
    page.shot("12c-organizer-password-changed")
    page.type("#login-username", "zhibu1")
    page.type("#login-password", ORGANIZER_PASSWORD)
    page.click("#login-submit")
    page.wait_text("[data-testid='login-error']", "用户名或密码错误")
    sign_in(page, "zhibu1", ORGANIZER_NEW_PASSWORD, landing="/accounts.html")


def member_redeems(page, link):
    step("member: a bad link explains itself (also through the old /invite.html name); the real link signs in on a "
         "phone and lands on me.html")
    page.go("/invite.html#this-is-not-a-valid-token")
    page.wait(lambda: page.path().startswith("/invite/")
              and page.js("return document.body.getAttribute('data-state')") == "failed",
              "/invite.html forwarding the token to /invite/, which refuses it")
    page.go("/invite#this-is-not-a-valid-token")
    page.wait(lambda: page.js("return document.body.getAttribute('data-state')") == "failed", "the failure view")
    check("无效" in page.text("#invite-error") or "撤销" in page.text("#invite-error"),
          "a bad link says it is invalid or revoked: %r" % page.text("#invite-error"))
    check(not page.shown("#invite-to-me"), "no 打开我的页面 without a session: it only led to 您尚未登录")
    page.shot("13-invite-invalid", full_page=False)
    page.d.get("about:blank")
    page.d.get(link)
    page.wait(lambda: page.path().startswith("/me.html"), "me.html after opening the invitation link")
    page.wait_text("#member-name", "王建国", "the member's name on me.html")
    check("D0003" in page.text("#member-number"), "me.html shows the member number")
    check(FIRST in page.text("#member-branch"), "me.html shows the branch path: %r" % page.text("#member-branch"))
    check(page.shown("#no-activities"), "me.html says there are no activities yet")
    page.shot("14-me", full_page=False)
    page.go("/invite#an-old-revoked-link")
    page.wait(lambda: page.js("return document.body.getAttribute('data-state')") == "failed", "the failure view")
    page.click("#invite-to-me")
    page.wait_text("#member-name", "王建国", "打开我的页面 leads a signed-in member back to me.html")
    page.click("#large-text")
    page.wait(lambda: page.js("return document.documentElement.classList.contains('large-text')"), "large text")
    page.shot("15-me-large-text", full_page=False)
    page.d.refresh()
    page.wait_text("#member-name", "王建国", "the member still signed in after a reload")
    check(page.js("return document.documentElement.classList.contains('large-text')"), "large text is remembered")
    page.click("#large-text")
    page.go("/")
    page.wait(lambda: page.path().startswith("/me.html"), "a member opening the console to land on me.html")
    page.wait_text("#member-name", "王建国")
    step("member: 退出登录 asks first, saying the invitation link is needed to come back; 取消 keeps the session")
    page.click("#sign-out")
    box = page.wait(lambda: page.alert(), "a confirmation before signing out")
    check("邀请链接" in box.text, "the confirmation says the invitation link is needed again: %r" % box.text)
    box.dismiss()
    page.d.refresh()
    page.wait_text("#member-name", "王建国", "the member still signed in after cancelling")


def admin_revokes(page):
    step("invitation: the admin revokes the link")
    page.click("#invite-list [data-revoke]")
    page.accept_confirm()
    page.wait(lambda: page.exists("#invite-list [data-state='revoked']")
              and not page.exists("#invite-list [data-state='active']"), "the invitation marked revoked")
    page.click("#member-dialog-close")


def member_is_signed_out(page):
    step("member: after the revocation the page shows the signed-out state")
    page.d.refresh()
    page.wait(lambda: page.js("return document.body.getAttribute('data-state')") == "signed-out",
              "the signed-out view")
    reason = page.attr("#signed-out-reason", "data-reason")
    check(reason == "expired", "the signed-out reason is %r, expected 'expired'" % reason)
    check(page.shown("a[href='/login.html']"), "the signed-out view offers the organizer sign-in")
    page.shot("16-me-revoked", full_page=False)


def admin_language_and_phone(page, ids):
    step("language: English on every console page, kept across pages; back to Chinese")
    page.go("/")
    page.wait_shown("#console-nav")
    page.click(".lang-switch [data-lang='en']")
    page.wait(lambda: page.text("[data-nav='org']") == "Org chart", "the nav in English")
    check(page.js("return document.documentElement.lang") == "en", "<html lang> follows the switch")
    page.wait(lambda: "direct" in page.text(tree_node(FIRST)), "the tree counts in English")
    page.shot("17-org-english")
    page.go("/roster.html?unit=" + ids[FIRST])
    page.wait_text("#roster-title", "Roster")
    page.wait(lambda: "members" in page.text("#member-page-info"), "the pager in English")
    page.shot("18-roster-english")
    page.click(".lang-switch [data-lang='zh']")
    page.wait(lambda: page.text("[data-nav='org']") == "组织架构", "the nav back in Chinese")

    step("phone width: the console works at 390 px without sideways scrolling")
    page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    page.go("/roster.html?unit=" + ids[FIRST])
    page.wait_text("#member-page-info", "24")
    # Each nav item stays one line and every one is in sight (the row wraps): they used to fold to a character a
    # line.
    tall = page.js("return Array.from(document.querySelectorAll('#console-nav a')).filter(function (a) {"
                   "  var r = document.createRange(); r.selectNodeContents(a); return r.getClientRects().length > 1; })"
                   ".map(function (a) { return a.textContent.trim(); });")
    check(not tall, "nav items broken over several lines at 390 px: %s" % tall)
    hidden = page.js("return Array.from(document.querySelectorAll('#console-nav a')).filter(function (a) {"
                     "  var r = a.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; })"
                     ".map(function (a) { return a.textContent.trim(); });")
    check(not hidden, "nav items beyond the screen's edge at 390 px: %s" % hidden)
    page.shot("19-roster-390px", full_page=False)
    page.go("/")
    page.wait_shown(tree_node(FIRST))
    page.shot("20-org-390px", full_page=False)
    page.go("/accounts.html")
    page.wait(lambda: page.exists("#account-rows tr[data-account='zhibu1']"), "the accounts at 390 px")
    page.shot("21-accounts-390px", full_page=False)
    page.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    step("sign-out: 退出 ends the session; the console then asks to sign in")
    page.click("#logout")
    page.wait(lambda: page.path().startswith("/login.html"), "the login page after 退出")
    page.go("/accounts.html")
    page.wait(lambda: page.path().startswith("/login.html?next="), "the login page for a signed-out visitor")


def login_rate_limit(page):
    step("login: repeated wrong passwords end in 429, shown as 尝试次数过多，请 N 分钟后再试")
    page.go("/login.html")
    page.wait_shown("#login-username")
    for attempt in range(1, 31):
        page.type("#login-username", "nobody")
        page.type("#login-password", "wrong-%d" % attempt)
        page.click("#login-submit")
        page.wait(lambda: page.attr("#login-error", "data-status") and page.el("#login-submit").is_enabled(),
                  "the answer to attempt %d" % attempt)
        if page.attr("#login-error", "data-status") == "429":
            break
        page.js("document.getElementById('login-error').removeAttribute('data-status');")
    message = page.text("#login-error")
    check(re.search(r"尝试次数过多，请 \d+ 分钟后再试", message),
          "after %d wrong passwords the page shows %r, expected 尝试次数过多，请 N 分钟后再试" % (attempt, message))
    page.shot("22-login-rate-limited")


def run(args):
    check_dictionaries()
    step("i18n dictionaries: same keys in zh and en, every used key defined")
    workdir = tempfile.mkdtemp(prefix="dengao-browser-")
    server = Server(args.dengao, workdir, database=args.database)
    browsers = []
    failed = True
    try:
        server.create_admin()
        server.start()
        step("server up at %s (data %s)" % (server.base, server.data))

        admin_driver = new_browser()
        browsers.append(admin_driver)
        try:
            admin_driver.execute_cdp_cmd("Browser.grantPermissions", {
                "origin": server.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        except WebDriverException:
            pass  # older Chromium: the copy button falls back to selecting the text
        admin = Page(admin_driver, server.base, args.screenshots, "admin")
        admin_signs_in(admin)
        csp_is_enforced(admin)
        admin_builds_tree(admin)
        admin_imports_roster(admin)
        ids = unit_ids(admin)
        check(all(name in ids for name in (FIRST, SECOND, THIRD)), "the tree holds the three branches: %s" % ids)
        admin_edits_member(admin, ids)
        admin_sets_categories(admin)
        admin_banks(admin)
        admin_accounts(admin)
        link = admin_issues_invitation(admin, ids)

        organizer_driver = new_browser()
        browsers.append(organizer_driver)
        organizer = Page(organizer_driver, server.base, args.screenshots, "organizer")
        organizer_is_scoped(organizer, ids)
        organizer_changes_own_password(organizer)

        member_driver = new_browser(phone=True)
        browsers.append(member_driver)
        member = Page(member_driver, server.base, args.screenshots, "member (phone)")
        member_redeems(member, link)
        admin_revokes(admin)
        member_is_signed_out(member)
        admin_language_and_phone(admin, ids)
        # Last, in its own browser: it locks the name "nobody" (and counts against this address).
        limited_driver = new_browser()
        browsers.append(limited_driver)
        login_rate_limit(Page(limited_driver, server.base, args.screenshots, "rate limit"))
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


def start_browsers(makers):
    """Starts one browser per (label, make) pair, all at once (each takes seconds): {label: driver}. A browser that
    failed to start is missing from the result, which the suite checks."""
    drivers = {}

    def start(label, make):
        drivers[label] = make()
    threads = [threading.Thread(target=start, args=pair) for pair in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return drivers


def print_browser_logs(drivers):
    """The last lines of each browser's console, for a failed suite's report."""
    for label, driver in drivers.items():
        try:
            entries = [entry.get("message", "") for entry in driver.get_log("browser")]
        except Exception:  # noqa: BLE001 - the browser may be gone
            entries = []
        if entries:
            print("---- %s console ----\n%s" % (label, "\n".join(entries[-20:])), file=sys.stderr)


def clean_up(drivers, server, failed, workdir, keep=False):
    """What every suite does last: quits its browsers, stops the server (its log's tail when the suite failed) and
    removes the data directory unless asked to keep it."""
    for driver in drivers:
        if driver is None:
            continue
        try:
            driver.quit()
        except Exception:  # noqa: BLE001 - quitting is best effort
            pass
    server.stop()
    if failed:
        print("---- server log (last lines) ----\n" + server.log_tail(), file=sys.stderr)
    if keep:
        print("kept %s" % workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def suite_main(name, description, screenshots, timeout, run, summary):
    """The command line every browser suite shares: checks its tools, clears its screenshots, runs `run(args)`
    under a time limit, and prints PASS with `summary` or FAIL with the reason. Returns the exit status."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dengao", default=".build/debug/dengao", help="the dengao executable")
    parser.add_argument("--screenshots", default=screenshots, help="folder for the PNG screenshots")
    parser.add_argument("--timeout", type=int, default=timeout, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory and server log")
    parser.add_argument("--database", help="run the server on PostgreSQL, in a fresh database (dropped at the end) "
                        "on the cluster this postgresql:// URL names; default: SQLite in the data directory")
    args = parser.parse_args()
    args.dengao = os.path.abspath(args.dengao)
    args.screenshots = os.path.abspath(args.screenshots)
    if not os.access(args.dengao, os.X_OK):
        print("%s: %s is not an executable; build it with `swift build --product dengao`" % (name, args.dengao),
              file=sys.stderr)
        return 2
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.access(tool, os.X_OK):
            print("%s: %s is missing; apt-get install -y --no-install-recommends chromium "
                  "chromium-driver" % (name, tool), file=sys.stderr)
            return 2
    os.makedirs(args.screenshots, exist_ok=True)
    for old in glob.glob(os.path.join(args.screenshots, "*.png")):
        os.remove(old)

    def out_of_time(signum, frame):
        raise Failure("%s took longer than %d s" % (name, args.timeout))
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.timeout)
    started = time.time()
    try:
        run(args)
    except Failure as failure:
        print("FAIL: %s" % failure, file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - any other error is a failure too, with its trace
        traceback.print_exc()
        print("FAIL: unexpected error (trace above)", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
    print("PASS: %s, %d screenshots in %s (%.1f s)" % (summary, len(SHOTS), args.screenshots, time.time() - started))
    return 0


def main():
    return suite_main("console_test", "Dengao console and member pages in a real browser.", "screenshots/console", 600,
                      run, "console and member pages in Chromium")


if __name__ == "__main__":
    sys.exit(main())
