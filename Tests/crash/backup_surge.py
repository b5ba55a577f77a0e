#!/usr/bin/env python3
"""Online backup test (run by .ci/run).

Starts `dengao serve`, seats PLAYERS guests, opens a question and has them answer in a surge; once a third are
acknowledged, runs `dengao backup FILE` from another process while the answers keep arriving. The backup must
report its integrity check; `dengao restore` must refuse the running server's data directory and a damaged copy;
restored into a fresh data directory, the backup must hold every answer acknowledged before the backup began, and
a server started on it must bring the contest back paused at its question.

    python3 Tests/crash/backup_surge.py --dengao .build/debug/dengao [--players 150]
"""
import argparse, asyncio, json, os, re, sqlite3, subprocess, sys, tempfile, time

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dengao_process import free_port, start_server, stop_server  # noqa: E402
from contest_crash import Console, receive  # noqa: E402


async def surge_with_backup(dengao, data, backup, port, console, contest, players):
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    await receive(host, "welcome")
    branches = [b["id"] for b in console.request("GET", f"/api/join/{contest['pin']}")["branches"]]
    sockets, seats = [], []
    for index in range(players):
        ws = await websockets.connect(url, open_timeout=20, max_size=2**22)
        await ws.send(json.dumps({"type": "join", "v": 1, "pin": contest["pin"], "name": f"p{index}",
                                  "branchId": branches[index % len(branches)]}))
        welcome = await receive(ws, "welcome")
        sockets.append(ws)
        seats.append(welcome["seat"]["id"])
    await host.send(json.dumps({"type": "command", "command": "next"}))
    acknowledged = []  # (seat, number)
    outcome = {}

    async def answer(index, ws):
        state = await receive(ws, "state")
        while state.get("phase") != "open":
            state = await receive(ws, "state")
        question = state["question"]
        await asyncio.sleep((index % 50) * 0.02)  # the surge: all answers within a second
        message = {"type": "answer", "number": question["number"]}
        if question.get("options"): message["picks"] = [index % len(question["options"])]
        elif question.get("type") == "truefalse": message["truth"] = index % 2 == 0
        else: message["text"] = "答案"
        await ws.send(json.dumps(message))
        ack = await receive(ws, "ack", timeout=30)
        assert ack["status"] == "accepted", ack
        acknowledged.append((seats[index], question["number"]))

    async def backer():
        while len(acknowledged) < players // 3:
            await asyncio.sleep(0.002)
        outcome["before"] = list(acknowledged)
        started = time.time()
        process = await asyncio.create_subprocess_exec(
            dengao, "backup", backup, "--data", data, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = await process.communicate()
        outcome["code"], outcome["output"] = process.returncode, output.decode()
        outcome["seconds"] = time.time() - started
        outcome["during"] = len(acknowledged) - len(outcome["before"])

    await asyncio.gather(backer(), *(answer(i, ws) for i, ws in enumerate(sockets)))
    for ws in sockets:
        await ws.close()
    await host.close()
    return acknowledged, outcome


async def check_paused(port, console, contest):
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    state = await receive(host, "state")
    assert state["phase"] == "open" and state["paused"], f"restored contest not back paused at its question: {state}"
    await host.close()


def run(dengao, *arguments):
    result = subprocess.run([dengao, *arguments], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    parser.add_argument("--players", type=int, default=150)
    args = parser.parse_args()
    started = time.time()
    work = tempfile.mkdtemp(prefix="dengao-backup-")
    data, fresh, backup = (os.path.join(work, name) for name in ("data", "fresh", "backup.sqlite"))
    port = free_port()
    log = open(os.path.join(work, "server.log"), "w+")
    server = start_server(args.dengao, data, port, log, "--demo")
    restored = None
    try:
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        console = Console(port, password)
        settings = {"title": "备份测试", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 2},
                                                   "timeLimitSeconds": 120}]}
        contest = console.request("POST", "/api/contests", {"settings": settings})["contest"]
        acknowledged, outcome = asyncio.run(asyncio.wait_for(
            surge_with_backup(args.dengao, data, backup, port, console, contest, args.players), timeout=180))
        print(outcome["output"].strip())
        assert outcome["code"] == 0, f"dengao backup failed: {outcome['output']}"
        assert "integrity check ok" in outcome["output"], outcome["output"]
        print(f"backup taken in {outcome['seconds']:.2f} s with {len(outcome['before'])} answers acknowledged before "
              f"it began and {outcome['during']} while it ran; {len(acknowledged)} in all")

        code, output = run(args.dengao, "restore", backup, "--data", data)
        assert code != 0 and "stop it first" in output, f"restore onto the running server's data: {code} {output}"
        damaged = os.path.join(work, "damaged.sqlite")
        with open(backup, "rb") as source, open(damaged, "wb") as target:
            content = bytearray(source.read())
            content[len(content) // 2:len(content) // 2 + 4096] = b"\xff" * 4096
            target.write(content)
        code, output = run(args.dengao, "restore", damaged, "--data", fresh)
        assert code != 0 and not os.path.exists(os.path.join(fresh, "dengao.sqlite")), f"damaged file restored: {output}"
        print(f"refused: the running server's directory, and a damaged copy ({output.strip()})")

        code, output = run(args.dengao, "restore", backup, "--data", fresh)
        assert code == 0, f"restore failed: {output}"
        database = sqlite3.connect(os.path.join(fresh, "dengao.sqlite"))
        stored = set(database.execute(
            "SELECT seat, number FROM contestAnswer WHERE contestId = ?", (contest["id"],)).fetchall())
        database.close()
        missing = [a for a in outcome["before"] if a not in stored]
        assert not missing, f"answers acknowledged before the backup began are missing from it: {missing[:10]}"
        print(f"restored into a fresh data directory: {len(stored)} answers, all {len(outcome['before'])} "
              f"acknowledged before the backup among them")
        restored_port = free_port()
        restored = start_server(args.dengao, fresh, restored_port, log)
        asyncio.run(asyncio.wait_for(check_paused(restored_port, Console(restored_port, password), contest), timeout=60))
        print(f"a server on the restored data brings the contest back paused. PASS in {time.time() - started:.1f} s")
    finally:
        stop_server(server)
        if restored is not None:
            stop_server(restored)


if __name__ == "__main__":
    main()
