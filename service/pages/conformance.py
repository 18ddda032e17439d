"""What the release's SHACL check said about one resource (graph/validation, see pipeline/report_rdf).

``conformance`` answers None when the release holds no validation report (a store published
without the build), else {"warnings": [...]} listing each result about the resource: its property,
its severity, the shape that made it, its message, and whether the property has no value at all
on the resource (a fact merely expected and not given), so the page can say it in plain words.
"""

import threading

import pyoxigraph as ox

from ..namespaces import BASE

VALIDATION = BASE + "graph/validation"
SH = "http://www.w3.org/ns/shacl#"
HAS_REPORT = f"SELECT ?r WHERE {{ GRAPH <{VALIDATION}> {{ ?r a <{SH}ValidationReport> }} }} LIMIT 1"
RESULTS = f"""SELECT ?path ?severity ?shape ?message WHERE {{
  GRAPH <{VALIDATION}> {{ ?result <{SH}focusNode> ?this ; <{SH}resultSeverity> ?severity .
    OPTIONAL {{ ?result <{SH}resultPath> ?path }} OPTIONAL {{ ?result <{SH}sourceShape> ?shape }}
    OPTIONAL {{ ?result <{SH}resultMessage> ?message }} }}
}}"""

_reports = {}
_lock = threading.Lock()


def has_report(store):
    """Whether the current release keeps its validation report (asked once per release)."""
    key = (id(store), getattr(store, "current_release", lambda: None)())
    with _lock:
        if key in _reports:
            return _reports[key]
    found = any(True for _ in store.query(HAS_REPORT))
    with _lock:
        _reports.clear()
        _reports[key] = found
    return found


def conformance(store, iri, outgoing_predicates):
    """None when unchecked, else {"warnings": [{"path", "severity", "shape", "message", "missing"}]}."""
    if not has_report(store):
        return None
    # The IRI written into the query as a constant (pyoxigraph checked it): Oxigraph plans a
    # constant far better than a substituted variable (see pages/describe.py).
    rows = store.query(RESULTS.replace("?this", str(ox.NamedNode(iri))))
    warnings = []
    for row in rows:
        path = row["path"].value if isinstance(row["path"], ox.NamedNode) else ""
        warnings.append(
            {
                "path": path,
                "severity": row["severity"].value.rsplit("#", 1)[-1],
                "shape": row["shape"].value if isinstance(row["shape"], ox.NamedNode) else "",
                "message": row["message"].value if row["message"] is not None else "",
                "missing": bool(path) and path not in outgoing_predicates,
            }
        )
    return {"warnings": sorted(warnings, key=lambda w: (w["severity"], w["path"], w["message"]))}
