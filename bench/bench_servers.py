"""Which server for `pledgegraph serve`: slow-client resistance and throughput, in one run.

    python -m bench servers [--requests 2000] [--clients 16] [--slow 200] [--skip-granian]

Each candidate serves the same app over the same store (the real data/, built by the real
build), on 127.0.0.1, one after the other:

* gunicorn gthread as before: 2 workers x 8 threads, keep-alive 5 s;
* gunicorn gthread behind its documented limits: 2 workers x 32 threads, keep-alive 2 s,
  1,000 worker connections, request line/field limits (gunicorn's own answer to slow clients
  is a buffering proxy in front, or async workers; neither is `pledgegraph serve` on its own);
* granian (Rust, WSGI): 2 workers, 20 s header read timeout; it streams bodies into Python;
* waitress (`python -m service.serving`, what `pledgegraph serve` runs): reads every request
  whole before a thread sees it; one process, 16 threads.

Measured for each:

* slow clients: ``--slow`` connections (a quarter idle, a quarter trickling headers, a quarter
  trickling a body, a quarter trickling a chunked body, a little every second), then 10
  normal requests one after the other: how many answered within 1 s, and their p50;
* throughput: ``--requests`` requests (SPARQL point queries and pages, no heavy query) from
  ``--clients`` keep-alive clients: requests/s and p50/p99, and the ratio of requests/s to
  the first candidate's, measured in the same run (the machine is shared: ratios are the figures).

Bounded: counts of requests and connections, a 10 s client timeout. Loopback only.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .common import real_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.load and tests.servers: the same helpers the tests use
from tests.load import SlowClients, run_mix, summary  # noqa: E402
from tests.servers import free_port  # noqa: E402

BIN = Path(sys.executable).parent
APP = "service.app:create_app()"
GUNICORN_LIMITS = ["--limit-request-line", "8190", "--limit-request-fields", "100",
                   "--limit-request-field_size", "8190"]


def candidates(port):
    """{name: command} of the servers compared."""
    bind = f"127.0.0.1:{port}"
    return {
        "gunicorn gthread (before)": [str(BIN / "gunicorn"), "-b", bind, "-w", "2", "-k", "gthread", "--threads",
                                      "8", "--keep-alive", "5", "--log-level", "warning", APP],
        "gunicorn gthread, documented limits": [
            str(BIN / "gunicorn"), "-b", bind, "-w", "2", "-k", "gthread", "--threads", "32", "--keep-alive", "2",
            "--worker-connections", "1000", "--timeout", "30", *GUNICORN_LIMITS, "--log-level", "warning", APP],
        "granian WSGI": [str(BIN / "granian"), "--interface", "wsgi", "--factory", "--workers", "2", "--http", "1",
                         "--host", "127.0.0.1", "--port", str(port), "--http1-header-read-timeout", "20000",
                         "--log-level", "warning", "service.app:create_app"],
        "waitress (pledgegraph serve)": [sys.executable, "-m", "service.serving", "--port", str(port)],
    }


def start(command, port, store_dir):
    environment = dict(os.environ, PLEDGEGRAPH_STORE_DIR=str(store_dir))
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?format=nt", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{command[0]} did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)  # its own process group: the server and its children
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def slow_client_probe(port, slow):
    """(answered within 1 s out of 10, p50 seconds) of normal requests behind ``slow`` slow connections."""
    clients = SlowClients(port, per_kind=max(1, slow // 4))
    times = []
    try:
        time.sleep(2.0)
        for _ in range(10):
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/doc/pledge/SP320067.ttl", timeout=10) as answer:
                    answer.read()
                times.append(time.monotonic() - started)
            except OSError:
                times.append(float("inf"))
    finally:
        clients.close()
    ordered = sorted(times)
    return sum(t < 1.0 for t in times), ordered[len(ordered) // 2]


def throughput(port, requests, clients):
    started = time.monotonic()
    results = run_mix(f"http://127.0.0.1:{port}", clients=clients, requests=requests, heavy_every=0,
                      timeout=10)
    seconds = time.monotonic() - started
    outcomes = [o for kind in results.values() for o in kind]
    counts, p50, p99 = summary(outcomes)
    return len(outcomes) / seconds, p50, p99, counts


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--skip-granian", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pledgegraph-bench-servers-"))
    try:
        real_store(work / "store")
        rows, baseline = [], None
        for name in candidates(0):
            if args.skip_granian and name.startswith("granian"):
                continue
            port = free_port()
            process = start(candidates(port)[name], port, work / "store")
            try:
                rps, p50, p99, counts = throughput(port, args.requests, args.clients)
                answered, slow_p50 = slow_client_probe(port, args.slow)
            finally:
                stop(process)
            baseline = baseline or rps
            rows.append((name, answered, slow_p50, rps, rps / baseline, p50, p99, counts))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| server | normal requests answered < 1 s behind {args.slow} slow connections | their p50 | "
          f"req/s ({args.clients} clients) | ratio | p50 | p99 | statuses |")
    print("|---|---|---|---|---|---|---|---|")
    for name, answered, slow_p50, rps, ratio, p50, p99, counts in rows:
        slow_text = "none" if slow_p50 == float("inf") else f"{slow_p50 * 1000:.0f} ms"
        print(f"| {name} | {answered}/10 | {slow_text} | {rps:.0f} | {ratio:.2f} | {p50 * 1000:.1f} ms | "
              f"{p99 * 1000:.1f} ms | {counts} |")
