"""Small helpers every view uses."""

from flask import current_app


def store():
    """The app's store (embedded or remote)."""
    return current_app.extensions["pledgegraph.store"]
