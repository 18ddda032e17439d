"""Small helpers every view uses."""

from flask import current_app


def store():
    """The app's store (embedded or remote)."""
    return current_app.extensions["pledgegraph.store"]


def current_release():
    """The published release's name ("unreleased" before the first build): part of every ETag."""
    current = getattr(store(), "current_release", None)
    return (current() if current else None) or "unreleased"


EXPOSED_HEADERS = "Link, Retry-After, Warning, X-Pledgegraph-Truncated, X-Pledgegraph-Row-Limit"


def allow_cross_origin(response):
    """Any origin may read our answers; scripts may read the headers that carry meaning."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response.vary.add("Accept")
    return response
