"""The HTML of the dataset description (/.well-known/void) for people.

dataset.py negotiates; this module draws the page model of ``pages.dataset_page`` in dataset.html,
with what every document page has: its alternates (``<link rel="alternate">`` and links), its
triples as embedded JSON-LD, and the citation of ``resource_html.citation``.
"""

from flask import render_template

from ..dataset.void import licence_name
from ..pages.dataset_page import dataset_page, publishers
from ..pages.listing import labels_of
from .common import presenter, public_base, root_url, store
from .resource_html import citation


def render(iri, triples, release, alternates, jsonld):
    """dataset.html for the dataset ``iri`` described by ``triples`` (a list of pyoxigraph Triples)."""
    show = presenter()
    page = dataset_page(show, triples, iri, _labels(triples, iri))
    title, lang = page["title"] or ("pledgegraph", "en")
    return render_template(
        "dataset.html",
        d=page,
        alternates=alternates,
        jsonld=jsonld,
        cite=citation(show, iri, title, lang, release),
        releases=root_url() + "releases/",
        service=public_base(),
    )


def _labels(triples, iri):
    """Names for the licence (its known name) and the publishers (their labels in the store)."""
    named = publishers(triples, iri)
    found = dict(labels_of(store(), named)) if named else {}
    for t in triples:
        if t.predicate.value == "http://purl.org/dc/terms/license":
            found[t.object.value] = [(licence_name(t.object.value), "")]
    return found
