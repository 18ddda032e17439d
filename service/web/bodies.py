"""Every request body is read whole and counted before a view runs; past MAX_QUERY_BYTES, 413.

Counting the bytes as they are read (not trusting ``Content-Length``) is what makes the cap
hold for chunked bodies too: werkzeug's own limit stops reading *at* the cap, so a body one
byte too long would be cut and run. Here the view sees the whole body or never runs. The
server (``service.serving``) refuses such bodies before they reach Python; this check makes
the app safe under any WSGI server and in tests.
"""

import io

from flask import current_app, request

from ..errors import PayloadTooLarge

CHUNK = 65536


def register(app):
    app.before_request(read_whole_body)


def read_whole_body():
    """Replace the request's input with its whole body, read and counted up to the cap."""
    environ = request.environ
    cap = int(current_app.config["MAX_QUERY_BYTES"])
    declared = request.content_length
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if declared is None and not chunked:
        return None  # no body (WSGI: without a length, only a terminated stream has one)
    if declared is not None and declared > cap:
        raise PayloadTooLarge(_too_large(cap))
    body = _read(environ["wsgi.input"], cap + 1 if declared is None else declared)
    if len(body) > cap:
        raise PayloadTooLarge(_too_large(cap))
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    return None


def _read(stream, limit):
    """At most ``limit`` bytes, to the end of the stream."""
    parts, total = [], 0
    while total < limit:
        chunk = stream.read(min(CHUNK, limit - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _too_large(cap):
    return f"request body larger than {cap} bytes (MAX_QUERY_BYTES); send a smaller one"
