"""Run the SHACL engine on graphs of a pyoxigraph store: the ``shacl`` package (a Rust SHACL
engine, SHACL Core and SHACL-SPARQL, advanced targets included).

It gives the same results as pySHACL with ``ont_graph`` and ``advanced=True`` (same focus node,
path, severity, source shape, value, constraint component and message; ``tests/test_engines.py``
checks it on the shape fixtures, the real data and a synthetic set). Two things are done here:

* the ontology is validated with the data (pySHACL mixes it in as ``ont_graph``): ``sh:class``
  then accepts subclasses, and the concepts the data links to are checked too;
* messages of SPARQL-based constraints name variables of the constraint's query (``{?other}``);
  the engine leaves them as written, so they are filled in here, the way pySHACL does (SHACL
  §5.3.2: each ``{?var}`` or ``{$var}`` is replaced by the value of the solution that produced
  the result), by running that query for the one focus node.
"""

import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import shacl
from rdflib import URIRef
from rdflib.namespace import SH

TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Finding:
    """One result as the engine gives it: terms in N-Triples syntax, the path in SPARQL syntax."""

    focus: str
    path: str | None
    severity: str  # Violation, Warning, Info
    shape: str
    value: str | None
    component: str  # the constraint component's IRI
    message: str


@lru_cache(maxsize=4)
def compiled(shapes_text):
    """The engine's compiled shapes for a shapes graph given as N-Triples text."""
    return shacl.Shapes.from_text(shapes_text, "nt")


def run(chunks, shapes_graph, open_store):
    """[Finding] for the union of N-Triples ``chunks`` (bytes) against an rdflib shapes graph.
    ``open_store()`` gives (pyoxigraph store, names of the graphs holding the chunks), for the
    few messages that need a query (called only then)."""
    with tempfile.NamedTemporaryFile(suffix=".nt", prefix="pledgegraph-validate-") as data:
        data.writelines(chunks)
        data.flush()
        report = compiled(shapes_graph.serialize(format="nt")).validate_file(data.name, allow_warnings=True)
    templates = Templates(shapes_graph, open_store)
    return [templates.fill(Finding(r.focus_node, r.path, r.severity, r.source_shape, r.value, r.component_iri,
                                   r.message or "")) for r in report.results]


class Templates:
    """Fills ``{?var}`` in the messages of SPARQL-based constraints from their queries' solutions."""

    def __init__(self, shapes, open_store):
        self.shapes, self.open_store = shapes, open_store

    def fill(self, finding):
        if finding.component != str(SH.SPARQLConstraintComponent) or not TEMPLATE.search(finding.message):
            return finding
        solutions = list(self._solutions(finding))
        matching = [s for s in solutions if finding.value is None or str(s.get("value", "")) == finding.value]
        if not (matching or solutions):
            return finding
        solution = (matching or solutions)[0]
        text = TEMPLATE.sub(lambda m: _plain(solution.get(m.group(1)), m.group(0)), finding.message)
        return Finding(**{**finding.__dict__, "message": text})

    def _solutions(self, finding):
        shape = _rdflib_iri(finding.shape)
        path = self.shapes.value(shape, SH.path) if shape is not None else None
        focus = term(finding.focus)
        for constraint in self.shapes.objects(shape, SH.sparql):
            query = str(self.shapes.value(constraint, SH.select))
            if path is not None:
                query = re.sub(r"\$PATH\b", f"<{path}>", query)
            store, graphs = self.open_store()
            rows = store.query(query, prefixes=self._prefixes(constraint), default_graph=graphs,
                               substitutions={ox.Variable("this"): focus})
            names = [v.value for v in rows.variables]
            yield from ({name: row[name] for name in names if row[name] is not None} for row in rows)

    def _prefixes(self, constraint):
        declared = {}
        for source in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(source, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                declared[str(prefix)] = str(namespace)
        return declared


def term(text):
    """A term written in N-Triples syntax as a pyoxigraph term."""
    return next(ox.parse(f"<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.N_TRIPLES)).object


def _rdflib_iri(text):
    return URIRef(text[1:-1]) if text and text.startswith("<") else None


def _plain(term, unchanged):
    """A term as pySHACL writes it into a message: the IRI, or the literal's lexical form."""
    return unchanged if term is None else term.value
