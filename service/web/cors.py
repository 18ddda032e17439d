"""Cross-origin reads (CORS) on every answer of the service: pages, data, redirects and errors.

Everything the service publishes is public and read-only (a POST only carries a query), so any
origin may read any answer, and scripts may read the headers that carry meaning. One app-wide
hook rather than one per blueprint, so no route (a 303 from ``/id/``, a dump, a 404, a 406) is
left out: a browser script that follows ``/id/...`` needs the redirect itself to allow it.
"""

EXPOSED = (
    "Link",
    "ETag",
    "Content-Location",
    "Location",
    "Retry-After",
    "Warning",
    "Allow",
    "Digest",
    "X-Checksum-SHA256",
    "Memento-Datetime",
    "X-Pledgegraph-Truncated",
    "X-Pledgegraph-Row-Limit",
)
METHODS = "GET, HEAD, POST, OPTIONS"
REQUEST_HEADERS = "Accept, Accept-Language, Accept-Datetime, Content-Type, If-None-Match, If-Modified-Since"
PREFLIGHT_MAX_AGE = "86400"  # seconds a browser may cache a preflight answer


def register(app):
    app.after_request(allow_cross_origin)


def allow_cross_origin(response):
    """Any origin may read ``response``; its meaningful headers (ours included) are exposed."""
    headers = response.headers
    ours = [name for name in headers.keys() if name.lower().startswith("x-pledgegraph-")]
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Allow-Methods"] = METHODS
    headers["Access-Control-Allow-Headers"] = REQUEST_HEADERS
    headers["Access-Control-Expose-Headers"] = ", ".join(dict.fromkeys([*EXPOSED, *ours]))
    headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
