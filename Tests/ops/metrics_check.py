#!/usr/bin/env python3
"""The metrics endpoint end to end (run by .ci/run).

Starts `dengao serve --demo` with `/metrics` on a listener of its own and a bearer token, plays a short contest
(a host and PLAYERS guests over real WebSockets) and a climb (a member through an invitation link), then scrapes:
the public port must not serve /metrics, the metrics port must refuse a scrape without the token, the exposition
must pass `promtool check metrics`, the counters must have moved by what was played, and no label may carry the
contest's PIN or id, a player's name or a member's number. Every series deploy/grafana-dashboard.json asks for must
be written, and docs/operations.md must list every family.

    python3 Tests/ops/metrics_check.py --dengao .build/debug/dengao [--promtool promtool] [--players 5]
"""
import argparse, asyncio, json, os, re, subprocess, sys, tempfile, time, urllib.error, urllib.request
import http.cookiejar

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from dengao_process import free_port, start_server, stop_server  # noqa: E402
from contest_client import receive  # noqa: E402

TOKEN = "ci-metrics-token-" + os.urandom(8).hex()


class Session:
    """A signed-in browser: cookie jar plus CSRF token."""
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def request(self, method, path, payload=None):
        headers = {"Content-Type": "application/json"}
        if self.csrf: headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with self.opener.open(request, timeout=30) as response:
            body = json.load(response)
        if "csrfToken" in body: self.csrf = body["csrfToken"]
        return body

    @property
    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def status_of(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def play_contest(port, console, contest, players, scrape):
    """Seats the guests, has each answer question 1, reveals it, finishes; scrapes while everyone is connected."""
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    await receive(host, "welcome")
    branches = [b["id"] for b in console.request("GET", f"/api/join/{contest['pin']}")["branches"]]
    guests = []
    for index in range(players):
        ws = await websockets.connect(url, open_timeout=20, max_size=2**22)
        await ws.send(json.dumps({"type": "join", "v": 1, "pin": contest["pin"], "name": f"指标选手{index}",
                                  "branchId": branches[index % len(branches)]}))
        await receive(ws, "welcome")
        guests.append(ws)
    await host.send(json.dumps({"type": "command", "command": "next"}))
    for index, ws in enumerate(guests):
        state = await receive(ws, "state")
        while state.get("phase") != "open":
            state = await receive(ws, "state")
        question = state["question"]
        message = {"type": "answer", "number": question["number"]}
        if question.get("options"): message["picks"] = [index % len(question["options"])]
        elif question.get("type") == "truefalse": message["truth"] = index % 2 == 0
        else: message["text"] = "答案"
        await ws.send(json.dumps(message))
        ack = await receive(ws, "ack")
        assert ack["status"] == "accepted", ack
    await host.send(json.dumps({"type": "command", "command": "reveal"}))
    for ws in guests:
        await receive(ws, "reveal")
    during = scrape()
    await host.send(json.dumps({"type": "command", "command": "finish"}))
    await receive(host, "leaderboard")
    for ws in guests + [host]:
        await ws.close()
    return during


def climb(port, console):
    """A member redeems an invitation and plays one level of a new campaign to its end."""
    settings = {"title": "指标登高", "startDate": "2026-01-01", "endDate": "2099-12-31", "banks": ["党章党规党纪"],
                "levels": [{"title": "第1关",
                            "draw": {"count": 3, "categories": [], "tags": [], "types": ["truefalse"],
                                     "minDifficulty": 1, "maxDifficulty": 5},
                            "timeLimit": {"perQuestion": {"seconds": 60}}, "passThreshold": 0.8}]}
    campaign = console.request("POST", "/api/campaigns", {"settings": settings})["campaign"]
    link = console.request("POST", "/api/members/DG0001/invitations")["link"]
    phone = Session(port)
    phone.request("POST", "/api/invitations/redeem", {"token": link.split("#")[-1]})
    attempt = phone.request("POST", f"/api/climb/{campaign['id']}/attempts")
    for index in range(3):
        if attempt["status"] != "answering": break
        reply = phone.request("POST", f"/api/climb/{campaign['id']}/attempts/{attempt['seq']}/answers",
                              {"index": index, "truth": True})
        attempt = reply["attempt"]
        if attempt["status"] == "answering":
            attempt = phone.request("GET", f"/api/climb/{campaign['id']}/attempts/{attempt['seq']}")
    assert attempt["status"] in ("passed", "failed"), attempt
    return campaign


def samples(text):
    """{(name, frozenset(labels)): value} of an exposition."""
    parsed = {}
    for line in text.splitlines():
        if not line or line.startswith("#"): continue
        series, value = line.rsplit(" ", 1)
        name, _, labels = series.partition("{")
        pairs = frozenset(re.findall(r'(\w+)="([^"]*)"', labels))
        parsed[(name, pairs)] = float(value)
    return parsed


def total(parsed, name, **labels):
    return sum(v for (n, pairs), v in parsed.items() if n == name and set(labels.items()) <= set(pairs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    parser.add_argument("--promtool", default="promtool")
    parser.add_argument("--players", type=int, default=5)
    args = parser.parse_args()
    started = time.time()
    data = tempfile.mkdtemp(prefix="dengao-metrics-")
    port, metrics_port = free_port(), free_port()
    log = open(os.path.join(data, "server.log"), "w+")
    server = start_server(args.dengao, data, port, log, "--demo", "--metrics-address", f"127.0.0.1:{metrics_port}",
                          "--metrics-token", TOKEN)
    try:
        metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
        scrape = lambda: status_of(metrics_url, {"Authorization": f"Bearer {TOKEN}"})[1]
        public, _ = status_of(f"http://127.0.0.1:{port}/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert public == 404, f"the public port answered /metrics with {public}"
        refused, _ = status_of(metrics_url)
        assert refused == 401, f"a scrape without the token answered {refused}"

        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        console = Session(port)
        try:
            console.request("POST", "/api/session", {"username": "admin", "password": "wrong"})
        except urllib.error.HTTPError as error:
            assert error.code == 401
        console.request("POST", "/api/session", {"username": "admin", "password": password})
        settings = {"title": "指标测试", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"],
                                                  "draw": {"count": 2}, "timeLimitSeconds": 60}]}
        contest = console.request("POST", "/api/contests", {"settings": settings})["contest"]
        during = samples(asyncio.run(asyncio.wait_for(play_contest(port, console, contest, args.players, scrape), 120)))
        campaign = climb(port, console)

        text = scrape()
        with open(os.path.join(data, "metrics.txt"), "w") as f: f.write(text)
        check = subprocess.run([args.promtool, "check", "metrics"], input=text, capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip() and not check.stderr.strip(), \
            f"promtool check metrics:\n{check.stdout}{check.stderr}"
        after = samples(text)
        expected = {
            ("dengao_websocket_connections", (("role", "player"),)): (during, args.players),
            ("dengao_websocket_connections", (("role", "host"),)): (during, 1),
            ("dengao_contest_joins_total", ()): (after, args.players),
            ("dengao_contest_answers_total", (("outcome", "accepted"),)): (after, args.players),
            ("dengao_contest_answer_ack_duration_seconds_count", ()): (after, args.players),
            ("dengao_climb_attempts_started_total", ()): (after, 1),
            ("dengao_sign_in_failures_total", (("kind", "password"),)): (after, 1),
            ("dengao_build_info", ()): (after, 1),
        }
        for (name, labels), (scraped, value) in expected.items():
            got = total(scraped, name, **dict(labels))
            assert got == value, f"{name}{dict(labels)} = {got}, expected {value}"
        for name in ["dengao_journal_batch_records_count", "dengao_journal_commit_duration_seconds_count",
                     "dengao_climb_attempts_ended_total", "dengao_http_requests_total"]:
            assert total(after, name) >= 1, f"{name} did not move"
        assert total(after, "dengao_fanout_duration_seconds_count", kind="reveal") >= 1, "no reveal fan-out timed"
        assert total(after, "dengao_live_rooms", kind="campaign") == 1
        values = {value for (_, pairs) in after for _, value in pairs}
        forbidden = [contest["pin"], "指标选手", "DG0001", f"/{contest['id']}/", f"/{campaign['id']}/"]
        leaked = [v for v in values if any(f in v for f in forbidden) or re.search(r"/[0-9]+(/|$)", v)]
        assert not leaked, f"labels name a contest, a campaign or a person: {leaked}"
        # The dashboard asks only for series the server writes, and the operations guide lists every family.
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        with open(os.path.join(root, "deploy", "grafana-dashboard.json")) as f:
            asked = set(re.findall(r"dengao_[a-z_]+", f.read()))
        written = {n for (n, _) in after}
        assert asked <= written, f"the dashboard asks for series the server does not write: {sorted(asked - written)}"
        with open(os.path.join(root, "docs", "operations.md")) as f:
            guide = f.read()
        types = set(re.findall(r"^# TYPE (\S+)", text, re.MULTILINE))
        undocumented = [n for n in types if f"`{n}`" not in guide]
        assert not undocumented, f"docs/operations.md does not list {sorted(undocumented)}"
        families = len(types)
        print(f"metrics: {len(after)} samples in {families} families pass promtool; {args.players} joins and "
              f"answers counted; {time.time() - started:.1f} s")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
