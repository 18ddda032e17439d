"""Listings and search as CSV and JSON: every matching row, with the page's filters and order.

| request                                  | answer                                        |
|------------------------------------------|-----------------------------------------------|
| ``/pledges.csv?theme=migration``         | ``text/csv`` (RFC 4180, UTF-8, a header row)  |
| ``/resolutions.json``                    | ``application/json``                          |
| ``/pledges`` with ``Accept: text/csv``   | the same CSV (``Vary: Accept``)               |
| ``/search.csv?q=…``, ``/search.json?q=…`` | the ranked hits                              |

An export holds every matching row (``page`` is ignored). Values are the data's own: dates and
numbers in their lexical form (2015-12-09, 3), labels in the reader's language, and for a column
of links both the labels (``pledgers``) and the IRIs (``pledgers_iri``); several values in a
cell are joined by "; ". A filter value the data does not know is named in a ``Warning`` header
(and in JSON's ``unknown``), never answered silently with nothing.
"""

import csv
import io
import json

import pyoxigraph as ox
from flask import Response, request

FORMATS = {"csv": "text/csv", "json": "application/json"}
SEPARATOR = "; "


def wanted(ext):
    """ "csv", "json" or None (HTML) from the extension, else from Accept (HTML first among equals)."""
    if ext:
        return ext
    best = request.accept_mimetypes.best_match(["text/html", "text/csv", "application/json"], default="text/html")
    return {"text/csv": "csv", "application/json": "json"}.get(best)


def listing_records(show, result):
    """[{column key: value}] of a listing's items: the title, then every column (links as
    [{"iri", "label"}], literals as lexical forms)."""
    records = []
    for iri in result.items:
        record = {"iri": iri, "title": show.label(iri, result.labels)[0]}
        for column in result.kind.columns:
            if column.key == "title":
                continue
            terms = result.details.get(iri, {}).get(column.key, [])
            if column.link:
                links = [
                    {"iri": t.value, "label": show.label(t.value, result.labels)[0]}
                    for t in terms
                    if isinstance(t, ox.NamedNode)
                ]
                record[column.key] = sorted(links, key=lambda v: (v["label"].casefold(), v["iri"]))
            else:
                record[column.key] = sorted(t.value for t in terms if isinstance(t, ox.Literal))
        records.append(record)
    return records


def csv_body(records, columns):
    """RFC 4180 CSV: a header of ``columns`` (a link column "x" gives "x" and "x_iri")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = []
    for key, link in columns:
        header += [key, f"{key}_iri"] if link else [key]
    writer.writerow(header)
    for record in records:
        row = []
        for key, link in columns:
            value = record.get(key, "")
            if link:
                row += [SEPARATOR.join(v["label"] for v in value), SEPARATOR.join(v["iri"] for v in value)]
            else:
                row.append(SEPARATOR.join(value) if isinstance(value, list) else value)
        writer.writerow(row)
    return out.getvalue()


def respond(fmt, name, records, columns, meta, unknown, ignored=()):
    """The export as a response: a file name, Vary, and a Warning for unknown filter values and
    for the parameters left out (``ignored``: not filters of this listing)."""
    if fmt == "csv":
        body, media_type = csv_body(records, columns), "text/csv; charset=utf-8; header=present"
    else:
        body, media_type = json.dumps({**meta, "items": records}, ensure_ascii=False, indent=1), "application/json"
    response = Response(body, content_type=media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response.vary.add("Accept")
    warnings = []
    if unknown:
        warnings.append("no such value in the data: " + ", ".join(f"{param}={code}" for param, code in unknown))
    if ignored:
        warnings.append("not a filter here, left out: " + ", ".join(ignored))
    if warnings:  # at most 1,000 characters: proxies refuse large headers (nginx: 4-8 KB in all)
        said = "; ".join(warnings)
        response.headers["Warning"] = f'299 pledgegraph "{said if len(said) <= 1000 else said[:999] + "…"}"'
    return response
