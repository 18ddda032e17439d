"""The remote store: a SPARQL 1.1 server (Virtuoso, Fuseki, an Oxigraph server) behind the store interface.

Three jobs, three modules: ``remote_protocol`` speaks the protocol (queries, updates,
credentials, retries); ``remote_pointer`` reads which release is current; ``remote_publish``
writes a new release. This class composes them into the interface of ``stores.interface``.

Every query names its dataset: ``default-graph-uri`` and ``named-graph-uri`` list the graphs of
the current release, read from the pointer graph. So, on every server, the default graph is the
union of the published graphs as in the embedded store (Virtuoso's own default would add its
system graphs, Oxigraph's would be empty), and graphs being loaded for the next release stay
invisible. The dataset rules are those of ``stores.interface``: a query's own FROM / FROM NAMED
clauses become the protocol dataset (restricted to published graphs) and are taken out of the
text, so no server can read an unpublished graph through them.
Substitutions become a ``VALUES`` block of serialised terms at the top of the WHERE group,
never spliced text.
"""

from contextlib import contextmanager

import pyoxigraph as ox

from ..errors import NotFound, PledgegraphError
from .releases import ANY, new_release_name
from .remote_pointer import ReleasePointer
from .remote_protocol import CHUNK_SIZE, SparqlProtocol, safe_url
from .remote_publish import Publisher
from .remote_query import dataset_params, with_values
from .sparql_text import without_dataset


class RemoteStore:
    """Read and publish releases on a SPARQL 1.1 server."""

    def __init__(self, query_url, update_url="", user="", password="", timeout=10.0,
                 retries=3, chunk_size=CHUNK_SIZE, pointer_ttl=1.0):
        self.protocol = SparqlProtocol(query_url, update_url, user, password, timeout, retries)
        self.pointer = ReleasePointer(self.protocol, pointer_ttl)
        self.publisher = Publisher(self.protocol, self.pointer, chunk_size)

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
        return f"RemoteStore({safe_url(self.protocol.query_url)!r})"  # never the credentials

    @property
    def chunk_size(self):
        """Triples per load request when publishing."""
        return self.publisher.chunk_size

    @chunk_size.setter
    def chunk_size(self, size):
        self.publisher.chunk_size = size

    # -- reading ------------------------------------------------------------------------

    def current_release(self):
        """Name of the published release, or None when nothing is published yet."""
        return self.pointer.read(fresh=True)[0]

    def exists(self):
        return self.current_release() is not None

    def release_names(self):
        """The kept releases: the current one only (README, "Releases on a remote store")."""
        current = self.current_release()
        return [current] if current else []

    def at(self, name):
        """This store, if ``name`` is its current release; NotFound otherwise (only that one is kept)."""
        if name != self.current_release():
            raise NotFound(f"no release {name[:80]!r} is kept here; a remote store keeps only its current release")
        return self

    def named_graphs(self):
        return [ox.NamedNode(graph) for graph in self.pointer.published()[1]]

    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None):
        """Run SPARQL on the current release; raise InputError on a syntax error."""
        graphs = self.pointer.published()[1]
        params = dataset_params(graphs, sparql, default_graph, named_graphs)
        text = with_values(sparql, substitutions) if substitutions else sparql
        return self.protocol.select(without_dataset(text), params)

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
        self.protocol.close()

    # -- publishing ---------------------------------------------------------------------

    @contextmanager
    def writer(self):
        """The only writer of this process until the block ends; yields the current release.
        Other processes are not locked out: ``publish(expected=...)`` refuses a stale writer."""
        with self.publisher.lock:
            yield self.current_release()

    def publish(self, paths, release=None, expected=ANY):
        """Load dataset files (N-Quads, TriG) into staging graphs, then make them current in one update."""
        return self.publisher.publish(paths, release or new_release_name(), expected)
