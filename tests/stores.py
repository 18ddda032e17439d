"""Real SPARQL servers for tests and benchmarks: an Oxigraph server and a Virtuoso, on 127.0.0.1.

Each server runs in its own temporary directory on a free port, is polled until it answers a
query, and is stopped by its own pid. Tests get one of each per session (starting Virtuoso takes
several seconds); a test may ``stop()`` and ``start()`` one to check recovery, and leaves it
running. Without ``virtuoso-t`` the Virtuoso params skip with a message saying how to get it.
"""

import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
VIRTUOSO_HINT = (
    "virtuoso-t not found: install it with `apt-get install virtuoso-opensource-7-bin` "
    "to run the Virtuoso store tests (CI does)"
)
STORE_KINDS = ("embedded", "oxigraph", "virtuoso")


def _die_with_parent():
    # Linux: if the test process is killed, its servers go too instead of lingering.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A store server process in ``directory``: start, wait until it answers, stop."""

    ready_timeout = 60.0
    user = password = ""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None

    def command(self):
        raise NotImplementedError

    def start(self):
        """Start the server (same port and data as before) and wait until it answers."""
        log = open(self.directory / "server.out", "ab")
        self.process = subprocess.Popen(
            self.command(), cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.directory / "server.out").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{type(self).__name__} exited with {self.process.returncode}:\n{tail}")
            try:
                response = requests.get(
                    self.query_url,
                    params={"query": "ASK {}"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=2,
                )
                if response.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{type(self).__name__} did not answer within {self.ready_timeout} s")

    def stop(self):
        """Stop the server by its pid (terminate, then kill)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def config(self, **overrides):
        """The service settings that point at this server."""
        config = {
            "STORE_URL": self.query_url,
            "UPDATE_URL": self.update_url,
            "STORE_USER": self.user,
            "STORE_PASSWORD": self.password,
            "QUERY_TIMEOUT": 10.0,
        }
        config.update(overrides)
        return config


class OxigraphServer(Server):
    """`oxigraph serve` on disk (so a restart keeps the data), as the README sets it up: without
    ``--timeout-s``, which costs the server a sleeping thread per query and crashes it under load;
    the service's own client-side timeout applies instead."""

    def command(self):
        return [OXIGRAPH, "serve", "--location", str(self.directory / "data"),
                "--bind", f"127.0.0.1:{self.port}"]

    @property
    def query_url(self):
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self):
        return f"http://127.0.0.1:{self.port}/update"


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
EnabledDavVSP = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer(Server):
    """virtuoso-t from a minimal virtuoso.ini; reads on /sparql, writes on /sparql-auth (digest)."""

    user = "dba"
    password = "dba"  # the default of a fresh database: a throw-away test instance only

    def __init__(self, directory):
        super().__init__(directory)
        self.isql_port = free_port()
        (self.directory / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(d=self.directory, isql=self.isql_port, http=self.port)
        )

    def command(self):
        return [VIRTUOSO, "-c", str(self.directory / "virtuoso.ini"), "+foreground"]

    @property
    def query_url(self):
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def update_url(self):
        return f"http://127.0.0.1:{self.port}/sparql-auth"

    def stop(self):
        """Stop as an operator does: `shutdown` through isql, which checkpoints first. Virtuoso runs
        some graph operations of a large update (MOVE, DROP of big graphs) without its transaction
        log, so a SIGTERM without a checkpoint can lose them; terminate only if isql cannot."""
        if ISQL and self.process is not None and self.process.poll() is None:
            subprocess.run([ISQL, str(self.isql_port), self.user, self.password, "exec=shutdown;"],
                           capture_output=True, timeout=60, check=False)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        super().stop()


SERVERS = {"oxigraph": (OxigraphServer, OXIGRAPH), "virtuoso": (VirtuosoServer, VIRTUOSO)}


def start_server(kind, directory):
    """Start a server of ``kind`` in ``directory``; skip the test when its binary is missing."""
    cls, binary = SERVERS[kind]
    if not binary:
        pytest.skip(VIRTUOSO_HINT if kind == "virtuoso" else "oxigraph not found: pip install oxigraph")
    return cls(directory).start()


_STARTED = {}  # kind -> Server, shared by every module that imports the fixture


@pytest.fixture(scope="session")
def store_servers(tmp_path_factory):
    """Lazily started servers, one per kind for the whole session, stopped at its end."""

    def get(kind):
        if kind not in _STARTED:
            _STARTED[kind] = start_server(kind, tmp_path_factory.mktemp(kind))
        return _STARTED[kind]

    yield get
    while _STARTED:
        _STARTED.popitem()[1].stop()
