"""The web layer wired into an app: every blueprint and the one error handler."""

from . import api, browse, compression, dataset, errors, home, jsonld, pages, reconcile, sparql

BLUEPRINTS = [
    api.bp,
    reconcile.bp,
    sparql.bp,
    home.bp,
    pages.bp,
    browse.bp,
    dataset.bp,
    jsonld.bp,
]


def register(app):
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
    compression.register(app)
