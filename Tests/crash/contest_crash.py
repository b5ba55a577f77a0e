#!/usr/bin/env python3
"""Crash test of the live contest's durability (run by .ci/run).

Starts `dengao serve` on a loopback port, seats PLAYERS guests, opens a question and has them all answer in a
surge, then kills the server with SIGKILL while answers are still arriving. A new server on the same data must
hold every answer that was acknowledged (in its journal and as its report row), and the contest must come back paused at the same question, with the
players able to resume their seats (the ones acknowledged see their answer).

    python3 Tests/crash/contest_crash.py --dengao .build/debug/dengao [--players 150] [--database postgresql://…]

With `--database`, the server runs on PostgreSQL, in a fresh database of this run's own on that cluster
(Tests/support/test_database.py), and the checks read it there.
"""
import argparse, asyncio, json, os, re, signal, sys, tempfile, time, urllib.request
import http.cookiejar

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from dengao_process import free_port, start_server, stop_server  # noqa: E402
from contest_client import receive  # noqa: E402,F401 (the other scripts import it from here too)
from test_database import TestDatabase  # noqa: E402


def start(dengao, data, port, log, database):
    return start_server(dengao, data, port, log, "--demo", *database.server_args)


class Console:
    """An administrator's HTTP session: cookie jar plus CSRF token."""
    def __init__(self, port, password):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        body = self.request("POST", "/api/session", {"username": "admin", "password": password})
        self.csrf = body["csrfToken"]

    def request(self, method, path, payload=None):
        headers = {"Content-Type": "application/json"}
        if getattr(self, "csrf", None): headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(payload).encode() if payload is not None else None
        with self.opener.open(urllib.request.Request(self.base + path, data=data, headers=headers, method=method), timeout=30) as response:
            return json.load(response)

    @property
    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

async def play_until_killed(port, console, contest, players, server):
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    await receive(host, "welcome")
    branches = [b["id"] for b in console.request("GET", f"/api/join/{contest['pin']}")["branches"]]
    sockets, tokens = [], []
    for index in range(players):
        ws = await websockets.connect(url, open_timeout=20, max_size=2**22)
        await ws.send(json.dumps({"type": "join", "v": 1, "pin": contest["pin"], "name": f"p{index}",
                                  "branchId": branches[index % len(branches)]}))
        welcome = await receive(ws, "welcome")
        sockets.append(ws)
        tokens.append((welcome["seat"]["id"], welcome["token"]))
    await host.send(json.dumps({"type": "command", "command": "next"}))
    acknowledged = []  # (seat, number)

    async def answer(index, ws):
        state = await receive(ws, "state")
        while state.get("phase") != "open":
            state = await receive(ws, "state")
        question = state["question"]
        await asyncio.sleep((index % 50) * 0.01)  # the surge: all answers within half a second
        message = {"type": "answer", "number": question["number"]}
        if question.get("options"): message["picks"] = [index % len(question["options"])]
        elif question.get("type") == "truefalse": message["truth"] = index % 2 == 0
        else: message["text"] = "答案"
        await ws.send(json.dumps(message))
        try:
            ack = await receive(ws, "ack", timeout=10)
            if ack["status"] == "accepted":
                acknowledged.append((tokens[index][0], question["number"]))
        except Exception:
            pass  # the server died before acknowledging: this answer was never promised

    async def killer():
        # Kill once a third of the answers are acknowledged: the rest are in flight.
        while len(acknowledged) < players // 3:
            await asyncio.sleep(0.002)
        server.send_signal(signal.SIGKILL)

    await asyncio.gather(killer(), *(answer(i, ws) for i, ws in enumerate(sockets)), return_exceptions=True)
    return acknowledged, tokens

async def check_resumed(port, console, contest, acknowledged, tokens):
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    state = await receive(host, "state")
    assert state["phase"] == "open" and state["paused"], f"contest not resumed paused at its question: {state}"
    acked_seats = {seat for seat, _ in acknowledged}
    for seat, token in tokens[:40]:
        ws = await websockets.connect(url, open_timeout=20)
        await ws.send(json.dumps({"type": "resume", "pin": contest["pin"], "token": token}))
        you = (await receive(ws, "state"))["you"]
        if seat in acked_seats:
            assert you["answered"], f"seat {seat} was acknowledged but does not see its answer"
        await ws.close()
    await host.close()

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    parser.add_argument("--players", type=int, default=150)
    parser.add_argument("--database", help="run on PostgreSQL: a fresh database on the cluster this URL names")
    args = parser.parse_args()
    started = time.time()
    data = tempfile.mkdtemp(prefix="dengao-crash-")
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w+")
    database = TestDatabase(data, args.database)
    server = start(args.dengao, data, port, log, database)
    try:
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        console = Console(port, password)
        settings = {"title": "断电测试", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 2},
                                                   "timeLimitSeconds": 60}]}
        contest = console.request("POST", "/api/contests", {"settings": settings})["contest"]
        acknowledged, tokens = asyncio.run(asyncio.wait_for(
            play_until_killed(port, console, contest, args.players, server), timeout=120))
        server.wait(timeout=10)
        print(f"killed the server with {len(acknowledged)} of {args.players} answers acknowledged")
        assert acknowledged, "no answer was acknowledged before the kill"

        server = start(args.dengao, data, port, log, database)
        stored = {(int(seat), int(number)) for seat, number in database.rows(
            "SELECT json_extract(input, '$.answer.seat'), json_extract(input, '$.answer.number') FROM contestEvent "
            "WHERE contestId = ? AND json_extract(input, '$.answer') IS NOT NULL",
            "SELECT input::jsonb #>> '{answer,seat}', input::jsonb #>> '{answer,number}' FROM contestEvent "
            "WHERE contestId = ? AND input::jsonb -> 'answer' IS NOT NULL", (contest["id"],))}
        missing = [a for a in acknowledged if a not in stored]
        assert not missing, f"acknowledged answers missing after the crash: {missing[:10]}"
        print(f"after restart: {len(stored)} answers stored, all {len(acknowledged)} acknowledged ones among them")
        # Each answer's report row is written in its journal entry's transaction: the same answers, no more, no fewer.
        rows = {(int(seat), int(number)) for seat, number in database.rows(
            "SELECT seat, number FROM contestAnswer WHERE contestId = ?",
            "SELECT seat, number FROM contestAnswer WHERE contestId = ?", (contest["id"],))}
        assert rows == stored, f"answer rows differ from the journal: {sorted(rows ^ stored)[:10]}"
        print(f"every journaled answer has its report row ({len(rows)})")
        console = Console(port, password)
        asyncio.run(asyncio.wait_for(check_resumed(port, console, contest, acknowledged, tokens), timeout=60))
        backend = "PostgreSQL" if database.is_postgres else "SQLite"
        print(f"contest resumed paused at its question; seats resumed. PASS on {backend} in {time.time() - started:.1f} s")
    finally:
        stop_server(server)
        database.drop()

if __name__ == "__main__":
    main()
