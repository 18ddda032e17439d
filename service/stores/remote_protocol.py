"""The SPARQL 1.1 Protocol as the remote store speaks it: queries, updates, credentials, failures.

Queries go through SPARQLWrapper (POST) and come back as SPARQL XML (Virtuoso's JSON writes
booleans as "1") or N-Triples, parsed by pyoxigraph, so callers get the same objects as from the
embedded store. Transient failures (no connection, a gateway saying try again) are retried with
tenacity; the rest become our errors (syntax: InputError; refusals: StoreUnavailable; the time
limit: QueryTimeout).

Writes use requests, not SPARQLWrapper: its digest authentication (Virtuoso's /sparql-auth)
installs a process-wide urllib opener, unsafe in a threaded server and leaking into every later
urllib call. For the same reason the query endpoint gets only basic credentials, and only once
it asks (Virtuoso: read from the public /sparql, write to /sparql-auth). Credentials go only to an
endpoint that asks for them, with the scheme its challenge names, and never into messages.
"""

import ast
import re
import urllib.error
import urllib.parse

import pyoxigraph as ox
import requests
from requests.adapters import HTTPAdapter
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, Unauthorized
from tenacity import Retrying as _Retrying
from tenacity import retry_if_exception, stop_after_attempt, wait_exponential
from urllib3.util.retry import Retry

from ..errors import InputError, QueryTimeout, StoreUnavailable
from .remote_query import query_form

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


class SparqlProtocol:
    """One SPARQL server's query and update endpoints, with retries and credentials."""

    def __init__(self, query_url, update_url="", user="", password="", timeout=10.0, retries=3):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self._credentials = (user, password) if user else None
        self.timeout = float(timeout)
        self.retries = retries
        self._query_auth = False  # send basic credentials to the query endpoint once it asks
        self.dialect = None  # "virtuoso", "fuseki" or "" from the Server header
        self._write_auth_cache = None
        self._session = requests.Session()
        retry = Retry(total=retries, connect=retries, read=0, status=0, other=0, backoff_factor=0.2)
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))

    def select(self, text, params):
        """Run a query with protocol ``params`` [(name, value)]; pyoxigraph results."""
        return self._parse(*self._send_query(text, params))

    def close(self):
        self._session.close()

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
                f"the store at {safe_url(self.query_url)} refused the query (HTTP 401): "
                "check STORE_USER and STORE_PASSWORD"
            ) from None
        except QueryBadFormed as exc:
            raise InputError(f"SPARQL syntax error: {_store_message(exc)}") from None
        except EndPointNotFound:
            raise StoreUnavailable(f"no SPARQL endpoint at {safe_url(self.query_url)} (HTTP 404)") from None
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
        if self.dialect == "virtuoso":
            return [("timeout", str(int(self.timeout * 1000)))]  # milliseconds
        if self.dialect == "fuseki":
            return [("timeout", f"{self.timeout:g}")]  # seconds
        return []  # Oxigraph: start the server with --timeout-s

    def _note_dialect(self, server):
        if self.dialect is None:
            server = server.lower()
            self.dialect = "virtuoso" if "virtuoso" in server else "fuseki" if "fuseki" in server else ""

    def _map_failure(self, exc):
        """A SPARQLWrapper / urllib failure as one of our errors (transient ones get retried)."""
        url = safe_url(self.query_url)
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

    def update(self, text):
        """POST one SPARQL Update; map refusals to clear errors."""
        url = safe_url(self.update_url)
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
                    f"cannot reach the store at {safe_url(self.update_url)}: {type(exc).__name__}"
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


def safe_url(url):
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
