"""The service as it was at one release: every route under ``/releases/<id>/`` answers from that release.

A WSGI middleware moves ``/releases/<id>`` from the path into ``SCRIPT_NAME``, so the routes below
see their usual path (``/sparql``, ``/doc/pledge/SP320067``, ``/dumps/...``) and every link they
build (``url_for``, ``request.url_root``) stays inside the release; ``common.store()`` then answers
with the store pinned to that release. So ``/releases/<id>/sparql`` is the full endpoint (same
protocol, caps and safety, run by the same query processes), ``/releases/<id>/doc/...`` are the
Memento mementos of the resource pages, and an unknown ``<id>`` is a 404 from the one error handler.

The release's own pages (``/releases/<id>/``, ``/releases/<id>/changes``, ``/releases/<id>/citation...``)
are left to the releases blueprint. ``?release=<id or tag>`` on the named-query API scopes a request
the same way (``service.web.releases``).
"""

import re

from ..stores.releases import NAME_PATTERN

RELEASE = "pledgegraph.release"  # environ key: the release this request is scoped to
ROOT = "pledgegraph.root"  # environ key: SCRIPT_NAME before the release was moved into it
PREFIX = "pledgegraph.release_prefix"  # environ key: "releases/<id>/", for links under PUBLIC_BASE
SCOPED = re.compile(rf"/releases/({NAME_PATTERN})(/.*)", re.DOTALL)  # any path, control characters too
OWN_PAGES = re.compile(r"/((changes|citation)(\.\w+)?)?")  # what the releases blueprint answers itself


def scoped(wsgi_app):
    """Wrap ``wsgi_app`` so that requests under /releases/<id>/ run on that release."""

    def application(environ, start_response):
        match = SCOPED.fullmatch(environ.get("PATH_INFO", ""))
        if match and not OWN_PAGES.fullmatch(match.group(2)):
            release, rest = match.groups()
            environ[ROOT] = environ.get("SCRIPT_NAME", "")
            environ["SCRIPT_NAME"] = environ[ROOT] + f"/releases/{release}"
            environ["PATH_INFO"] = rest
            environ[RELEASE] = release
            environ[PREFIX] = f"releases/{release}/"
        return wsgi_app(environ, start_response)

    return application
