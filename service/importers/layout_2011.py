"""The 2011 layout (31st Conference database, rcrcconference.icrc.org/pledges31), reference README.

    PLEDGE P1200                               header: the pledge number
    <title>                                    optional (most pages show none)
    Chapter : <number and name>                one per line when there are several; may be empty
    Section : <number and name>                likewise
    Proposed Evaluation Criteria : <text>      may run over several lines and paragraphs
    Pledge text : <text>                       likewise (sometimes in English, French and Spanish)
    Pledge P1200                               footer: the number again
    NS - Bulgaria                              the pledgers, one per line

Detected by the header "PLEDGE Pnnnn", or by a "Pledge text :" field beside a "Chapter :",
"Section :" or "Proposed Evaluation Criteria :" field. Every pledge of this database belongs to
the 31st Conference. The chapters and sections are kept as the page shows them; the database
has no country, theme, institution or pledge-type field, so those are not recorded.
"""

import re

from ..errors import InputError
from ..text import ordinal
from .citations import find_citations
from .page_model import PledgePage, conference_of, join_lines

LABELS = ("chapter", "section", "proposed evaluation criteria", "pledge text")
LABEL = re.compile(r"^(" + "|".join(LABELS) + r")\s*:\s*(.*)$", re.I)
NUMBER_LINE = re.compile(r"^pledge\s+(P\S*)$", re.I)  # "PLEDGE P1200" (header), "Pledge P1200" (footer)
CONFERENCE = 31
SIGNATURE = "a header 'PLEDGE Pnnnn' or the fields 'Chapter :', 'Section :' ... 'Pledge text :'"


def matches(page):
    lines = [line for _, line in page.lines()]
    if any(NUMBER_LINE.match(line) and line[:6] == "PLEDGE" for line in lines):
        return True
    labels = {m.group(1).lower() for m in map(LABEL.match, lines) if m}
    return "pledge text" in labels and len(labels) > 1


def parse(page, name, conference=None):
    """The PledgePage of a page in the 2011 layout; InputError says what is missing or contradictory."""
    lines = page.lines()
    starts = [k for k, (_, line) in enumerate(lines) if LABEL.match(line)]
    if not starts or not any(LABEL.match(lines[k][1]).group(1).lower() == "pledge text" for k in starts):
        raise InputError(f"{name}: no 'Pledge text :' field; not a page of the 2011 database")
    header, title = _head(lines[: starts[0]])
    footer_at = next((k for k in range(len(lines) - 1, starts[-1], -1) if NUMBER_LINE.match(lines[k][1])), None)
    values = _values(lines[: footer_at if footer_at is not None else len(lines)], starts, name)
    footer = NUMBER_LINE.match(lines[footer_at][1]).group(1) if footer_at is not None else None
    if header and footer and header != footer:
        raise InputError(f"{name}: the header says pledge {header} but the footer says {footer}")
    record = PledgePage(number=header or footer, title=page.title or title, text=_text(values), layout="2011",
                        language=None)
    record.chapters, record.sections = (_entries(values.get(k, "")) for k in ("chapter", "section"))
    record.parties = [line for _, line in lines[footer_at + 1 :]] if footer_at is not None else []
    record.conference = conference_of(record.number, conference or CONFERENCE, name)
    if record.conference != CONFERENCE:
        raise InputError(f"{name}: a page of the 2011 database belongs to the 31st Conference, "
                         f"not the {ordinal(record.conference)}")
    record.citations = find_citations(record.text)
    record.blank = ["country", "themes", "institutions", "pledge_type"] + [
        key for key, value in (("number", record.number), ("pledged_by", record.parties), ("text", record.text))
        if not value]
    return record


def _head(lines):
    """(number, title) from the lines before the first field: 'PLEDGE P1200', then an optional title."""
    number, title = None, []
    for _, line in lines:
        match = NUMBER_LINE.match(line)
        if match and number is None and not title:
            number = match.group(1)
        else:
            title.append(line)
    return number, " ".join(title) or None


def _values(lines, starts, name):
    """{label: text} of each field: the rest of its line and the lines up to the next field."""
    values = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        if start >= len(lines):
            break
        match = LABEL.match(lines[start][1])
        label = match.group(1).lower()
        if label in values:
            raise InputError(f"{name}: field {match.group(1)!r} appears twice")
        chunk = [(lines[start][0], match.group(2))] + lines[start + 1 : end]
        values[label] = join_lines(chunk)
    return values


def _entries(value):
    return [line.strip() for line in value.split("\n") if line.strip()]


def _text(values):
    text = values.get("pledge text", "")
    criteria = values.get("proposed evaluation criteria", "")
    return text + (f"\n\nProposed Evaluation Criteria\n\n{criteria}" if criteria else "")
