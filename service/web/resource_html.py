"""The HTML of a resource page: its shapes' layout, the records around it, its check, its citation.

pages.py negotiates and describes; this module turns the description into resource.html for a
person: the page model of ``pages.resource`` (fact card, sections, notes), the related sections
of ``pages.related`` with links to the listings that hold them, the incoming links no related
section shows (``pages.incoming``), the conformance of ``pages.conformance`` in plain words, and
the citation downloads of ``pages.citation``.
"""

from datetime import UTC, datetime

import pyoxigraph as ox
from flask import render_template, url_for

from ..namespaces import BASE
from ..pages.citation import AUTHOR, DATASET, FORMATS, Citation
from ..pages.conformance import conformance
from ..pages.incoming import leave_out
from ..pages.kinds import PLEDGE_FACETS
from ..pages.labels import N_, pick
from ..pages.layout import layouts
from ..pages.listing import labels_of
from ..pages.notes import source_keys
from ..pages.present import RDF_TYPE
from ..pages.related import iris_of, related
from ..pages.resource import document_page, resource_page
from ..pages.values import long_date, number
from ..stores.releases import release_time
from .common import conference_name, conference_year_texts, presenter, store
from .urls import listing_url

PARAM_TITLES = {f.param: f.title for f in PLEDGE_FACETS}
DOCUMENTS = {"ontology": N_("The ontology of pledgegraph"), "shapes": N_("The SHACL shapes of pledgegraph")}


def related_records(iri, desc):
    """(the related sections of ``iri``'s page, ``desc`` with the incoming links they show left out):
    the page lists each record once, and its pages of incoming links are those of what is left."""
    node = ox.NamedNode(iri)
    types = {t.object.value for t in desc.triples if t.subject == node and t.predicate.value == RDF_TYPE}
    sections = related(store(), iri, types, presenter().chain)
    return sections, leave_out(store(), desc, iris_of(sections))


def render(iri, triples, desc, doc_url, alternates, jsonld, graph_name=None, sections=()):
    """resource.html for ``iri`` (or for a whole document: the ontology, the shapes), with the
    related sections of ``related_records``."""
    show = presenter()
    release = current_release()
    if graph_name:
        page = document_page(show, iri, triples, show.gettext(DOCUMENTS.get(graph_name, graph_name)))
        return render_template(
            "resource.html", page=page, jsonld=jsonld, alternates=alternates, doc_url=doc_url,
            cite=citation(show, iri, page["text"], page["lang"], release),
        )  # fmt: skip
    layout = layouts(store())
    page = resource_page(show, iri, triples, desc, layout, source_keys(store()), _linked_years(show, iri, triples))
    outgoing = {t.predicate.value for t in triples if t.subject == ox.NamedNode(iri)}
    return render_template(
        "resource.html",
        page=page,
        related=related_view(show, sections),
        conformance=conformance_view(show, conformance(store(), iri, outgoing), page, layout),
        cite=citation(show, iri, page["text"], page["lang"], release),
        jsonld=jsonld,
        alternates=alternates,
        doc_url=doc_url,
    )


def current_release():
    current = getattr(store(), "current_release", None)
    return (current() if current else None) or "unreleased"


def _linked_years(show, iri, triples):
    """{IRI: year as the page writes it} of the conferences the resource links to."""
    years = conference_year_texts(show)
    node = ox.NamedNode(iri)
    linked = {t.object.value for t in triples if t.subject == node and isinstance(t.object, ox.NamedNode)}
    return {c: years[c] for c in linked if c in years}


def related_view(show, sections):
    """The related sections with labels and links: items and group headings link to their pages,
    counts to the listing filtered on them, and a section a listing holds links to it whole."""
    labels = labels_of(store(), iris_of(sections))
    views = []
    for s in sections:
        view = {"title": show.gettext(s["title"]), "kind": s["kind"], "total": s.get("total")}
        view["total_text"] = number(s["total"], show.locale) if s.get("total") is not None else ""
        view["param_title"] = show.gettext(PARAM_TITLES.get(s.get("param"), "")) if s.get("param") else ""
        if s.get("listing"):
            view["listing"] = listing_url(*s["listing"])
        view["items"] = [show.link(i, labels) for i in s.get("items", [])]
        view["groups"] = [
            {
                "heading": show.link(value, labels) if value else None,
                "count": n,
                "count_text": number(n, show.locale),
                "items": [show.link(i, labels) for i in items],
                "more": _more(s, value) if n > len(items) else None,
            }
            for value, n, items in s.get("groups", [])
        ]
        view["counts"] = [
            {
                "link": _named(show, value, labels) if value else None,
                "count": n,
                "count_text": number(n, show.locale),
                "url": _more(s, value, code),
            }
            for value, code, n in s.get("counts", [])
        ]
        views.append(view)
    return views


def _named(show, iri, labels):
    """A link named for a table: a conference by its short name ("32nd (2015)"), the rest by their labels."""
    found = show.link(iri, labels)
    short = conference_name(show, iri)
    return {**found, "text": short, "title_text": found["text"]} if short else found


def _more(section, value, code=None):
    """The listing of a group's or a row's pledges; for those of no value ("not recorded"), which
    a listing cannot filter on, the listing of all the section's pledges."""
    return listing_url("pledges", _with(section, value, code) if value else section["selected"])


def _with(section, value, code=None):
    """The section's filter plus one value of the facet it groups or counts by."""
    selected = dict(section["selected"])
    if code is None:
        prefix = BASE + "id/" if section["param"] == "pledger" else f"{BASE}id/{section['param']}/"
        code = value[len(prefix) :]
    selected[section["param"]] = code
    return selected


def conformance_view(show, checked, page, layout):
    """None (the release was not checked), or the shapes and the warnings in plain words."""
    if checked is None:
        return None
    fields = layout.fields_for(page["type_iris"])
    warnings = []
    for w in checked["warnings"]:
        field = fields.get(w["path"])
        name = None
        if w["path"]:
            name = (pick(field.names, show.chain) if field else None) or show.property_name(w["path"])
        if w["missing"] and name:
            text = show.gettext("%(field)s is expected, but the record does not give it.", field=name[0])
        else:
            text = w["message"]
        shape = show.link(w["shape"], {}) if w["shape"] else None
        warnings.append({"text": text, "severity": w["severity"], "shape": shape})
    return {"shapes": [show.link(s, layout.shape_labels) for s in page["shapes"]], "warnings": warnings}


def citation(show, iri, title, lang, release):
    """The citation's fields, a line to read, and its downloads in each format."""
    released = release_time(release)
    cite = Citation(title, iri, release, released.date() if released else None, datetime.now(UTC).date(), lang)
    downloads = [
        {"name": name, "title": fmt[3], "url": url_for("cite.download", fmt=name, iri=iri)}
        for name, fmt in FORMATS.items()
    ]
    date = f" ({long_date(cite.released, show.locale)})" if cite.released else ""
    text = show.gettext(
        "%(author)s. “%(title)s”. In: %(dataset)s, release %(release)s%(date)s. %(iri)s (accessed %(accessed)s).",
        author=AUTHOR,
        title=title,
        dataset=DATASET,
        release=release,
        date=date,
        iri=iri,
        accessed=long_date(cite.accessed, show.locale),
    )
    return {"citation": cite, "text": text, "bibtex": FORMATS["bibtex"][0](cite), "downloads": downloads}
