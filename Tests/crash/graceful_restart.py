#!/usr/bin/env python3
"""Graceful restart test (run by .ci/run).

Starts `dengao serve` on a loopback port, seats PLAYERS guests and a host, plus one client that joins and then stops
reading (a phone that lost its network), opens a question and has the players answer in a surge, and sends SIGTERM
while answers are still arriving. The server must close every phone and the host with 1001 (going away, the seat
kept), exit with status 0 within 10 s despite the silent client, and a new server on the same data must hold every
answer that was acknowledged, bring the contest back paused at its question, and let the phones resume their seats
and answer once the host resumes.

    python3 Tests/crash/graceful_restart.py --dengao .build/debug/dengao [--players 80]
"""
import argparse, asyncio, base64, json, os, re, signal, socket, sqlite3, struct, sys, tempfile, time

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dengao_process import free_port, start_server, stop_server  # noqa: E402
from contest_crash import Console  # noqa: E402
from contest_client import answer_message, receive  # noqa: E402

EXIT_LIMIT = 10.0


def silent_client(port, pin, branch):
    """A raw WebSocket that joins and then never reads again nor answers the close frame."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/contest HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(4096)
    assert b" 101 " in response.split(b"\r\n")[0], response
    payload = json.dumps({"type": "join", "v": 1, "pin": pin, "name": "silent", "branchId": branch}).encode()
    mask = os.urandom(4)
    frame = bytes([0x81, 0x80 | len(payload)]) if len(payload) < 126 else bytes([0x81, 0xFE]) + struct.pack(">H", len(payload))
    sock.sendall(frame + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    return sock


async def play_until_terminated(port, console, contest, players, server):
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
    silent = silent_client(port, contest["pin"], branches[0])
    await host.send(json.dumps({"type": "command", "command": "next"}))
    acknowledged = []  # (seat, number)
    terminated_at = []

    async def answer(index, ws):
        try:
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
            ack = await receive(ws, "ack", timeout=15)
            if ack["status"] == "accepted":
                acknowledged.append((tokens[index][0], question["number"]))
        except websockets.ConnectionClosed:
            pass  # closed for the restart before the acknowledgement (or the question): never promised
        # The server closes every socket; wait for it (a frame still on its way is read and dropped).
        try:
            while True:
                await asyncio.wait_for(ws.recv(), timeout=15)
        except websockets.ConnectionClosed:
            pass
        return ws.close_code, ws.close_reason

    async def terminator():
        # SIGTERM once a third of the answers are acknowledged: the rest are in flight.
        while len(acknowledged) < players // 3:
            await asyncio.sleep(0.002)
        terminated_at.append(time.time())
        server.send_signal(signal.SIGTERM)

    async def host_closed():
        try:
            while True:
                await asyncio.wait_for(host.recv(), timeout=15)
        except websockets.ConnectionClosed:
            pass
        return host.close_code, host.close_reason

    results = await asyncio.gather(terminator(), host_closed(), *(answer(i, ws) for i, ws in enumerate(sockets)))
    return acknowledged, tokens, terminated_at[0], results[1], results[2:], silent


async def check_resumed(port, console, contest, acknowledged, tokens):
    url = f"ws://127.0.0.1:{port}/ws/contest"
    host = await websockets.connect(url, additional_headers={"Cookie": console.cookie}, open_timeout=20)
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    state = await receive(host, "state")
    assert state["phase"] == "open" and state["paused"], f"contest not back paused at its question: {state}"
    acked = {seat for seat, _ in acknowledged}
    phones = []
    for seat, token in tokens:
        ws = await websockets.connect(url, open_timeout=20)
        await ws.send(json.dumps({"type": "resume", "pin": contest["pin"], "token": token}))
        state = await receive(ws, "state")
        if seat in acked:
            assert state["you"]["answered"], f"seat {seat} was acknowledged but does not see its answer"
        phones.append((seat, ws, state))
    await host.send(json.dumps({"type": "command", "command": "resume"}))
    # A phone that had not been acknowledged answers now, on the new start.
    seat, ws, state = next((p for p in phones if p[0] not in acked and not p[2]["you"]["answered"]), (None,) * 3)
    if ws is not None:
        # The host's resume and this answer travel on different connections: answer once the phone sees the contest
        # running again, as a person would (an answer that overtook the resume would be refused, rightly).
        while state.get("paused"):
            state = await receive(ws, "state")
        question = state["question"]
        await ws.send(json.dumps(answer_message(question)))
        ack = await receive(ws, "ack", timeout=20)
        assert ack["status"] == "accepted", f"a resumed phone could not answer after the restart: {ack}"
    for _, ws, _ in phones:
        await ws.close()
    await host.close()
    return seat


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    parser.add_argument("--players", type=int, default=80)
    args = parser.parse_args()
    started = time.time()
    data = tempfile.mkdtemp(prefix="dengao-graceful-")
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w+")
    server = start_server(args.dengao, data, port, log, "--demo")
    phase = "setting up"
    try:
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        console = Console(port, password)
        settings = {"title": "重启测试", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 2},
                                                   "timeLimitSeconds": 120}]}
        contest = console.request("POST", "/api/contests", {"settings": settings})["contest"]
        phase = "seating the players, the surge and SIGTERM"
        acknowledged, tokens, terminated_at, host_close, closes, silent = asyncio.run(asyncio.wait_for(
            play_until_terminated(port, console, contest, args.players, server), timeout=120))
        try:
            code = server.wait(timeout=EXIT_LIMIT + 5)
        except Exception:
            raise AssertionError("the server did not exit after SIGTERM")
        took = time.time() - terminated_at
        silent.close()
        print(f"SIGTERM with {len(acknowledged)} of {args.players} answers acknowledged; exit {code} after {took:.2f} s")
        assert code == 0, f"exit status {code}"
        assert took < EXIT_LIMIT, f"took {took:.1f} s to exit"
        assert acknowledged, "no answer was acknowledged before SIGTERM"
        codes = [c for c, _ in closes]
        assert all(c == 1001 for c in codes), f"close codes: {sorted(set(codes))}"
        assert host_close[0] == 1001, f"host closed with {host_close}"
        assert all("restarting" in (r or "") for _, r in closes), f"close reasons: {set(r for _, r in closes)}"
        print(f"every phone ({len(codes)}) and the host closed with 1001 \"{closes[0][1]}\"")

        # The shutdown itself paused the contest, at the moment it stopped (journaled, so its time left is kept).
        stopped = sqlite3.connect(os.path.join(data, "dengao.sqlite"))
        last = stopped.execute("SELECT json_extract(input, '$.command._0') FROM contestEvent WHERE contestId = ? "
                               "ORDER BY seq DESC LIMIT 1", (contest["id"],)).fetchone()[0]
        stopped.close()
        assert last == "pause", f"the last journaled input before the restart is {last!r}, not the shutdown's pause"

        server = start_server(args.dengao, data, port, log)
        database = sqlite3.connect(os.path.join(data, "dengao.sqlite"))
        stored = set(database.execute(
            "SELECT seat, number FROM contestAnswer WHERE contestId = ?", (contest["id"],)).fetchall())
        missing = [a for a in acknowledged if a not in stored]
        assert not missing, f"acknowledged answers missing after the restart: {missing[:10]}"
        status = database.execute("SELECT status FROM contest WHERE id = ?", (contest["id"],)).fetchone()[0]
        assert status == "live", f"contest status after the restart: {status}"
        print(f"after restart: {len(stored)} answers stored, all {len(acknowledged)} acknowledged ones among them")
        console = Console(port, password)
        phase = "resuming the seats after the restart"
        answered_after = asyncio.run(asyncio.wait_for(
            check_resumed(port, console, contest, acknowledged, tokens), timeout=90))
        phase = "done"
        print(f"contest back paused at its question; {len(tokens)} seats resumed"
              + (f"; seat {answered_after} answered after the host resumed" if answered_after else "")
              + f". PASS in {time.time() - started:.1f} s")
    except BaseException:
        print(f"FAILED while {phase}; server log: {log.name}")
        raise
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
