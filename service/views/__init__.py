"""Flask blueprints, thin layers over the core. ``register`` wires them into an app."""

from . import api, browse, dataset, errors, home, pages, reconcile, sparql

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
    errors.register(app)
