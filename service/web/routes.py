"""The web layer wired into an app: every blueprint, the one error handler, the app-wide hooks."""

from . import api, browse, charset, cors, dataset, errors, home, pages, reconcile, sparql

BLUEPRINTS = [
    api.bp,
    reconcile.bp,
    sparql.bp,
    home.bp,
    pages.bp,
    browse.bp,
    dataset.bp,
]


def register(app):
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    charset.register(app)
    errors.register(app)
    cors.register(app)
