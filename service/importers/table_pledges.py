"""The pledges table: pledges, model pledges and pledge reports (one row each).

Every page field (number, pledgers, country, themes, pledger category, pledge type) is either a
value, or ``?`` when the page did not show it (rcrc:notRecorded). A conference of ``?`` is not
asserted and puts the pledge under id/pledge/unknown/<key>; ``conference_basis`` says how the
conference was established (or why not) and ``confidence`` how much of the source was read.
Values the curators derived rather than read are listed in the ``derived`` column and said so in
an editorial note.
"""

import re

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .. import iris
from ..namespaces import RCRC
from .names import did_you_mean
from .table_cells import add_note, add_sources, add_urls, add_value, concept, not_recorded, once
from .table_rows import URL

KINDS = {"pledge": RCRC.Pledge, "report": RCRC.PledgeReport}
CONFIDENCE = ("confirmed", "partial")
PLEDGE_ONLY = ("number", "signatories", "pledger_shown", "country", "themes", "category", "type")
DERIVABLE = {
    "conference": "conference",
    "pledgers": "pledgers",
    "country": "country",
    "category": "pledger category",
    "type": "pledge type",
    "issued": "publication date",
}
SLUG_NOTE = (
    "The title was reconstructed from the address (URL slug) of the page; capitalisation, "
    "accents and punctuation may differ from the page."
)
UNTITLED_NOTE = "The source shows no title; the label was written by the curators."


def pledges(rows, graph, context):
    """Each row is a rcrc:Pledge or rcrc:PledgeReport; reports may point at pledges of the table."""
    seen, keys = {}, {}
    for row in rows:
        with row.checked():
            key = row.required("key")
            if key in keys:
                row.fail(f"the key {key!r} is used twice")
            keys[key] = (once(row, seen, pledge_iri(row)), row["kind"])
    for row in (row for row in rows if row["key"] in keys):  # a row refused above is reported once
        with row.checked():
            _pledge(row, graph, context, keys)


def pledge_iri(row):
    """id/pledge/<number>, else id/pledge/<conference>/<key>, else id/pledge/unknown/<key>."""
    key = row["key"]
    if iris.slugify(key) != key:
        row.fail(f"the key must be a slug (lower-case letters, digits and hyphens), like {iris.slugify(key)!r}")
    if row["number"] and not row.unknown("number"):
        if not iris.PLEDGE_NUMBER.match(row["number"]):
            row.fail(f"number {row['number']!r} is not a pledge number like SP320067, OP320050, MP028 or P1200")
        return iris.pledge(row["number"])
    conference = None if row.unknown("conference") else row.integer("conference")
    return iris.pledge(conference_ordinal=conference, slug=key)


def _pledge(row, graph, context, keys):
    subject = keys[row["key"]][0]
    kind = row.choice("kind", tuple(KINDS))
    graph.add((subject, RDF.type, KINDS[kind]))
    _conference(row, graph, subject, context)
    graph.add((subject, RCRC.conferenceBasis, Literal(row.required("conference_basis"), lang="en")))
    graph.add((subject, RCRC.confidence, Literal(row.choice("confidence", CONFIDENCE))))
    _title(row, graph, subject)
    if not row["pledgers"]:
        row.fail("pledgers must be organisation keys, or ? when the pledgers are not shown or cannot be identified")
    _organisations(row, graph, subject, "pledgers", RCRC.pledgedBy, context)
    if kind == "report":
        _report(row, graph, subject, keys)
    else:
        _fields(row, graph, subject, context)
    _citations(row, graph, subject, context)
    add_value(row, graph, subject, "issued", DCTERMS.issued, lambda _text: row.date("issued"))
    add_value(row, graph, subject, "summary", RCRC.summary, lambda text: Literal(text, lang="en"))
    _derived(row, graph, subject)
    if not URL.match(row.required("url")):
        row.fail(f"url must be a full http(s) address, not {row['url']!r}")
    graph.add((subject, DCTERMS.source, URIRef(row["url"])))
    add_urls(row, graph, subject, "other_urls")
    add_sources(row, graph, subject, context)
    add_note(row, graph, subject)


def _fields(row, graph, subject, context):
    """The fields of a pledge page's "Pledge data" block."""
    add_value(row, graph, subject, "number", RCRC.pledgeNumber, Literal)
    add_value(row, graph, subject, "pledger_shown", RCRC.pledgerNameAsShown, Literal)
    _organisations(row, graph, subject, "signatories", RCRC.signatory, context)
    _countries(row, graph, subject, context)
    _concepts(row, graph, subject, "themes", "theme", RCRC.theme, context)
    _concepts(row, graph, subject, "category", "pledger-category", RCRC.pledgerCategory, context)
    _concepts(row, graph, subject, "type", "pledge-type", RCRC.pledgeType, context)
    if len(row.list("type")) > 1:
        row.fail("a pledge has one pledge type")
    if row["reports_on"]:
        row.fail("reports_on is only for rows of kind 'report'")


def _citations(row, graph, subject, context):
    """The resolutions a pledge or report names."""
    for cited in row.list("cites"):
        if cited not in context.resolutions:
            row.fail(f"cites {cited!r}, not a resolution of resolutions.tsv (write conference/number: 31/3)")
        graph.add((subject, RCRC.citesResolution, iris.resolution(*cited.split("/"))))


def _report(row, graph, subject, keys):
    for column in PLEDGE_ONLY:
        if row[column]:
            row.fail(f"a report has no {column}; leave the column empty")
    target = row["reports_on"]
    if row.unknown("reports_on"):
        not_recorded(graph, subject, RCRC.reportsOn)
    elif target:
        if keys.get(target, (None, None))[1] != "pledge":
            row.fail(f"reports_on {target!r} is not the key of a pledge in this table")
        graph.add((subject, RCRC.reportsOn, keys[target][0]))


def _conference(row, graph, subject, context):
    if row.unknown("conference"):
        not_recorded(graph, subject, RCRC.conference)
        return
    number = row.integer("conference")
    if context.conferences and str(number) not in context.conferences:
        row.fail(f"conference {number} is not in conferences.tsv")
    graph.add((subject, RCRC.conference, iris.conference(number)))


def _title(row, graph, subject):
    status = row.choice("title_status", ("shown", "slug", "none"))
    if status == "none":
        if row["title"] or row["title_lang"]:
            row.fail("title_status is none, so title and title_lang must be empty")
        graph.add((subject, RDFS.label, Literal(row.required("label"), lang="en")))
        not_recorded(graph, subject, DCTERMS.title)
        graph.add((subject, SKOS.editorialNote, Literal(UNTITLED_NOTE, lang="en")))
        return
    if row["label"]:
        row.fail("label is only for rows without a title (title_status none)")
    lang = row.required("title_lang")
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        row.fail(f"title_lang must be a language code like en or fr, not {lang!r}")
    title = Literal(row.required("title"), lang=lang)
    graph.add((subject, DCTERMS.title, title))
    graph.add((subject, RDFS.label, title))
    if status == "slug":
        graph.add((subject, SKOS.editorialNote, Literal(SLUG_NOTE, lang="en")))


def _organisations(row, graph, subject, column, prop, context):
    if row.unknown(column):
        not_recorded(graph, subject, prop)
        return
    keys = row.list(column)
    unknown = [key for key in keys if key not in context.organisations]
    if unknown:  # every unknown key of the cell at once
        hints = "".join(did_you_mean(key, context.organisations) for key in unknown)
        named = f"key{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))}"
        row.fail(f"unknown organisation {named} in {column} (not in organisations.tsv, nor ns:XX for a "
                 f"National Society in national-societies.tsv){hints}")
    for key in keys:
        graph.add((subject, prop, context.organisations[key]))


def _countries(row, graph, subject, context):
    if row.unknown("country"):
        not_recorded(graph, subject, RCRC.country)
        return
    codes = row.list("country")
    unknown = [code for code in codes if code != "International" and code not in context.countries]
    if unknown:
        row.fail(f"unknown country {', '.join(map(repr, unknown))} (write ISO2 codes of national-societies.tsv, "
                 "'International' or '?')")
    for code in codes:
        if code == "International":
            graph.add((subject, RCRC.international, Literal(True)))
        else:
            graph.add((subject, RCRC.country, iris.country(code)))


def _concepts(row, graph, subject, column, scheme, prop, context):
    if row.unknown(column):
        not_recorded(graph, subject, prop)
        return
    for label in row.list(column):
        graph.add((subject, prop, concept(row, context, scheme, label)))


def _derived(row, graph, subject):
    fields = row.list("derived")
    for field in fields:
        if field not in DERIVABLE:
            row.fail(f"derived lists columns ({', '.join(DERIVABLE)}), not {field!r}")
        if not row[field] or row.unknown(field):
            row.fail(f"{field} is listed as derived but has no value")
    if fields:
        names = ", ".join(DERIVABLE[f] for f in fields)
        note = f"Derived by the curators, not read from a field of the source: {names}."
        graph.add((subject, SKOS.editorialNote, Literal(note, lang="en")))
