"""Links to listings and search, in one canonical form: the same selection gives the same URL."""

import functools
from urllib.parse import quote_plus

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
    query = _urlencode(pairs)
    return f"{request.script_root}/{kind}{ext}" + (f"?{query}" if query else "")


def search_url(q, page=None, ext=""):
    pairs = [("q", q)] + ([("page", str(page))] if page and page > 1 else [])
    return f"{request.script_root}/search{ext}?{_urlencode(pairs)}"


def _urlencode(pairs):
    """What ``urllib.parse.urlencode`` writes for string pairs, quoting each name and value once:
    a listing links to every value of its facets with the same few codes in each URL."""
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)


@functools.lru_cache(maxsize=4096)
def _quote(text):
    return quote_plus(text)
