"""The Flask app factory: settings, the store, and the web layer (``service.web``).

The factory is the only place (with the CLI) that reads the environment; everything below it
takes explicit arguments.
"""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

from .config import settings_from, trusted_hosts
from .dataset.prepare import prepare_release
from .stores.interface import open_store


def create_app(test_config=None):
    """Build the app: settings from PLEDGEGRAPH_* variables, overridden by ``test_config``."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(settings_from(os.environ, test_config))
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)  # Flask's own check, as request.host is read
    app.extensions["pledgegraph.store"] = open_store(app.config, prepare=prepare_release)
    from .web.routes import register  # the web layer imports Flask views; load it only for an app

    register(app)  # first: its WSGI middleware (a release's scope) must see the path ProxyFix leaves
    app.wsgi_app = _refuse_untrusted_hosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    hops = int(app.config["PROXY_HOPS"])
    if hops:  # trust X-Forwarded-* from that many proxies, so links name the public host
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    return app


UNTRUSTED_HOST = b"400 Bad Request: this service does not answer to that Host header (see TRUSTED_HOSTS)\n"


def _refuse_untrusted_hosts(wsgi_app, trusted):
    """Answer 400 before Flask to a Host (after ProxyFix: X-Forwarded-Host) not in ``trusted``,
    so no page, redirect or error template ever builds a link from it."""
    if trusted is None:
        return wsgi_app

    def check(environ, start_response):
        if environ.get("HTTP_HOST"):  # a host name is case-insensitive (RFC 3986 §3.2.2); Werkzeug compares as sent
            environ["HTTP_HOST"] = environ["HTTP_HOST"].lower()
        if not host_is_trusted(environ.get("HTTP_HOST") or environ.get("SERVER_NAME"), trusted):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [UNTRUSTED_HOST]
        return wsgi_app(environ, start_response)

    return check
