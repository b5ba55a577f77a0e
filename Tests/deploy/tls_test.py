#!/usr/bin/env python3
"""Dengao's own TLS (run by .ci/run): `dengao serve --tls-certificate --tls-key --http-redirect-port`.

With a certificate made here by openssl: a real TLS client signs in over HTTPS (Secure cookie, HSTS), a WSS player
joins a contest and answers; plain HTTP on the redirect port is sent to HTTPS; then the certificate files are
replaced and the server gets SIGHUP: new handshakes present the new certificate while the player's WSS connection,
opened before, still answers; a broken renewal (a key that does not match) is refused and the last good
certificate stays served. Everything on 127.0.0.1.

    python3 Tests/deploy/tls_test.py --dengao .build/debug/dengao
"""
import argparse, asyncio, hashlib, http.client, json, os, re, shutil, signal, socket, ssl, subprocess, sys, tempfile, time

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from dengao_process import free_port, stop_server  # noqa: E402
from contest_client import answer_message, receive  # noqa: E402


def make_certificate(directory, name):
    certificate, key = os.path.join(directory, f"{name}.pem"), os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN=127.0.0.1/O={name}", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
                    certificate], check=True, capture_output=True)
    return certificate, key


def served_fingerprint(port):
    """The SHA-256 of the certificate a new handshake presents (not verified: the test compares it)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()


def fingerprint(certificate):
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(open(certificate).read())).hexdigest()


def request(port, context, method, path, payload=None, cookie=None, csrf=None):
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    headers = {"Content-Type": "application/json"}
    if cookie: headers["Cookie"] = cookie
    if csrf: headers["X-CSRF-Token"] = csrf
    connection.request(method, path, body=json.dumps(payload) if payload is not None else None, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, (json.loads(body) if body else {}), response.headers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dengao", required=True)
    args = parser.parse_args()
    started = time.time()
    work = tempfile.mkdtemp(prefix="dengao-tls-")
    server = None
    try:
        first, first_key = make_certificate(work, "first")
        second, second_key = make_certificate(work, "second")
        served, served_key = os.path.join(work, "served.pem"), os.path.join(work, "served.key")
        shutil.copy(first, served); shutil.copy(first_key, served_key)
        port, redirect_port = free_port(), free_port()
        log = open(os.path.join(work, "server.log"), "w+")
        server = subprocess.Popen(
            [args.dengao, "serve", "--data", os.path.join(work, "data"), "--port", str(port), "--demo",
             "--tls-certificate", served, "--tls-key", served_key, "--http-redirect-port", str(redirect_port)],
            stdout=log, stderr=subprocess.STDOUT)
        context = ssl.create_default_context(cafile=first)
        for _ in range(600):
            try:
                if request(port, context, "GET", "/healthz")[0] == 200: break
            except OSError:
                if server.poll() is not None: raise SystemExit("the server exited during start-up")
                time.sleep(0.1)
        log.flush(); log.seek(0)
        password = re.search(r"password (\S+)", log.read()).group(1)

        status, body, headers = request(port, context, "POST", "/api/session", {"username": "admin", "password": password})
        assert status == 200, (status, body)
        cookie = next(h for h in headers.get_all("Set-Cookie") if h.startswith("dengao_session="))
        assert "; Secure" in cookie or ";Secure" in cookie, f"the session cookie is not Secure under TLS: {cookie}"
        assert "max-age" in (headers.get("Strict-Transport-Security") or ""), "no HSTS under TLS"
        cookie, csrf = cookie.split(";")[0], body["csrfToken"]
        settings = {"title": "TLS", "rounds": [{"kind": "everyone", "banks": ["党章党规党纪"], "draw": {"count": 2},
                                              "timeLimitSeconds": 60}]}
        status, body, _ = request(port, context, "POST", "/api/contests", {"settings": settings}, cookie, csrf)
        assert status == 201, (status, body)
        contest = body["contest"]
        links = request(port, context, "GET", f"/api/contests/{contest['id']}", cookie=cookie)[1]
        assert "https://" in json.dumps(links), "links handed out under TLS are not https"

        # Plain HTTP on the redirect port: a permanent redirect to the same path over HTTPS.
        plain = http.client.HTTPConnection("127.0.0.1", redirect_port, timeout=10)
        plain.request("GET", "/play.html?x=1")
        response = plain.getresponse()
        assert response.status == 308 and response.getheader("Location") == f"https://127.0.0.1:{port}/play.html?x=1", \
            (response.status, response.getheader("Location"))
        print("HTTPS sign-in (Secure cookie, HSTS), https links, plain HTTP redirected with 308")

        async def play():
            url, origin = f"wss://127.0.0.1:{port}/ws/contest", f"https://127.0.0.1:{port}"
            host = await websockets.connect(url, ssl=context, origin=origin, additional_headers={"Cookie": cookie})
            await host.send(json.dumps({"type": "host", "contestId": contest["id"]}))
            await receive(host, "welcome")
            branches = [b["id"] for b in request(port, context, "GET", f"/api/join/{contest['pin']}")[1]["branches"]]
            player = await websockets.connect(url, ssl=context, origin=origin)
            await player.send(json.dumps({"type": "join", "v": 1, "pin": contest["pin"], "name": "加密",
                                          "branchId": branches[0]}))
            await receive(player, "welcome")

            async def answer_next():
                await host.send(json.dumps({"type": "command", "command": "next"}))
                state = await receive(player, "state")
                while state.get("phase") != "open":
                    state = await receive(player, "state")
                question = state["question"]
                await player.send(json.dumps(answer_message(question)))
                assert (await receive(player, "ack"))["status"] == "accepted"
                await host.send(json.dumps({"type": "command", "command": "reveal"}))

            await answer_next()
            assert served_fingerprint(port) == fingerprint(first)
            # Renewal: new files, SIGHUP. New handshakes get the new certificate; the open sockets carry on.
            shutil.copy(second, served); shutil.copy(second_key, served_key)
            server.send_signal(signal.SIGHUP)
            for _ in range(100):
                if served_fingerprint(port) == fingerprint(second): break
                await asyncio.sleep(0.05)
            assert served_fingerprint(port) == fingerprint(second), "SIGHUP did not load the renewed certificate"
            await answer_next()
            print("SIGHUP: new handshakes present the renewed certificate; the WSS player connected before answered again")
            # A broken renewal (the first key with the second certificate) is refused: the good one stays served.
            shutil.copy(first_key, served_key)
            server.send_signal(signal.SIGHUP)
            for _ in range(100):
                log.flush(); log.seek(0)
                if "not reloaded" in log.read(): break
                await asyncio.sleep(0.05)
            assert served_fingerprint(port) == fingerprint(second), "a mismatched key replaced the served certificate"
            renewed = ssl.create_default_context(cafile=second)
            assert request(port, renewed, "GET", "/healthz")[0] == 200
            print("a renewal whose key does not match is refused and logged; the last good certificate is served")
            for ws in (player, host): await ws.close()

        asyncio.run(asyncio.wait_for(play(), timeout=90))
        assert server.poll() is None, "the server stopped"
        print(f"PASS in {time.time() - started:.1f} s")
    finally:
        if server: stop_server(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
