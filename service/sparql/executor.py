"""Running SPARQL queries safely: isolation, one deadline, fair admission.

    view ──check_query──> Job ──executor.run──> Answer (bytes, media type, truncated?)

* ``IsolatedExecutor`` (embedded store): each query runs in a query process that opened the
  published release read-only on its own (``service.sparql.process``; spares are kept warm).
  pyoxigraph has no timeout or cancellation, so a query past its deadline is stopped by
  killing its process and the caller gets ``QueryTimeout`` (503, Retry-After) — never a cut
  body. A query that crashes the engine, or outgrows the memory cap, kills only its process.
* ``InlineExecutor`` (remote store): the remote store's HTTP client carries the timeout;
  the query runs in the calling thread.
* Admission (both): at most MAX_CONCURRENT_QUERIES run at once per service process; a query
  waits up to ``SLOT_WAIT`` seconds for a slot before a 503 (``TooBusy``). On the embedded
  store, queries still running after ``LONG_QUERY`` seconds are *long*: at most a quarter of
  the slots (at least one) may hold long ones; one more stops the oldest long query (503), so
  heavy queries cannot starve cheap ones of slots. (A remote query cannot be stopped from
  here: it holds its slot until the store answers or the HTTP client gives up.)
* One deadline per query: waiting for a slot, for a process and the run itself, retries
  included, all end at QUERY_TIMEOUT after the request arrived (plus the time to kill).

Executors are kept per process and per store, so the many apps of a test run share their
processes, and a forked child never uses its parent's.
"""

import atexit
import functools
import os
import threading
import time
from collections import deque
from dataclasses import dataclass

from .. import errors
from ..errors import InputError, QueryTimeout, StoreUnavailable, TooBusy
from ..stores.embedded import EmbeddedStore
from .process import QueryProcess, QueryProcesses
from .results import serialize

SLOT_WAIT = 3.0  # seconds a query may wait for a free slot
LONG_QUERY = 0.5  # seconds after which a running query counts as long
SPARES = 3  # idle query processes kept ready


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
    release: str | None = None  # a kept release to query (embedded store); None: the current one

    def as_message(self):
        return {k: v for k, v in self.__dict__.items()}


class Admission:
    """Slots for queries (a bounded wait), and a smaller quota of slots for long-running ones."""

    def __init__(self, size):
        self.size, self._free, self._waiting = size, size, deque()  # waiting: Events, first come first
        self._long, self._long_limit = [], max(1, size // 4)  # long queries, oldest first
        self._lock = threading.Lock()

    def enter(self, deadline):
        """Take a slot, waiting up to SLOT_WAIT (and never past ``deadline``) in arrival order, so
        no query is overtaken again and again by newcomers; TooBusy if none frees."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(max(0.0, min(SLOT_WAIT, deadline - time.monotonic()))):
            return
        with self._lock:
            if not turn.is_set():  # else the slot was handed over just as the wait ended
                self._waiting.remove(turn)
                raise TooBusy(f"too many queries at once (limit {self.size} per process); retry shortly")

    def leave(self):
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the slot goes straight to the longest waiter
            else:
                self._free += 1

    def become_long(self, query):
        """Count ``query`` (a LongQuery) as long; returns the oldest long query it displaces when
        the quota is full (marked evicted: its owner stops it), else None. The oldest goes, not
        the newcomer: on a loaded machine a cheap query may cross the threshold too, and the
        query that has run longest is the likeliest runaway."""
        with self._lock:
            oldest = self._long.pop(0) if len(self._long) >= self._long_limit else None
            if oldest is not None:
                oldest.evicted = True
            self._long.append(query)
        return oldest

    def end_long(self, query):
        with self._lock:
            if query in self._long:
                self._long.remove(query)


@dataclass(eq=False)
class LongQuery:
    """A query running past LONG_QUERY on ``process``; ``evicted`` once a newer one displaced it."""

    process: QueryProcess
    evicted: bool = False


class InlineExecutor:
    """Run queries in the calling thread (remote stores: their HTTP client has the timeout)."""

    def __init__(self, store, max_concurrent, timeout):
        self.store, self.timeout = store, timeout
        self.admission = Admission(max_concurrent)

    def run(self, job):
        self.admission.enter(time.monotonic() + self.timeout)
        try:
            results = self.store.query(
                job.query,
                substitutions=job.substitutions,
                default_graph=job.default_graph,
                named_graphs=job.named_graphs,
            )
            return serialize(results, job.format, job.max_rows, job.limits_url)
        finally:
            self.admission.leave()

    def close(self):
        pass


class IsolatedExecutor:
    """Run queries on an embedded store in query processes, killed at the deadline."""

    def __init__(self, root, keep, max_concurrent, timeout, memory_mb):
        self.timeout = timeout
        self.admission = Admission(max_concurrent)
        start = lambda: QueryProcess(root, keep, memory_mb)  # noqa: E731
        self.processes = QueryProcesses(start, spares=SPARES, limit=max_concurrent + SPARES)

    def run(self, job):
        deadline = time.monotonic() + self.timeout
        self.admission.enter(deadline)
        try:
            return _unwrap(self._run(job.as_message(), deadline))
        finally:
            self.admission.leave()

    def _run(self, message, deadline):
        """The reply to ``message``; again on another process while the one taken turns out to
        have been killed from outside (it may have looked alive when taken: a dying process is
        not reapable until all its threads have exited), until ``deadline``."""
        while True:
            process = self.processes.take(deadline)
            try:
                reply = self._ask(process, message, deadline)
            except (EOFError, OSError):
                killed = process.killed_from_outside()
                self.processes.discard(process)
                if not killed:
                    raise InputError(
                        "the query engine aborted on this query: it needed more memory or stack than a "
                        "query may use; simplify it"
                    ) from None
                if time.monotonic() >= deadline:
                    raise StoreUnavailable("query processes were killed from outside; retry shortly") from None
                continue
            self.processes.give(process)
            return reply

    def _ask(self, process, message, deadline):
        """Run one job until ``deadline``, as a long query after LONG_QUERY seconds."""
        reply = process.ask(message, min(LONG_QUERY, deadline - time.monotonic()))
        if reply is not None:
            return reply
        if time.monotonic() >= deadline:
            self._stop(process, QueryTimeout(f"query stopped after the {self.timeout:g} s time limit"))
        query = LongQuery(process)
        oldest = self.admission.become_long(query)
        if oldest is not None:
            oldest.process.process.kill()  # its owner sees the socket close, and answers 503
        try:
            reply = process.wait(deadline - time.monotonic())
        except (EOFError, OSError):
            if query.evicted:
                self._stop(process, TooBusy("stopped: too many long-running queries at once; retry later"))
            raise
        finally:
            self.admission.end_long(query)
        if reply is None:
            self._stop(process, QueryTimeout(f"query stopped after the {self.timeout:g} s time limit"))
        return reply

    def _stop(self, process, error):
        self.processes.discard(process)  # killing is the only way to stop pyoxigraph mid-query
        raise error

    def worker_pids(self):
        """Process ids of the idle query processes (tests check that a timed-out one is gone)."""
        return self.processes.pids()

    def close(self):
        self.processes.close()


def _unwrap(reply):
    if reply[0] == "ok":
        return reply[1]
    _, name, message = reply
    error_class = getattr(errors, name, errors.PledgegraphError)
    raise error_class(message)


class PinnedExecutor:
    """An executor whose jobs all run on one kept release: same processes, slots and deadlines."""

    def __init__(self, executor, release):
        self.executor, self.release = executor, release

    def run(self, job):
        job.release = self.release
        return self.executor.run(job)


_EXECUTORS = {}
_EXECUTORS_LOCK = threading.Lock()
_CLOSED = []  # pids of processes that are shutting down: no new executors there


def executor_for(store, config):
    """The executor of this process for ``store`` under the caps in ``config``; for a store pinned to
    one release (``EmbeddedStore.at``), the same executor, its jobs sent to that release."""
    if getattr(store, "pinned", None):
        return PinnedExecutor(executor_for(EmbeddedStore(store.root), config), store.pinned)
    timeout = float(config["QUERY_TIMEOUT"])
    concurrent = int(config["MAX_CONCURRENT_QUERIES"])
    memory_mb = int(config["MAX_QUERY_MEMORY"])
    if isinstance(store, EmbeddedStore):
        root = _resolved(store.root)
        key = (os.getpid(), str(root), concurrent, timeout, memory_mb)
        make = lambda: IsolatedExecutor(root, store.keep, concurrent, timeout, memory_mb)  # noqa: E731
    else:
        key = (os.getpid(), id(store), concurrent, timeout)
        make = lambda: InlineExecutor(store, concurrent, timeout)  # noqa: E731
    with _EXECUTORS_LOCK:
        if os.getpid() in _CLOSED:
            raise StoreUnavailable("the service is shutting down; retry shortly")
        if key not in _EXECUTORS:
            _EXECUTORS[key] = make()
        return _EXECUTORS[key]


@functools.lru_cache(maxsize=64)
def _resolved(root):
    """``root`` made absolute, symbolic links resolved: once per store directory, not per query."""
    return root.resolve()


@atexit.register
def close_all():
    """Stop every query process this process started."""
    with _EXECUTORS_LOCK:
        _CLOSED.append(os.getpid())
        mine = [e for k, e in _EXECUTORS.items() if k[0] == os.getpid()]
        _EXECUTORS.clear()
    for executor in mine:
        executor.close()
