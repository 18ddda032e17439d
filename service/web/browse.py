"""Browsing: per-class listings as sortable tables with facets (/pledges, /resolutions,
/conferences, /organisations, /themes), search (/search), both also as CSV and JSON exports
(web/exports.py), and label autocomplete (/search/suggest, JSON)."""

import re
from difflib import get_close_matches

from flask import Blueprint, jsonify, render_template, request

from ..errors import NotFound
from ..pages.kinds import KINDS
from ..pages.listing import kind_of, labels_of, listing
from ..pages.present import sort_key
from ..pages.search import contexts
from ..pages.search import search as run_search
from ..pages.search import suggest as run_suggest
from . import exports
from .common import conference_name, page_number, presenter, single, store
from .urls import listing_url, search_url

bp = Blueprint("browse", __name__)
KIND_PATH = "<any(" + ", ".join(KINDS) + "):kind>"
SEARCH_PAGE = 20
NOT_FACETS = ("page", "sort")


@bp.after_request
def vary_on_language(response):
    """Listings and search name things in the reader's language."""
    response.vary.add("Accept-Language")
    return response


@bp.get("/" + KIND_PATH, endpoint="listing")
@bp.get("/" + KIND_PATH + ".<any(csv, json):ext>", endpoint="listing_export")
def listing_view(kind, ext=None):
    """One page of a listing (or, as CSV or JSON, every matching item); facets are repeatable
    query parameters (OR within a facet), ``sort`` names a column (``-`` reverses)."""
    fmt = exports.wanted(ext)
    facets = [f.param for f in kind_of(kind).facets]
    selected = {k: [v for v in request.args.getlist(k) if v] for k in request.args if k in facets}
    selected = {k: v for k, v in selected.items() if v}
    # Other parameters (utm_source, fbclid, a misspelt facet) are left out and said on the page:
    # a shared link keeps working, and a typo does not pass for an empty filter.
    ignored = [(k, get_close_matches(k, facets, 1)) for k in request.args if k and k not in facets + list(NOT_FACETS)]
    sort = single("sort")
    page = page_number() if fmt is None else 0
    show = presenter()
    result = listing(store(), kind, selected, page, sort=sort, chain=show.chain)
    if fmt:
        columns = [("iri", False), ("title", False)] + [
            (c.key, c.link) for c in result.kind.columns if c.key != "title"
        ]
        meta = {"listing": kind, "total": result.total, "filters": result.selected, "sort": sort or ""}
        meta["unknown"] = [{"facet": p, "value": c} for p, c in result.unknown]
        meta["ignored"] = [name for name, _ in ignored]
        return exports.respond(fmt, kind, exports.listing_records(show, result), columns, meta, result.unknown,
                               ignored=[_shown(name) for name, _ in ignored[:10]])  # fmt: skip
    page_model = _listing_page(show, kind, result, sort)
    page_model["ignored"] = [{"name": _readable(name), "near": near[0] if near else ""} for name, near in ignored[:20]]
    html = render_template("listing.html", **page_model)
    response = exports.Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _shown(name):
    """A parameter's name as a Warning header may quote it: printable ASCII, 40 characters."""
    return re.sub(r"[^\x21-\x7e]|[\"\\]", "?", name)[:40]


def _readable(name):
    """A parameter's name as a page shows it: control characters as "?", 40 characters."""
    return "".join(c if c.isprintable() else "?" for c in name)[:40]


def _listing_page(show, kind, result, sort):
    """What listing.html shows: the table (headings that sort, rows), the filters, the exports."""
    columns = [c for c in result.kind.columns if c.table]
    return {
        "title": show.gettext(result.kind.title),
        "columns": [_header(show, kind, result, c) for c in columns],
        "rows": [_row(show, result, iri, columns) for iri in result.items],
        "facets": _facets(show, kind, result),
        "chosen": [
            {
                "title": show.gettext(_facet(result, p).title),
                "text": _value_text(show, result, p, c),
                "url": _url(kind, result, _toggle(result.selected, p, c)),
            }
            for p, codes in result.selected.items()
            for c in codes
        ],
        "unknown": [{"title": show.gettext(_facet(result, p).title), "code": c} for p, c in result.unknown],
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "prev_url": _url(kind, result, result.selected, result.page - 1),
        "next_url": _url(kind, result, result.selected, result.page + 1),
        "exports": {fmt: listing_url(kind, result.selected, sort=sort, ext="." + fmt) for fmt in exports.FORMATS},
    }


def _url(kind, result, selected, page=None, sort=None):
    current = ("-" if result.descending else "") + result.sort if result.sort else None
    return listing_url(kind, selected, page=page, sort=current if sort is None else sort)


def _facet(result, param):
    return next(f for f in result.kind.facets if f.param == param)


def _value_text(show, result, param, code):
    facet = _facet(result, param)
    return show.label(facet.prefix + code, result.labels)[0] if facet.prefix + code in result.labels else code


def _header(show, kind, result, column):
    """A column heading: its sort link (ascending first; a count, most first) and aria-sort."""
    if not column.sort:
        return {"title": show.gettext(column.title), "key": column.key}
    current = result.sort == column.key
    ascending = not (column.sort == "count")
    if current:
        ascending = result.descending
    target = column.key if ascending else "-" + column.key
    state = ("descending" if result.descending else "ascending") if current else None
    return {
        "title": show.gettext(column.title),
        "key": column.key,
        "url": _url(kind, result, result.selected, sort=target),
        "aria": state,
    }


def _row(show, result, iri, columns):
    cells = []
    for column in columns:
        if column.key == "title":
            cells.append({"kind": "links", "values": [show.link(iri, result.labels)]})
        else:
            terms = result.details.get(iri, {}).get(column.key, [])
            values = sorted((_cell_value(show, column, t, result) for t in terms), key=sort_key)
            cells.append({"kind": "values", "values": values})
    return cells


def _cell_value(show, column, term, result):
    value = show.value(term, result.labels)
    if column.key == "conference" and value["kind"] == "link":
        value = {**value, "title_text": value["text"], "text": conference_name(show, value["iri"]) or value["text"]}
    return value


def _facets(show, kind, result):
    facets = []
    for f, values in result.facets:
        if not values:
            continue
        entries = []
        for v, code, n in values:
            text, lang = show.label(v, result.labels)  # a facet value links to the listing, not to v
            if f.param == "conference":
                text = conference_name(show, v) or text
            selected = code in result.selected.get(f.param, ())
            url = _url(kind, result, _toggle(result.selected, f.param, code))
            entries.append({"text": text, "lang": lang, "code": code, "count": n, "selected": selected, "url": url})
        facets.append({"param": f.param, "title": show.gettext(f.title), "values": entries})
    return facets


def _toggle(selected, param, code):
    """The selection with ``code`` of facet ``param`` added, or removed when it is there."""
    codes = set(selected.get(param, ()))
    codes ^= {code}
    return {**selected, param: sorted(codes)}


@bp.get("/search", endpoint="search")
@bp.get("/search.<any(csv, json):ext>", endpoint="search_export")
def search(ext=None):
    """Ranked hits for ``?q=``: each with what it is and where it belongs; or every hit as CSV/JSON."""
    fmt = exports.wanted(ext)
    q = single("q", "")
    page = page_number()
    show = presenter()
    limit, offset = (None, 0) if fmt else (SEARCH_PAGE, (page - 1) * SEARCH_PAGE)
    results = run_search(store(), q, limit=limit or 1000, offset=offset)
    found = contexts(store(), [h.iri for h in results.hits])
    linked = [c for ctx in found.values() for c in ctx["types"] + ctx["conferences"]]
    labels = labels_of(store(), [h.iri for h in results.hits] + linked)
    hits = [_hit(show, h, found[h.iri], labels) for h in results.hits]
    if fmt:
        columns = [
            ("iri", False),
            ("label", False),
            ("kind", False),
            ("conference", True),
            ("field", False),
            ("matched", False),
        ]
        meta = {"search": q, "total": results.total, "truncated": results.truncated}
        return exports.respond(fmt, "search", [_hit_record(h) for h in hits], columns, meta, [])
    pages = max(1, -(-results.total // SEARCH_PAGE))
    if page > pages:
        raise NotFound(f"page {page} does not exist; the last is page {pages}")
    html = render_template(
        "search.html",
        q=q,
        hits=hits,
        total=results.total,
        truncated=results.truncated,
        page=page,
        pages=pages,
        first=offset + 1,
        prev_url=search_url(q, page - 1),
        next_url=search_url(q, page + 1),
        exports={fmt: search_url(q, ext="." + fmt) for fmt in exports.FORMATS} if q else {},
    )
    response = exports.Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _hit(show, hit, context, labels):
    field = (
        show.gettext("cited in your search") if hit.predicate == "reference" else show.property_name(hit.predicate)[0]
    )
    kinds = show.type_words(context["types"], labels) if context["types"] else [show.gettext("web page")]
    conferences = [{**show.link(c, labels), "short": conference_name(show, c)} for c in context["conferences"]]
    return {
        "link": show.link(hit.iri, labels),
        "kinds": kinds,
        "conferences": conferences,
        "field": field,
        "matched": hit.matched,
        "lang": hit.lang,
    }


def _hit_record(hit):
    return {
        "iri": hit["link"]["iri"],
        "label": hit["link"]["text"],
        "kind": exports.SEPARATOR.join(hit["kinds"]),
        "conference": [{"iri": c["iri"], "label": c["text"]} for c in hit["conferences"]],
        "field": hit["field"],
        "matched": hit["matched"],
    }


@bp.get("/search/suggest")
def suggest():
    """Autocomplete: JSON list of {label, lang, iri, url} for the typed text (?q=)."""
    show = presenter()
    found = run_suggest(store(), single("q", ""))
    return jsonify([{"label": text, "lang": lang, "iri": iri, "url": show.href(iri)} for iri, text, lang in found])
