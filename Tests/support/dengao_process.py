"""A `dengao serve` process for the end-to-end scripts (crash, load, conformance): a free loopback port, start-up
awaited through /healthz, and a stop that never leaves the process behind. Everything stays on 127.0.0.1."""
import socket, subprocess, time, urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(dengao, data, port, log, *extra, timeout=60):
    """Starts `dengao serve` on `data` and `port` with `extra` flags; returns once /healthz answers."""
    process = subprocess.Popen([dengao, "serve", "--data", data, "--port", str(port), *map(str, extra)],
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except Exception:
            if process.poll() is not None:
                raise SystemExit("server exited during start-up")
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def stop_server(process, timeout=20):
    """SIGTERM, then SIGKILL if the graceful shutdown takes longer than `timeout`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
