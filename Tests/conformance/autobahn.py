#!/usr/bin/env python3
"""Autobahn|Testsuite's fuzzingclient against the live sockets of a real `dengao serve` (run by .ci/run).

A crash and framing check of /ws/contest and /ws/campaign: cases 1-7, 9 and 10 of the suite (8 does not exist;
12 and 13 are compression, which the server does not offer), both endpoints at once, on 127.0.0.1. Fails on any
case whose result is not accounted for below, on a server that stops answering /healthz, or on one that exits.

The suite is written for echo servers. Dengao's endpoints speak JSON and answer anything else with an `error`
message, and they refuse client messages over 4 KiB; the results that follow from that are expected here, each
with its reason (EXPECTED), and checked as closely as the reports allow:

  * no echo: a case expecting its message back gets FAILED; accepted only if every message it sent was answered
    by one `{"type":"error",...}` in its place, everything else (pongs, order) was as the case expected, and the
    closing handshake was right (behaviorClose OK);
  * too big: a case sending a message over 4 KiB must see the server close with 1009;
  * NON-STRICT: only for the cases listed.

Needs Autobahn|Testsuite, which runs under Python 2.7 only (.ci/run installs it into a virtualenv of pyenv's
2.7.18 with `pip install autobahntestsuite`); pass its wstest with --wstest.

    python3 Tests/conformance/autobahn.py --dengao .build/debug/dengao --wstest /tmp/venv27/bin/wstest
"""
import argparse
import fnmatch
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CASES = ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*"]

# (case patterns, what is accepted instead of OK, why)
EXPECTED = [
    (["1.1.6", "1.1.7", "1.1.8", "1.2.6", "1.2.7", "1.2.8", "9.1.*", "9.2.*", "9.3.*", "9.4.*", "9.5.*", "9.6.*",
      "10.1.1"], "too big",
     "messages of 64 KiB and more; clients send at most 4 KiB (ClientMessage.maximumBytes), so the frame decoder or "
     "the message reader closes with 1009"),
    (["3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15"], "NON-STRICT",
     "a valid message followed by a protocol violation: the connection is failed (1002) before the answer to the "
     "first message goes out, which is Autobahn's own non-strict expectation"),
    (["6.4.*"], "NON-STRICT",
     "invalid UTF-8 in a fragmented message is found when the message is complete, not fragment by fragment "
     "(swift-websocket validates whole messages; failing fast is optional in RFC 6455 section 8.1); closes with 1007"),
    (["9.7.*", "9.8.*"], "no echo",
     "a thousand small messages each expected back; every one is answered with an error instead"),
]


def rule(case):
    for patterns, kind, why in EXPECTED:
        if any(fnmatch.fnmatchcase(case, pattern) for pattern in patterns):
            return kind, why
    return None, None


def case_key(case):
    return [int(part) for part in case.split(".")]


def is_error_reply(event):
    # The report keeps the first 64 characters of a payload, and the server's JSON keys come in no fixed order:
    # {"type":"error","code":"malformed","message":"消息格式不对 (malformed message: …)"} in some order, cut short.
    # Only error replies carry a "message" (the one other reply, pong, is {"type":"pong"}).
    text = event[1]
    return event[0] == "message" and not event[2] and text.startswith('{"') and any(
        marker in text for marker in ('"type":"error"', '"code":"malformed"', '"message":"'))


def answered_with_errors(expected, received):
    """Whether `received` is `expected` with every echoed message replaced by one of the server's error replies."""
    if len(expected) != len(received):
        return False
    for want, got in zip(expected, received):
        if want[0] == "message":
            if not is_error_reply(got):
                return False
        elif list(want) != list(got):
            return False
    return True


def judge(case, summary, report):
    """None when the case's result is accounted for, else why not."""
    behavior, closing = summary["behavior"], summary["behaviorClose"]
    kind, _ = rule(case)
    if kind == "too big":
        return None if summary.get("remoteCloseCode") == 1009 else "expected a 1009 close, got %s" % summary.get("remoteCloseCode")
    if closing not in ("OK", "INFORMATIONAL"):
        return "closing handshake %s (%s)" % (closing, report.get("resultClose"))
    if behavior in ("OK", "INFORMATIONAL"):
        return None
    if behavior == "NON-STRICT":
        return None if kind == "NON-STRICT" else "NON-STRICT is not expected for this case"
    if behavior == "FAILED":
        if kind == "no echo":
            return None if report.get("result", "").startswith("Echo'ed message") else report.get("result")
        if any(answered_with_errors(events, report.get("received", [])) for events in report.get("expected", {}).values()):
            return None
        return "%s: expected %s, received %s" % (report.get("result"), report.get("expected"), report.get("received"))
    return "%s: %s" % (behavior, report.get("result"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=5) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dengao", default=".build/debug/dengao")
    parser.add_argument("--wstest", default="/tmp/venv27/bin/wstest")
    parser.add_argument("--keep", action="store_true", help="keep the reports and the server log")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="dengao-autobahn-")
    port = free_port()
    log = open(os.path.join(work, "serve.log"), "w")
    # Autobahn opens hundreds of connections from one address in a row: the per-address limit must not refuse them.
    server = subprocess.Popen([os.path.abspath(args.dengao), "serve", "--data", os.path.join(work, "data"), "--port", str(port),
                               "--max-connections-per-address", "100000"], stdout=log, stderr=subprocess.STDOUT)
    failures = []
    try:
        for _ in range(300):
            if healthy(port) or server.poll() is not None:
                break
            time.sleep(0.2)
        if not healthy(port):
            raise SystemExit("the server did not start")
        runs = []
        for endpoint in ("contest", "campaign"):
            spec = {"outdir": os.path.join(work, "reports-" + endpoint),
                    "servers": [{"agent": endpoint, "url": "ws://127.0.0.1:%d/ws/%s" % (port, endpoint)}],
                    "cases": CASES, "exclude-cases": [], "exclude-agent-cases": {}}
            path = os.path.join(work, "spec-%s.json" % endpoint)
            with open(path, "w") as f:
                json.dump(spec, f)
            output = open(os.path.join(work, "wstest-%s.log" % endpoint), "w")
            runs.append((endpoint, spec["outdir"], subprocess.Popen(
                [args.wstest, "-m", "fuzzingclient", "-s", path], cwd=work, stdout=output, stderr=subprocess.STDOUT)))
        started = time.time()
        for endpoint, _, run in runs:
            try:
                run.wait(timeout=max(1, 420 - (time.time() - started)))
            except subprocess.TimeoutExpired:
                run.kill()
                failures.append("%s: wstest did not finish within 7 minutes" % endpoint)
        print("wstest ran %.0f s" % (time.time() - started))
        for endpoint, outdir, run in runs:
            index_path = os.path.join(outdir, "index.json")
            if not os.path.exists(index_path):
                failures.append("%s: no report (wstest exit %s)" % (endpoint, run.returncode))
                continue
            with open(index_path) as f:
                results = json.load(f)[endpoint]
            counts = {}
            for case in sorted(results, key=case_key):
                summary = results[case]
                with open(os.path.join(outdir, summary["reportfile"])) as f:
                    report = json.load(f)
                problem = judge(case, summary, report)
                if problem:
                    verdict = "unexpected"
                elif summary["behavior"] == "FAILED":
                    verdict = rule(case)[0] or "no echo"
                else:
                    verdict = rule(case)[0] if rule(case)[0] == "too big" else summary["behavior"]
                counts[verdict] = counts.get(verdict, 0) + 1
                if problem:
                    failures.append("/ws/%s case %s: %s" % (endpoint, case, problem))
            print("/ws/%s: %d cases: %s" % (endpoint, len(results),
                                            ", ".join("%s %d" % item for item in sorted(counts.items()))))
        if server.poll() is not None:
            failures.append("the server exited with %s during the run" % server.returncode)
        elif not healthy(port):
            failures.append("the server no longer answers /healthz")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    if failures:
        for failure in failures[:40]:
            print("FAIL: " + failure, file=sys.stderr)
        print("reports and server log in %s" % work, file=sys.stderr)
        return 1
    if args.keep:
        print("kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("PASS: Autobahn fuzzingclient, every case as expected, the server alive throughout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
