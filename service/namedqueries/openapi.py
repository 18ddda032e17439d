"""The OpenAPI 3 description of the API, generated from the named queries' own metadata.

Each named query is one path (``/api/queries/<name>``) whose parameters, types, defaults and
examples come from its ``#+`` header; the reconciliation endpoints are described beside them.
"""

from .api import DEFAULT_PER_PAGE, GRAPH_FORMATS, PLAIN_JSON, TABLE_FORMATS, is_graph

PARAM_SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^-?[0-9]{4,}$"},
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
        }
    },
}
VALUE = {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
TABLE = {
    "type": "object",
    "required": ["query", "title", "parameters", "columns", "rows", "page", "per_page"],
    "properties": {
        "query": {"type": "string"},
        "title": {"type": "string"},
        "parameters": {"type": "object"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "object", "additionalProperties": VALUE}},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "next": {"type": "string"},
        "prev": {"type": "string"},
    },
}
BOOLEAN = {
    "type": "object",
    "required": ["query", "boolean"],
    "properties": {"query": {"type": "string"}, "boolean": {"type": "boolean"}},
}
LISTING = {"type": "array", "items": {"type": "object", "required": ["name", "title", "params"]}}


def _error_responses(*statuses):
    reasons = {
        400: "a parameter is missing, unknown, given twice or of the wrong type (the message names it)",
        404: "no such resource",
        406: "none of the accepted media types is offered (the Link header lists those that are)",
        413: "the request is too large",
        503: "busy, timed out or the store is unavailable; retry after Retry-After seconds",
    }
    content = {"application/json": {"schema": ERROR}, "text/plain": {"schema": {"type": "string"}}}
    return {str(s): {"description": reasons[s], "content": content} for s in statuses}


def query_parameter(param):
    """One named-query parameter as an OpenAPI parameter object."""
    schema = dict(PARAM_SCHEMAS[param.type])
    if param.default is not None:
        schema["default"] = _typed(param.type, param.default)
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": schema,
        "example": _typed(param.type, param.example),
    }


def _typed(kind, value):
    if kind == "integer":
        return int(value)
    if kind == "decimal":
        return float(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return str(value)


def paging_parameters(query):
    formats = [f.extension for f in (GRAPH_FORMATS if is_graph(query) else TABLE_FORMATS)]
    return [
        {
            "name": "page",
            "in": "query",
            "description": "page number, from 1",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "description": "rows (or triples) per page; page × per_page may not pass the row cap",
            "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE},
        },
        {
            "name": "format",
            "in": "query",
            "description": "answer format (instead of Accept)",
            "schema": {"type": "string", "enum": formats},
        },
        {
            "name": "release",
            "in": "query",
            "description": "a kept release to ask (its id, a tag, or current; /releases/ lists them); default current",
            "schema": {"type": "string"},
        },
    ]


def query_operation(query):
    """The GET operation of one named query."""
    if is_graph(query):
        content = {f.media_type: {"schema": {"type": "string"}} for f in GRAPH_FORMATS}
    else:
        plain = BOOLEAN if query.form == "ASK" else TABLE
        content = {PLAIN_JSON.media_type: {"schema": plain}}
        content.update({f.media_type: {"schema": {"type": "string"}} for f in TABLE_FORMATS if f is not PLAIN_JSON})
    return {
        "get": {
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.title,
            "description": query.description,
            "tags": ["named queries"],
            "parameters": [query_parameter(p) for p in query.params] + paging_parameters(query),
            "responses": {
                "200": {"description": f"one page of the answer ({query.form})", "content": content},
                **_error_responses(400, 404, 406, 503),
            },
        }
    }


def reconcile_paths():
    """The reconciliation endpoints, briefly (the W3C Reconciliation API describes them fully)."""
    json_object = {"application/json": {"schema": {"type": "object"}}}
    text = {"type": "string", "maxLength": 500}
    suggest = [
        {"name": "prefix", "in": "query", "required": True, "schema": text},
        {"name": "type", "in": "query", "schema": text},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
    ]
    return {
        "/reconcile": {
            "get": {
                "operationId": "reconcile_manifest",
                "summary": "Reconciliation service manifest (W3C Reconciliation API)",
                "tags": ["reconciliation"],
                "responses": {"200": {"description": "the manifest", "content": json_object}},
            },
            "post": {
                "operationId": "reconcile_queries",
                "summary": "Reconcile a batch of names (queries) or extend data (extend)",
                "tags": ["reconciliation"],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"queries": {"type": "string"}, "extend": {"type": "string"}},
                            }
                        }
                    }
                },
                "responses": {
                    "200": {"description": "candidates per query", "content": json_object},
                    **_error_responses(400, 413),
                },
            },
        },
        "/reconcile/suggest/entity": {
            "get": {
                "operationId": "reconcile_suggest_entity",
                "summary": "Entities whose names start with a prefix",
                "tags": ["reconciliation"],
                "parameters": suggest,
                "responses": {"200": {"description": "suggestions", "content": json_object}, **_error_responses(400)},
            }
        },
    }


def openapi(queries, server_url="/", version="0.1.0"):
    """The OpenAPI 3.0 document for ``queries`` served at ``server_url``."""
    paths = {
        "/api/queries": {
            "get": {
                "operationId": "list_queries",
                "summary": "Every named query with its parameters",
                "tags": ["named queries"],
                "responses": {
                    "200": {"description": "the named queries", "content": {"application/json": {"schema": LISTING}}}
                },
            }
        }
    }
    for name in sorted(queries):
        paths[f"/api/queries/{name}"] = query_operation(queries[name])
    paths.update(reconcile_paths())
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "pledgegraph API",
            "version": version,
            "description": (
                "Named queries over the knowledge graph of the International Conference of the Red Cross "
                "and Red Crescent, as JSON, CSV and RDF; and a reconciliation service. Parameters are typed "
                "and bound to the query, never spliced into it. Every error has the same body."
            ),
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "named queries"}, {"name": "reconciliation"}],
        "paths": paths,
    }
