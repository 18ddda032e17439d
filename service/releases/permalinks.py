"""Query permalinks: a SPARQL query pinned to a kept release, with the checksums of its answer.

    permalink_id(query, release) -> str     derived from the content: the same query on the same
                                            release always gets the same permalink
    canonical_format(form)                  "json" (SELECT, ASK) or "ntriples" (CONSTRUCT, DESCRIBE)
    convert(answer body, form, fmt) -> bytes  the canonical answer in another format
    record(...) -> dict                     what the ledger keeps (``stores.ledger``)
    verify(record, fmt key, body)           PledgegraphError (500) if a re-run answer differs
    unreproducible(query) -> [function]     the functions whose value differs each run (NOW(), RAND()...)
    refuse_volatile(query)                  InputError (400) if it calls one of them
    refuse_unless_same(first, second)       InputError (400) unless two runs gave the same bytes
    RateLimit(per_hour).spend(client)       a context that counts one creation (not if it fails);
                                            TooManyRequests (429) past the per-client limit

A permalink's answer is computed by running its query on its release in one lossless format and
converting that with the same writers as every other answer, so each format has one sequence of
bytes; the SHA-256 of each is recorded when the permalink is made, and every later answer is
checked against it before it is sent. Releases never change and Oxigraph answers the same query on
the same files in the same order (measured across processes and stores), so the bytes stay the same,
unless the query itself makes them differ: NOW(), RAND(), UUID(), STRUUID() and BNODE() give a new
value each run, and a CONSTRUCT template's blank nodes get new labels each run. Such a query could
never be served again, so it gets no permalink: the functions are refused by name, and the query
is run twice at creation and refused if the two answers differ.
"""

import base64
import hashlib
import json
import threading
import time
from collections import deque
from contextlib import contextmanager

import pyoxigraph as ox

from ..errors import InputError, PledgegraphError, TooManyRequests
from ..formats import RDF_FORMATS, RESULT_FORMATS, by_name, write_rdf, write_results
from ..namespaces import PREFIXES
from ..stores.ledger import now_text
from ..stores.sparql_text import tokens

ID_LENGTH = 20  # base32 characters: 100 bits of SHA-256
VOLATILE = {"NOW", "RAND", "UUID", "STRUUID", "BNODE"}  # SPARQL 1.1 functions with a new value each call


def permalink_id(query, release):
    """The permalink of ``query`` (exact text) on ``release``: lower-case base32 of their SHA-256."""
    digest = hashlib.sha256(f"{release}\n{query}".encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:ID_LENGTH]


def is_permalink_id(text):
    return len(text) == ID_LENGTH and all(c in "abcdefghijklmnopqrstuvwxyz234567" for c in text)


def formats(form):
    """The formats a permalink answers in: result formats for a table, RDF formats for a graph."""
    return RDF_FORMATS if form == "graph" else RESULT_FORMATS


def canonical_format(form):
    return "ntriples" if form == "graph" else "json"


def convert(body, form, fmt):
    """The canonical answer ``body`` (SPARQL JSON or N-Triples, as the query processes write them)
    written in ``fmt`` by the writers every answer goes through; a cut answer keeps its signal."""
    if form == "graph":
        text = body.decode("utf-8")
        note = text[2:].split("\n", 1)[0] if text.startswith("# ") else None
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return write_rdf(triples, fmt, PREFIXES if fmt.name != "jsonld" else None, note=note)
    document = json.loads(body)
    link = (document.get("head", {}).pop("link", None) or [None])[0]
    if not document["head"]:
        document["head"] = {}
    return write_results(document, fmt, link=link)


def sha256(body):
    return hashlib.sha256(body).hexdigest()


def record(query, release, form, max_rows, answer, rendered):
    """The ledger's row for a new permalink: ``answer`` is the canonical Answer, ``rendered``
    {format key: final bytes} of every format it is offered in."""
    return {
        "id": permalink_id(query, release), "release": release, "query": query, "form": form,
        "max_rows": max_rows, "rows": answer.rows, "truncated": answer.truncated,
        "sha256": sha256(answer.body), "bytes": len(answer.body),
        "checksums": {key: {"sha256": sha256(body), "bytes": len(body)} for key, body in rendered.items()},
        "created": now_text(),
    }


def verify(record, key, body):
    """Refuse to serve ``body`` under the permalink unless it is the answer recorded for ``key``."""
    expected = record["checksums"].get(key) if key else {"sha256": record["sha256"]}
    if expected is None or sha256(body) != expected["sha256"]:
        raise PledgegraphError(
            f"the answer of permalink {record['id']} no longer matches its recorded checksum; it is not "
            "served rather than served changed (the query engine may have been upgraded): tell the operator"
        )


def unreproducible(query):
    """The functions of ``query`` (upper case, in order, once each) whose value differs each run."""
    items = [m.group() for m in tokens(query)]
    return list(dict.fromkeys(word.upper() for word, after in zip(items, items[1:] + [""], strict=True)
                              if word.upper() in VOLATILE and after == "("))


def refuse_volatile(query):
    """InputError (400) if ``query`` calls a function of ``VOLATILE``: its answer could not be given again."""
    volatile = unreproducible(query)
    if volatile:
        raise InputError(f"this query cannot be a permalink: {', '.join(f + '()' for f in volatile)} give a new value "
                         "each time the query runs, so its answer could never be given again; run it at /sparql")


def refuse_unless_same(first, second):
    """InputError (400) unless two runs of a query answered the same bytes (``first``, ``second``)."""
    if first != second:
        raise InputError("this query cannot be a permalink: two runs of it gave different answers (a CONSTRUCT "
                         "template with blank nodes gets new ones each run; use IRIs or variables instead), "
                         "so its answer could never be given again; run it at /sparql")


def format_of(record, name):
    """The format of this permalink's answer that ``name`` (extension, short name) names, or None."""
    return by_name(name, formats(record["form"]))


class RateLimit:
    """At most ``per_hour`` creations per client in any hour (a sliding window, kept in memory)."""

    def __init__(self, per_hour):
        self.per_hour = per_hour
        self._seen = {}  # client -> deque of monotonic times
        self._lock = threading.Lock()

    @contextmanager
    def spend(self, client):
        """Count one creation by ``client`` for the block; refunded if the block fails (nothing was made),
        so refused queries use none of the limit. TooManyRequests (with Retry-After) past the limit."""
        stamp = self.check(client)
        try:
            yield
        except BaseException:
            with self._lock:
                seen = self._seen.get(client)
                if seen is not None and stamp in seen:
                    seen.remove(stamp)
            raise

    def check(self, client):
        """Count one creation by ``client`` and return its time; TooManyRequests past the limit."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(client, deque())
            while seen and now - seen[0] > 3600:
                seen.popleft()
            if len(seen) >= self.per_hour:
                wait = int(3600 - (now - seen[0])) + 1
                raise TooManyRequests(f"too many permalinks from this address (at most {self.per_hour} an "
                                      "hour); retry later", retry_after=wait)
            seen.append(now)
            if len(self._seen) > 100_000:  # forget idle clients rather than grow without end
                for idle in [c for c, times in self._seen.items() if not times or now - times[-1] > 3600]:
                    del self._seen[idle]
            return now
