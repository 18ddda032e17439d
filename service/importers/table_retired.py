"""The retired-iris table: IRIs once published that now name something else's old address.

An IRI is retired when a correction changes it (a pledge whose number became known moves from
id/pledge/32/<slug> to id/pledge/<number>). Each row maps the old IRI to its successor, both
written as paths under id/; the old IRI keeps only ``dcterms:isReplacedBy`` and the reason, so
the service can answer 301 for it and nothing else describes it (shapes: rcrcsh:RetiredShape).
"""

import re

from rdflib import Literal
from rdflib.namespace import DCTERMS, SKOS

from ..namespaces import ID
from .table_cells import once

ID_PATH = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9][A-Za-z0-9/_-]*$")


def retired_iris(rows, graph, context):
    """``<retired> dcterms:isReplacedBy <successor>`` and the reason, as an editorial note."""
    seen, successors = {}, {}
    for row in rows:
        with row.checked():
            retired = once(row, seen, _id_iri(row, "retired"))
            successor = _id_iri(row, "successor")
            if successor == retired:
                row.fail("an IRI cannot replace itself")
            successors[retired] = (row, successor)
            graph.add((retired, DCTERMS.isReplacedBy, successor))
            graph.add((retired, SKOS.editorialNote, Literal(row.required("reason"), lang="en")))
    for row, successor in successors.values():
        if successor in successors:
            with row.checked():
                row.fail(f"the successor {successor} is itself retired; point at the IRI that replaced it")


def _id_iri(row, column):
    path = row.required(column)
    if not ID_PATH.match(path):
        row.fail(f"{column} is a path under id/ such as pledge/OP320014, not {path!r}")
    return ID[path]
