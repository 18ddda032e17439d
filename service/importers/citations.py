"""Citations of resolutions in running text: "Resolution 3 of the 31st International Conference".

Only pairs with both numbers stated in one sentence are taken, so a pledge is never linked to a
resolution by guesswork.
"""

import re

_ORDINAL = r"(?P<conf>\d{2})(?:st|nd|rd|th)"
_CONFERENCE = _ORDINAL + r"\s+(?:International\s+Conference|IC)\b"
_RESOLUTIONS = r"\bRes(?:olutions?|\.)?\s*(?:No\.?\s*)?(?P<nums>\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)\b"
# Between a resolution and its conference: same sentence, no other resolution, conference or Council.
_GAP = r"(?:(?!\bRes(?:olutions?)?\b|\bCouncil\b|\b\d{2}(?:st|nd|rd|th)\b)[^.;\n]){0,200}?"
CITATION_PATTERNS = [
    # "Resolution 3 ... adopted by the 31st International Conference", "Res. 3 of the 31st IC"
    re.compile(_RESOLUTIONS + _GAP + r"\b(?:of|by|at)\s+(?:the\s+)?" + _CONFERENCE, re.I),
    # "the 31st International Conference ... (through) the adoption of Resolution 3"
    re.compile(r"\bthe\s+" + _CONFERENCE + _GAP + r"\b(?:adopted|adopting|adoption\s+of|passed|passing\s+of)\s+"
               r"(?:its\s+|the\s+)?" + _RESOLUTIONS, re.I),
    # "31IC Res. 3", "31st IC Resolution 3"
    re.compile(r"\b(?P<conf>\d{2})(?:st|nd|rd|th)?\s*IC\s+" + _RESOLUTIONS, re.I),
    # document symbols: "32IC/15/R2"
    re.compile(r"\b(?P<conf>\d{2})IC/\d{2}/R(?P<nums>\d{1,2})\b"),
]


def find_citations(text):
    """(conference, resolution) pairs the text cites with both numbers stated; sorted, no repeats."""
    found = set()
    for pattern in CITATION_PATTERNS:
        for match in pattern.finditer(text):
            conference = int(match.group("conf"))
            found.update((conference, int(n)) for n in re.findall(r"\d+", match.group("nums")))
    return sorted(found)
