#!/usr/bin/env python3
"""Idle and slow connections against the real server (run by .ci/run; bounded, loopback only).

Starts `dengao serve` with a short request-head deadline and a per-address limit of HELD, then from 127.0.0.1:
opens HELD connections that never finish a request head (most send nothing, some dribble a header byte by byte
as slowloris does), and checks that

  * one connection more from 127.0.0.1 is closed at once (the address holds its share);
  * /healthz, asked from another address (127.0.0.2) again and again while they are held, answers every time
    within 1 s;
  * the server closes every held connection within the deadline plus a margin, and its open file descriptors
    come back down to where they were.

    python3 Tests/load/slow_connections.py --dengao .build/debug/dengao [--held 2000] [--deadline 5]

The machine allows 20,000 open files per process: the 2,000 held connections cost that many descriptors in this
script and in the server. Exit code 0 when every check held, 1 otherwise.
"""
import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from dengao_process import free_port, start_server, stop_server  # noqa: E402


def open_descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def start(dengao, data, port, held, deadline, log):
    return start_server(dengao, data, port, log, "--max-connections-per-address", held,
                        "--request-head-timeout", deadline, "--keep-alive-timeout", 30)


async def healthz(port, source):
    """Seconds for GET /healthz over a fresh connection from `source`, and the status line."""
    started = time.monotonic()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), timeout=5)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    await writer.drain()
    response = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    return time.monotonic() - started, response.split(b"\r\n", 1)[0].decode()


async def hold(port, dribble, closed_at):
    """One connection that never completes its request head; records when the server closed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.1", 0))
    try:
        if dribble:
            for byte in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 200:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1), timeout=0.5) == b"":
                        break
                except asyncio.TimeoutError:
                    continue
            else:
                return
        else:
            data = await reader.read(1)
            if data != b"":
                return
        closed_at.append(time.monotonic())
    except (ConnectionResetError, BrokenPipeError):
        closed_at.append(time.monotonic())
    finally:
        writer.close()


async def refused(port):
    """Whether a connection from 127.0.0.1 is closed before it sends anything."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.1", 0))
    try:
        return await asyncio.wait_for(reader.read(1), timeout=2) == b""
    except ConnectionResetError:
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        writer.close()


async def run(port, held, deadline, server):
    failures = []
    before = open_descriptors(server.pid)
    closed_at = []
    started = time.monotonic()
    dribblers = held // 10
    tasks = []
    for index in range(held):
        tasks.append(asyncio.create_task(hold(port, index < dribblers, closed_at)))
        if index % 200 == 199:
            await asyncio.sleep(0.05)  # a steady arrival, not one burst into the backlog
    await asyncio.sleep(0.5)
    opened = time.monotonic() - started
    holding = open_descriptors(server.pid) - before
    print(f"held {held} connections ({dribblers} dribbling a header) in {opened:.1f} s; "
          f"the server holds {holding} more descriptors")
    if holding < held * 0.95:
        failures.append(f"the server holds only {holding} more descriptors for {held} connections")
    if not await refused(port):
        failures.append(f"connection {held + 1} from 127.0.0.1 was not closed at once")
    else:
        print(f"connection {held + 1} from 127.0.0.1: closed at once")

    latencies = []
    while time.monotonic() - started < deadline - 0.5:
        seconds, status = await healthz(port, "127.0.0.2")
        latencies.append(seconds)
        if not status.startswith("HTTP/1.1 200"):
            failures.append(f"/healthz answered {status!r} while the connections were held")
        await asyncio.sleep(0.2)
    print(f"/healthz from 127.0.0.2 while held: {len(latencies)} requests, slowest {max(latencies) * 1000:.0f} ms")
    if not latencies or max(latencies) >= 1.0:
        failures.append(f"/healthz took {max(latencies or [0]):.2f} s while the connections were held")

    await asyncio.wait(tasks, timeout=deadline + 10)
    still_open = sum(1 for task in tasks if not task.done())
    for task in tasks:
        task.cancel()
    latest = max(closed_at) - started if closed_at else None
    print(f"closed by the server: {len(closed_at)} of {held}, the last {latest:.1f} s after the first opened"
          if latest is not None else "closed by the server: none")
    if len(closed_at) != held or still_open:
        failures.append(f"only {len(closed_at)} of {held} held connections were closed by the server")
    if latest is not None and latest > opened + deadline + 3:
        failures.append(f"the last held connection was closed {latest:.1f} s after the start, deadline {deadline} s")
    for _ in range(50):
        if open_descriptors(server.pid) - before <= 20:
            break
        await asyncio.sleep(0.1)
    after = open_descriptors(server.pid) - before
    print(f"server descriptors after: {after:+d} against before")
    if after > 20:
        failures.append(f"the server still holds {after} more descriptors than before")
    seconds, status = await healthz(port, "127.0.0.1")
    if not status.startswith("HTTP/1.1 200"):
        failures.append(f"/healthz from 127.0.0.1 afterwards answered {status!r}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dengao", default=".build/debug/dengao")
    parser.add_argument("--held", type=int, default=2000)
    parser.add_argument("--deadline", type=int, default=5, help="the server's --request-head-timeout, seconds")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="dengao-slow-")
    port = free_port()
    with open(os.path.join(data, "serve.log"), "w") as log:
        server = start(os.path.abspath(args.dengao), data, port, args.held, args.deadline, log)
        try:
            failures = asyncio.run(asyncio.wait_for(run(port, args.held, args.deadline, server), timeout=120))
            if server.poll() is not None:
                failures.append(f"the server exited with {server.returncode}")
        finally:
            stop_server(server)
    if failures:
        with open(os.path.join(data, "serve.log")) as log:
            print("---- server log (last lines) ----\n" + "".join(log.readlines()[-20:]), file=sys.stderr)
        for failure in failures:
            print("FAIL: " + failure, file=sys.stderr)
        shutil.rmtree(data, ignore_errors=True)
        return 1
    shutil.rmtree(data, ignore_errors=True)
    print("PASS: idle and slow connections are closed, the address keeps to its share, /healthz stays fast")
    return 0


if __name__ == "__main__":
    sys.exit(main())
