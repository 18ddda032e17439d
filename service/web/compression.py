"""Compressed answers (Flask-Compress): zstd, br or gzip, as the client's Accept-Encoding prefers.

Every textual answer (pages, RDF, SPARQL results, JSON, CSV) of more than 500 bytes is compressed,
streamed answers chunk by chunk; every answer carries ``Vary: Accept-Encoding``. A strong ETag
gets the coding appended (``"abc:gzip"``), as the representations differ. Dumps are left alone:
they are served with byte ranges (a compressed 206 would be wrong) and come gzipped already.
"""

from flask import request
from flask_compress import Compress

from ..formats import RDF_FORMATS, RESULT_FORMATS

UNCOMPRESSED_ENDPOINTS = {"dataset.dump"}
TEXT_TYPES = [
    "text/html", "text/css", "text/plain", "text/xml", "text/javascript", "application/javascript",
    "application/json", "application/xml", "application/xhtml+xml", "image/svg+xml",
    *(f.media_type for f in (*RDF_FORMATS, *RESULT_FORMATS)),
]

_compress = Compress()


def register(app):
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config["COMPRESS_REGISTER"] = False  # registered below, so the dumps can be left out
    _compress.init_app(app)
    app.after_request(_compressed)


def _compressed(response):
    if request.endpoint in UNCOMPRESSED_ENDPOINTS or response.status_code == 206:
        response.vary.add("Accept-Encoding")
        return response
    return _compress.after_request(response)
