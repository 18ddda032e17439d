"""What one page of the pledge database says, whatever its layout: a ``PledgePage``.

Each layout module (``layout_2015``, ``layout_2011``, ``layout_2019``, ``layout_reports``) turns a
``PageText`` into a PledgePage; ``page_rdf`` turns a PledgePage into RDF. The helpers here are
the rules the layouts share: field lines ("Number: SP320067"), pledge numbers and the conference
they carry, and the slug of a page address.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from .. import iris
from ..errors import InputError

KINDS = ("pledge", "pledge-report", "resolution-report")
LANGUAGE_PREFIX = re.compile(r"^/(?:en|fr|es|ar)(?=/|$)")  # rcrcconference.org/fr/pledge/<slug>


@dataclass
class PledgePage:
    """What a page says, as text; ``None`` or empty for what it did not show."""

    number: str | None
    title: str | None
    text: str  # the pledge's (or report's) own words, other sections appended under their headings
    action_plan: str = ""  # 2015 layout: the text under "Action plan"
    pledged_by: str | None = None  # the database's own text: names joined by "and" or commas
    country: str | None = None  # a country name, a comma list, or "International"
    themes: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    pledge_type: str | None = None
    listed: list = field(default_factory=list)  # names listed as signatories (open pledges, subscribers)
    conference: int | None = None
    citations: list = field(default_factory=list)  # (conference, resolution number) pairs
    blank: list = field(default_factory=list)  # fields the page left blank or out (keys of page_rdf.NOT_RECORDED)
    layout: str = "2015"  # a key of pledge_pages.LAYOUTS
    kind: str = "pledge"  # one of KINDS
    language: str | None = None  # the language of the page's headings, when they tell
    parties: list = field(default_factory=list)  # pledger lines matched one by one ("NS - Bulgaria")
    chapters: list = field(default_factory=list)  # 2011 layout
    sections: list = field(default_factory=list)  # 2011 layout
    reports_on: str | None = None  # pledge reports: the pledge's number or page address
    resolution: tuple | None = None  # resolution reports: (conference, number)


def field_lines(lines, labels, name, where):
    """{label: value} from "Label: value" lines; a label twice is an InputError. ``labels``: lower-case."""
    pattern = re.compile(r"^(" + "|".join(re.escape(label) for label in labels) + r")\s*:\s*(.*)$", re.I)
    found = {}
    for line in lines:
        match = pattern.match(line)
        if match:
            label = match.group(1).lower()
            if label in found:
                raise InputError(f"{name}: field {match.group(1)!r} appears twice in {where}")
            found[label] = match.group(2).strip() or None
    return found


def comma_list(value):
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def check_number(number, name):
    """The number, or an InputError when it is not one of the database's numbers."""
    if number is not None and not iris.PLEDGE_NUMBER.match(number):
        raise InputError(f"{name}: {number!r} is not a pledge number (SP/OP + 6 digits, MP + 3, P + 4)")
    return number


def conference_of(number, given, name):
    """The conference of a pledge: from its number (SP33.. -> 33, P.... -> 31), else ``given``.

    The two digits after SP/OP are the conference (seen for the 32nd and the 33rd, reference
    README); the 2011 database's P numbers all belong to the 31st. A number and a given
    conference that disagree are an InputError.
    """
    check_number(number, name)
    from_number = None
    if number and number[:2] in {"SP", "OP"}:
        from_number = int(number[2:4])
    elif number and number[0] == "P":
        from_number = 31
    if from_number and given and int(given) != from_number:
        raise InputError(f"{name}: number {number} belongs to conference {from_number}, not {given}")
    return from_number or (int(given) if given else None)


def slug_of_url(url):
    """A stable slug for a page address: its last path segment (language prefix ignored), else
    ``p-<id>`` for WordPress ``?p=<id>``, else the 2011 database's ``documentId``; '' if none."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    path = LANGUAGE_PREFIX.sub("", parts.path).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if last and not last.endswith((".xsp", ".php", ".html", ".htm")):
        return iris.slugify(last)
    if query.get("p"):
        return iris.slugify(f"p-{query['p'][0]}")
    if query.get("documentId"):
        return iris.slugify(query["documentId"][0])
    return iris.slugify(last)


def same_address(a, b):
    """True when two page addresses are the same page in any language version (scheme, host,
    trailing slash and a language prefix aside)."""

    def key(url):
        parts = urlsplit(url)
        path = LANGUAGE_PREFIX.sub("", parts.path).rstrip("/")
        return parts.netloc.lower().removeprefix("www."), path, parts.query

    return key(a) == key(b)


def join_lines(chunk):
    """The text of (block index, line) pairs: lines of one block joined by a newline, blocks by a
    blank line (paragraphs kept)."""
    out, previous = [], None
    for block, line in chunk:
        if not line.strip():
            continue
        if out:
            out.append("\n\n" if block != previous else "\n")
        line = line.strip()
        out.append("  " + line if line.startswith("•") else line)  # list items as the text form writes them
        previous = block
    return "".join(out)
