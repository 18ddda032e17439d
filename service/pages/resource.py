"""A resource page laid out by its shapes: a heading, a fact card, sections, and the links to it.

``resource_page`` turns a described resource into what resource.html shows:

* the heading (its best label) and its kinds as words ("Pledge", never ``owl:NamedIndividual``);
* its properties in the groups and order of its node shapes (``layout``), each row named by the
  shape's ``sh:name`` in the reader's language; the first group is the fact card; properties no
  shape names come last, under "More";
* a label or title equal to the heading, or to one shown before it, is shown once;
* a range the shapes declare (``sh:lessThanOrEquals``: start and end dates) reads as one value;
* notes name their sources (``notes``), and the fields a source did not show are one line;
* the incoming links, one list per property, named the way a reader says them ("cited by").

``document_page`` does the same for a whole document (the ontology, the shapes, the dataset
description): one section per term.
"""

import pyoxigraph as ox

from .labels import LABEL_PREDICATES, N_, pick
from .notes import NOTED, note_value
from .present import RDF_TYPE, own_labels, sort_key
from .values import date_range

NOT_RECORDED = "https://w3id.org/rcrc/def/notRecorded"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RCRC = "https://w3id.org/rcrc/def/"
MORE = N_("More")
# What an incoming link means, read backwards ("cited by" rather than "cites resolution of").
INVERSE = {
    RCRC + "citesResolution": N_("cited by"),
    RCRC + "pledgedBy": N_("pledges made"),
    RCRC + "signatory": N_("pledges signed"),
    RCRC + "conference": N_("at this conference"),
    RCRC + "theme": N_("pledges on this theme"),
    RCRC + "country": N_("concerning this country"),
    RCRC + "pledgeType": N_("pledges of this type"),
    RCRC + "pledgerCategory": N_("pledges in this category"),
    RCRC + "region": N_("in this region"),
    RCRC + "reportsOn": N_("reports on this pledge"),
    RDF_TYPE: N_("instances"),
    "http://www.w3.org/2004/02/skos/core#inScheme": N_("concepts"),
    "http://purl.org/dc/terms/isReplacedBy": N_("replaces the retired IRI"),
    "http://purl.org/dc/terms/rightsHolder": N_("holds the rights in the quoted text of"),
    "http://purl.org/dc/terms/rights": N_("applies to the quoted text of"),
}


def resource_page(show, iri, triples, desc, layout, sources=None, contexts=None):
    """Everything resource.html shows about ``iri`` (see the module docstring)."""
    labels = _labels(triples, desc)
    node = ox.NamedNode(iri)
    outgoing = {}
    for t in triples:
        if t.subject == node:
            outgoing.setdefault(t.predicate.value, []).append(t.object)
    types = sorted(o.value for o in outgoing.pop(RDF_TYPE, []) if isinstance(o, ox.NamedNode))
    heading = show.link(iri, labels)
    fields = layout.fields_for(types)
    placed = {}  # group IRI ("" for More) -> [(order, row)]
    seen = {(heading["text"], heading["lang"])}
    for predicate, objects in sorted(outgoing.items(), key=lambda po: _position(fields.get(po[0]), layout)):
        field = fields.get(predicate)
        row = _row(show, predicate, objects, field, fields, labels, triples, seen, sources or {}, contexts or {})
        if row is None:
            continue
        if field and field.until and field.until in outgoing:
            row = _range(show, row, field, outgoing) or row
        group = field.group if field and field.group in layout.groups else ""
        placed.setdefault(group, []).append((field.order if field else 0, row))
    _drop_range_ends(placed, fields, outgoing)
    groups = [_group(show, g.iri, g.labels, placed.get(g.iri, [])) for g in layout.ordered_groups()]
    groups.append(_group(show, "", ((show.gettext(MORE), show.lang),), placed.get("", [])))
    groups = [g for g in groups if g["rows"]]
    card = groups.pop(0)["rows"] if groups and groups[0]["iri"] == _first(layout) else []
    # The records around it (related.py) come after the record's own content, before its names
    # and notes: before the group the shapes give its label (rdfs:label) to.
    names = fields.get(LABEL)
    last = layout.groups[names.group].order if names and names.group in layout.groups else float("inf")
    orders = [layout.groups[g["iri"]].order if g["iri"] in layout.groups else float("inf") for g in groups]
    split = next((n for n, order in enumerate(orders) if order >= last), len(groups))
    return {
        **heading,
        "types": show.type_words(types, labels),
        "type_iris": types,
        "shapes": layout.shapes_for(types),
        "card": card,
        "groups": groups[:split],
        "after": groups[split:],
        "incoming": incoming(show, desc, labels) if desc is not None else [],
        "page": getattr(desc, "page", 1),
        "pages": getattr(desc, "pages", 1),
        "total": getattr(desc, "incoming_total", 0),
        "sections": [],
        "whole_graph": None,
    }


def _labels(triples, desc):
    labels = own_labels(triples)
    if desc is not None:
        for key, values in desc.labels.items():
            labels.setdefault(key, []).extend(values)
    return labels


def _first(layout):
    ordered = layout.ordered_groups()
    return ordered[0].iri if ordered else None


def _position(field, layout):
    if field is None or field.group not in layout.groups:
        return (float("inf"), 0, "")
    return (layout.groups[field.group].order, field.order, field.path)


def _row(show, predicate, objects, field, fields, labels, triples, seen, sources, contexts):
    name = (pick(field.names, show.chain) if field else None) or show.property_name(predicate)
    if predicate == NOT_RECORDED:
        iris = [o.value for o in objects if isinstance(o, ox.NamedNode)]
        names = sorted({_field_name(show, fields.get(i), i) for i in iris})
        return show.row(predicate, name, [{"kind": "literal", "text": ", ".join(names), "lang": show.lang}])
    values = []
    for o in objects:
        if predicate in NOTED and isinstance(o, ox.Literal):
            values.append(note_value(show, o, sources))
            continue
        value = show.value(o, labels, triples, contexts=contexts, predicate=predicate)
        if predicate in LABEL_PREDICATES and value["kind"] == "literal":
            if (value["text"], value["lang"]) in seen:
                continue  # the heading, or a title already shown as a label (or the reverse)
            seen.add((value["text"], value["lang"]))
        values.append(value)
    if not values:
        return None
    values.sort(key=sort_key)
    return show.row(predicate, name, values)


def _field_name(show, field, predicate):
    return ((pick(field.names, show.chain) if field else None) or show.property_name(predicate))[0]


def _range(show, row, field, outgoing):
    """The row of a start date that reads as the whole range ("8–10 December 2015")."""
    starts, ends = outgoing.get(field.path, []), outgoing.get(field.until, [])
    if len(starts) != 1 or len(ends) != 1 or not all(isinstance(t, ox.Literal) for t in starts + ends):
        return None
    text = date_range(starts[0].value, ends[0].value, show.locale)
    if text is None:
        return None
    value = {"kind": "literal", "text": text, "lang": "", "title": f"{starts[0].value} – {ends[0].value}"}
    return {**row, "name": show.gettext("dates"), "lang": show.lang, "values": [value], "range_of": field.until}


def _drop_range_ends(placed, fields, outgoing):
    ends = {row["range_of"] for rows in placed.values() for _, row in rows if row.get("range_of")}
    for group, rows in placed.items():
        placed[group] = [(order, row) for order, row in rows if not (row["iri"] in ends and not row.get("range_of"))]


def _group(show, iri, labels, rows):
    label = pick(labels, show.chain) or (show.gettext(MORE), show.lang)
    return {"iri": iri, "id": iri.rsplit("/", 1)[-1] or "more", "label": label, "rows": [r for _, r in rows]}


def incoming(show, desc, labels):
    """The links to the resource on this page, one list per property, named backwards."""
    by_predicate = {}
    for subject, predicate in desc.incoming:
        if isinstance(subject, ox.NamedNode):
            by_predicate.setdefault(predicate, []).append(show.link(subject.value, labels))
    out = []
    for predicate, count in sorted(desc.incoming_counts.items()):
        if predicate in INVERSE:
            name = show.gettext(INVERSE[predicate])
        else:
            name = show.gettext("%(property)s of", property=show.label(predicate, {})[0])
        values = sorted(by_predicate.get(predicate, []), key=sort_key)
        out.append({"predicate": show.link(predicate, {}), "name": name, "count": count, "values": values})
    return out


def document_page(show, iri, triples, graph_name):
    """A whole document (ontology, shapes, dataset description): one section per subject."""
    labels = own_labels(triples)
    subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
    sections = [_section(show, s, labels, triples) for s in subjects]
    sections.sort(key=lambda s: (s["types"], s["text"].lower()))
    return {
        **show.link(iri, labels),
        "text": graph_name,
        "types": [],
        "card": [],
        "groups": [],
        "after": [],
        "sections": sections,
        "incoming": [],
        "whole_graph": graph_name,
    }


def _section(show, iri, labels, triples):
    node = ox.NamedNode(iri)
    types = sorted(t.object.value for t in triples if t.subject == node and t.predicate.value == RDF_TYPE)
    return {**show.link(iri, labels), "types": show.type_words(types, labels), "rows": show.rows(node, labels, triples)}
