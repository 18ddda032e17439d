"""The web layer wired into an app: every blueprint, the one error handler, the app-wide hooks (the
body cap first), and what every template sees."""

from ..dataset.void import licence_name
from . import (
    api,
    bodies,
    browse,
    charset,
    cite,
    compression,
    cors,
    dataset,
    errors,
    home,
    i18n,
    jsonld,
    markup,
    memento,
    pages,
    permalinks,
    reconcile,
    releases,
    sparql,
)
from .scope import scoped

BLUEPRINTS = [
    api.bp,
    reconcile.bp,
    sparql.bp,
    home.bp,
    pages.bp,
    browse.bp,
    dataset.bp,
    jsonld.bp,
    releases.bp,
    memento.bp,
    permalinks.bp,
    cite.bp,
]


def register(app):
    app.wsgi_app = scoped(app.wsgi_app)  # /releases/<id>/...: every route, over that release
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    bodies.register(app)  # before any hook or view reads the body
    i18n.register(app)
    charset.register(app)
    errors.register(app)
    cors.register(app)
    compression.register(app)
    app.jinja_env.globals.update(markup.GLOBALS)
    app.context_processor(lambda: {"data_licence": _licence(app.config.get("DATA_LICENSE", ""))})


def _licence(iri):
    """The data licence for page footers: {"iri", "name"}, or None when none is set."""
    return {"iri": iri, "name": licence_name(iri)} if iri else None
