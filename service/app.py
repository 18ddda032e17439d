"""The Flask app factory: settings, the store, and the web layer (``service.web``).

The factory is the only place (with the CLI) that reads the environment; everything below it
takes explicit arguments.
"""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import settings_from
from .stores.interface import open_store


def create_app(test_config=None):
    """Build the app: settings from PLEDGEGRAPH_* variables, overridden by ``test_config``."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(settings_from(os.environ, test_config))
    hops = int(app.config["PROXY_HOPS"])
    if hops:  # trust X-Forwarded-* from that many proxies, so links name the public host
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    app.extensions["pledgegraph.store"] = open_store(app.config)
    from .web.routes import register  # the web layer imports Flask views; load it only for an app

    register(app)
    return app
