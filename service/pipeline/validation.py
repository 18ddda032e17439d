"""The SHACL gate (stage 2): run pySHACL and turn its report into something a maintainer can act on.

Validation runs on one union graph (links cross sources: a pledge page points at organisations
from a table), with the ontology mixed in so ``sh:class`` accepts subclasses. Each result says
which file(s) hold the offending statement, the offending value, what the shape allows, and the
nearest allowed values ("did you mean", ``hints``). The report also carries what stage 1
(``loading``) found: files that could not be read or that name something unknown.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from .hints import Hints, short

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


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
        read = f"{len(self.problems)} file(s) not read, " if self.problems else ""
        return f"{read}{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"

    def to_text(self, warnings=True):
        """The readable report: stage 1 by file, then one block per resource under the file it came from."""
        lines = []
        if self.problems or self.notices:
            lines.append(f"Stage 1, reading files and matching names: {len(self.problems)} file(s) not read")
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
    value = f" = {short(result.value)}" if result.value else ""
    lines = [f"  {result.severity}: {short(result.path)}{value}: {result.message}"]
    if result.allowed:
        lines.append(f"    allowed: {result.allowed}")
    if result.suggestions:
        lines.append(f"    did you mean {' or '.join(result.suggestions)}?")
    return lines


def validate(data_graph, shapes_graph, ontology_graph=None, sources=None):
    """Validate ``data_graph`` against the shapes.

    ``sources`` says where a statement came from: a dict {resource IRI: file} or a callable
    (focus, path, value) -> file(s) as text.
    """
    _, results_graph, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    where = sources if callable(sources) else (lambda focus, path, value: (sources or {}).get(focus, ""))
    hints = Hints(shapes_graph, data_graph, ontology_graph)
    return Report(_results(results_graph, where, hints))


def _results(results_graph, where, hints):
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        value = results_graph.value
        focus, path, found = (_text(value(node, p)) for p in (SH.focusNode, SH.resultPath, SH.value))
        severity = SEVERITIES.get(value(node, SH.resultSeverity), "Violation")
        shape, component = value(node, SH.sourceShape), value(node, SH.sourceConstraintComponent)
        allowed, near = hints.explain(shape, component, value(node, SH.value)) if severity == "Violation" else ("", ())
        results.append(Result(focus=focus, path=path, severity=severity, message=_text(value(node, SH.resultMessage)),
                              value=found, shape=_text(shape), source=where(focus, path, found),
                              allowed=allowed, suggestions=near))
    return results


def _text(term):
    return "" if term is None else str(term)


def union(graphs):
    """One rdflib graph holding every triple of ``graphs``."""
    merged = Graph()
    for graph in graphs:
        merged += graph
    return merged
