"""Import pledge pages of the Conference's pledge database (2015 layout) as RDF.

A page is its text, then the headings "Action plan" and "Pledge data", then the fields
``Pledge by`` · ``Number:`` · ``Country:`` · ``Themes:`` · ``Institution:`` · ``Pledge type:``,
then (open pledges) the signatories, then "Sorry, you need to be logged in ...". The same page
comes as text (``data/pages/SP320067.txt``) or as HTML; both become the same blocks of text,
then one ``PledgePage``, then one rdflib Graph in the model of the team brief.

Organisation and country names are matched against a context (``importers.names``); a name that
matches nothing stops the import with an InputError naming it. Fields the page left blank get
``rcrc:notRecorded`` markers. ``data/pages/pages.tsv`` gives each page's source URL, title,
date and language (a title derived from a URL slug says so in its ``note``).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .. import iris
from ..errors import InputError
from ..namespaces import RCRC, bind_prefixes
from ..text import decode_utf8, read_capped
from .citations import find_citations
from .names import country_index, organisation_index, unmatched_error
from .page_blocks import html_blocks, text_blocks
from .page_index import INDEX_NAME, PageInfo, read_index

MAX_PAGE_BYTES = 2 * 1024 * 1024
FIELDS = {"pledge by": "pledged_by", "number": "number", "country": "country", "themes": "themes",
          "institution": "institutions", "pledge type": "pledge_type"}
FIELD_LINE = re.compile(r"^(pledge by|number|country|themes|institution|pledge type)\b\s*:?\s*(.*)$", re.I)
LOGIN_NOTICE = "sorry, you need to be logged in"
INTERNATIONAL = URIRef("urn:x-pledgegraph:international")  # a marker inside this module, never output
NOT_RECORDED = {"pledged_by": RCRC.pledgedBy, "number": RCRC.pledgeNumber, "country": RCRC.country,
                "themes": RCRC.theme, "institutions": RCRC.pledgerCategory, "pledge_type": RCRC.pledgeType}


@dataclass
class PledgePage:
    """What one page says, as text; ``None`` for a field the page did not fill in."""

    number: str | None
    title: str | None
    text: str
    action_plan: str = ""
    pledged_by: str | None = None  # the database's own text: names joined by "and"
    country: str | None = None  # a country name, a comma list, or "International"
    themes: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    pledge_type: str | None = None
    listed: list = field(default_factory=list)  # names under the data block (signatories of open pledges)
    conference: int | None = None
    citations: list = field(default_factory=list)  # (conference, resolution number) pairs
    blank: list = field(default_factory=list)  # data fields the page left blank or left out


# -- reading -------------------------------------------------------------------------------


def import_page(path, context, index=None, conference=None):
    """A pledge page file (.txt or .html) as an rdflib Graph; ``index`` defaults to pages.tsv beside it."""
    path = Path(path)
    if index is None:
        beside = path.parent / INDEX_NAME
        index = read_index(beside) if beside.exists() else {}
    info = index.get(path.name)
    page = parse_page(_read_bytes(path), name=str(path), html=path.suffix.lower() in {".html", ".htm"},
                      conference=conference)
    return page_graph(page, context, info, source=str(path))


def _read_bytes(path):
    return read_capped(path, MAX_PAGE_BYTES, "a pledge page")


# -- parsing -------------------------------------------------------------------------------


def parse_page(data, name="page", html=False, conference=None):
    """Parse a page (bytes or str; text or HTML) into a PledgePage; InputError if it is not one."""
    text = decode_utf8(data, name, "a pledge page") if isinstance(data, bytes) else data
    if not text.strip():
        raise InputError(f"{name}: empty page")
    blocks, title = html_blocks(text) if html else (text_blocks(text), None)
    return _from_blocks(blocks, title, name, conference)


def _from_blocks(blocks, title, name, conference):
    headings = [b.strip().lower() for b in blocks]
    if "pledge data" not in headings:
        raise InputError(f"{name}: no 'Pledge data' section; not a pledge page in the 2015 layout")
    data_at = headings.index("pledge data")
    plan_at = headings.index("action plan") if "action plan" in headings[:data_at] else data_at
    fields, listed = _data_fields(blocks[data_at + 1:], name)
    page = PledgePage(number=fields.get("number"), title=title, text="\n\n".join(blocks[:plan_at]),
                      action_plan="\n\n".join(blocks[plan_at + 1:data_at]), listed=listed)
    if not page.text:
        raise InputError(f"{name}: the page has no pledge text before 'Action plan' / 'Pledge data'")
    page.pledged_by, page.country, page.pledge_type = (fields.get(k) for k in ("pledged_by", "country", "pledge_type"))
    page.themes, page.institutions = (_comma_list(fields.get(k)) for k in ("themes", "institutions"))
    page.blank = [k for k in FIELDS.values() if not fields.get(k)]
    page.conference = _conference(page.number, conference, name)
    page.citations = find_citations(page.text + "\n\n" + page.action_plan)
    return page


def _data_fields(blocks, name):
    fields, listed = {}, []
    for line in (ln.strip().lstrip("•").strip() for block in blocks for ln in block.split("\n")):
        if not line:
            continue
        if line.lower().startswith(LOGIN_NOTICE):
            break
        match = FIELD_LINE.match(line)
        if match:
            key = FIELDS[match.group(1).lower()]
            if key in fields:
                raise InputError(f"{name}: field {match.group(1)!r} appears twice in 'Pledge data'")
            fields[key] = match.group(2).strip() or None
        elif fields:
            listed.append(line)
    if not fields:
        raise InputError(f"{name}: the 'Pledge data' section has none of the fields {', '.join(FIELDS)}")
    return fields, listed


def _comma_list(value):
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _conference(number, given, name):
    """The conference a pledge belongs to: from its number (SP32.. -> 32, P.... -> 31), else ``given``."""
    if number is not None and not iris.PLEDGE_NUMBER.match(number):
        raise InputError(f"{name}: {number!r} is not a pledge number (SP/OP + 6 digits, MP + 3, P + 4)")
    from_number = None
    if number and number[:2] in {"SP", "OP"}:
        from_number = int(number[2:4])  # reading "32" as the conference is derived (reference README)
    elif number and number[0] == "P":
        from_number = 31
    if from_number and given and int(given) != from_number:
        raise InputError(f"{name}: number {number} belongs to conference {from_number}, not {given}")
    return from_number or (int(given) if given else None)


# -- RDF -----------------------------------------------------------------------------------


def page_graph(page, context, info=None, source="page"):
    """The RDF of one PledgePage; names are matched in ``context`` (see ``importers.names``)."""
    info = info or PageInfo(file=Path(source).name)
    pledge = _pledge_iri(page, info, source)
    graph = bind_prefixes(Graph())
    add = graph.add
    add((pledge, RDF.type, RCRC.Pledge))
    if page.number:
        add((pledge, RCRC.pledgeNumber, Literal(page.number)))
    if page.conference:
        add((pledge, RCRC.conference, iris.conference(page.conference)))
    _add_title(graph, pledge, page, info)
    add((pledge, RCRC.pledgeText, Literal(_full_text(page), lang=info.language)))
    _add_parties(graph, pledge, page, context, source)
    _add_concepts(graph, pledge, page)
    for key in page.blank:
        if not (key == "pledge_type" and _is_model(page)):
            add((pledge, RCRC.notRecorded, NOT_RECORDED[key]))
    if _is_model(page) and page.pledged_by:  # "Pledge by Administrator": the site, not a pledging party
        add((pledge, RCRC.notRecorded, RCRC.pledgedBy))
    if not page.conference:
        add((pledge, RCRC.notRecorded, RCRC.conference))
    if info.source_url:
        add((pledge, DCTERMS.source, URIRef(info.source_url)))
    else:
        add((pledge, RCRC.notRecorded, DCTERMS.source))
    if info.date:
        add((pledge, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    return graph


def _add_concepts(graph, pledge, page):
    """Themes, pledger categories, type (SKOS concepts by label) and cited resolutions."""
    for theme in page.themes:
        graph.add((pledge, RCRC.theme, iris.concept("theme", theme)))
    for category in page.institutions:
        graph.add((pledge, RCRC.pledgerCategory, iris.concept("pledger-category", category)))
    kind = "model" if _is_model(page) else page.pledge_type
    if kind:
        graph.add((pledge, RCRC.pledgeType, iris.concept("pledge-type", kind)))
    for conference, number in page.citations:
        graph.add((pledge, RCRC.citesResolution, iris.resolution(conference, number)))


def _pledge_iri(page, info, source):
    if page.number:
        return iris.pledge(page.number)
    if not info.source_url:
        raise InputError(f"{source}: a pledge without a number needs a source_url in {INDEX_NAME} for its slug")
    url = urlsplit(info.source_url)
    wordpress_id = parse_qs(url.query).get("p", [""])[0]  # rcrcconference.org/?p=35615 (S44)
    slug = iris.slugify(url.path.rstrip("/").rsplit("/", 1)[-1] or (f"p-{wordpress_id}" if wordpress_id else ""))
    if not slug:
        raise InputError(f"{source}: cannot make a slug from {info.source_url!r}")
    return iris.pledge(conference_ordinal=page.conference, slug=slug)


def _add_title(graph, pledge, page, info):
    title = info.title or page.title
    if title:
        graph.add((pledge, DCTERMS.title, Literal(title, lang=info.language)))
        graph.add((pledge, RDFS.label, Literal(title, lang=info.language)))
    else:  # a label that states only what we know, so every resource still has one
        graph.add((pledge, RDFS.label, Literal(f"Pledge {page.number or str(pledge).rsplit('/', 1)[-1]}", lang="en")))
        graph.add((pledge, RCRC.notRecorded, DCTERMS.title))
    if info.note:
        graph.add((pledge, SKOS.editorialNote, Literal(info.note, lang="en")))


def _full_text(page):
    return page.text + (f"\n\nAction plan\n\n{page.action_plan}" if page.action_plan else "")


def _is_model(page):
    return bool(page.number and page.number.startswith("MP"))


def _add_parties(graph, pledge, page, context, source):
    organisations = organisation_index(context)
    matches = [] if _is_model(page) or not page.pledged_by else organisations.split(page.pledged_by)
    signatories = [m for line in page.listed for m in organisations.split(line)] if _open(page) else []
    countries = _countries(page.country, context) if page.country else []
    errors = [e for e in (unmatched_error(matches + signatories, source), unmatched_error(countries, source, "country"))
              if e]
    if errors:  # every unknown name at once, so one fix-and-rerun is enough
        raise InputError("\n".join(e.message for e in errors), source=source,
                         unmatched=[name for e in errors for name in e.details["unmatched"]])
    for m in matches:
        graph.add((pledge, RCRC.pledgedBy, m.iri))
        graph.add((pledge, RCRC.pledgerNameAsShown, Literal(m.name)))
    if _is_model(page) and page.pledged_by:
        graph.add((pledge, RCRC.pledgerNameAsShown, Literal(page.pledged_by)))
    for m in signatories:
        graph.add((pledge, RCRC.signatory, m.iri))
    for m in countries:
        if m.iri == INTERNATIONAL:
            graph.add((pledge, RCRC.international, Literal(True)))
        else:
            graph.add((pledge, RCRC.country, m.iri))


def _countries(text, context):
    """Matches for the Country field: countries, and INTERNATIONAL for the database's "International"."""
    index = country_index(context)
    index.add(INTERNATIONAL, "International")
    return index.split(text)


def _open(page):
    return bool(page.pledge_type and page.pledge_type.strip().lower() == "open")
