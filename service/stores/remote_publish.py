"""Publishing a release to a remote store: staged loads, a count check, then one swap.

Every file is parsed locally first; the quads are loaded in chunks into staging graphs named
after the release; then one update request moves the staging graphs onto their published names,
drops graphs the release no longer has and rewrites the pointer. One update request is one
transaction on Oxigraph and Virtuoso (tested here) and on Fuseki/TDB2: readers see the old
release or the new one, never a mix or nothing. A failure before the swap leaves the old release
as it was. One writer at a time per process (a lock, held by ``build`` and ``import`` from
reading to publishing). Across processes there is no lock: the swap is refused if the pointer
no longer names the release the writer read (checked just before the swap request, so two
writers racing within that moment can still both publish; run one writer at a time).

Blank nodes: a label in an update request names the same node only within that request, and
Virtuoso refuses blank nodes in ``INSERT DATA``. So quads are packed into chunks that never
split a group of quads linked by a blank node, and each chunk is sent as
``INSERT { GRAPH ... } WHERE {}`` (one solution: each label becomes one new node).
"""

import threading

import pyoxigraph as ox

from ..errors import InputError, PledgegraphError, StoreUnavailable
from .releases import ANY

POINTER = ox.NamedNode("urn:x-pledgegraph:release")  # graph and subject naming the current release
STAGING = "urn:x-pledgegraph:staging:"  # staging graphs: STAGING<release>/<n>
EMPTY = ox.NamedNode("urn:x-pledgegraph:empty")  # a graph that never holds data
IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
HAS_PART = ox.NamedNode("http://purl.org/dc/terms/hasPart")


def staging_graphs(release, graphs):
    """{published graph: its staging graph} for a release."""
    return {graph: ox.NamedNode(f"{STAGING}{release}/{n}") for n, graph in enumerate(graphs)}


def check_quads(quads):
    """Refuse what the remote layout cannot hold: quads outside a named graph."""
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError(
                f"quad outside a named graph ({quad.subject} {quad.predicate} ...): "
                "every source must be its own named graph"
            )


def chunks(quads, size):
    """Lists of quads of about ``size``, each inside one graph, never splitting a blank-node group.

    One graph per chunk because Virtuoso 7.2 refuses (SR002, "string_output_string") an INSERT
    template whose blank nodes stand in more than one GRAPH block.
    """
    by_graph = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad)
    for graph_quads in by_graph.values():
        yield from _chunks_of_one_graph(graph_quads, size)


def _chunks_of_one_graph(quads, size):
    groups = _bnode_groups(quads)
    chunk = []
    for group in groups:
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def _bnode_groups(quads):
    """Quads grouped by connected blank nodes (union-find); quads without one stand alone."""
    parent = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for quad in quads:
        nodes = [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups, alone = {}, []
    for quad in quads:
        node = quad.subject if isinstance(quad.subject, ox.BlankNode) else quad.object
        if isinstance(node, ox.BlankNode):
            groups.setdefault(find(node), []).append(quad)
        else:
            alone.append([quad])
    return alone + list(groups.values())


def insert_text(chunk, staging):
    """One update that inserts ``chunk`` into the staging graphs of its quads' graphs."""
    by_graph = {}
    for quad in chunk:
        by_graph.setdefault(quad.graph_name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    body = "\n".join(
        f"GRAPH {staging[graph]} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items()
    )
    return f"INSERT {{\n{body}\n}} WHERE {{}}"


def swap_text(release, staging, old_graphs):
    """One update: drop graphs the release no longer has, move staging graphs in, rewrite the pointer.

    MOVE without SILENT: if a staging graph vanished, the whole request fails and nothing changes.
    """
    drops = [f"DROP SILENT GRAPH {g}" for g in old_graphs if g not in staging]
    moves = [f"MOVE GRAPH {stage} TO GRAPH {graph}" for graph, stage in staging.items()]
    parts = " , ".join(str(graph) for graph in staging) or str(EMPTY)
    pointer = (
        f"DROP SILENT GRAPH {POINTER}",
        f'INSERT DATA {{ GRAPH {POINTER} {{ {POINTER} {IDENTIFIER} {ox.Literal(release)} ; '
        f"{HAS_PART} {parts} . }} }}",
    )
    return " ;\n".join([*drops, *moves, *pointer])


def drop_text(graphs):
    """One update dropping ``graphs`` (leftover staging graphs)."""
    return " ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs)


class Publisher:
    """Publishes releases to a remote store: staged chunks, a count check, then one swap."""

    def __init__(self, protocol, pointer, chunk_size):
        self.protocol, self.pointer, self.chunk_size = protocol, pointer, chunk_size
        self.lock = threading.RLock()

    def publish(self, paths, release, expected=ANY):
        """Load dataset files (N-Quads, TriG) into staging graphs, then make them current in one update;
        refused (InputError) if the current release is no longer ``expected``."""
        quads = read_quads(paths)
        graphs = sorted({q.graph_name for q in quads}, key=lambda g: g.value)
        staging = staging_graphs(release, graphs)
        with self.lock:
            self._drop_leftovers()
            try:
                for chunk in chunks(quads, self.chunk_size):
                    self.protocol.update(insert_text(chunk, staging))
                self._verify_staging(quads, staging)
                current, old = self.pointer.read(fresh=True)
                if expected is not ANY and current != expected:
                    raise InputError(f"release {current} was published since this writer read {expected}; "
                                     "nothing was published: run it again")
                self.protocol.update(swap_text(release, staging, [ox.NamedNode(g) for g in old]))
            except BaseException:
                self._drop_quietly(list(staging.values()))
                raise
            self.pointer.forget()
        return release

    def _verify_staging(self, quads, staging):
        """Every staging graph holds all its quads (a concurrent cleanup would empty one)."""
        expected = {}
        for quad in quads:
            expected[staging[quad.graph_name].value] = expected.get(staging[quad.graph_name].value, 0) + 1
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        params = [("named-graph-uri", g) for g in expected]
        found = {r["g"].value: int(r["n"].value) for r in self.protocol.select(text, params)}
        for graph, count in expected.items():
            if found.get(graph, 0) < count:
                raise StoreUnavailable(f"the store lost staged data ({graph}); nothing was published")

    def _drop_leftovers(self):
        """Drop staging graphs a failed or killed publication left behind."""
        text = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
        leftovers = [row["g"] for row in self.protocol.select(text, [])]
        if leftovers:
            self.protocol.update(drop_text(leftovers))

    def _drop_quietly(self, graphs):
        try:
            self.protocol.update(drop_text(graphs))
        except PledgegraphError:
            pass  # the next publication drops them


def read_quads(paths):
    """Every quad of the dataset files, parsed locally so that a broken file writes nothing."""
    dataset = ox.Store()
    for path in paths:
        try:
            dataset.bulk_load(path=str(path))
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
    quads = list(dataset)
    check_quads(quads)
    return quads
