"""The W3C Entity Reconciliation API (the protocol OpenRefine speaks), over service.reconcile.

GET|POST /reconcile                   manifest; with queries=... a batch; with extend=... data extension
GET      /reconcile/preview?id=       an HTML card for one candidate
GET      /reconcile/suggest/entity    autocompletion: entities, types and properties
GET      /reconcile/suggest/type
GET      /reconcile/suggest/property
GET      /reconcile/flyout/entity?id=
GET      /reconcile/properties?type=  properties to propose for data extension
GET      /reconcile/try               a page to try it by hand
"""

import json

from flask import Blueprint, current_app, jsonify, render_template, request

from ..config import languages
from ..errors import InputError, NotFound, PayloadTooLarge
from ..namespaces import ID, RCRC
from ..reconcile import extend as extension
from ..reconcile.index import TYPES
from ..reconcile.matcher import MAX_LIMIT, MAX_QUERY_CHARS, Query, Reconciler, check_types
from .common import single, store, vary_on_accept

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")
MAX_BATCH = 100
MAX_CURSOR = 10_000


def reconciler():
    """The app's Reconciler; its index follows the store's published release."""
    extensions = current_app.extensions
    if "pledgegraph.reconciler" not in extensions:
        extensions["pledgegraph.reconciler"] = Reconciler(store(), languages(current_app.config))
    return extensions["pledgegraph.reconciler"]


bp.after_request(vary_on_accept)


@bp.route("", methods=["GET", "POST"])
def service():
    if request.content_length and request.content_length > current_app.config["MAX_QUERY_BYTES"]:
        raise PayloadTooLarge("reconciliation request too large")
    queries, extend = _payload("queries"), _payload("extend")
    if queries is not None:
        return jsonify(_batch(queries))
    if extend is not None:
        return jsonify(extension.extend(store(), reconciler(), extend))
    return jsonify(manifest(request.url_root.rstrip("/") + bp.url_prefix))


def manifest(root):
    """The service manifest (Reconciliation API 0.2)."""
    return {
        "versions": ["0.1", "0.2"],
        "name": "pledgegraph: International Conference of the Red Cross and Red Crescent",
        "identifierSpace": str(ID),
        "schemaSpace": str(RCRC._NS),
        "defaultTypes": [{"id": t.id, "name": t.name} for t in TYPES],
        "documentation": root + "/try",
        "view": {"url": "{{id}}"},
        "preview": {"url": root + "/preview?id={{id}}", "width": 400, "height": 160},
        "suggest": {
            kind: {
                "service_url": root,
                "service_path": f"/suggest/{kind}",
                **({"flyout_service_path": "/flyout/entity?id=${id}"} if kind == "entity" else {}),
            }
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/properties"},
            "property_settings": [],
        },
        "batchSize": MAX_BATCH,
    }


def _payload(name):
    """A JSON parameter from the form, the query string or a JSON body; None when absent."""
    values = request.values.getlist(name)
    if len(values) > 1:
        raise InputError(f"{name} takes one value; the request gives it {len(values)} times")
    raw = values[0] if values else None
    if raw is None and request.is_json and request.content_length:
        try:
            body = json.loads(request.get_data(cache=True).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InputError("the request body is not valid JSON in UTF-8") from None
        return body.get(name) if isinstance(body, dict) else None
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise InputError(f"{name} is not valid JSON") from None


def _batch(queries):
    if not isinstance(queries, dict) or len(queries) > MAX_BATCH:
        raise InputError(f"queries must be a JSON object of at most {MAX_BATCH} queries")
    parsed = {key: parse_query(raw) for key, raw in queries.items()}
    rec = reconciler()
    scorer = extension.property_scorer(store())
    return {key: {"result": rec.reconcile(q, scorer) if q.text else []} for key, q in parsed.items()}


def parse_query(raw):
    """One query object (or a bare string) as a Query; anything malformed is a 400."""
    if isinstance(raw, str):
        raw = {"query": raw}
    if not isinstance(raw, dict):
        raise InputError("each query must be a JSON object with a 'query' string")
    text = raw.get("query", "")
    if not isinstance(text, str) or len(text) > MAX_QUERY_CHARS:
        raise InputError(f"query must be a string of at most {MAX_QUERY_CHARS} characters")
    limit = raw.get("limit", 5)
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise InputError("limit must be an integer")
    types = check_types(raw["type"]) if raw.get("type") else ()
    constraints = extension.parse_constraints(raw.get("properties"))
    if limit < 0:
        raise InputError("limit must be 0 or more")
    return Query(text.strip(), types, min(limit, MAX_LIMIT), constraints)


def _arg(name, default=""):
    value = single(name, default)
    if len(value) > MAX_QUERY_CHARS:
        raise InputError(f"{name} must be at most {MAX_QUERY_CHARS} characters")
    return value


def _limit():
    try:
        return max(1, min(int(single("limit", "10")), MAX_LIMIT))
    except ValueError:
        raise InputError("limit must be an integer") from None


def _cursor():
    """Suggest services page with ``cursor``: how many suggestions to skip (Reconciliation API)."""
    raw = single("cursor", "0")
    if not raw.isdigit() or int(raw) > MAX_CURSOR:
        raise InputError(f"cursor must be a whole number from 0 to {MAX_CURSOR}")
    return int(raw)


def _page(found):
    start, limit = _cursor(), _limit()
    return found[start : start + limit]


@bp.get("/suggest/entity")
def suggest_entity():
    types = check_types(_arg("type")) if _arg("type") else ()
    prefix, cursor, limit = _arg("prefix"), _cursor(), _limit()
    found = reconciler().suggest_entities(prefix, types, limit, cursor) if prefix.strip() else []
    return jsonify(result=found)


@bp.get("/suggest/type")
def suggest_type():
    return jsonify(result=_page(extension.type_suggestions(_arg("prefix"))))


@bp.get("/suggest/property")
def suggest_property():
    type_iri = check_types(_arg("type") or "Organisation")[0] if _arg("type") else None
    key = _arg("prefix").lower()
    types = [type_iri] if type_iri else [t.id for t in TYPES if not t.parent]
    seen, found = set(), []
    for t in types:
        for prop in extension.propose(store(), t):
            if prop["id"] not in seen and (key in prop["name"].lower() or key in prop["id"].lower()):
                seen.add(prop["id"])
                found.append(prop)
    return jsonify(result=_page(found))


@bp.get("/properties")
def propose_properties():
    type_iri = check_types(_arg("type") or "Organisation")[0]
    limit = _limit()
    return jsonify(type=type_iri, limit=limit, properties=extension.propose(store(), type_iri, limit))


@bp.get("/preview")
def preview():
    return render_template("reconcile_preview.html", **_card(_arg("id")))


@bp.get("/flyout/entity")
def flyout():
    iri = _arg("id")
    return jsonify(id=iri, html=render_template("reconcile_preview.html", **_card(iri), fragment=True))


def _card(iri):
    found = extension.preview(store(), reconciler(), iri) if iri else None
    if found is None:
        raise NotFound("no such entity in the reconciliation index")
    entity, properties = found
    rec = reconciler()
    return {"entity": entity, "name": entity.name(rec.languages), "properties": properties[:12]}


@bp.get("/try")
def try_page():
    text, type_name = _arg("query").strip(), _arg("type")
    results = []
    if text:
        query = Query(text, check_types(type_name) if type_name else (), 10)
        results = reconciler().reconcile(query)
    root = request.url_root.rstrip("/") + bp.url_prefix
    return render_template("reconcile.html", query=text, type=type_name, types=TYPES, results=results, endpoint=root)
