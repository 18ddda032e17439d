"""Reports: pledge reports and resolution reports (rcrcconference.org/pledge-report/<slug>, reference README).

    Report – <title>                   the title ("Report – …" on the real pages)
    Pledge: SP330167 | <address>       pledge reports: the pledge reported on, by number or page address
    Resolution: 32/5                   resolution reports: the resolution (also "Resolution 5 of the
                                       32nd International Conference" or "32IC/15/R5")
    Submitted by: <member>             the reporting member ("Submitter:" also)
    Actions taken                      heading ("Mesures prises" on French pages), then the report

Detected by a line that is exactly the heading "Actions taken" or "Mesures prises"; other text
before it is kept at the head of the report's text. A page with
a "Resolution:" field is a resolution report, any other a pledge report. Without a "Pledge:"
field, the pledge is the number in the title, else the first link to a /pledge/ page, else the
number at the end of the page's own address (``…-sp330167``, see page_rdf).
"""

import re

from ..errors import InputError
from .citations import find_citations
from .page_model import PledgePage, check_number, conference_of, field_lines, join_lines

# "Actions taken" (reference README, S44); "Mesures prises" (a French report page, reference
# pledges-additional.tsv notes). Other languages are added here when a page shows them.
ACTIONS = {"actions taken": "en", "mesures prises": "fr"}
FIELDS = ("pledge", "resolution", "submitted by", "submitter")
NUMBER = re.compile(r"\b((?:SP|OP)\d{6}|MP\d{3}|P\d{4})\b", re.I)
SIGNATURE = "a heading 'Actions taken' (or 'Mesures prises')"


def _actions_at(lines):
    return next((k for k, (_, line) in enumerate(lines) if line.rstrip(":").strip().casefold() in ACTIONS), None)


def matches(page):
    return _actions_at(page.lines()) is not None


def _is_field(line):
    return ":" in line and line.split(":", 1)[0].strip().lower() in FIELDS


def parse(page, name, conference=None):
    """The PledgePage (kind pledge-report or resolution-report) of a report page."""
    lines = page.lines()
    at = _actions_at(lines)
    head, title = lines[:at], page.title
    if not title and head:  # the text form: the first paragraph, but for field lines, is the title
        first = head[0][0]
        title = " ".join(line for block, line in head if block == first and not _is_field(line)) or None
        head = [(block, line) for block, line in head if block != first or _is_field(line)]
    fields = field_lines([line for _, line in head], FIELDS, name, "the report's fields")
    intro = join_lines([(b, line) for b, line in head if not _is_field(line)])
    body = join_lines(lines[at + 1 :])
    heading = lines[at][1].rstrip(":").strip()
    record = PledgePage(number=None, title=title, text=f"{intro}\n\n{heading}\n\n{body}" if intro else body,
                        layout="report", language=ACTIONS[heading.casefold()])
    record.pledged_by = fields.get("submitted by") or fields.get("submitter")
    record.citations = find_citations(record.text)
    if "resolution" in fields:
        _resolution_report(record, fields, name, conference)
    else:
        _pledge_report(record, fields.get("pledge"), page, name, conference)
    record.blank = [key for key, value in (("pledged_by", record.pledged_by), ("text", record.text)) if not value]
    return record


def _resolution_report(record, fields, name, conference):
    value = fields["resolution"] or ""
    simple = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", value)
    cited = [(int(simple[1]), int(simple[2]))] if simple else find_citations(value)
    if len(cited) != 1:
        raise InputError(f"{name}: 'Resolution:' must name one resolution, like 32/5 or 'Resolution 5 of the "
                         f"32nd International Conference', not {value!r}")
    record.kind, record.resolution = "resolution-report", cited[0]
    record.conference = int(conference) if conference else cited[0][0]


def _pledge_report(record, pledge, page, name, conference):
    record.kind = "pledge-report"
    if pledge and not re.match(r"(?i)^https?://", pledge):
        record.reports_on = check_number(pledge.upper() if NUMBER.fullmatch(pledge) else pledge, name)
    elif pledge:
        record.reports_on = pledge.strip()
    else:
        number = NUMBER.search(record.title or "")
        links = [url for url in page.links if "/pledge/" in url]
        record.reports_on = number.group(1).upper() if number else (links[0] if links else None)
    number = record.reports_on if record.reports_on and not record.reports_on.startswith("http") else None
    record.conference = conference_of(number, conference, name)
