"""The web layer wired into an app: every blueprint, the one error handler, the app-wide hooks, and
what every template sees."""

from ..dataset.void import licence_name
from . import api, browse, charset, cite, cors, dataset, errors, home, i18n, pages, reconcile, sparql

BLUEPRINTS = [
    api.bp,
    reconcile.bp,
    sparql.bp,
    home.bp,
    pages.bp,
    browse.bp,
    dataset.bp,
    cite.bp,
]


def register(app):
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    i18n.register(app)
    charset.register(app)
    errors.register(app)
    cors.register(app)
    app.context_processor(lambda: {"data_licence": _licence(app.config.get("DATA_LICENSE", ""))})


def _licence(iri):
    """The data licence for page footers: {"iri", "name"}, or None when none is set."""
    return {"iri": iri, "name": licence_name(iri)} if iri else None
