"""Turn a described graph into what a page shows: labels not IRIs, grouped rows, safe links.

Pure functions of their arguments (no Flask): the base mapping, the reader's language chain and
the vocabulary's labels come in explicitly. A link is only ever made for our own IRIs (mapped
onto the serving host) and for http(s) IRIs; any other scheme (``javascript:``, ``data:``) is
shown as text.
"""

import pyoxigraph as ox
from werkzeug.urls import iri_to_uri

from ..iris import url_path
from .labels import LABEL_PREDICATES, fallback, pick

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RCRC = "https://w3id.org/rcrc/def/"
# What an incoming link means, read backwards ("cited by" rather than "cites resolution of").
INVERSE = {
    RCRC + "citesResolution": "cited by",
    RCRC + "pledgedBy": "pledges made",
    RCRC + "signatory": "signed",
    RCRC + "conference": "at this conference",
    RCRC + "theme": "pledges on this theme",
    RCRC + "country": "concerning this country",
    RCRC + "pledgeType": "pledges of this type",
    RCRC + "pledgerCategory": "pledges in this category",
    RCRC + "region": "in this region",
    RCRC + "reportsOn": "reported on by",
    RCRC + "reportsOnResolution": "reported on by",
    RDF_TYPE: "instances",
    "http://www.w3.org/2004/02/skos/core#inScheme": "concepts",
    "http://purl.org/dc/terms/isReplacedBy": "replaces the retired IRI",
    "http://purl.org/dc/terms/rightsHolder": "holds the rights in the quoted text of",
    "http://purl.org/dc/terms/rights": "applies to the quoted text of",
}
GROUPS = ("Description", "Links", "Elsewhere")
PATH_NAMED = ("id/", "def/", "shapes/", "graph/")  # areas of the base whose URL path names the IRI


class Presenter:
    def __init__(self, base, public_base, chain, vocabulary):
        self.base, self.public, self.chain, self.vocabulary = base, public_base, chain, vocabulary

    def href(self, iri):
        """Where a link to ``iri`` goes: our IRIs on this host, http(s) as is, anything else nowhere.

        Under id/, def/, shapes/ and graph/ the URL path names the IRI, so every reserved
        character ('?', '#') is percent-encoded and stays in the path; elsewhere under the base
        ('.well-known/void#dataset') a fragment names a part of the document.
        """
        if iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if rest.startswith(PATH_NAMED):
                rest = "doc/" + rest[3:] if rest.startswith("id/") else rest
                return iri_to_uri(self.public) + url_path(rest)
            return iri_to_uri(self.public + rest)
        if iri.lower().startswith(("http://", "https://")):
            return iri_to_uri(iri)
        return None

    def label(self, iri, labels):
        """(text, lang) for an IRI: its best label, else a readable fallback name."""
        return pick(labels.get(iri, []) or self.vocabulary.get(iri, []), self.chain) or (fallback(iri), "")

    def link(self, iri, labels):
        text, lang = self.label(iri, labels)
        return {"kind": "link", "iri": iri, "href": self.href(iri), "text": text, "lang": lang}

    def value(self, term, labels, triples, depth=0):
        if isinstance(term, ox.NamedNode):
            return self.link(term.value, labels)
        if isinstance(term, ox.BlankNode):
            rows = self.rows(term, labels, triples, depth + 1) if depth < 8 else []
            return {"kind": "blank", "rows": rows}
        datatype = term.datatype.value if term.language is None else ""
        short = fallback(datatype) if datatype and not datatype.endswith("#string") else ""
        return {"kind": "literal", "text": term.value, "lang": term.language or "", "datatype": short}

    def rows(self, subject, labels, triples, depth=0):
        """[{predicate, group, values}] for a subject, one row per predicate, rdf:type left out."""
        by_predicate = {}
        for t in triples:
            if t.subject == subject and t.predicate.value != RDF_TYPE:
                by_predicate.setdefault(t.predicate.value, []).append(t.object)
        rows = []
        for predicate, objects in by_predicate.items():
            values = [self.value(o, labels, triples, depth) for o in objects]
            values.sort(key=lambda v: (v.get("text") or "").lower())
            rows.append({"predicate": self.link(predicate, {}), "group": self.group(objects), "values": values})
        rows.sort(key=lambda r: (_order(r["predicate"]["iri"]), r["predicate"]["text"].lower()))
        return rows

    def group(self, objects):
        if all(isinstance(o, ox.NamedNode) for o in objects):
            return "Links" if all(o.value.startswith(self.base) for o in objects) else "Elsewhere"
        return "Description"

    def section(self, iri, labels, triples):
        node = ox.NamedNode(iri)
        types = sorted(t.object.value for t in triples if t.subject == node and t.predicate.value == RDF_TYPE)
        rows = self.rows(node, labels, triples)
        groups = [(name, [r for r in rows if r["group"] == name]) for name in GROUPS]
        return {
            **self.link(iri, labels),
            "types": [self.link(t, labels) for t in types],
            "groups": [(name, rows) for name, rows in groups if rows],
        }

    def document(self, iri, triples, desc, graph_name=None):
        """Everything the resource template shows."""
        labels = own_labels(triples)
        if desc is not None:
            for key, values in desc.labels.items():
                labels.setdefault(key, []).extend(values)
        if graph_name:
            subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
            sections = [self.section(s, labels, triples) for s in subjects]
            sections.sort(key=lambda s: ([t["text"] for t in s["types"]], s["text"].lower()))
            return {
                **self.link(iri, labels),
                "text": f"The {graph_name} of pledgegraph",
                "types": [],
                "groups": [],
                "sections": sections,
                "incoming": [],
                "whole_graph": graph_name,
            }
        page = self.section(iri, labels, triples)
        page.update(
            sections=[],
            incoming=self.incoming(desc, labels),
            whole_graph=None,
            page=desc.page,
            pages=desc.pages,
            total=desc.incoming_total,
        )
        return page

    def incoming(self, desc, labels):
        by_predicate = {}
        for subject, predicate in desc.incoming:
            if isinstance(subject, ox.NamedNode):
                value = self.link(subject.value, labels)
            else:  # a blank node (a shape's property, say) has no page of its own
                value = {"kind": "link", "iri": "", "href": None, "text": "(anonymous node)", "lang": ""}
            by_predicate.setdefault(predicate, []).append(value)
        out = []
        for predicate, count in sorted(desc.incoming_counts.items()):
            name = INVERSE.get(predicate) or f"{self.label(predicate, {})[0]} of"
            values = sorted(by_predicate.get(predicate, []), key=lambda v: v["text"].lower())
            out.append({"predicate": self.link(predicate, {}), "name": name, "count": count, "values": values})
        return out


def own_labels(triples):
    """IRI -> [(text, lang)] from the label triples inside a graph."""
    labels = {}
    for t in triples:
        if t.predicate.value in LABEL_PREDICATES and isinstance(t.object, ox.Literal):
            labels.setdefault(t.subject.value, []).append((t.object.value, t.object.language or ""))
    return labels


def _order(predicate):
    """Labels and titles first, sources last; the rest alphabetically by their label."""
    if predicate in LABEL_PREDICATES:
        return 0
    return 2 if predicate.endswith(("/source", "#sameAs", "#exactMatch")) else 1
