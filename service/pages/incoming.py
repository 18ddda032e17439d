"""The links to a resource that its page lists under "Every record that links here": those from
records no related section (``related``) of the page already shows.

The page lists the other incoming links in pages as ``describe`` gives them, each property's
count lowered by the links of the records shown (one lookup per record shown), and a property
with nothing left is not asked for at all. The shown records stay in the description itself:
every RDF format, and the JSON-LD in the page, carry the same graph.

The shown records are left out by an OPTIONAL over their IRIs that must not match, which Oxigraph
answers with a hash join: on 20 k links to one resource, 740 of them shown, a page of the rest
takes 1.9 ms at the start and 23 ms at the end (a page of all links: 0.3 ms and 19 ms; a FILTER
NOT IN: 10 ms and 560 ms). Virtuoso 7 fails on a MINUS over VALUES (an internal error, or no
rows from a sub-select), so the OPTIONAL it is.
"""

from dataclasses import replace

import pyoxigraph as ox

from .describe import SUBJECT_LABELS

# The IRIs are written into the text as in describe.py (a constant plans far better than a
# substitution): pyoxigraph checked each one (no ">", quote or space gets through).
SHOWN_LINKS = "SELECT DISTINCT ?s ?p WHERE {{ VALUES ?s {{ {shown} }} ?s ?p {this} }}"
REST = (
    "SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {properties} }} ?s ?p {this} FILTER(isIRI(?s)) "
    "OPTIONAL {{ VALUES (?s ?shown) {{ {shown_rows} }} }} FILTER(!BOUND(?shown)) }} LIMIT {limit} OFFSET {offset}"
)


def leave_out(store, desc, shown):
    """A copy of ``desc`` (a describe.Description) whose incoming links, counts per property and
    pages leave out the links from the IRIs ``shown``; ``desc`` itself when none of them links."""
    nodes = [str(ox.NamedNode(i)) for i in sorted(set(shown))]
    iris = " ".join(nodes)
    if not iris or not desc.incoming_counts:
        return desc
    this = ox.NamedNode(desc.iri)
    counts = dict(desc.incoming_counts)
    for row in store.query(SHOWN_LINKS.format(shown=iris, this=this)):
        counts[row["p"].value] = counts.get(row["p"].value, 0) - 1
    if counts == desc.incoming_counts:
        return desc
    counts = {p: n for p, n in counts.items() if n > 0}
    rest = replace(desc, incoming=[], incoming_counts=counts, labels=dict(desc.labels))
    offset = (desc.page - 1) * desc.page_size
    if offset >= rest.incoming_total:
        return rest
    properties = " ".join(str(ox.NamedNode(p)) for p in sorted(counts))
    rows = " ".join(f"({n} true)" for n in nodes)
    query = REST.format(properties=properties, this=this, shown_rows=rows, limit=desc.page_size, offset=offset)
    rest.incoming = [(row["s"], row["p"].value) for row in store.query(query)]
    _label(store, rest)
    return rest


def _label(store, rest):
    """Add the labels of the listed subjects the description does not have (it labels its own page)."""
    unlabelled = sorted({str(s) for s, _ in rest.incoming if s.value not in rest.labels})
    if unlabelled:
        for row in store.query(SUBJECT_LABELS % " ".join(unlabelled)):
            rest.labels.setdefault(row["s"].value, []).append((row["l"].value, row["l"].language or ""))
