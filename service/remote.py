"""The remote store: a SPARQL 1.1 server (Virtuoso, Fuseki, an Oxigraph server) behind the store interface.

Reading. Queries go through SPARQLWrapper (SPARQL 1.1 Protocol, POST). Every query names its
dataset: ``default-graph-uri`` and ``named-graph-uri`` list the graphs of the current release,
read from a pointer graph. So, on every server, the default graph is the union of the published
graphs as in the embedded store (Virtuoso's own default would add its system graphs, Oxigraph's
would be empty), and graphs being loaded for the next release stay invisible. Like the embedded
store, the protocol dataset overrides a query's FROM clauses. Results come back as SPARQL XML
(Virtuoso's JSON writes booleans as "1") or N-Triples and are parsed by pyoxigraph, so callers get
the same objects from both stores. Substitutions become a ``VALUES`` block of serialised terms
at the top of the WHERE group, never spliced text.

Publishing (see ``remote_publish``): every file is parsed locally first; the quads are loaded in
chunks into staging graphs named after the release; then one update request moves the staging
graphs onto their published names, drops graphs the release no longer has and rewrites the
pointer. One update request is one transaction on Oxigraph and Virtuoso (tested here) and on
Fuseki/TDB2: readers see the old release or the new one, never a mix or nothing. A failure before
the swap leaves the old release as it was. One writer at a time (as for the embedded store).
Readers cache the pointer for ``pointer_ttl`` (1 s): data is always the committed release; a
release that adds graphs shows them to other processes within that second.

Writes use requests, not SPARQLWrapper: its digest authentication (Virtuoso's /sparql-auth)
installs a process-wide urllib opener, unsafe in a threaded server and leaking into every later
urllib call. For the same reason the query endpoint gets only basic credentials, and only once
it asks (Virtuoso: read from the public /sparql, write to /sparql-auth). Credentials go only to an
endpoint that asks for them, with the scheme its challenge names, and never into messages.
"""

import ast
import re
import threading
import time
import urllib.error
import urllib.parse
from datetime import UTC, datetime

import pyoxigraph as ox
import requests
from requests.adapters import HTTPAdapter
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, Unauthorized
from tenacity import Retrying as _Retrying
from tenacity import retry_if_exception, stop_after_attempt, wait_exponential
from urllib3.util.retry import Retry

from . import remote_publish as pub
from .errors import InputError, PledgegraphError, QueryTimeout, StoreUnavailable
from .remote_query import dataset_params, query_form, with_values

# One media type per request: Virtuoso answers 406 to a CONSTRUCT when a list starts with results.
ACCEPT_RESULTS = "application/sparql-results+xml"
ACCEPT_GRAPH = "application/n-triples"
RESULT_FORMATS = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
}
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
TRANSIENT_STATUS = (502, 503, 504)
# Triples per load request. Virtuoso compiles an INSERT template to SQL, slows as templates grow and
# fails past about a thousand triples; measured here: 2.1k triples/s at 100, 0.6k at 1000 (Oxigraph
# server: 10.8k and 5.9k).
CHUNK_SIZE = 100
GRACE = 2.0  # seconds past QUERY_TIMEOUT before the client gives up: the store's own timeout fires first


class _Transient(Exception):
    """A failure worth retrying: no connection, or a gateway saying try again."""


class RemoteStore:
    """Read and publish releases on a SPARQL 1.1 server."""

    def __init__(self, query_url, update_url="", user="", password="", timeout=10.0,
                 retries=3, chunk_size=CHUNK_SIZE, pointer_ttl=1.0):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self._credentials = (user, password) if user else None
        self.timeout = float(timeout)
        self.retries = retries
        self.chunk_size = chunk_size
        self.pointer_ttl = pointer_ttl
        self._pointer_cache = None  # (monotonic time, release, [graphs])
        self._query_auth = False  # send basic credentials to the query endpoint once it asks
        self._dialect = None  # "virtuoso", "fuseki" or "" from the Server header
        self._write_auth_cache = None
        self._session = requests.Session()
        retry = Retry(total=retries, connect=retries, read=0, status=0, other=0, backoff_factor=0.2)
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))
        self._write_lock = threading.Lock()

    @classmethod
    def from_config(cls, config):
        """The remote store the settings name (STORE_URL, UPDATE_URL, STORE_USER, STORE_PASSWORD)."""
        return cls(
            config["STORE_URL"],
            config.get("UPDATE_URL", ""),
            config.get("STORE_USER", ""),
            config.get("STORE_PASSWORD", ""),
            timeout=float(config.get("QUERY_TIMEOUT", 10.0)),
        )

    def __repr__(self):
        return f"RemoteStore({_safe_url(self.query_url)!r})"  # never the credentials

    # -- reading ------------------------------------------------------------------------

    def current_release(self):
        """Name of the published release, or None when nothing is published yet."""
        return self._pointer(fresh=True)[0]

    def exists(self):
        return self.current_release() is not None

    def named_graphs(self):
        return [ox.NamedNode(graph) for graph in self._published()[1]]

    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None):
        """Run SPARQL on the current release; raise InputError on a syntax error."""
        graphs = self._published()[1]
        text = with_values(sparql, substitutions) if substitutions else sparql
        params = dataset_params(graphs, default_graph, named_graphs)
        return self._parse(*self._send_query(text, params))

    def quads(self, subject=None, predicate=None, obj=None, graph=None):
        """Quads matching a pattern, across all graphs unless ``graph`` is given."""
        if isinstance(graph, ox.DefaultGraph):
            return iter(())  # everything published lives in named graphs
        bound = {"s": subject, "p": predicate, "o": obj, "g": graph}
        values = {ox.Variable(k): v for k, v in bound.items() if v is not None}
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=values)
        return (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)

    def dump(self, path):
        """Write every quad of the current release to ``path`` as N-Quads, graph by graph."""
        with open(path, "wb") as out:
            for graph in self.named_graphs():
                triples = list(self.query(
                    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                    substitutions={ox.Variable("g"): graph},
                ))
                self._check_complete(graph, len(triples))
                quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
                ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)

    def _check_complete(self, graph, got):
        # Stores cap result sizes (Virtuoso's ResultSetMaxRows) silently; a dump must not be partial.
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                          substitutions={ox.Variable("g"): graph})
        expected = int(next(iter(rows))["n"].value)
        if got < expected:
            raise PledgegraphError(
                f"the store returned {got} of {expected} triples of {graph.value}; "
                "raise its result size limit (Virtuoso: ResultSetMaxRows) to dump it"
            )

    def close(self):
        self._session.close()

    # -- the pointer graph ----------------------------------------------------------------

    def _published(self):
        release, graphs = self._pointer()
        if release is None:
            raise StoreUnavailable(
                f"nothing is published on the store at {_safe_url(self.query_url)}; "
                "run `pledgegraph build --store-url ...`"
            )
        return release, graphs

    def _pointer(self, fresh=False):
        """(release, [graph IRIs]) of the current release, cached for ``pointer_ttl`` seconds."""
        cached = self._pointer_cache
        if not fresh and cached and time.monotonic() - cached[0] < self.pointer_ttl:
            return cached[1], cached[2]
        text = (f"SELECT ?release ?graph WHERE {{ GRAPH {pub.POINTER} {{ {pub.POINTER} "
                f"{pub.IDENTIFIER} ?release OPTIONAL {{ {pub.POINTER} {pub.HAS_PART} ?graph }} }} }}")
        params = [("named-graph-uri", pub.POINTER.value)]
        rows = list(self._parse(*self._send_query(text, params)))
        release = rows[0]["release"].value if rows else None
        graphs = sorted({r["graph"].value for r in rows if r["graph"] and r["graph"] != pub.EMPTY})
        self._pointer_cache = (time.monotonic(), release, graphs)
        return release, graphs

    # -- the protocol -----------------------------------------------------------------------

    def _send_query(self, text, params):
        """POST a query; (content type, body). Retries transient failures, maps the rest."""
        retrying = _Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
            stop=stop_after_attempt(self.retries),
            wait=wait_exponential(multiplier=0.2, max=2),
            reraise=True,
        )
        try:
            return retrying(self._query_once, text, params)
        except _Transient as exc:
            raise StoreUnavailable(str(exc)) from None

    def _query_once(self, text, params):
        wrapper = self._wrapper(text, params)
        try:
            response = wrapper.query().response
            body = response.read()
        except Unauthorized:
            if self._credentials and not self._query_auth:
                self._query_auth = True  # the endpoint asks: send basic credentials from now on
                return self._query_once(text, params)
            raise StoreUnavailable(
                f"the store at {_safe_url(self.query_url)} refused the query (HTTP 401): "
                "check STORE_USER and STORE_PASSWORD"
            ) from None
        except QueryBadFormed as exc:
            raise InputError(f"SPARQL syntax error: {_store_message(exc)}") from None
        except EndPointNotFound:
            raise StoreUnavailable(f"no SPARQL endpoint at {_safe_url(self.query_url)} (HTTP 404)") from None
        except TimeoutError:
            raise QueryTimeout(f"the query did not finish within {self.timeout:g} seconds") from None
        except Exception as exc:  # SPARQLWrapper raises its own classes and urllib's
            raise self._map_failure(exc) from None
        self._note_dialect(response.headers.get("Server", ""))
        if response.headers.get("X-SQL-State") or response.status == 206:
            raise QueryTimeout(f"the query did not finish within {self.timeout:g} seconds")
        return response.headers.get("Content-Type", ""), body, wrapper.queryType == ASK

    def _wrapper(self, text, params):
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: the Accept header decides
        wrapper.setQuery(text)
        # SPARQLWrapper guesses the form with a regex that "download" in a comment turns into LOAD,
        # and would then POST the query to the update endpoint: use our token-level reading.
        wrapper.queryType = query_form(text)
        wrapper.timeout = self.timeout + GRACE  # float: setTimeout() would round 0.5 down to "no timeout"
        graph_form = wrapper.queryType in (CONSTRUCT, DESCRIBE)
        wrapper.addCustomHttpHeader("Accept", ACCEPT_GRAPH if graph_form else ACCEPT_RESULTS)
        for name, value in params + self._timeout_params():
            wrapper.addParameter(name, value)
        if self._query_auth:
            wrapper.setCredentials(*self._credentials)  # basic; see the module docstring
        return wrapper

    def _timeout_params(self):
        """The store's own query timeout, where the protocol lets us pass one."""
        if self._dialect == "virtuoso":
            return [("timeout", str(int(self.timeout * 1000)))]  # milliseconds
        if self._dialect == "fuseki":
            return [("timeout", f"{self.timeout:g}")]  # seconds
        return []  # Oxigraph: start the server with --timeout-s

    def _note_dialect(self, server):
        if self._dialect is None:
            server = server.lower()
            self._dialect = "virtuoso" if "virtuoso" in server else "fuseki" if "fuseki" in server else ""

    def _map_failure(self, exc):
        """A SPARQLWrapper / urllib failure as one of our errors (transient ones get retried)."""
        url = _safe_url(self.query_url)
        reason = getattr(exc, "reason", None)
        if isinstance(reason, TimeoutError):
            return _Transient(f"cannot reach the store at {url}: connection timed out")
        if isinstance(exc, urllib.error.HTTPError):
            if exc.code in TRANSIENT_STATUS:
                return _Transient(f"the store at {url} is unavailable (HTTP {exc.code})")
            return StoreUnavailable(f"the store at {url} refused the query (HTTP {exc.code})")
        if isinstance(exc, urllib.error.URLError):
            return _Transient(f"cannot reach the store at {url}: {_reason(reason)}")
        if isinstance(exc, (ConnectionError, OSError)):
            return _Transient(f"lost the connection to the store at {url}: {_reason(exc)}")
        message = _store_message(exc)
        if "timeout" in message.lower() or "S1T00" in message:
            return QueryTimeout(f"the query did not finish within {self.timeout:g} seconds")
        return StoreUnavailable(f"the store at {url} failed the query: {message}")

    def _parse(self, content_type, body, ask=False):
        """pyoxigraph results from a store's answer; a cut-off answer is a timeout."""
        try:
            return self._parse_answer(content_type.split(";")[0].strip().lower(), body, ask)
        except (SyntaxError, ValueError):
            if b"cancelled" in body[-300:] or b"timeout" in body[-300:].lower():
                # Oxigraph streams results, so its own timeout cuts the body after a 200.
                raise QueryTimeout("the store stopped the query at its time limit") from None
            raise StoreUnavailable("the store sent an answer that is not valid SPARQL results") from None

    def _parse_answer(self, media, body, ask):
        if media in RESULT_FORMATS:
            # Virtuoso labels blank nodes "nodeID://b1", which is not a valid blank node id.
            body = body.replace(b"<bnode>nodeID://", b"<bnode>")
            if media.endswith("json") and b"nodeID://" in body:
                body = body.replace(b'"value": "nodeID://', b'"value": "')
            if not body.rstrip().endswith(b"</sparql>" if media.endswith("xml") else b"}"):
                raise SyntaxError("incomplete results")  # pyoxigraph would only notice while iterating
            results = ox.parse_query_results(body, RESULT_FORMATS[media])
            return _as_boolean(results) if ask else results
        if media in GRAPH_FORMATS:
            return _triples(ox.parse(body, GRAPH_FORMATS[media]))
        raise StoreUnavailable(f"the store answered with {media or 'no media type'}, not SPARQL results")

    # -- publishing ---------------------------------------------------------------------

    def publish(self, paths, release=None):
        """Load dataset files (N-Quads, TriG) into staging graphs, then make them current in one update."""
        release = release or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        quads = _read(paths)
        graphs = sorted({q.graph_name for q in quads}, key=lambda g: g.value)
        staging = pub.staging_graphs(release, graphs)
        with self._write_lock:
            self._drop_leftovers()
            try:
                for chunk in pub.chunks(quads, self.chunk_size):
                    self._update(pub.insert_text(chunk, staging))
                self._verify_staging(quads, staging)
                old = [ox.NamedNode(g) for g in self._pointer(fresh=True)[1]]
                self._update(pub.swap_text(release, staging, old))
            except BaseException:
                self._drop_quietly(list(staging.values()))
                raise
            self._pointer_cache = None
        return release

    def _verify_staging(self, quads, staging):
        """Every staging graph holds all its quads (a concurrent cleanup would empty one)."""
        expected = {}
        for quad in quads:
            expected[staging[quad.graph_name].value] = expected.get(staging[quad.graph_name].value, 0) + 1
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        params = [("named-graph-uri", g) for g in expected]
        found = {r["g"].value: int(r["n"].value) for r in self._parse(*self._send_query(text, params))}
        for graph, count in expected.items():
            if found.get(graph, 0) < count:
                raise StoreUnavailable(f"the store lost staged data ({graph}); nothing was published")

    def _drop_leftovers(self):
        """Drop staging graphs a failed or killed publication left behind."""
        text = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{pub.STAGING}")) }}'
        rows = self._parse(*self._send_query(text, []))
        leftovers = [row["g"] for row in rows]
        if leftovers:
            self._update(pub.drop_text(leftovers))

    def _drop_quietly(self, graphs):
        try:
            self._update(pub.drop_text(graphs))
        except PledgegraphError:
            pass  # the next publication drops them

    def _update(self, text):
        """POST one SPARQL Update; map refusals to clear errors."""
        url = _safe_url(self.update_url)
        try:
            response = self._session.post(
                self.update_url, data={"update": text}, auth=self._write_auth(),
                timeout=(5.0, max(60.0, self.timeout)),
                headers={"Accept": "application/sparql-results+xml, */*;q=0.1"},
            )
        except requests.RequestException as exc:
            raise StoreUnavailable(f"cannot reach the store at {url}: {type(exc).__name__}") from None
        if response.status_code in (401, 403):
            raise StoreUnavailable(
                f"the store at {url} refused to write (HTTP {response.status_code}): "
                "check STORE_USER, STORE_PASSWORD and the account's update rights"
            )
        if not response.ok:
            raise StoreUnavailable(
                f"the store at {url} refused an update (HTTP {response.status_code}): "
                f"{_first_line(response.text)}"
            )

    def _write_auth(self):
        """Digest or basic credentials, as the update endpoint's challenge asks; None if it asks none."""
        if self._credentials is None:
            return None
        if self._write_auth_cache is None:
            try:
                probe = self._session.post(self.update_url, data={}, timeout=(5.0, 10.0))
            except requests.RequestException as exc:
                raise StoreUnavailable(
                    f"cannot reach the store at {_safe_url(self.update_url)}: {type(exc).__name__}"
                ) from None
            challenge = probe.headers.get("WWW-Authenticate", "").lower()
            if probe.status_code != 401:
                self._write_auth_cache = False  # the endpoint wants no credentials: send none
            elif challenge.startswith("digest"):
                self._write_auth_cache = requests.auth.HTTPDigestAuth(*self._credentials)
            else:
                self._write_auth_cache = requests.auth.HTTPBasicAuth(*self._credentials)
        return self._write_auth_cache or None


# -- helpers ------------------------------------------------------------------------------

def _read(paths):
    """Every quad of the dataset files, parsed locally so that a broken file writes nothing."""
    dataset = ox.Store()
    for path in paths:
        try:
            dataset.bulk_load(path=str(path))
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
    quads = list(dataset)
    pub.check_quads(quads)
    return quads


def _triples(parsed):
    """Parsed CONSTRUCT output as a pyoxigraph QueryTriples, the type the embedded store returns."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in parsed)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _as_boolean(results):
    """An ASK answer as a QueryBoolean; Virtuoso 7 sends a one-column table (__ASK_RETVAL) instead."""
    if isinstance(results, ox.QueryBoolean):
        return results
    answer = any(row[0] is not None and row[0].value not in ("0", "false") for row in results)
    return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"),
                                  ox.QueryResultsFormat.JSON)


def _safe_url(url):
    """The URL without any user:password@ part."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _store_message(exc):
    """The store's own reason from a SPARQLWrapper exception (which keeps it only as a repr)."""
    text = str(exc.args[0]) if exc.args else str(exc)
    found = re.search(r"Response:\n(b?(['\"]).*\2)\s*$", text, flags=re.DOTALL)
    if found:
        try:
            raw = ast.literal_eval(found.group(1))
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        except (ValueError, SyntaxError):
            pass
    return _first_line(text)


def _first_line(text):
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return (lines[0] if lines else "no reason given")[:300]


def _reason(reason):
    return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
