"""The 2019/2024 layout (33rd and 34th Conferences, rcrcconference.org/pledge/<slug>), reference README.

    <title>
    A) Objectives of the pledge        the headings follow the page's language (en, fr, es, ar);
    <text>                             the text may stay in the pledge's own language
    B) Action plan
    <text>
    C) Indicators for measuring progress
    <text>
    D) Resource implications
    <text>
    Pledgers | Subscribers             optional: one organisation per line
    <names>
    <disclaimer>                       dropped (ICRC, IFRC and the Standing Commission are not liable ...)

Detected by an "A)" heading in one of the wordings below, followed by a "B)" heading. B) to D)
are recognised by their letter in order: a line "B) <short heading>" (a colon allowed, no
closing full stop). Names under "Pledgers" are the pledging parties (rcrc:pledgedBy), under
"Subscribers" the organisations that signed an open pledge (rcrc:signatory).
"""

import re

from ..errors import InputError
from .citations import find_citations
from .page_model import PledgePage, join_lines

# Wordings seen on real pages (S44): en A-D; fr "A) Objectifs de l’engagement" (rcrcconference.org/fr/
# pledge/...), "B) Plan d'action" (reference README); es "A) Objetivos de la promesa" (/es/pledge/...);
# ar "أ) أهداف التعهد", "ب) خطة العمل" (/ar/pledge/...). Other B-D wordings are taken by their letter.
HEADINGS = {
    "A": {"en": "objectives of the pledge", "fr": "objectifs de l'engagement", "es": "objetivos de la promesa",
          "ar": "أهداف التعهد"},
    "B": {"en": "action plan", "fr": "plan d'action", "ar": "خطة العمل"},
    "C": {"en": "indicators for measuring progress"},
    "D": {"en": "resource implications"},
}
LETTERS = {"A": "A", "B": "B", "C": "C", "D": "D", "أ": "A", "ب": "B", "ج": "C", "د": "D"}
HEADING = re.compile(r"^(?P<letter>[A-Dأبجد])\)\s*(?P<text>[^\n]{0,80}?)\s*:?\s*$")
PARTIES = {"pledgers": "pledger", "pledging parties": "pledger", "subscribers": "signatory",
           "signatories": "signatory"}
BIDI_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 "  # around Arabic headings
END = re.compile(r"(?i)user[- ]generated content|sorry, you need to be logged in")
SIGNATURE = "the headings 'A) Objectives of the pledge', 'B) Action plan' ... (in English, French, Spanish or Arabic)"


def _heading(line):
    """(letter, language or None) of a section heading line, else None."""
    match = HEADING.match(line.strip(BIDI_MARKS))
    if not match:
        return None
    letter, text = LETTERS[match.group("letter")], match.group("text").replace("’", "'").casefold()
    language = next((lang for lang, words in HEADINGS[letter].items() if text == words), None)
    if language is None and (letter == "A" or not text or text[-1] in ".;,"):
        return None  # an A) heading must be a known wording; B-D need a heading-like text
    return letter, language


def matches(page):
    found = [h for h in (_heading(line) for _, line in page.lines()) if h]
    return any(h[0] == "A" and h[1] for h in found) and any(h[0] == "B" for h in found)


def parse(page, name, conference=None):
    """The PledgePage of a page in the 2019/2024 layout; InputError says what is out of place."""
    lines = _until_end(page.lines())
    marks = _marks(lines)
    if not marks or marks[0][1] != "A":
        raise InputError(f"{name}: no 'A) Objectives of the pledge' heading (or one of its translations)")
    title = page.title or _title(lines[: marks[0][0]], name)
    if page.title and marks[0][0] > 0:
        raise InputError(f"{name}: unexpected text before the 'A)' heading: {lines[0][1][:80]!r}")
    record = PledgePage(number=None, title=title, text="", layout="2019/2024", language=marks[0][2],
                        conference=int(conference) if conference else None)
    sections = []
    for n, (at, kind, _) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(lines)
        body = lines[at + 1 : end]
        if kind in PARTIES.values():
            names = [line.lstrip("•").strip() for _, line in body]
            (record.parties if kind == "pledger" else record.listed).extend(filter(None, names))
        else:
            sections.append(lines[at][1].rstrip(":").strip() + "\n\n" + join_lines(body))
    record.text = "\n\n".join(s.strip() for s in sections)
    record.citations = find_citations(record.text)
    record.blank = ["number", "country", "themes", "institutions", "pledge_type"] + (
        [] if record.parties else ["pledged_by"]) + ([] if record.conference else ["conference"])
    return record


def _until_end(lines):
    """The lines before the disclaimer or the login notice that close the page."""
    end = next((k for k, (_, line) in enumerate(lines) if END.search(line)), len(lines))
    return lines[:end]


def _marks(lines):
    """(line index, 'A'..'D' | 'pledger' | 'signatory', language) of each heading, sections in order."""
    marks, expected = [], "ABCD"
    for k, (_, line) in enumerate(lines):
        party = PARTIES.get(line.rstrip(":").strip().casefold())
        if party and marks:
            marks.append((k, party, None))
            continue
        heading = _heading(line)
        if heading and heading[0] in expected:
            marks.append((k, heading[0], heading[1]))
            expected = expected[expected.index(heading[0]) + 1 :]
    return marks


def _title(lines, name):
    """The text form's title: the one block before 'A)'."""
    blocks = {block for block, _ in lines}
    if len(blocks) > 1:
        raise InputError(f"{name}: more than a title before the 'A)' heading; expected one block, found {len(blocks)}")
    return " ".join(line for _, line in lines) or None
