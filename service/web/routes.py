"""The web layer wired into an app: every blueprint, the body cap and the one error handler."""

from . import api, bodies, browse, dataset, errors, home, pages, reconcile, sparql

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
    bodies.register(app)
    errors.register(app)
