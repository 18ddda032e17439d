"""Text in requests is UTF-8, or decoded in the charset a form declares, or refused: never replaced.

werkzeug decodes what it cannot read as UTF-8 by keeping the bytes percent-encoded (query
strings, form bodies) or by replacing them with U+FFFD (paths, multipart fields), so a search
for ``caf%E9`` (Latin-1 é) would quietly look for something else and match nothing. Here:

* query strings (every route) must be UTF-8 once percent-decoded, else 400 naming the parameter;
* ``application/x-www-form-urlencoded`` bodies are decoded in their declared ``charset``
  (Java clients send ISO-8859-1), UTF-8 when none; undecodable text is a 400, an unknown
  charset a 415;
* multipart fields that could not be read (U+FFFD where werkzeug replaced bytes) are a 400;
* paths must be UTF-8, except where a path names an IRI as sent (``service.web.pages`` looks
  it up percent-encoded first, and refuses it only if it is neither stored nor UTF-8).
"""

import codecs
import string
from urllib.parse import quote, unquote_to_bytes

from flask import Request, request
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.formparser import FormDataParser

from ..errors import InputError

URL_SAFE = "".join(c for c in string.printable if not c.isspace())  # printable ASCII stays as sent
RAW_PATH_BLUEPRINTS = {"pages"}  # paths there are IRIs, looked up as sent before being decoded


def register(app):
    app.request_class = StrictRequest
    app.before_request(check_path)


def decode_pairs(raw, charset="utf-8", where="the query string"):
    """[(name, value)] of an urlencoded byte string, percent-decoded in ``charset``, strictly.

    Raises InputError naming the parameter whose bytes are not text in ``charset``.
    """
    pairs = []
    for field in raw.split(b"&"):
        if not field:
            continue
        name, _, value = field.partition(b"=")
        name, value = (unquote_to_bytes(part.replace(b"+", b" ")) for part in (name, value))
        try:
            pairs.append((name.decode(charset), value.decode(charset)))
        except UnicodeDecodeError as error:
            label = name.decode(charset, "backslashreplace")[:40]
            raise InputError(
                f"{where}: parameter {label!r} is not valid {charset.upper()} "
                f"(byte 0x{error.object[error.start]:02X}); percent-encode text as {charset.upper()}"
            ) from None
    return pairs


class StrictFormParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        charset = options.get("charset", "utf-8").strip().lower() or "utf-8"
        try:
            charset = codecs.lookup(charset).name
        except LookupError:
            raise UnsupportedMediaType(f"unknown form charset {charset[:40]!r}; send forms as UTF-8") from None
        return stream, self.cls(decode_pairs(stream.read(), charset, "the form")), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        stream, form, files = super()._parse_multipart(stream, mimetype, content_length, options)
        unreadable = [name for name, value in form.items(multi=True) if "\ufffd" in value]
        if unreadable:
            raise InputError(f"the form field {unreadable[0][:40]!r} is not valid UTF-8")
        return stream, form, files


class StrictRequest(Request):
    """Flask's request with strict query strings and forms (see the module docstring)."""

    form_data_parser_class = StrictFormParser

    @property
    def args(self):
        if "_strict_args" not in self.__dict__:
            self.__dict__["_strict_args"] = self.parameter_storage_class(decode_pairs(self.query_string))
        return self.__dict__["_strict_args"]


def raw_path():
    """The request path as the client sent it, percent-encoding kept (raw non-ASCII bytes encoded).

    gunicorn and werkzeug's servers keep it in RAW_URI / REQUEST_URI; PATH_INFO is already
    percent-decoded (and, under werkzeug's test client, decoded with replacement characters).
    Falls back to PATH_INFO, encoded again, when the server keeps no raw form.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        return quote(raw.split("?", 1)[0].encode("latin-1", "replace"), safe=URL_SAFE)
    return quote(request.environ.get("PATH_INFO", "").encode("latin-1", "replace"), safe="/!$&'()*+,;=:@~")


def path_bytes():
    """The request path as the bytes the client sent, percent-decoded."""
    return unquote_to_bytes(raw_path())


def check_path():
    """Refuse a path that is not UTF-8, except on the routes that look up IRIs as sent."""
    if request.blueprint not in RAW_PATH_BLUEPRINTS:
        path_text()


def path_text():
    """The request path percent-decoded as UTF-8; InputError (400) naming the first bad byte."""
    try:
        return path_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"the path is not valid UTF-8 (byte 0x{error.object[error.start]:02X})") from None
