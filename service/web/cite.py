"""Citation downloads: ``/cite/<format>?iri=<IRI>`` in BibTeX, RIS or CSL-JSON (pages/citation).

| request                                          | answer                                      |
|--------------------------------------------------|---------------------------------------------|
| ``/cite/bibtex?iri=https://w3id.org/rcrc/id/…``  | ``application/x-bibtex``, as a .bib file    |
| ``/cite/ris?iri=…``                              | ``application/x-research-info-systems``     |
| ``/cite/csl-json?iri=…``                         | ``application/vnd.citationstyles.csl+json`` |

The IRI must be one of the dataset's records, one of its named graphs or the dataset itself; the
title is its label in the reader's language. An unknown format or IRI is a 404, a missing ``iri`` a 400.
"""

from flask import Blueprint, Response

from ..dataset.void import dataset_iri
from ..errors import InputError, NotFound
from ..namespaces import BASE
from ..pages.citation import FORMATS
from ..pages.listing import labels_of
from .common import presenter, single, store
from .resource_html import citation, current_release

bp = Blueprint("cite", __name__)


@bp.get("/cite/<fmt>")
def download(fmt):
    """One citation of ``?iri=`` as a file."""
    if fmt not in FORMATS:
        raise NotFound(f"no citation format {fmt!r}; there are: {', '.join(FORMATS)}")
    iri = single("iri")
    if not iri:
        raise InputError("iri is required: the IRI of the record to cite")
    show = presenter()
    title, lang = _title(show, iri)
    cite = citation(show, iri, title, lang, current_release())["citation"]
    writer, media_type, extension, _ = FORMATS[fmt]
    response = Response(writer(cite), content_type=f"{media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{cite.key}.{extension}"'
    response.headers["Cache-Control"] = "no-cache"  # the access date changes every day
    response.vary.add("Accept-Language")
    return response


def _title(show, iri):
    if iri == dataset_iri(BASE).value:
        return "pledgegraph", "en"
    if not iri.startswith(BASE):
        raise NotFound("only the records of this dataset can be cited here")
    if iri.startswith(BASE + "graph/"):  # a named graph: its page is the graph document
        if iri not in {g.value for g in store().named_graphs()}:
            raise NotFound(f"no published graph is called <{iri}>")
        return f"graph {iri[len(BASE) + len('graph/') :]}", "en"  # as the graph's page names it
    try:
        labels = labels_of(store(), [iri])
    except ValueError:
        raise NotFound(f"nothing is known about <{iri}>") from None
    if iri not in labels and iri not in show.vocabulary:
        raise NotFound(f"nothing is known about <{iri}>")
    return show.label(iri, labels)
