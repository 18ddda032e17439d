"""Tabular importer: the hand-edited tables of data/ (TSV or CSV) become rdflib graphs.

One table per entity kind, chosen by the file stem (``pledges.tsv`` or ``pledges.csv``):
sources, conferences, resolutions, national-societies, organisations, pledges, and the IRIs that
were retired (``retired-iris``). Rows are read and checked by ``table_rows`` and ``table_cells``;
this module turns them into triples following the model (data/README.md says what each column
means). Pledges, the largest table, are in ``table_pledges``; retired IRIs in ``table_retired``.
"""

import re
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .. import iris
from ..errors import InputError
from ..namespaces import RCRC, bind_prefixes
from ..text import ordinal
from .table_cells import (
    Context,
    add_note,
    add_sources,
    add_value,
    add_wikidata,
    concept,
    labelled,
    not_recorded,
    once,
    organisation_iri,
    tagged_texts,
)
from .table_pledges import pledges
from .table_retired import retired_iris
from .table_rows import COLUMNS, ISO2, ISO3, SUFFIXES, URL, raise_errors, read_rows


def is_table(path):
    """True for a file this importer reads: a known table stem with a .tsv or .csv suffix."""
    path = Path(path)
    return path.suffix.lower() in SUFFIXES and path.stem in COLUMNS


def read_table(path, data_dir=None, schemes=None):
    """Read one table into a new rdflib Graph; ``data_dir`` holds the tables it refers to."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path.name}: a table must be a .tsv or .csv file")
    if path.stem not in COLUMNS:
        raise InputError(f"{path.name}: unknown table {path.stem!r}; known tables: {', '.join(COLUMNS)}")
    context = Context(Path(data_dir) if data_dir else path.parent, schemes)
    graph = bind_prefixes(Graph())
    rows = read_rows(path)
    BUILDERS[path.stem](rows, graph, context)
    raise_errors(rows)  # every bad row at once
    return graph


def sources(rows, graph, context):
    """Each source address: dcterms:identifier (its key) and rdfs:label (what it is)."""
    seen = {}
    for row in rows:
        with row.checked():
            key = row.required("key")
            if not re.fullmatch(r"[A-Z][0-9]+", key):
                row.fail(f"a source key is a letter and a number, like S19 or R1, not {key!r}")
            description = row.required("description")
            if row["url"]:
                if not URL.match(row["url"]):
                    row.fail(f"url must be a full http(s) address, not {row['url']!r}")
                url = once(row, seen, URIRef(row["url"]))
                graph.add((url, DCTERMS.identifier, Literal(key)))
                graph.add((url, RDFS.label, Literal(description, lang="en")))
            else:  # no full address: the key and its description still let notes name the source
                source = BNode()
                graph.add((source, DCTERMS.identifier, Literal(key)))
                graph.add((source, RDFS.label, Literal(description, lang="en")))


def conferences(rows, graph, context):
    seen = {}
    for row in rows:
        with row.checked():
            number = row.integer("ordinal")
            subject = once(row, seen, iris.conference(number))
            labelled(graph, subject, RCRC.Conference, row.required("label"))
            graph.add((subject, RCRC.ordinal, Literal(number)))
            graph.add((subject, RCRC.year, _year(row)))
            add_value(row, graph, subject, "city", RCRC.city, Literal)
            add_value(row, graph, subject, "venue", RCRC.venue, Literal)
            add_value(row, graph, subject, "slogan", RCRC.slogan, lambda text: Literal(text, lang="en"))
            _dates(row, graph, subject)
            add_sources(row, graph, subject, context)
            add_note(row, graph, subject)


def _year(row):
    if not re.fullmatch(r"[12][0-9]{3}", row["year"]):
        row.fail(f"year must have four digits, not {row['year']!r}")
    return Literal(row["year"], datatype=XSD.gYear)


def _dates(row, graph, subject):
    for column, prop in (("start_date", RCRC.startDate), ("end_date", RCRC.endDate)):
        if row.unknown(column):
            not_recorded(graph, subject, prop)
        elif row[column]:
            graph.add((subject, prop, _in_year(row, column)))
    dates = [row[c] for c in ("start_date", "end_date") if row[c] and not row.unknown(c)]
    if dates != sorted(dates):
        row.fail(f"the end date {row['end_date']} is before the start date {row['start_date']}")


def _in_year(row, column):
    value = row.date(column)
    if not str(value).startswith(row["year"]):
        row.fail(f"{column} {value} is not in the year {row['year']}")
    return value


RESOLUTION_NOTES = {
    "candidate": 'Candidate title, not verified: "{}".',
    "topic": 'The topic of the resolution, not the verified wording of its title: "{}".',
    "unknown": 'Title unknown; candidate topics: "{}".',
}


def resolutions(rows, graph, context):
    seen = {}
    for row in rows:
        with row.checked():
            conference, number = row.integer("conference"), row.integer("number")
            if context.conferences and str(conference) not in context.conferences:
                row.fail(f"conference {conference} is not in conferences.tsv")
            subject = once(row, seen, iris.resolution(conference, number))
            graph.add((subject, RDF.type, RCRC.Resolution))
            graph.add((subject, RCRC.conference, iris.conference(conference)))
            graph.add((subject, RCRC.resolutionNumber, Literal(number)))
            _resolution_title(row, graph, subject, conference, number)
            for label in tagged_texts(row, "alt_labels"):
                graph.add((subject, SKOS.altLabel, label))
            if row["notation"]:
                if not re.fullmatch(rf"{conference}IC/\d\d/R{number}", row["notation"]):
                    row.fail(f"notation {row['notation']!r} does not follow the pattern {conference}IC/yy/R{number}")
                graph.add((subject, SKOS.notation, Literal(row["notation"])))
            add_sources(row, graph, subject, context)
            add_note(row, graph, subject)


def _resolution_title(row, graph, subject, conference, number):
    """Only a confirmed title is a dcterms:title; anything less is an editorial note."""
    status = row.choice("title_status", ("confirmed", *RESOLUTION_NOTES, "not-recorded"))
    if status == "confirmed":
        for title in [Literal(row.required("title"), lang="en"), *tagged_texts(row, "title_translations")]:
            graph.add((subject, DCTERMS.title, title))
            graph.add((subject, RDFS.label, title))
        return
    if row["title_translations"]:
        row.fail("title_translations are for confirmed titles only; put other names in alt_labels")
    label = f"Resolution {number} of the {ordinal(conference)} International Conference"
    graph.add((subject, RDFS.label, Literal(label, lang="en")))
    not_recorded(graph, subject, DCTERMS.title)
    if status == "not-recorded":
        if row["title"]:
            row.fail("title_status is not-recorded, so the title must be empty")
        return
    note = RESOLUTION_NOTES[status].format(row.required("title"))
    graph.add((subject, SKOS.editorialNote, Literal(note, lang="en")))


def national_societies(rows, graph, context):
    """Each National Society and its country (id/country/XX)."""
    seen = {}
    for row in rows:
        with row.checked():
            country = once(row, seen, _country_of(row, graph))
            subject = iris.national_society(row["iso2"])
            labelled(graph, subject, RCRC.NationalSociety, row.required("name_en"))
            graph.add((subject, RDFS.label, Literal(row.required("name_fr"), lang="fr")))
            graph.add((subject, RCRC.country, country))
            if not row.unknown("fdrs_code"):
                graph.add((subject, RCRC.fdrsCode, _fdrs(row, row.required("fdrs_code"))))
            else:
                not_recorded(graph, subject, RCRC.fdrsCode)
            graph.add((subject, RCRC.region, concept(row, context, "region", row.required("region"))))
            add_wikidata(row, graph, subject)
            add_sources(row, graph, subject, context)
            add_note(row, graph, subject)


def _country_of(row, graph):
    iso2, iso3 = _code(row, "iso2", ISO2), _code(row, "iso3", ISO3)
    country = iris.country(iso2)
    labelled(graph, country, RCRC.Country, row.required("country"))
    graph.add((country, RCRC.isoAlpha2, Literal(iso2)))
    graph.add((country, RCRC.isoAlpha3, Literal(iso3)))
    return country


def _fdrs(row, code):
    if not re.fullmatch(r"D[A-Z]{2}[0-9]{3}", code):
        row.fail(f"fdrs_code must look like DKE001, not {code!r}")
    return Literal(code)


def _code(row, column, pattern):
    if not pattern.match(row[column]):
        row.fail(
            f"{column} must be an upper-case ISO 3166 code like {'KE' if pattern is ISO2 else 'KEN'}, "
            f"not {row[column]!r}"
        )
    return row[column]


ORGANISATION_CLASSES = {
    "MovementComponent": RCRC.MovementComponent,
    "Government": RCRC.Government,
    "Observer": RCRC.Observer,
    "Organisation": RCRC.Organisation,
}
ORGANISATION_KEY = re.compile(r"^(gov:[A-Z]{2}|[a-z0-9]+(-[a-z0-9]+)*)$")


def organisations(rows, graph, context):
    """Movement components, governments (key gov:XX) and other organisations."""
    seen = {}
    for row in rows:
        with row.checked():
            key = row.required("key")
            if not ORGANISATION_KEY.match(key):
                row.fail("key must be a lower-case slug like 'icrc' or gov: and an ISO code like 'gov:AU', "
                         f"not {key!r}")
            kind = row.choice("class", tuple(ORGANISATION_CLASSES))
            if (kind == "Government") != key.startswith("gov:"):
                row.fail("governments, and only governments, have keys of the form gov:XX")
            subject = once(row, seen, organisation_iri(key))
            labelled(graph, subject, ORGANISATION_CLASSES[kind], row.required("label_en"))
            add_value(row, graph, subject, "label_fr", RDFS.label, lambda text: Literal(text, lang="fr"))
            if kind == "Government":
                graph.add((subject, RCRC.country, _country(row, key[4:], context)))
            for label in tagged_texts(row, "alt_labels"):
                graph.add((subject, SKOS.altLabel, label))
            add_wikidata(row, graph, subject)
            add_sources(row, graph, subject, context)
            add_note(row, graph, subject)


def _country(row, code, context):
    if not ISO2.match(code) or code not in context.countries:
        row.fail(f"unknown country {code!r} (not an ISO2 code in national-societies.tsv)")
    return iris.country(code)


BUILDERS = {
    "sources": sources,
    "conferences": conferences,
    "resolutions": resolutions,
    "national-societies": national_societies,
    "organisations": organisations,
    "pledges": pledges,
    "retired-iris": retired_iris,
}
