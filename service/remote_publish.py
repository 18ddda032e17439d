"""The SPARQL Update texts a remote publication sends: staged loads, then one swap.

Blank nodes: a label in an update request names the same node only within that request, and
Virtuoso refuses blank nodes in ``INSERT DATA``. So quads are packed into chunks that never
split a group of quads linked by a blank node, and each chunk is sent as
``INSERT { GRAPH ... } WHERE {}`` (one solution: each label becomes one new node).
"""

import pyoxigraph as ox

from .errors import InputError

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
