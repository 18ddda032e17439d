"""The server on its own: slow and idle clients cost a socket, never the service (loopback, bounded)."""

import os
import signal
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from service.stores.embedded import EmbeddedStore
from tests.conftest import FIXTURES
from tests.load import SlowClients, run_mix
from tests.servers import ServiceServer

pytestmark = pytest.mark.slow

READ_TIMEOUT = 4.0
@pytest.fixture(scope="module")
def server(mini_store_dir):
    with ServiceServer({"STORE_DIR": str(mini_store_dir)}, read_timeout=READ_TIMEOUT) as running:
        yield running


def timed_get(server):
    started = time.monotonic()
    with urllib.request.urlopen(server.url("/sparql?format=nt"), timeout=10) as response:
        response.read()
        return response.status, time.monotonic() - started


def test_hundreds_of_slow_clients_do_not_delay_a_normal_request(server):
    clients = SlowClients(server.port, per_kind=60)  # 240 connections, every kind of slowness
    try:
        time.sleep(1.5)  # every slow client has sent something and is waiting for more
        for _ in range(5):
            status, seconds = timed_get(server)
            assert status == 200
            assert seconds < 1.0
    finally:
        clients.close()


def test_a_request_that_keeps_trickling_is_cut_off_at_the_read_timeout(server):
    clients = SlowClients(server.port, per_kind=2)
    try:
        time.sleep(READ_TIMEOUT + 3.0)  # the timeout, plus the server's once-a-second check
        for kind, sock in clients.sockets:
            if kind == "idle":
                continue  # an idle connection is closed after the idle timeout instead
            sock.settimeout(5)
            try:
                answer = sock.recv(1000)
            except ConnectionResetError:
                answer = b""
            assert answer == b"", kind  # closed by the server, nothing served
    finally:
        clients.close()
    status, _ = timed_get(server)
    assert status == 200


def processes_reading(root):
    """Pids of processes whose command line names ``root`` (the service's query processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(root).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def own_store(tmp_path):
    EmbeddedStore(tmp_path / "store").publish([FIXTURES / "mini.trig"])
    return tmp_path / "store"


def test_a_stopping_service_finishes_or_refuses_in_flight_requests(own_store):
    server = ServiceServer({"STORE_DIR": str(own_store), "QUERY_TIMEOUT": 3.0}).start()
    assert processes_reading(own_store)  # warm query processes, started before any request
    outcome = {}
    loader = threading.Thread(target=lambda: outcome.update(run_mix(server.url(""), 16, 600, 50, timeout=30)))
    loader.start()
    time.sleep(1.0)
    os.kill(server.process.pid, signal.SIGTERM)
    loader.join()
    server.process.wait(timeout=30)
    statuses = {status for outcomes in outcome.values() for status, _ in outcomes}
    assert 500 not in statuses and 200 in statuses
    assert statuses <= {200, 503, "ConnectionRefusedError", "ConnectionResetError", "RemoteDisconnected",
                        "BrokenPipeError"}, statuses
    assert server.process.returncode == 0
    assert not processes_reading(own_store)


def test_query_processes_die_with_the_service(own_store):
    server = ServiceServer({"STORE_DIR": str(own_store)}).start()
    assert processes_reading(own_store)
    server.process.kill()  # kill -9: no clean-up code runs in the service
    server.process.wait()
    deadline = time.monotonic() + 5
    while processes_reading(own_store) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_reading(own_store)


SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
SMUGGLING = {
    "Content-Length and Transfer-Encoding": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                                            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
    "two Content-Lengths": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nContent-Length: 45\r\n"
                           b"\r\n" + SMUGGLED,
    "chunked not last": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                        b"0\r\n\r\n" + SMUGGLED,
    "space before the colon": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding : chunked\r\n"
                              b"Content-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED,
    "folded header": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n"
                     b"0\r\n\r\n" + SMUGGLED,
    "bad chunk size": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"0x5\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
}


@pytest.mark.parametrize("shape", sorted(SMUGGLING))
def test_request_smuggling_shapes_are_refused(server, shape):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(SMUGGLING[shape])
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert answer.split(b" ", 2)[1] in (b"400", b"501"), answer[:80]
    assert answer.count(b"HTTP/1.") == 1, answer  # the smuggled request was never served
