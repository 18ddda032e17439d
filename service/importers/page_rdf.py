"""One PledgePage (any layout) as RDF in the model of the ontology.

Names are matched against a context graph (``importers.names``): organisations, countries, the
National Society of a country ("NS - Bulgaria"), and the concepts of the theme and pledger
category schemes. Everything that matches nothing is reported at once, by name, with the nearest
known names ("did you mean"), in one InputError; nothing is guessed. A field the page did not
show becomes ``rcrc:notRecorded``.

IRIs: a pledge by its number (id/pledge/SP320067); without one, by the ``key`` of pages.tsv or
the slug of its address under its conference (id/pledge/33/<slug>), so every language version of
a page describes the same pledge. Reports: id/pledge/33/<slug> (as in the pledges table),
id/resolution-report/32/<slug>.
"""

import re
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .. import iris
from ..config import PROJECT_ROOT
from ..errors import InputError
from ..namespaces import RCRC, bind_prefixes
from .names import (
    Match,
    context_facts,
    country_index,
    did_you_mean,
    national_society_of,
    organisation_index,
    typed_labels,
    unmatched_error,
)
from .page_index import INDEX_NAME, PageInfo
from .page_model import same_address, slug_of_url

CLASSES = {"pledge": RCRC.Pledge, "pledge-report": RCRC.PledgeReport, "resolution-report": RCRC.ResolutionReport}
NOT_RECORDED = {"pledged_by": RCRC.pledgedBy, "number": RCRC.pledgeNumber, "country": RCRC.country,
                "themes": RCRC.theme, "institutions": RCRC.pledgerCategory, "pledge_type": RCRC.pledgeType,
                "conference": RCRC.conference, "reports_on": RCRC.reportsOn}
CONCEPTS = (("themes", "theme", RCRC.Theme, RCRC.theme),
            ("institutions", "pledger-category", RCRC.PledgerCategory, RCRC.pledgerCategory))
INTERNATIONAL = URIRef("urn:x-pledgegraph:international")  # a marker inside this module, never output
SCHEMES_FILE = PROJECT_ROOT / "ontology" / "schemes.ttl"
MAX_NAMES = 500  # every member of the Conference (about 390) and its observers fit
NUMBER_AT_END = re.compile(r"-((?:sp|op)\d{6}|p\d{4})$")


def page_graph(page, context, info=None, source="page"):
    """The RDF of one PledgePage; names are matched in ``context`` (see ``importers.names``)."""
    info = info or PageInfo(file=Path(source).name)
    facts = context_facts(context)
    reported = _reported_pledge(page, info, facts, source) if page.kind == "pledge-report" else None
    subject = _subject(page, info, source)
    graph = bind_prefixes(Graph())
    graph.add((subject, RDF.type, CLASSES[page.kind]))
    language = info.language or page.language or "en"
    _add_title(graph, subject, page, info, language)
    _add_text(graph, subject, page, language)
    _add_parties(graph, subject, page, facts, source)
    if page.kind == "pledge":
        _add_pledge_fields(graph, subject, page, language)
    elif reported:
        graph.add((subject, RCRC.reportsOn, reported))
    elif page.kind == "resolution-report":
        graph.add((subject, RCRC.reportsOnResolution, iris.resolution(*page.resolution)))
    for conference, number in page.citations:
        graph.add((subject, RCRC.citesResolution, iris.resolution(conference, number)))
    _add_markers(graph, subject, page, reported)
    _add_provenance(graph, subject, info)
    return graph


def _subject(page, info, source):
    slug = info.key or (slug_of_url(info.source_url) if info.source_url else "")
    if page.kind != "pledge":
        slug = slug or iris.slugify(page.title or "")
        if not slug:
            raise InputError(f"{source}: a report needs a title, a key or a source_url in {INDEX_NAME} for its IRI")
        return iris.report(page.kind, page.conference, slug)
    if page.number:
        return iris.pledge(page.number)
    if not slug:
        raise InputError(f"{source}: a pledge without a number needs a source_url (or a key) in {INDEX_NAME} "
                         "for its slug")
    return iris.pledge(conference_ordinal=page.conference, slug=slug)


def _reported_pledge(page, info, facts, source):
    """The pledge a report is on: by number, by address (a pledge whose dcterms:source is that
    address, in any language version; else the IRI a page at that address gets), or None."""
    target = page.reports_on
    if not target and info.source_url:
        found = NUMBER_AT_END.search(slug_of_url(info.source_url))
        target = found.group(1).upper() if found else None
    if not target:
        return None
    pledges = {s for s, o in facts[RDF.type] if o == RCRC.Pledge}
    if not target.startswith("http"):
        return _known_pledge(target, pledges, source)
    known = next((s for s, url in facts[DCTERMS.source] if s in pledges and same_address(str(url), target)), None)
    if known and not page.conference:
        page.conference = next((int(str(c).rsplit("/", 1)[-1]) for s, c in facts[RCRC.conference] if s == known), None)
    return known or iris.pledge(conference_ordinal=page.conference, slug=slug_of_url(target))


def _known_pledge(number, pledges, source):
    """The IRI of pledge ``number``; InputError with the nearest numbers when no pledge loaded so
    far (tables, earlier pages, the published release) has it."""
    pledge = iris.pledge(number)
    if pledge in pledges:
        return pledge
    numbers = sorted(str(p).rsplit("/", 1)[-1] for p in pledges)
    raise InputError(f"{source}: the report is on pledge {number}, which is not in the data"
                     f"{did_you_mean(number, numbers)}; add the pledge first (a table row or its page)")


def _add_title(graph, subject, page, info, language):
    title = info.title or page.title
    if title:
        graph.add((subject, DCTERMS.title, Literal(title, lang=language)))
        graph.add((subject, RDFS.label, Literal(title, lang=language)))
    else:  # a label that states only what we know, so every resource still has one
        what = {"pledge": "Pledge", "pledge-report": "Pledge report", "resolution-report": "Resolution report"}
        tail = page.number or str(subject).rsplit("/", 1)[-1]
        graph.add((subject, RDFS.label, Literal(f"{what[page.kind]} {tail}", lang="en")))
        graph.add((subject, RCRC.notRecorded, DCTERMS.title))
    if info.note:
        graph.add((subject, SKOS.editorialNote, Literal(info.note, lang="en")))


def _add_text(graph, subject, page, language):
    prop = RCRC.pledgeText if page.kind == "pledge" else RCRC.reportText
    text = page.text + (f"\n\nAction plan\n\n{page.action_plan}" if page.action_plan else "")
    if text.strip():
        graph.add((subject, prop, Literal(text, lang=language)))
    else:
        graph.add((subject, RCRC.notRecorded, prop))


def _add_pledge_fields(graph, subject, page, language):
    if page.number:
        graph.add((subject, RCRC.pledgeNumber, Literal(page.number)))
    for key, scheme, _, prop in CONCEPTS:
        for label in getattr(page, key):
            graph.add((subject, prop, iris.concept(scheme, label)))
    kind = "model" if _is_model(page) else page.pledge_type
    if kind:
        graph.add((subject, RCRC.pledgeType, iris.concept("pledge-type", kind)))
    for prop, values in ((RCRC.chapter, page.chapters), (RCRC.section, page.sections)):
        for value in values:
            graph.add((subject, prop, Literal(value, lang=language)))


def _add_markers(graph, subject, page, reported):
    blank = list(page.blank) + ([] if page.conference else ["conference"])
    blank += ["reports_on"] if page.kind == "pledge-report" and not reported else []
    for key in dict.fromkeys(blank):
        if key in NOT_RECORDED and not (key == "pledge_type" and _is_model(page)):
            graph.add((subject, RCRC.notRecorded, NOT_RECORDED[key]))
    if page.conference:
        graph.add((subject, RCRC.conference, iris.conference(page.conference)))
    if _is_model(page) and page.pledged_by:  # "Pledge by Administrator": the site, not a pledging party
        graph.add((subject, RCRC.notRecorded, RCRC.pledgedBy))
        graph.add((subject, RCRC.pledgerNameAsShown, Literal(page.pledged_by)))


def _add_provenance(graph, subject, info):
    if info.source_url:
        graph.add((subject, DCTERMS.source, URIRef(info.source_url)))
    else:
        graph.add((subject, RCRC.notRecorded, DCTERMS.source))
    if info.date:
        graph.add((subject, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))


def _is_model(page):
    return bool(page.number and page.number.startswith("MP"))


# -- names ---------------------------------------------------------------------------------


def _add_parties(graph, subject, page, facts, source):
    """Pledgers, signatories, countries and concepts: every name matched, or all reported at once."""
    names = len(set(page.listed) | set(page.parties))
    if names > MAX_NAMES:
        raise InputError(f"{source}: the page lists {names} different organisation names; more than {MAX_NAMES} "
                         "is not a pledge page (the whole Conference has fewer members)")
    organisations, countries = organisation_index(facts), country_index(facts)
    countries.add(INTERNATIONAL, "International")
    pledgers = [] if _is_model(page) or not page.pledged_by else organisations.split(page.pledged_by)
    parties = [_party(line, organisations, countries, facts) for line in page.parties]
    signing = page.listed if page.layout != "2015" or (page.pledge_type or "").strip().lower() == "open" else []
    signatories = [m for line in dict.fromkeys(signing) for m in organisations.split(line)]
    places = countries.split(page.country) if page.country else []
    errors = [unmatched_error(pledgers + [p for p in parties if p.how != "country"] + signatories, source,
                              index=organisations),
              unmatched_error([p for p in parties if p.how == "country"], source, "National Society's country",
                              countries),
              unmatched_error(places, source, "country", countries), _concept_error(page, facts, source)]
    errors = [e for e in errors if e]
    if errors:  # every unknown name at once, so one fix-and-rerun is enough
        raise InputError("\n".join(e.message for e in errors), source=str(source),
                         unmatched=[name for e in errors for name in e.details["unmatched"]])
    for m in pledgers + parties:
        graph.add((subject, RCRC.pledgedBy, m.iri))
        graph.add((subject, RCRC.pledgerNameAsShown, Literal(m.name)))
    for m in signatories:
        graph.add((subject, RCRC.signatory, m.iri))
    for m in places:
        graph.add((subject, RCRC.international, Literal(True)) if m.iri == INTERNATIONAL else
                  (subject, RCRC.country, m.iri))


def _party(line, organisations, countries, facts):
    """A pledger line of the 2011 footer or a list: "NS - Bulgaria" is the National Society of
    that country; "<code> - <name>" is matched by its name; anything else as a whole."""
    coded = re.match(r"^(?P<code>[A-Za-z]{2,5})\s+-\s+(?P<name>.+)$", line)
    if coded and coded["code"].upper() == "NS":
        country = countries.match(coded["name"])
        society = national_society_of(facts).get(country.iri) if country else None
        return Match(line, society, "exact") if society else Match(coded["name"], None, "country")
    found = organisations.match(coded["name"] if coded else line)
    return Match(line, found.iri, found.how, found.candidates)


def _concept_error(page, facts, source):
    """An InputError naming each theme or pledger category that is not in its scheme, or None."""
    lines, unknown = [], []
    for key, scheme, cls, _ in CONCEPTS:
        known = {**_scheme_labels(cls), **typed_labels(facts, cls)}
        for label in getattr(page, key):
            if iris.concept(scheme, label) not in known:
                labels = sorted({n for iri, names in known.items() for n in names if iris.concept(scheme, n) == iri})
                lines.append(f"  {label!r}: not a {scheme.replace('-', ' ')} of ontology/schemes.ttl"
                             f"{did_you_mean(label, labels)} (known: {', '.join(labels)})")
                unknown.append(label)
    if not lines:
        return None
    message = f"{source}: {len(lines)} theme or pledger category name(s) not matched:\n" + "\n".join(lines)
    return InputError(message, unmatched=unknown)


@lru_cache(maxsize=4)
def _scheme_labels(cls):
    """The concepts of ``cls`` in the project's ontology/schemes.ttl (when the context has none)."""
    return typed_labels(Graph().parse(SCHEMES_FILE, format="turtle"), cls) if SCHEMES_FILE.is_file() else {}
