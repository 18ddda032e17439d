"""The dataset's page for people: what the VoID + DCAT description of a release says, in plain words.

Reads the triples ``dataset.void.describe_dataset`` makes (no query of its own): the title and
description in the reader's language (the description is an interface string, so its catalogue
translates it), the release and its date, the licence, the publisher when one is given, the
resources of each of our classes (``https://w3id.org/rcrc/def/...``) apart from the classes of the
vocabularies around them, the total triples, the dumps with their format, size and SHA-256, and
the SPARQL endpoint. Pure: the presenter brings the language, locale and base mapping.
"""

from datetime import datetime

import pyoxigraph as ox

from ..namespaces import DCAT, DCTERMS, VOID
from .kinds import KINDS
from .labels import pick
from .values import long_date, number

SPDX = "http://spdx.org/rdf/terms#"
VERSION = str(DCAT) + "version"  # DCAT 3, which rdflib's DCAT namespace does not define yet


def index(triples):
    """{subject: {predicate IRI: [objects]}}, in the order of the triples."""
    found = {}
    for t in triples:
        found.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    return found


def first(facts, predicate):
    return next(iter(facts.get(predicate, [])), None)


def dataset_page(show, triples, iri, labels):
    """The page model of the dataset ``iri``: {"iri", "title", "description", "release", "released",
    "licence", "rights", "publishers", "triples", "classes", "others", "dumps", "endpoint"}.
    ``labels`` ({IRI: [(text, lang)]}) names the licence and the publishers."""
    facts = index(triples)
    own = facts.get(ox.NamedNode(iri), {})
    release = first(own, VERSION)
    endpoint = first(own, str(VOID.sparqlEndpoint))
    return {
        "iri": iri,
        "title": _text(show, own, str(DCTERMS.title)),
        "description": _text(show, own, str(DCTERMS.description)),
        "release": release.value if release else "",
        "released": _released(show, own),
        "licence": [show.link(o.value, labels) for o in own.get(str(DCTERMS.license), [])],
        "rights": [show.link(o.value, labels) for o in own.get(str(DCTERMS.rights), [])],
        "publishers": [_named(show, o, labels) for o in own.get(str(DCTERMS.publisher), [])],
        "triples": _count(show, first(own, str(VOID.triples))),
        **class_counts(show, facts, own),
        "dumps": dumps(show, facts, own),
        "endpoint": {"href": show.href(endpoint.value), "iri": endpoint.value} if endpoint else None,
    }


def publishers(triples, iri):
    """The IRIs of the dataset's publishers, to look their labels up."""
    node = ox.NamedNode(iri)
    return [
        t.object.value
        for t in triples
        if t.subject == node and t.predicate.value == str(DCTERMS.publisher) and isinstance(t.object, ox.NamedNode)
    ]


def _text(show, facts, predicate):
    """(text, lang) of a literal in the reader's language; an English one through the catalogue
    (the description is an interface string) when the interface speaks another language."""
    found = pick([(o.value, o.language or "") for o in facts.get(predicate, [])], show.chain)
    if not found:
        return None
    text, lang = found
    translated = show.gettext(text) if lang.split("-")[0] != show.lang else text
    return (translated, show.lang) if translated != text else found


def _released(show, facts):
    """{"text": the release's date in the page's language, "datetime": its ISO 8601 date} or None."""
    modified = first(facts, str(DCTERMS.modified))
    try:
        day = datetime.fromisoformat(modified.value).date() if modified else None
    except ValueError:
        return None
    return {"text": long_date(day, show.locale), "datetime": day.isoformat()} if day else None


def _named(show, term, labels):
    if isinstance(term, ox.NamedNode):
        return show.link(term.value, labels)
    return {"text": term.value, "lang": getattr(term, "language", "") or ""}


def _count(show, term):
    n = int(term.value) if term is not None else 0
    return {"count": n, "text": number(n, show.locale)}


def class_counts(show, facts, own):
    """{"classes": our classes by label, "others": the rest by local name}, each
    [{"link", "iri", "count", "text", "listing"?}] from the VoID class partitions."""
    ours, others = [], []
    for partition in own.get(str(VOID.classPartition), []):
        parts = facts.get(partition, {})
        cls, n = first(parts, str(VOID["class"])), first(parts, str(VOID.entities))
        if cls is not None and n is not None:
            mine = cls.value.startswith(show.base + "def/")
            (ours if mine else others).append({**_count(show, n), **_class(show, cls.value, mine)})
    ours.sort(key=lambda r: r["link"]["text"].lower())
    others.sort(key=lambda r: (r["link"]["text"].lower(), r["iri"]))
    return {"classes": ours, "others": others}


def _class(show, iri, mine):
    """Our class by its label, with the listing that holds it; another by its local name."""
    if mine:
        return {"iri": iri, "link": show.link(iri, {}), "listing": _listing(iri[len(show.base + "def/") :])}
    return {"iri": iri, "link": {"text": local_name(iri), "href": show.href(iri), "iri": iri}}


def local_name(iri):
    """The last part of a term's IRI ("NamedIndividual"), a name without a prefix."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def _listing(local):
    """The slug of the listing that holds exactly this class ("pledges" for Pledge), or None."""
    return next((k.slug for k in KINDS.values() if k.classes == (local,)), None)


def dumps(show, facts, own):
    """[(file name, {"url", "bytes", "sha256", "format"})] of the distributions, as the
    ``checksums`` macro draws them; the format in words in the page's language."""
    found = []
    for dist in own.get(str(DCAT.distribution), []):
        parts = facts.get(dist, {})
        url, size = first(parts, str(DCAT.downloadURL)), first(parts, str(DCAT.byteSize))
        checksum = first(facts.get(first(parts, SPDX + "checksum"), {}), SPDX + "checksumValue")
        if url is None or size is None or checksum is None:
            continue
        title = first(parts, str(DCTERMS.title))
        meta = {"url": show.href(url.value), "bytes": int(size.value), "sha256": checksum.value}
        meta["format"] = show.gettext(title.value) if title else ""  # the dump's title is an interface string
        found.append((url.value.rsplit("/", 1)[-1], meta))
    return found
