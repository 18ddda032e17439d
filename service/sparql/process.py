"""Query processes: one ``python -m service.sparql.worker`` each, and a pool that keeps spares warm.

    QueryProcesses(start, spares, limit)
        .take(deadline) -> QueryProcess    an idle, started process (or StoreUnavailable)
        .give(process)                     back to the idle list after a query
        .discard(process)                  killed (timeout, crash); a spare replaces it
        .close()                           kill everything; later takes fail with 503

Starting a process costs 0.3–0.4 s of CPU (2–5 s on a loaded machine: Python, pyoxigraph, our
modules), so the pool starts them *before* they are needed: ``spares`` idle processes are kept
ready, and a replacement starts in the background as soon as one is taken or killed, never in
the request that needs it. Starts run on two long-lived threads: Linux sends the
"parent died" signal when the *thread* that started a child ends.
"""

import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from ..errors import StoreUnavailable

START_TIMEOUT = 60.0
EXIT_WAIT = 5.0  # a process whose socket closed is exiting; give it this long
OUTSIDE_SIGNALS = {signal.SIGKILL, signal.SIGTERM, signal.SIGHUP}
RETRY_AFTER_FAILURE = 1.0  # seconds before starting again after a start failed
log = logging.getLogger(__name__)


class QueryProcess:
    """One query process and the socket to it; started and ready when constructed."""

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
        try:
            first = self.connection.recv() if self.connection.poll(START_TIMEOUT) else ("failed", "timed out")
        except (EOFError, OSError):
            first = ("failed", None)
        if first != ("ready",):
            self.kill()
            reason = first[1] or f"exit status {self.process.returncode}"
            raise StoreUnavailable(f"a query process failed to start ({reason})")

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def ask(self, message, timeout):
        """Send a job; the reply, or None when ``timeout`` seconds passed first.
        EOFError or OSError when the process died on it."""
        self.connection.send(message)
        return self.wait(timeout)

    def wait(self, timeout):
        """The reply to the job sent, or None after ``timeout`` more seconds."""
        if not self.connection.poll(max(0.0, timeout)):
            return None
        return self.connection.recv()

    def kill(self):
        self.process.kill()
        self.process.wait()
        self.connection.close()

    def killed_from_outside(self):
        """After the socket closed: whether a signal from outside ended it (an operator, the OOM
        killer, a supervisor stopping everything), rather than the engine crashing on the query
        (abort, stack overflow)."""
        try:
            self.process.wait(EXIT_WAIT)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        return -self.process.returncode in OUTSIDE_SIGNALS


class QueryProcesses:
    """A pool of query processes made by ``start()``: ``spares`` kept idle, at most ``limit`` alive."""

    def __init__(self, start, spares, limit):
        self._start, self.spares, self.limit = start, spares, limit
        self._idle, self._busy, self._starting = [], 0, 0
        self._closed, self._failure, self._retry_at = False, None, 0.0
        self._changed = threading.Condition()
        self._starter = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sparql-start")
        with self._changed:
            self._refill()

    def take(self, deadline):
        """An idle live process (most recently used first: warm caches), waiting until ``deadline``
        (time.monotonic()) for one to start; StoreUnavailable if none is ready by then."""
        with self._changed:
            while True:
                if self._closed:
                    raise StoreUnavailable("the service is shutting down; retry shortly")
                while self._idle:
                    process = self._idle.pop()
                    if process.alive():
                        self._busy += 1
                        self._refill()
                        return process
                    process.kill()  # died while idle (killed from outside): never hand it a query
                self._refill()
                if self._failure and not self._starting:  # the last start failed: say so now
                    raise StoreUnavailable(self._failure)
                if deadline <= time.monotonic():
                    reason = f" ({self._failure})" if self._failure else ""
                    raise StoreUnavailable(f"no query process was ready in time{reason}; retry shortly")
                self._changed.wait(min(deadline - time.monotonic(), RETRY_AFTER_FAILURE))

    def give(self, process):
        with self._changed:
            self._busy -= 1
            if self._closed:
                process.kill()
                return
            self._idle.append(process)
            self._changed.notify()

    def discard(self, process):
        process.kill()
        with self._changed:
            self._busy -= 1
            self._refill()

    def pids(self):
        """Process ids of the idle processes."""
        with self._changed:
            return [p.pid for p in self._idle]

    def close(self):
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for process in idle:
            process.kill()
        self._starter.shutdown(wait=False, cancel_futures=True)

    def _refill(self):
        """Start processes until ``spares`` are idle or starting (within ``limit``); holds the lock."""
        while (
            not self._closed
            and time.monotonic() >= self._retry_at
            and len(self._idle) + self._starting < self.spares
            and len(self._idle) + self._starting + self._busy < self.limit
        ):
            try:
                self._starter.submit(self._start_one)
            except RuntimeError:  # the interpreter is shutting down
                self._closed = True
                return
            self._starting += 1

    def _start_one(self):
        try:
            process, failure = self._start(), None
        except Exception as exc:  # noqa: BLE001 -- reported to the next request, retried on the next take
            process, failure = None, getattr(exc, "message", str(exc))
            log.error("query process start failed: %s", failure)
        with self._changed:
            self._starting -= 1
            self._failure = failure
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE if failure else 0.0
            if process is not None and self._closed:
                process.kill()
            elif process is not None:
                self._idle.insert(0, process)  # least recently used end: warm ones go first
            self._changed.notify_all()
