"""The SHACL gate: run pySHACL and turn its report into something a maintainer can read.

Validation runs on one union graph (links cross sources: a pledge page points at organisations
from a table), with the ontology mixed in so ``sh:class`` accepts subclasses. Results remember
which source file each resource came from, so the report can say where to fix things.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

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


@dataclass
class Report:
    results: list

    @property
    def violations(self):
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self):
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self):
        """True when nothing is a violation (warnings do not block publication)."""
        return not self.violations

    def by_resource(self):
        """{(source, focus): [results]} in a stable order."""
        grouped = defaultdict(list)
        for result in sorted(self.results, key=lambda r: (r.source, r.focus, r.severity, r.path)):
            grouped[(result.source, result.focus)].append(result)
        return dict(grouped)

    def summary(self):
        return f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"

    def to_text(self, warnings=True):
        """The readable report: one block per resource, under the file it came from."""
        lines = []
        for (source, focus), results in self.by_resource().items():
            shown = [r for r in results if warnings or r.severity == "Violation"]
            if shown:
                lines.append(f"{source or '(unknown source)'}: {focus}")
                lines.extend(f"  {r.severity}: {_short(r.path)}: {r.message}" for r in shown)
        lines.append(("conforms: " if self.conforms else "does not conform: ") + self.summary())
        return "\n".join(lines)

    def to_json(self):
        return json.dumps(
            {"conforms": self.conforms, "summary": self.summary(), "results": [asdict(r) for r in self.results]},
            indent=2,
            ensure_ascii=False,
        )


def validate(data_graph, shapes_graph, ontology_graph=None, sources=None):
    """Validate ``data_graph`` against the shapes; ``sources`` maps a resource IRI to its file."""
    _, results_graph, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return Report(_results(results_graph, sources or {}))


def _results(results_graph, sources):
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        value = results_graph.value
        focus = str(value(node, SH.focusNode))
        results.append(
            Result(
                focus=focus,
                path=_text(value(node, SH.resultPath)),
                severity=SEVERITIES.get(value(node, SH.resultSeverity), "Violation"),
                message=_text(value(node, SH.resultMessage)),
                value=_text(value(node, SH.value)),
                shape=_text(value(node, SH.sourceShape)),
                source=sources.get(focus, ""),
            )
        )
    return results


def _text(term):
    return "" if term is None else str(term)


def _short(iri):
    """The last segment of an IRI, for readable reports."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if iri else "(node)"


def union(graphs):
    """One rdflib graph holding every triple of ``graphs``."""
    merged = Graph()
    for graph in graphs:
        merged += graph
    return merged
