"""Browsing: per-class listings with facets (/pledges, /resolutions, /conferences, /organisations,
/themes), search (/search) and label autocomplete (/search/suggest, JSON)."""

from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, render_template, request

from ..config import languages
from ..errors import InputError
from ..namespaces import BASE
from ..pages.describe import vocabulary_labels
from ..pages.labels import reader_chain
from ..pages.listing import KINDS, listing
from ..pages.listing import labels_of as listing_labels
from ..pages.present import Presenter
from ..pages.search import search as run_search
from ..pages.search import suggest as run_suggest
from .common import reader_language, store

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
    public = current_app.config.get("PUBLIC_BASE") or request.url_root
    return Presenter(
        BASE,
        public,
        reader_chain(chain, preferred),
        vocabulary_labels(store(), BASE + "def/"),
    ), preferred


@bp.get("/" + KIND_PATH, endpoint="listing")
def listing_view(kind):
    """One page of a class listing; facet filters are query parameters."""
    page = page_number()
    selected = {k: v for k, v in request.args.items() if k != "page" and v}
    result = listing(store(), kind, selected, page)
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
                    "selected": result.selected.get(f.param) == code,
                    "url": _url(kind, result.selected, f.param, code),
                }
                for v, code, n in values
            ],
        }
        for f, values in result.facets
    ]
    chosen = [{"param": p, "code": c, "url": _url(kind, result.selected, p, None)} for p, c in result.selected.items()]
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
        prev_url=_url(kind, result.selected, "page", str(page - 1)),
        next_url=_url(kind, result.selected, "page", str(page + 1)),
    )


def _columns(show, details):
    by_predicate = {}
    for predicate, value in details:
        by_predicate.setdefault(predicate, []).append(value)
    return [(show.link(p, {})["text"], values) for p, values in by_predicate.items()]


def _url(kind, selected, param, code):
    params = {k: v for k, v in selected.items() if k != param}
    if param != "page":
        params.pop("page", None)
    if code:
        params[param] = code
    query = urlencode(sorted(params.items()))
    return f"{request.script_root}/{kind}" + (f"?{query}" if query else "")


def page_number():
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise InputError("page must be a whole number from 1")
    return int(raw)


@bp.get("/search")
def search():
    q = request.args.get("q", "")
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
    found = run_suggest(store(), request.args.get("q", ""))
    return jsonify([{"label": text, "lang": lang, "iri": iri, "url": show.href(iri)} for iri, text, lang in found])
