"""Links to listings and search, in one canonical form: the same selection gives the same URL."""

from urllib.parse import urlencode

from flask import request


def listing_url(kind, selected, page=None, sort=None, ext=""):
    """``/<kind><ext>?<facets>&sort=&page=`` for a selection {param: code or [codes]}; facets and
    their codes in sorted order; page 1 and the default sort are left out."""
    pairs = []
    for param in sorted(selected):
        codes = selected[param]
        pairs += [(param, code) for code in sorted([codes] if isinstance(codes, str) else codes)]
    if sort:
        pairs.append(("sort", sort))
    if page and page > 1:
        pairs.append(("page", str(page)))
    query = urlencode(pairs)
    return f"{request.script_root}/{kind}{ext}" + (f"?{query}" if query else "")


def search_url(q, page=None, ext=""):
    pairs = [("q", q)] + ([("page", str(page))] if page and page > 1 else [])
    return f"{request.script_root}/search{ext}?{urlencode(pairs)}"
