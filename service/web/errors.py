"""One error handler, one error body: plain text by default, JSON or HTML when asked for.

Every route answers errors the same way: the status of the error class, a plain-text
reason a person can read (never a stack trace, never the input echoed unescaped), and
``Retry-After`` where trying again later helps.
"""

from flask import Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import NotAcceptable, PledgegraphError
from .conneg import quality


def register(app):
    app.register_error_handler(PledgegraphError, handle_ours)
    app.register_error_handler(HTTPException, handle_http)


def handle_ours(error):
    response = error_response(error.status, error.message)
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, NotAcceptable) and error.offered:
        response.headers["Link"] = ", ".join(
            f'<{request.path}>; rel="alternate"; type="{media_type}"' for media_type in error.offered
        )
    return response


def handle_http(error):
    response = error_response(error.code or 500, error.description or error.name)
    for name, value in error.get_headers():  # Allow on a 405 (RFC 9110 §15.5.6), and the like
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def error_response(status, message):
    """The one error body shape: text/plain, unless JSON or HTML is preferred over it."""
    header = request.headers.get("Accept")
    json_q, plain_q, html_q = (quality(header, t) for t in ("application/json", "text/plain", "text/html"))
    if json_q > plain_q and json_q >= html_q:
        response = jsonify(error={"status": status, "message": message})
    elif html_q > plain_q:
        response = make_response(render_template("error.html", status=status, message=message))
    else:
        response = Response(f"{status} {message}\n", mimetype="text/plain")
    response.status_code = status
    return response
