"""Small helpers every view uses."""

from flask import current_app, request

from ..config import languages
from ..errors import InputError
from ..pages.labels import lookup


def store():
    """The app's store (embedded or remote)."""
    return current_app.extensions["pledgegraph.store"]


def current_release():
    """The published release's name ("unreleased" before the first build): part of every ETag."""
    current = getattr(store(), "current_release", None)
    return (current() if current else None) or "unreleased"


def vary_on_accept(response):
    """The answer (its format, or its error body's) depends on Accept."""
    response.vary.add("Accept")
    return response


def reader_language():
    """The reader's language among LANGUAGES (RFC 4647 lookup over Accept-Language), else the first."""
    chain = languages(current_app.config)
    return lookup(request.accept_languages, chain) or chain[0]


def single(name, default=None):
    """The one value of query parameter ``name`` (or ``default``); given twice, a 400 naming it."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise InputError(f"{name} takes one value; the request gives it {len(values)} times")
    return values[0] if values else default


def page_number():
    """``?page=N``, a whole number from 1 (default 1); anything else is a 400."""
    raw = single("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise InputError("page must be a whole number from 1")
    return int(raw)
