"""SHACL engines side by side: the same data, the same shapes, results compared as sets.

"The same results" means the same multiset of (focus node, result path, severity, source shape,
value, constraint component, message): terms in N-Triples syntax, a blank node as ``_:`` (its
label is the engine's own), a path in SPARQL syntax (``(<a>/<b>)`` for a sequence). Messages are
compared too: the project's engine fills a SPARQL rule's ``{?var}`` itself (``pipeline.engine``),
so a message that differs is a difference.

Engines: ``pyshacl`` (the oracle: pySHACL with the ontology as ``ont_graph`` and
``advanced=True``, as the project validated before), ``turbo`` (pyshacl-turbo, the same API, the
data given as a pyoxigraph store: its fastest input), ``shacl`` (the project's engine, through
``pipeline.engine``), and ``shifty`` (PyPI pyshifty, not a dependency: install it to compare).
"""

import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from service.importers.terms import quads_of
from service.pipeline import engine


def key_of(finding):
    """The comparison key of a ``pipeline.engine.Finding``."""
    return (_blank(finding.focus), finding.path or "", f"<{SH}{finding.severity}>", _blank(finding.shape),
            _blank(finding.value or ""), f"<{finding.component}>", finding.message)


def keys_of_report(report):
    """Counter of comparison keys of a W3C validation report (an rdflib Graph)."""
    found = Counter()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value
        found[(_n3(value(result, SH.focusNode)), _path(report, value(result, SH.resultPath)),
               _n3(value(result, SH.resultSeverity)), _n3(value(result, SH.sourceShape)), _n3(value(result, SH.value)),
               _n3(value(result, SH.sourceConstraintComponent)), str(value(result, SH.resultMessage) or ""))] += 1
    return found


def _n3(term):
    return "" if term is None else "_:" if isinstance(term, BNode) else term.n3()


def _blank(text):
    return "_:" if text.startswith("_:") else text


def _path(graph, node):
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return node.n3()
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(_path(graph, step) for step in Collection(graph, node)) + ")"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _path(graph, inverse)
    return "?" + " ".join(sorted(f"{p.n3()} {_n3(o)}" for p, o in graph.predicate_objects(node)))  # shown as is


def run_pyshacl(data, shapes, ontology):
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    advanced=True, allow_warnings=True)
    return keys_of_report(report)


def run_turbo_rdflib(data, shapes, ontology):
    """pyshacl-turbo as a drop-in for pySHACL: rdflib graphs, the ontology as ``ont_graph``."""
    import pyshacl_turbo

    _, report, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                          advanced=True, allow_warnings=True)
    return keys_of_report(report)


def run_turbo(data, shapes, ontology):
    """pyshacl-turbo given its fastest input, a pyoxigraph store (plain literals then come back
    as xsd:string ones, which changes sh:in and the values reported)."""
    import pyshacl_turbo

    store = ox.Store()
    store.extend(quads_of(data + ontology, "urn:x-bench:data"))
    union = ox.Store()  # the default graph: what the engine reads of a store
    union.extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    _, report, _ = pyshacl_turbo.validate(union, shacl_graph=shapes, inference="none", advanced=True,
                                          allow_warnings=True)
    return keys_of_report(report)


def run_shacl(data, shapes, ontology):
    graphs = [data, ontology]
    chunks = [g.serialize(format="nt", encoding="utf-8") for g in graphs]

    def open_store():
        store = ox.Store()
        store.extend(q for n, g in enumerate(graphs) for q in quads_of(g, f"urn:x-bench:{n}"))
        return store, [ox.NamedNode(f"urn:x-bench:{n}") for n in range(len(graphs))]

    return Counter(key_of(f) for f in engine.run(chunks, shapes, open_store))


def run_shifty(data, shapes, ontology):
    import shifty  # PyPI pyshifty: not a dependency; install it to compare

    _, report, _ = shifty.validate(data + ontology, shapes, infer=False)
    return keys_of_report(report)


ENGINES = {"pyshacl": run_pyshacl, "turbo": run_turbo, "turbo-rdflib": run_turbo_rdflib, "shacl": run_shacl,
           "shifty": run_shifty}


def run_file(name, path, shapes):
    """(Counter of keys, seconds) of a fast engine on an N-Triples file (data and ontology), each
    given its fastest input: the file itself (shacl), a pyoxigraph store (turbo)."""
    start = time.perf_counter()
    if name == "shacl":

        def open_store():
            store = ox.Store()
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            return store, [ox.DefaultGraph()]

        found = Counter(key_of(f) for f in engine.run([Path(path).read_bytes()], shapes, open_store))
    else:
        import pyshacl_turbo

        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        _, report, _ = pyshacl_turbo.validate(store, shacl_graph=shapes, inference="none", advanced=True,
                                              allow_warnings=True)
        found = keys_of_report(report)
    return found, time.perf_counter() - start


def timed(name, data, shapes, ontology):
    """(Counter of keys, seconds) of engine ``name`` on rdflib graphs."""
    start = time.perf_counter()
    found = ENGINES[name](data, shapes, ontology)
    return found, time.perf_counter() - start


def difference(expected, found, shown=5):
    """A few lines saying how ``found`` differs from ``expected`` ('' when equal)."""
    lines = [f"  missing {k}" for k in list((expected - found).elements())[:shown]]
    lines += [f"  extra   {k}" for k in list((found - expected).elements())[:shown]]
    return "\n".join(lines)


