"""JSON-LD answers: compacted with our context by default, expanded when the client asks for it.

    GET /def/context.jsonld    the context of our vocabulary (``pages.context``)

Every JSON-LD answer (resource documents, vocabulary, shapes, graphs, VoID, the service
description, CONSTRUCT / DESCRIBE results, the Graph Store Protocol, the named-query API) goes
through ``finish``: compacted with the context inline (readable offline, and by importers that
refuse remote contexts) and a ``Link: <.../def/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"``
header naming the published copy, or left in expanded form when Accept (or ``format``) names
``profile="http://www.w3.org/ns/json-ld#expanded"``.
"""

import json

from flask import Blueprint, Response, request
from werkzeug.http import is_resource_modified

from ..formats import JSONLD_EXPANDED
from ..namespaces import BASE
from ..pages.context import compact, context_document
from . import conneg
from .common import current_release, public_base, store

bp = Blueprint("jsonld", __name__)
CONTEXT_PATH = "def/context.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"


def context_url():
    """Where this service serves the context (PUBLIC_BASE, else the request's host)."""
    return public_base() + CONTEXT_PATH


@bp.get("/" + CONTEXT_PATH)
def context():
    """The JSON-LD context of the vocabulary, built from the published ontology."""
    release = current_release()
    tag = conneg.etag(release, "context", context_url())
    headers = {"ETag": f'"{tag}"', "Cache-Control": "public, max-age=3600"}
    if not is_resource_modified(request.environ, etag=tag):
        return Response(status=304, headers=headers)
    document = context_document(store(), BASE)
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return Response(body, headers=headers, content_type="application/ld+json")


def finish(response, fmt):
    """``response`` (its body expanded JSON-LD) compacted or marked expanded as ``fmt`` asks."""
    if fmt.name != "jsonld" or response.status_code != 200:
        return response
    if fmt.profile == "expanded":
        response.headers["Content-Type"] = f'application/ld+json; profile="{JSONLD_EXPANDED}"'
        return response
    url = context_url()
    response.set_data(compact(response.get_data(), context_document(store(), BASE)))
    response.headers["Content-Type"] = f'application/ld+json; profile="{COMPACTED}"'
    link = f'<{url}>; rel="{CONTEXT_REL}"; type="application/ld+json"'
    response.headers["Link"] = f"{response.headers['Link']}, {link}" if response.headers.get("Link") else link
    return response
