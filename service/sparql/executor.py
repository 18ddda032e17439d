"""Running SPARQL queries safely: isolation, a wall-clock timeout, caps.

    view ──check_query──> Job ──executor.run──> Answer (bytes, media type, truncated?)

* ``IsolatedExecutor`` (embedded store): each query runs in a worker *process* that opened
  the published release read-only on its own. pyoxigraph has no timeout or cancellation, so
  a query past the deadline is stopped by killing its worker (a fresh one is started for the
  next query) and the caller gets ``QueryTimeout`` (503, Retry-After) — never a cut body. A
  query that crashes the engine, or outgrows the worker's memory cap, kills only its worker.
* ``InlineExecutor`` (remote store): the remote store's HTTP client carries the timeout;
  the query runs in the calling thread.
* Both cap concurrent queries per service process (``TooBusy``, 503 with Retry-After) and
  serialise with the same capped writers (``sparql_results``).

Executors are kept per process and per store, so the many apps of a test run share their
workers, and a forked child never uses its parent's workers.
"""

import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from .. import errors
from ..errors import InputError, QueryTimeout, StoreUnavailable, TooBusy
from ..stores.embedded import EmbeddedStore
from .results import serialize

WORKER_START_TIMEOUT = 60.0
WORKER_EXIT_WAIT = 5.0  # a worker whose socket closed is exiting; give it this long


@dataclass
class Job:
    """One query to run: text, bindings, dataset, result format and row cap."""

    query: str
    format: str
    max_rows: int
    substitutions: dict | None = None
    default_graph: list | None = None
    named_graphs: list | None = None
    base_iri: str | None = None  # relative IRIs resolve against it (embedded store only)
    limits_url: str | None = None  # the page a cut answer points to

    def as_message(self):
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class _Slots:
    """A non-blocking concurrency cap: take a slot or be told to come back later."""

    size: int
    _semaphore: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self):
        self._semaphore = threading.BoundedSemaphore(self.size)

    def __enter__(self):
        if not self._semaphore.acquire(blocking=False):
            raise TooBusy(f"too many queries at once (limit {self.size} per process); retry shortly")

    def __exit__(self, *exc):
        self._semaphore.release()


class InlineExecutor:
    """Run queries in the calling thread (remote stores: their HTTP client has the timeout)."""

    def __init__(self, store, max_concurrent):
        self.store = store
        self.slots = _Slots(max_concurrent)

    def run(self, job):
        with self.slots:
            results = self.store.query(
                job.query,
                substitutions=job.substitutions,
                default_graph=job.default_graph,
                named_graphs=job.named_graphs,
            )
            return serialize(results, job.format, job.max_rows, job.limits_url)

    def close(self):
        pass


class _Worker:
    """One worker process and the socket to it."""

    def __init__(self, root, keep, memory_mb):
        parent, child = socket.socketpair()
        arguments = [str(child.fileno()), str(root), str(keep), str(memory_mb)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.sparql.worker", *arguments],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        child.close()
        self.connection = Connection(parent.detach())
        if not self.connection.poll(WORKER_START_TIMEOUT):
            self.kill()
            raise StoreUnavailable("the query worker did not start")
        self.connection.recv()  # ("ready",)

    def ask(self, message, timeout):
        """Send a job; the reply, or None when the deadline passed."""
        self.connection.send(message)
        if not self.connection.poll(timeout):
            return None
        return self.connection.recv()

    def kill(self):
        self.process.kill()
        self.process.wait()
        self.connection.close()

    def killed_from_outside(self):
        """After the socket closed: whether SIGKILL ended it (an operator, the OOM killer),
        rather than the engine crashing on the query (abort, stack overflow)."""
        try:
            self.process.wait(WORKER_EXIT_WAIT)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        return self.process.returncode == -signal.SIGKILL


class IsolatedExecutor:
    """Run queries on an embedded store in worker processes, killed at the deadline."""

    def __init__(self, root, keep, max_concurrent, timeout, memory_mb):
        self.root, self.keep, self.timeout, self.memory_mb = root, keep, timeout, memory_mb
        self.slots = _Slots(max_concurrent)
        self._idle = []
        self._lock = threading.Lock()
        # Workers are started from one long-lived thread: Linux delivers the "parent died"
        # signal when the *thread* that started a child ends, and request threads come and go.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparql-spawner")

    def run(self, job):
        with self.slots:
            try:
                reply, worker = self._ask(job)
            except (EOFError, OSError):
                raise InputError(
                    "the query engine aborted on this query: it needed more memory or stack than a query "
                    "may use; simplify it"
                ) from None
            if reply is None:
                worker.kill()  # the only way to stop pyoxigraph mid-query
                raise QueryTimeout(f"query stopped after the {self.timeout:g} s time limit")
            self._give(worker)
            return _unwrap(reply)

    def _ask(self, job):
        """Send the job to a worker; once more to a fresh one if the first was killed from
        outside (it may have looked alive when taken: a dying process is not reapable until
        all its threads have exited)."""
        for retry in (False, True):
            worker = self._take()
            try:
                return worker.ask(job.as_message(), self.timeout), worker
            except (EOFError, OSError):
                if retry or not worker.killed_from_outside():
                    worker.kill()
                    raise

    def worker_pids(self):
        """Process ids of the idle workers (tests check that a timed-out one is gone)."""
        with self._lock:
            return [w.process.pid for w in self._idle]

    def _take(self):
        """An idle live worker (most recently used first: warm caches), or a new one."""
        while True:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                return self._spawner.submit(_Worker, self.root, self.keep, self.memory_mb).result()
            if worker.process.poll() is None:
                return worker
            worker.kill()  # died while idle (killed from outside): never hand it a query

    def _give(self, worker):
        with self._lock:
            self._idle.append(worker)

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
        self._spawner.shutdown(wait=False)


def _unwrap(reply):
    if reply[0] == "ok":
        return reply[1]
    _, name, message = reply
    error_class = getattr(errors, name, errors.PledgegraphError)
    raise error_class(message)


_EXECUTORS = {}
_EXECUTORS_LOCK = threading.Lock()


def executor_for(store, config):
    """The executor of this process for ``store`` under the caps in ``config``."""
    timeout = float(config["QUERY_TIMEOUT"])
    concurrent = int(config["MAX_CONCURRENT_QUERIES"])
    memory_mb = int(config["MAX_QUERY_MEMORY"])
    if isinstance(store, EmbeddedStore):
        key = (os.getpid(), str(store.root.resolve()), concurrent, timeout, memory_mb)
        make = lambda: IsolatedExecutor(store.root.resolve(), store.keep, concurrent, timeout, memory_mb)  # noqa: E731
    else:
        key = (os.getpid(), id(store), concurrent, timeout)
        make = lambda: InlineExecutor(store, concurrent)  # noqa: E731
    with _EXECUTORS_LOCK:
        if key not in _EXECUTORS:
            _EXECUTORS[key] = make()
        return _EXECUTORS[key]


@atexit.register
def close_all():
    """Stop every worker process this process started."""
    with _EXECUTORS_LOCK:
        mine = [e for k, e in _EXECUTORS.items() if k[0] == os.getpid()]
        _EXECUTORS.clear()
    for executor in mine:
        executor.close()
