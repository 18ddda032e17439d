"""A query worker process: runs SPARQL on an embedded release, one job at a time.

Started by ``service.sparql.process.QueryProcess`` as
``python -m service.sparql.worker FD ROOT KEEP MEMORY_MB``.
It opens the published release read-only itself (after its own start, never inherited
across a fork), reopens after a swap, and answers each job on the socket ``FD``; a job that
names a kept release (``/releases/<id>/sparql``, permalinks) runs there instead. The parent
kills it when a job runs past the timeout: pyoxigraph has no cancellation, and killing the
process is the only way to really stop the work. A crash (stack overflow, abort) ends only
this process, and so does a query that outgrows MEMORY_MB: the cap is the data-segment limit
(``RLIMIT_DATA``: heap and anonymous memory, not the store's mapped files), and the engine
aborts when an allocation fails, instead of the machine swapping or the kernel killing at random.
"""

import ctypes
import resource
import signal
import sys
from multiprocessing.connection import Connection

from ..errors import InputError, PledgegraphError, StoreUnavailable
from ..stores.embedded import STORE_FAULT, STORE_FAULTS, EmbeddedStore
from ..stores.sparql_text import capped_select
from .results import serialize

PR_SET_PDEATHSIG = 1


def handle(store, job):
    """Run one job; return ("ok", Answer) or ("error", class name, message). A SELECT query runs
    with a LIMIT of at most the row cap plus one, so the engine stops there."""
    try:
        capped = capped_select(job["query"], job["max_rows"] + 1)
        results = _query(store, job, capped or job["query"])
        return ("ok", serialize(results, job["format"], job["max_rows"], job.get("limits_url"), capped is not None))
    except PledgegraphError as exc:
        return ("error", type(exc).__name__, exc.message)
    except (ValueError, TypeError, SyntaxError) as exc:
        return ("error", InputError.__name__, f"query failed: {exc}")
    except Exception as exc:  # noqa: BLE001 -- any engine error is reported (details to the log), the worker lives on
        print(f"query process: the query failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        if isinstance(exc, OSError) or str(exc).startswith(STORE_FAULTS):
            return ("error", StoreUnavailable.__name__, STORE_FAULT)
        return ("error", PledgegraphError.__name__, f"the query engine failed ({type(exc).__name__})")


def _query(store, job, text):
    # The store's own rules for the dataset and its error mapping, plus a base IRI: the protocol
    # lets relative IRIs resolve against the endpoint's URL. A job may name a kept release.
    if job.get("release"):
        store = store.at(job["release"])
    return store.query(
        text,
        base_iri=job.get("base_iri"),
        substitutions=job.get("substitutions"),
        default_graph=job.get("default_graph"),
        named_graphs=job.get("named_graphs"),
    )


def _die_with_parent():
    # Linux only: if the service process dies, take this worker (and its query) down too.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _cap_memory(memory_mb):
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def main(argv):
    fd, root, keep, memory_mb = int(argv[0]), argv[1], int(argv[2]), int(argv[3])
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the service, which stops gracefully
    _cap_memory(memory_mb)
    connection = Connection(fd)
    store = EmbeddedStore(root, keep=keep)
    try:
        if store.exists():
            store.oxigraph()  # open the release now: a process that cannot, fails to start
    except PledgegraphError as exc:
        connection.send(("failed", exc.message))
        return 1
    connection.send(("ready",))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return 0  # the parent went away
        connection.send(handle(store, job))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
