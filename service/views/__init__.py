"""Flask blueprints, thin layers over the core. ``register`` wires them into an app."""

from . import errors, home, sparql

BLUEPRINTS = [
    sparql.bp,
    home.bp,
]


def register(app):
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
