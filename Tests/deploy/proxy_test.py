#!/usr/bin/env python3
"""Dengao behind Debian's nginx with deploy/nginx/dengao.conf (run by .ci/run).

Makes a certificate with openssl, fills the configuration's @…@ fields with loopback ports, starts nginx and
`dengao serve --demo --trusted-proxy 127.0.0.1`, then, through nginx only, over HTTPS and WSS with real WebSocket
clients: plays a short contest (host, players, answers acknowledged, a reveal), climbs the demo campaign while the
console watches its board, checks that plain HTTP redirects to HTTPS, and that the per-address sign-in limit counts
the client nginx forwards (two loopback source addresses, one throttled, the other not). Everything on 127.0.0.1.

    python3 Tests/deploy/proxy_test.py --dengao .build/debug/dengao
"""
import argparse, asyncio, http.client, json, os, re, shutil, socket, ssl, subprocess, sys, tempfile, time

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from dengao_process import free_port, start_server, stop_server  # noqa: E402
from contest_client import answer_fields, answer_message, receive  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class Client:
    """HTTPS requests through nginx from a chosen loopback source address, with a session cookie once signed in."""

    def __init__(self, port, context, source="127.0.0.1"):
        self.port, self.context, self.source = port, context, source
        self.cookie, self.csrf = None, None

    def request(self, method, path, payload=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=30, source_address=(self.source, 0))
        headers = {"Content-Type": "application/json"}
        if self.cookie: headers["Cookie"] = self.cookie
        if self.csrf: headers["X-CSRF-Token"] = self.csrf
        connection.request(method, path, body=json.dumps(payload) if payload is not None else None, headers=headers)
        response = connection.getresponse()
        body = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("dengao_session="): self.cookie = header.split(";")[0]
        connection.close()
        return response.status, (json.loads(body) if body else {}), response.headers

    def ok(self, method, path, payload=None):
        status, body, _ = self.request(method, path, payload)
        assert 200 <= status < 300, f"{method} {path}: {status} {body}"
        return body

    def sign_in(self, username, password):
        status, body, _ = self.request("POST", "/api/session", {"username": username, "password": password})
        if status == 200: self.csrf = body["csrfToken"]
        return status


async def play_contest(port, context, console):
    url = f"wss://127.0.0.1:{port}/ws/contest"
    origin = f"https://127.0.0.1:{port}"
    settings = {"title": "代理测试", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 1},
                                             "timeLimitSeconds": 60}]}
    contest = console.ok("POST", "/api/contests", {"settings": settings})["contest"]
    host = await websockets.connect(url, ssl=context, origin=origin, additional_headers={"Cookie": console.cookie})
    await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
    await receive(host, "welcome")
    branches = [b["id"] for b in console.ok("GET", f"/api/join/{contest['pin']}")["branches"]]
    players = []
    for index in range(5):
        ws = await websockets.connect(url, ssl=context, origin=origin)
        await ws.send(json.dumps({"type": "join", "v": 2, "pin": contest["pin"], "name": f"代理{index}",
                                  "branchId": branches[index % len(branches)]}))
        await receive(ws, "welcome")
        players.append(ws)
    await host.send(json.dumps({"type": "command", "command": "next"}))
    acknowledged = 0
    for ws in players:
        state = await receive(ws, "state")
        while state.get("phase") != "open":
            state = await receive(ws, "state")
        question = state["question"]
        await ws.send(json.dumps(answer_message(question)))
        ack = await receive(ws, "ack")
        assert ack["status"] == "accepted", ack
        acknowledged += 1
    await host.send(json.dumps({"type": "command", "command": "reveal"}))
    for ws in players:
        reveal = await receive(ws, "reveal")
        assert reveal.get("phase") == "revealed", reveal
    for ws in players + [host]:
        await ws.close()
    print(f"contest through nginx: {acknowledged} answers acknowledged over WSS, the reveal reached every player")


async def climb(port, context, console):
    campaign = console.ok("GET", "/api/campaigns")["campaigns"][0]
    units = console.ok("GET", "/api/units")["units"]
    unit = next(u for u in units if not any(v.get("parentId") == u["id"] for v in units))
    console.ok("POST", "/api/members", {"number": "PROXY01", "name": "代理党员", "unitId": unit["id"]})
    link = console.ok("POST", "/api/members/PROXY01/invitations")["link"]
    member = Client(port, context)
    redeemed = member.ok("POST", "/api/invitations/redeem", {"token": link.split("#")[-1].split("=")[-1]})
    member.csrf = redeemed["csrfToken"]
    watcher = await websockets.connect(
        f"wss://127.0.0.1:{port}/ws/campaign", ssl=context, origin=f"https://127.0.0.1:{port}",
        additional_headers={"Cookie": console.cookie})
    await watcher.send(json.dumps({"type": "watch", "campaignId": campaign["id"]}))
    await receive(watcher, "board")
    attempt = member.ok("POST", f"/api/climb/{campaign['id']}/attempts")
    question = attempt["question"]
    answered = member.ok("POST", f"/api/climb/{campaign['id']}/attempts/{attempt['seq']}/answers",
                         {"index": question["index"], **answer_fields(question)})
    assert "attempt" in answered, answered
    board = await receive(watcher, "board")
    await watcher.close()
    print(f"climb through nginx: an attempt started and answered over HTTPS; the watching console got the board "
          f"({len(json.dumps(board))} bytes) over WSS")
    return link.split("#")[-1].split("=")[-1]


def check_json_log(log, password, invitation):
    """--log-format json: every line one JSON object; one line per request, by route template, with the address nginx
    forwarded; one per contest phase; no password (but the first run's) and no invitation token anywhere."""
    log.flush(); log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.strip()]
    requests = [line for line in lines if line["message"] == "request"]
    assert any(r["route"] == "/api/climb/{id}/attempts/{seq}/answers" and r["status"] == 200 for r in requests), \
        "no request line for the climb's answer, by its route template"
    assert any(r["route"] == "/api/session" and r["status"] == 429 and r["client"] == "127.0.0.2" for r in requests), \
        "the throttled sign-in is not logged for the client nginx forwarded"
    assert not any("PROXY01" in r["route"] for r in requests), "a member number reached the log through a path"
    phases = [line["phase"] for line in lines if line["message"] == "contest phase"]
    assert "open" in phases and "revealed" in phases, f"contest phase lines: {phases}"
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert text.count(password) == 1, "the administrator's password appears beyond the first run's one line"
    assert invitation not in text, "an invitation token reached the log"
    print(f"JSON log: {len(lines)} lines, {len(requests)} request lines by route template, phases {sorted(set(phases))}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    args = parser.parse_args()
    started = time.time()
    work = tempfile.mkdtemp(prefix="dengao-proxy-")
    nginx = server = None
    try:
        certificate, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
                        certificate], check=True, capture_output=True)
        context = ssl.create_default_context(cafile=certificate)
        dengao_port, https_port, http_port = free_port(), free_port(), free_port()
        site = open(os.path.join(ROOT, "deploy", "nginx", "dengao.conf")).read()
        for field, value in {"UPSTREAM": f"127.0.0.1:{dengao_port}", "HTTP_LISTEN": f"127.0.0.1:{http_port}",
                             "HTTPS_LISTEN": f"127.0.0.1:{https_port}", "SERVER_NAME": "127.0.0.1",
                             "CERTIFICATE": certificate, "CERTIFICATE_KEY": key}.items():
            site = site.replace(f"@{field}@", value)
        assert "@" not in re.sub(r"#.*", "", site), "a field of deploy/nginx/dengao.conf was left unfilled"
        # The http-context include inside a minimal main configuration, every path in the temporary directory.
        for directory in ["logs", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"]:
            os.makedirs(os.path.join(work, directory))
        main_conf = os.path.join(work, "nginx.conf")
        with open(main_conf, "w") as f:
            f.write(f"""worker_processes 1; pid {work}/nginx.pid; error_log {work}/logs/error.log;
events {{ worker_connections 1024; }}
http {{ access_log {work}/logs/access.log; client_body_temp_path {work}/client_body; proxy_temp_path {work}/proxy;
fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
{site}
}}
""")
        nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx_binary, "-t", "-p", work, "-c", main_conf], check=True, capture_output=True)
        nginx = subprocess.Popen([nginx_binary, "-p", work, "-c", main_conf, "-g", "daemon off;"])

        log = open(os.path.join(work, "server.log"), "w+")
        server = start_server(args.dengao, os.path.join(work, "data"), dengao_port, log, "--demo",
                              "--trusted-proxy", "127.0.0.1", "--public-url", f"https://127.0.0.1:{https_port}",
                              "--log-format", "json")
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close(); break
            except OSError:
                time.sleep(0.1)

        # Plain HTTP is sent to HTTPS.
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/climb.html")
        response = plain.getresponse()
        assert response.status == 301 and response.getheader("Location") == "https://127.0.0.1/climb.html", \
            (response.status, response.getheader("Location"))
        console = Client(https_port, context)
        assert console.sign_in("admin", password) == 200
        _, _, headers = console.request("GET", "/api/session")
        assert "max-age" in (headers.get("Strict-Transport-Security") or ""), "no HSTS behind an https public URL"
        assert "Secure" in (console.request("POST", "/api/session", {"username": "admin", "password": password})[2]
                            .get("Set-Cookie") or ""), "the session cookie is not Secure behind an https public URL"
        console.sign_in("admin", password)

        asyncio.run(asyncio.wait_for(play_contest(https_port, context, console), timeout=90))
        invitation = asyncio.run(asyncio.wait_for(climb(https_port, context, console), timeout=60))

        # The sign-in limit (30 failures per address) counts the client nginx forwarded, not nginx itself.
        guesser, neighbour = Client(https_port, context, "127.0.0.2"), Client(https_port, context, "127.0.0.3")
        statuses = [guesser.sign_in(f"nobody{index}", "guess guess") for index in range(30)]
        assert statuses == [401] * 30, statuses
        assert guesser.sign_in("admin", password) == 429, "the guessing address was not throttled"
        assert neighbour.sign_in("admin", password) == 200, "another client behind nginx was throttled too"
        print("sign-in limit behind nginx: 127.0.0.2 throttled after 30 failures, 127.0.0.3 signs in")
        check_json_log(log, password, invitation)
        print(f"PASS in {time.time() - started:.1f} s")
    finally:
        if server: stop_server(server)
        if nginx:
            nginx.terminate(); nginx.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
