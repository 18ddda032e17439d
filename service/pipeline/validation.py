"""The SHACL gate (stage 2): run the SHACL engine (``engine``) and turn its results into something
a maintainer can act on.

Validation runs on the union of the graphs (links cross sources: a pledge page points at
organisations from a table), with the ontology mixed in so ``sh:class`` accepts subclasses. Each result says
which file(s) hold the offending statement, the offending value, what the shape allows, and the
nearest allowed values ("did you mean", ``hints``). The report also carries what stage 1
(``loading``) found: files that could not be read or that name something unknown.
"""

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..importers.terms import quads_of, to_rdflib
from . import engine
from .hints import Hints, short


@dataclass(frozen=True)
class Result:
    focus: str
    path: str
    severity: str
    message: str
    value: str
    shape: str
    source: str
    allowed: str = ""  # what the shape accepts, in words ("one of: Migration, Youth")
    suggestions: tuple = ()  # allowed values near the offending one


@dataclass
class Report:
    results: list
    problems: list = field(default_factory=list)  # stage 1: loading.Problem
    notices: list = field(default_factory=list)  # stage 1: sentences worth attention
    unchecked: list = field(default_factory=list)  # files SHACL could not see (their stage 1 failed)

    @property
    def violations(self):
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self):
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self):
        """True when every file was read and nothing is a violation (warnings do not block publication)."""
        return not self.violations and not self.problems

    @property
    def exit_code(self):
        """0 conforms, 1 SHACL violations only, 2 a file could not be read or names something unknown."""
        return 2 if self.problems else 1 if self.violations else 0

    def by_resource(self):
        """{(source, focus): [results]} in a stable order."""
        grouped = defaultdict(list)
        for result in sorted(self.results, key=lambda r: (r.source, r.focus, r.severity, r.path)):
            grouped[(result.source, result.focus)].append(result)
        return dict(grouped)

    def summary(self):
        read = f"{len({p.source for p in self.problems})} file(s) not read, " if self.problems else ""
        return f"{read}{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"

    def to_text(self, warnings=True):
        """The readable report: stage 1 by file, then one block per resource under the file it came from."""
        lines = []
        if self.problems or self.notices:
            lines.append(f"Stage 1, reading files and matching names: {len({p.source for p in self.problems})} "
                         "file(s) not read")
            lines.extend(problem.message for problem in self.problems)
            lines.extend(f"note: {notice}" for notice in self.notices)
            lines.append("")
        if self.problems:
            lines.append(f"Stage 2, SHACL shapes, checked without the {len(self.unchecked)} file(s) above "
                         "(fix those first: some results below may follow from them):")
        for (source, focus), results in self.by_resource().items():
            shown = [r for r in results if warnings or r.severity == "Violation"]
            if shown:
                lines.append(f"{source or '(unknown source)'}: {focus}")
                lines.extend(line for r in shown for line in _result_lines(r))
        lines.append(("conforms: " if self.conforms else "does not conform: ") + self.summary())
        return "\n".join(lines)

    def to_json(self):
        document = {"conforms": self.conforms, "summary": self.summary(),
                    "problems": [asdict(p) for p in self.problems], "notices": list(self.notices),
                    "results": [asdict(r) for r in self.results]}
        return json.dumps(document, indent=2, ensure_ascii=False)


def _result_lines(result):
    path = re.sub(r"<([^<>\s]*)>", lambda m: short(m.group(1)), result.path)  # (<a>/<b>): (dcterms:a/rdf:b)
    value = short(result.value) if result.value else ""
    # "pledgeType = rcrc:Other: ...", "pledgeType: ...", or (a constraint on the record itself) "...".
    where = short(path) if path else ""
    if value:
        where = f"{where} = {value}" if where else f"the value {value}"
    lines = [f"  {result.severity}: {where}: {result.message}" if where else f"  {result.severity}: {result.message}"]
    if result.allowed:
        lines.append(f"    allowed: {result.allowed}")
    if result.suggestions:
        lines.append(f"    did you mean {' or '.join(result.suggestions)}?")
    return lines


def validate(data_graph, shapes_graph, ontology_graph=None, sources=None):
    """Validate an rdflib ``data_graph`` (with ``ontology_graph`` mixed in) against an rdflib shapes graph.

    ``sources`` says where a statement came from: a dict {resource IRI: file} or a callable
    (focus, path, value) -> file(s) as text.
    """
    graphs = [g for g in (data_graph, ontology_graph) if g is not None]
    chunks = [g.serialize(format="nt", encoding="utf-8") for g in graphs]

    def open_store():
        store = ox.Store()
        store.extend(quad for n, g in enumerate(graphs) for quad in quads_of(g, f"urn:x-pledgegraph:graph:{n}"))
        return store, [ox.NamedNode(f"urn:x-pledgegraph:graph:{n}") for n in range(len(graphs))]

    return validate_chunks(chunks, shapes_graph, open_store, sources)


def validate_chunks(chunks, shapes_graph, open_store, sources=None, focus=None):
    """Validate the union of N-Triples ``chunks`` (bytes: data and ontology) against an rdflib
    shapes graph; with ``focus`` (a set of IRIs), keep only the results about those resources.
    ``open_store()`` gives (pyoxigraph store, names of the graphs holding the chunks), built only
    if a result needs a query. ``sources`` as in ``validate``."""
    store = []

    def opened():  # built once, and only if needed
        if not store:
            store.append(open_store())
        return store[0]

    findings = engine.run(chunks, shapes_graph, opened)
    if focus is not None:
        findings = [f for f in findings if _plain(f.focus) in focus]
    where = sources if callable(sources) else (lambda focus, path, value: (sources or {}).get(focus, ""))
    hints = Hints(shapes_graph, opened)
    return Report([_result(f, where, hints) for f in findings])


def _result(finding, where, hints):
    focus, path, shape = _plain(finding.focus), _plain(finding.path or ""), _plain(finding.shape)
    value = "" if finding.value is None else engine.term(finding.value).value
    allowed, near = "", ()
    if finding.severity == "Violation":
        offending = None if finding.value is None else to_rdflib(engine.term(finding.value))
        allowed, near = hints.explain(URIRef(shape), URIRef(finding.component), offending)
    return Result(focus=focus, path=path, severity=finding.severity, message=finding.message, value=value,
                  shape=shape, source=where(focus, path, value), allowed=allowed, suggestions=near)


def _plain(text):
    """An IRI written <...> as the IRI; anything else (a blank node, a path expression) as written."""
    return text[1:-1] if text.startswith("<") and text.endswith(">") and " " not in text else text


def union(graphs):
    """One rdflib graph holding every triple of ``graphs``."""
    merged = Graph()
    for graph in graphs:
        merged += graph
    return merged
