#!/usr/bin/env python3
"""Crash test: what a client was shown is never taken back by a crash (run by .ci/run).

The server runs with its journal's commits slowed down (`--journal-commit-delay-ms`), so a change decided but not
yet on disk stays that way long enough for a kill to land in between every time, not by luck. Then, over several
cycles on one data directory:

- reveal: players answer, the host reveals; the moment the host sees `revealed` the server is killed (SIGKILL),
  while a player who saw the reveal sends an answer. After a restart the contest is at (or after) the reveal, and
  the answer of the player who saw the key is refused as late — before the host resumes and after; the two
  acknowledged answers' report rows carry the reveal's points (written after the reveal's entry, so the kill lands
  before them and the restarted server writes them).
- finish: the moment the host sees `finished` the server is killed; after a restart the contest is finished in
  the console and its PIN no longer admits anyone.
- graceful finish: `finish` then SIGTERM within 50 ms; after a restart the contest is finished, not live.

    python3 Tests/crash/phase_crash.py --dengao .build/debug/dengao [--cycles 3]
"""
import argparse, asyncio, json, os, re, signal, sqlite3, sys, tempfile, time, urllib.error, urllib.request

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from contest_crash import Console, receive  # noqa: E402
from dengao_process import free_port, start_server, stop_server  # noqa: E402

COMMIT_DELAY_MS = 300


def start(dengao, data, port, log):
    return start_server(dengao, data, port, log, "--demo", "--journal-commit-delay-ms", COMMIT_DELAY_MS)


def settings(title):
    # True/false and single choice only, so a player can answer without reading the options.
    return {"title": title, "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"],
                                         "draw": {"count": 2, "types": ["single", "truefalse"]}, "timeLimitSeconds": 60}]}


def answer_for(question, index):
    message = {"type": "answer", "number": question["number"]}
    if question.get("options"):
        message["picks"] = [index % len(question["options"])]
    else:
        message["truth"] = index % 2 == 0
    return message


async def connect_host(port, console, contest_id):
    host = await websockets.connect(f"ws://127.0.0.1:{port}/ws/contest", additional_headers={"Cookie": console.cookie},
                                    open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest_id}))
    await receive(host, "welcome")
    return host


async def seat_players(port, contest, count, console):
    branches = [b["id"] for b in console.request("GET", f"/api/join/{contest['pin']}")["branches"]]
    players = []
    for index in range(count):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws/contest", open_timeout=20)
        await ws.send(json.dumps({"type": "join", "pin": contest["pin"], "name": f"选手{index}",
                                  "branchId": branches[index % len(branches)]}))
        welcome = await receive(ws, "welcome")
        players.append((ws, welcome["seat"]["id"], welcome["token"]))
    return players


async def until_phase(ws, phase, timeout=20):
    while True:
        state = await receive(ws, "state", timeout)
        if state["phase"] == phase:
            return state


async def reveal_then_kill(port, console, contest, server):
    """Returns the question revealed and the seat (with its token) of a player who saw the key without answering."""
    host = await connect_host(port, console, contest["id"])
    players = await seat_players(port, contest, 3, console)
    await host.send(json.dumps({"type": "command", "command": "next"}))
    question = None
    for index, (ws, _, _) in enumerate(players[:2]):
        question = (await until_phase(ws, "open"))["question"]
        await ws.send(json.dumps(answer_for(question, index)))
        ack = await receive(ws, "ack")
        assert ack["status"] == "accepted", ack
    watcher, seat, token = players[2]
    await host.send(json.dumps({"type": "command", "command": "reveal"}))
    await until_phase(host, "revealed")
    server.send_signal(signal.SIGKILL)  # the host has seen the reveal: nothing may take it back now
    # The third player saw the key too (or is about to): its answer, sent now, must never count.
    try:
        await receive(watcher, "reveal", timeout=2)
        await watcher.send(json.dumps(answer_for(question, 0)))
    except Exception:
        pass
    server.wait(timeout=10)
    for ws, _, _ in players:
        await ws.close()
    return question, seat, token


async def check_after_reveal(port, console, contest, question, seat, token):
    host = await connect_host(port, console, contest["id"])
    state = await receive(host, "state")
    position = (state.get("question") or {}).get("number", 0)
    assert position > question["number"] or state["phase"] in ("revealed", "leaderboard", "finished"), \
        f"the host saw question {question['number']} revealed, but after the restart it is {state['phase']} at question {position}"
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws/contest", open_timeout=20)
    await ws.send(json.dumps({"type": "resume", "pin": contest["pin"], "token": token}))
    resumed = await receive(ws, "state")
    assert not resumed["you"]["answered"] or (resumed.get("question") or {}).get("number") != question["number"], \
        f"seat {seat} answered after the reveal it saw: {resumed['you']}"
    for attempt in ("paused", "resumed"):
        if attempt == "resumed":
            await host.send(json.dumps({"type": "command", "command": "resume"}))
            await until_phase(ws, state["phase"])
        await ws.send(json.dumps(answer_for(question, 0)))
        while True:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if reply["type"] in ("ack", "error"):
                break
        assert not (reply["type"] == "ack" and reply["status"] == "accepted"), \
            f"an answer sent after the reveal was accepted ({attempt}): {reply}"
    await ws.close()
    await host.close()


async def finish_then_kill(port, console, contest, server, graceful):
    host = await connect_host(port, console, contest["id"])
    players = await seat_players(port, contest, 1, console)
    await host.send(json.dumps({"type": "command", "command": "next"}))
    await until_phase(host, "open")
    await host.send(json.dumps({"type": "command", "command": "finish"}))
    if graceful:
        await asyncio.sleep(0.05)
        server.send_signal(signal.SIGTERM)
    else:
        await until_phase(host, "finished")
        server.send_signal(signal.SIGKILL)
    # Wait without blocking the event loop: a graceful shutdown closes the sockets, and the clients must answer.
    deadline = time.time() + 30
    while server.poll() is None:
        assert time.time() < deadline, "the server did not stop within 30 s"
        await asyncio.sleep(0.05)
    for ws, _, _ in players:
        await ws.close()
    await host.close()


def check_finished(console, contest, how):
    status = console.request("GET", f"/api/contests/{contest['id']}")["contest"]["status"]
    assert status == "finished", f"{how}: the contest came back {status}, not finished"
    try:
        console.request("GET", f"/api/join/{contest['pin']}")
        raise AssertionError(f"{how}: the PIN of the finished contest still admits players")
    except urllib.error.HTTPError as error:
        assert error.code == 404, f"{how}: PIN lookup answered {error.code}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()
    started = time.time()
    data = tempfile.mkdtemp(prefix="dengao-phase-crash-")
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w+")
    server = start(args.dengao, data, port, log)
    try:
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        for cycle in range(args.cycles):
            console = Console(port, password)
            contest = console.request("POST", "/api/contests", {"settings": settings(f"揭晓断电{cycle}")})["contest"]
            question, seat, token = asyncio.run(asyncio.wait_for(reveal_then_kill(port, console, contest, server), 60))
            server = start(args.dengao, data, port, log)
            console = Console(port, password)
            asyncio.run(asyncio.wait_for(check_after_reveal(port, console, contest, question, seat, token), 60))
            # The reveal's points commit in the transaction after its entry's, so the kill (the host saw `revealed`)
            # lands while they wait out the commit delay: the restarted server's room writes them again on loading.
            rows = sqlite3.connect(os.path.join(data, "dengao.sqlite")).execute(
                "SELECT points FROM contestAnswer WHERE contestId = ? AND number = ?", (contest["id"], question["number"])).fetchall()
            assert len(rows) == 2 and all(points is not None for (points,) in rows), \
                f"question {question['number']} was revealed but its answer rows are {rows}"
            print(f"cycle {cycle + 1}: killed as the host saw question {question['number']} revealed; after the restart it "
                  f"is still revealed and the answer of a player who saw the key is refused")
        for cycle in range(args.cycles):
            for graceful in (False, True):
                console = Console(port, password)
                contest = console.request("POST", "/api/contests", {"settings": settings(f"结束断电{cycle}")})["contest"]
                asyncio.run(asyncio.wait_for(finish_then_kill(port, console, contest, server, graceful), 60))
                server = start(args.dengao, data, port, log)
                how = "SIGTERM 50 ms after finish" if graceful else "SIGKILL as the host saw finished"
                check_finished(Console(port, password), contest, how)
                print(f"cycle {cycle + 1}: {how}: finished after the restart, PIN free")
        database = sqlite3.connect(os.path.join(data, "dengao.sqlite"))
        live = database.execute("SELECT count(*) FROM contest WHERE status = 'live' AND title LIKE '结束断电%'").fetchone()[0]
        assert live == 0, f"{live} finished contests are live in the database"
        print(f"PASS in {time.time() - started:.1f} s")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
