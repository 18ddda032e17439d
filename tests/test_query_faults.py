"""Faults of ours or of the machine around query processes are 503s with a plain reason, never the
user's 400 ("simplify it"), and the service recovers from them."""

import os
import threading
import time
from pathlib import Path

import pytest

from service.app import create_app

pytestmark = pytest.mark.slow

ASK = {"query": "ASK { ?s ?p ?o }"}


def query_process_children():
    """Pids of this process's children that are query processes."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"service.sparql.worker" in cmdline:
            found.append(int(entry.name))
    return found


class Killer:
    """Kill every query process of this test process as soon as it appears, until stopped."""

    def __init__(self):
        self.stop = threading.Event()
        self.killed = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.wait(0.005):
            for pid in query_process_children():
                try:
                    os.kill(pid, 9)
                    self.killed += 1
                except ProcessLookupError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join()


def assert_plain_503(response):
    assert response.status_code == 503, response.data
    assert response.mimetype == "text/plain"
    assert response.headers["Retry-After"]
    text = response.data.decode()
    assert "simplify" not in text and "/" not in text.split(" ", 1)[1]  # a reason, no internal paths
    return text


def test_query_processes_killed_while_starting_give_503_then_recover(tmp_path, mini_store_dir):
    app = create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "QUERY_TIMEOUT": 2.0,
                      "MAX_CONCURRENT_QUERIES": 3})  # caps of its own: a pool no other test shares
    killer = Killer()
    try:
        for _ in range(3):
            text = assert_plain_503(app.test_client().get("/sparql", query_string=ASK))
            assert "query process" in text
    finally:
        killer.close()
    assert killer.killed > 0
    assert answered_within(app, seconds=20)  # fresh processes start in the background


def answered_within(app, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.test_client().get("/sparql", query_string=ASK).status_code == 200:
            return True
    return False


def test_query_processes_that_cannot_start_give_503(mini_store_dir):
    # One megabyte of data segment: Python cannot even start, let alone load pyoxigraph.
    app = create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "QUERY_TIMEOUT": 2.0,
                      "MAX_QUERY_MEMORY": 1})
    text = assert_plain_503(app.test_client().get("/sparql", query_string=ASK))
    assert "failed to start" in text
