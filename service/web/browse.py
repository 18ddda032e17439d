"""Browsing: per-class listings with facets (/pledges, /resolutions, /conferences, /organisations,
/themes), search (/search) and label autocomplete (/search/suggest, JSON)."""

from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, render_template, request

from ..config import languages
from ..namespaces import BASE
from ..pages.describe import vocabulary_labels
from ..pages.labels import reader_chain
from ..pages.listing import KINDS, listing
from ..pages.listing import labels_of as listing_labels
from ..pages.present import Presenter
from ..pages.search import search as run_search
from ..pages.search import suggest as run_suggest
from .common import page_number, public_base, reader_language, single, store

bp = Blueprint("browse", __name__)


@bp.after_request
def vary_on_language(response):
    """Listings and search name things in the reader's language."""
    response.vary.add("Accept-Language")
    return response


KIND_PATH = "<any(" + ", ".join(KINDS) + "):kind>"
SEARCH_PAGE = 20


def presenter():
    """A Presenter for this request: base mapping and the reader's language chain."""
    chain = languages(current_app.config)
    preferred = reader_language()
    public = public_base()
    return Presenter(
        BASE,
        public,
        reader_chain(chain, preferred),
        vocabulary_labels(store(), BASE + "def/"),
    ), preferred


@bp.get("/" + KIND_PATH, endpoint="listing")
def listing_view(kind):
    """One page of a class listing; facet filters are query parameters, repeatable (OR within a facet)."""
    page = page_number()
    selected = {k: [v for v in request.args.getlist(k) if v] for k in request.args if k != "page"}
    result = listing(store(), kind, {k: v for k, v in selected.items() if v}, page)
    show, lang = presenter()
    items = []
    for iri in result.items:
        details = [(p, show.value(o, result.labels, ())) for p, o in result.details.get(iri, [])]
        items.append({"item": show.link(iri, result.labels), "details": _columns(show, details)})
    facets = [
        {
            "param": f.param,
            "title": f.title,
            "values": [
                {
                    "link": show.link(v, result.labels),
                    "code": code,
                    "count": n,
                    "selected": code in result.selected.get(f.param, ()),
                    "url": _url(kind, _toggle(result.selected, f.param, code)),
                }
                for v, code, n in values
            ],
        }
        for f, values in result.facets
    ]
    chosen = [
        {"param": p, "code": c, "url": _url(kind, _toggle(result.selected, p, c))}
        for p, codes in result.selected.items()
        for c in codes
    ]
    return render_template(
        "listing.html",
        kind=result.kind,
        items=items,
        facets=facets,
        chosen=chosen,
        total=result.total,
        page=result.page,
        pages=result.pages,
        lang=lang,
        prev_url=_url(kind, result.selected, page - 1),
        next_url=_url(kind, result.selected, page + 1),
    )


def _columns(show, details):
    by_predicate = {}
    for predicate, value in details:
        by_predicate.setdefault(predicate, []).append(value)
    return [(show.link(p, {})["text"], values) for p, values in by_predicate.items()]


def _toggle(selected, param, code):
    """The selection with ``code`` of facet ``param`` added, or removed when it is there."""
    codes = set(selected.get(param, ()))
    codes ^= {code}
    return {**selected, param: sorted(codes)}


def _url(kind, selected, page=None):
    """The listing's URL for a selection {param: [codes]}, in one canonical order; page 1 unless given."""
    pairs = [(param, code) for param in sorted(selected) for code in sorted(selected[param])]
    query = urlencode(pairs + ([("page", str(page))] if page else []))
    return f"{request.script_root}/{kind}" + (f"?{query}" if query else "")


@bp.get("/search")
def search():
    q = single("q", "")
    page = page_number()
    results = run_search(store(), q, limit=SEARCH_PAGE, offset=(page - 1) * SEARCH_PAGE)
    show, lang = presenter()
    labels = listing_labels(store(), [h.iri for h in results.hits])
    hits = [
        {
            "link": show.link(h.iri, labels),
            "matched": h.matched,
            "lang": h.lang,
            "field": show.link(h.predicate, {})["text"],
        }
        for h in results.hits
    ]
    pages = max(1, -(-results.total // SEARCH_PAGE))
    base = f"{request.script_root}/search?"
    return render_template(
        "search.html",
        q=q,
        hits=hits,
        total=results.total,
        truncated=results.truncated,
        page=page,
        pages=pages,
        lang=lang,
        prev_url=base + urlencode({"q": q, "page": page - 1}),
        next_url=base + urlencode({"q": q, "page": page + 1}),
    )


@bp.get("/search/suggest")
def suggest():
    """Autocomplete: JSON list of {label, lang, iri, url} for the typed text (?q=)."""
    show, _ = presenter()
    found = run_suggest(store(), single("q", ""))
    return jsonify([{"label": text, "lang": lang, "iri": iri, "url": show.href(iri)} for iri, text, lang in found])
