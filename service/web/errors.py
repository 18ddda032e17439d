"""One error handler, one error body: plain text by default, JSON or HTML when asked for.

Every route answers errors the same way: the status of the error class, a plain-text
reason a person can read (never a stack trace, never the input echoed unescaped), and
``Retry-After`` where trying again later helps.
"""

from flask import Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import NotAcceptable, PledgegraphError
from ..pages.labels import N_
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
    described = error.description if error.description != type(error).description else None  # not Werkzeug's stock text
    response = error_response(error.code or 500, described or STOCK.get(error.code) or error.name)
    for name, value in error.get_headers():  # Allow on a 405 (RFC 9110 §15.5.6), and the like
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


# What each status means, in the page's language (the message after it says why, in English).
TITLES = {
    400: N_("This request cannot be answered as it is"),
    403: N_("This is not open to requests"),
    404: N_("There is nothing at this address"),
    405: N_("This address does not take that kind of request"),
    406: N_("This is not available in the format asked for"),
    409: N_("This request conflicts with the data as it is"),
    413: N_("The request is too large"),
    414: N_("The address is too long"),
    415: N_("This kind of request body is not read here"),
    429: N_("Too many requests at once; try again shortly"),
    500: N_("Something went wrong on our side"),
    501: N_("This is not offered here"),
    503: N_("The service cannot answer just now; try again shortly"),
}
STOCK = {404: "no page or resource at this address; the home page and /sitemap.xml list what there is",
         405: "this address does not take that HTTP method (see the Allow header)"}


def error_response(status, message):
    """The one error body shape: text/plain, unless JSON or HTML is preferred over it."""
    header = request.headers.get("Accept")
    json_q, plain_q, html_q = (quality(header, t) for t in ("application/json", "text/plain", "text/html"))
    if json_q > plain_q and json_q >= html_q:
        response = jsonify(error={"status": status, "message": message})
    elif html_q > plain_q:
        title = TITLES.get(status) or TITLES.get(status // 100 * 100) or TITLES[500]
        response = make_response(render_template("error.html", status=status, title=title, message=message))
    else:
        response = Response(f"{status} {message}\n", mimetype="text/plain")
    response.status_code = status
    return response
