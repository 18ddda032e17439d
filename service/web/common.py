"""Small helpers every view uses."""

from flask import current_app, request

from ..config import languages
from ..pages.labels import lookup


def store():
    """The app's store (embedded or remote)."""
    return current_app.extensions["pledgegraph.store"]


def vary_on_accept(response):
    """The answer (its format, or its error body's) depends on Accept."""
    response.vary.add("Accept")
    return response


def reader_language():
    """The reader's language among LANGUAGES (RFC 4647 lookup over Accept-Language), else the first."""
    chain = languages(current_app.config)
    return lookup(request.accept_languages, chain) or chain[0]
