"""Small helpers every view uses."""

from flask import current_app


def store():
    """The app's store (embedded or remote)."""
    return current_app.extensions["pledgegraph.store"]


def vary_on_accept(response):
    """The answer (its format, or its error body's) depends on Accept."""
    response.vary.add("Accept")
    return response
