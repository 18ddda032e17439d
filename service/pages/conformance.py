"""What the release's SHACL check said about one resource (graph/validation, see pipeline/report_rdf).

``conformance`` answers None when the release holds no validation report (a store published
without the build), else {"warnings": [...]} listing each result about the resource: its property,
its severity, the shape that made it, its message, and whether the property has no value at all
on the resource (a fact merely expected and not given), so the page can say it in plain words.
The report is read once per release (it holds warnings only: violations are never published).
"""

import pyoxigraph as ox

from ..namespaces import BASE
from .per_release import per_release

VALIDATION = BASE + "graph/validation"
SH = "http://www.w3.org/ns/shacl#"
HAS_REPORT = f"SELECT ?r WHERE {{ GRAPH <{VALIDATION}> {{ ?r a <{SH}ValidationReport> }} }} LIMIT 1"
RESULTS = f"""SELECT ?this ?path ?severity ?shape ?message WHERE {{
  GRAPH <{VALIDATION}> {{ ?result <{SH}focusNode> ?this ; <{SH}resultSeverity> ?severity .
    OPTIONAL {{ ?result <{SH}resultPath> ?path }} OPTIONAL {{ ?result <{SH}sourceShape> ?shape }}
    OPTIONAL {{ ?result <{SH}resultMessage> ?message }} }}
}}"""


def report(store):
    """{focus IRI: [result dicts]} of the current release, or None when it keeps no report."""
    return per_release(store, "validation report", _read_report)


def _read_report(store):
    if not any(True for _ in store.query(HAS_REPORT)):
        return None
    found = {}
    for row in store.query(RESULTS):
        if isinstance(row["this"], ox.NamedNode):
            found.setdefault(row["this"].value, []).append(_result(row))
    return found


def _result(row):
    return {
        "path": row["path"].value if isinstance(row["path"], ox.NamedNode) else "",
        "severity": row["severity"].value.rsplit("#", 1)[-1],
        "shape": row["shape"].value if isinstance(row["shape"], ox.NamedNode) else "",
        "message": row["message"].value if row["message"] is not None else "",
    }


def conformance(store, iri, outgoing_predicates):
    """None when unchecked, else {"warnings": [{"path", "severity", "shape", "message", "missing"}]}."""
    results = report(store)
    if results is None:
        return None
    warnings = [
        {**r, "missing": bool(r["path"]) and r["path"] not in outgoing_predicates} for r in results.get(iri, [])
    ]
    return {"warnings": sorted(warnings, key=lambda w: (w["severity"], w["path"], w["message"]))}
