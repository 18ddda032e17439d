"""Citations of resolutions in running text: "Resolution 3 of the 31st International Conference".

Only pairs with both numbers stated in one sentence are taken, so a pledge is never linked to a
resolution by guesswork. English, French and Spanish wordings are read, with the conference in
digits or Roman numerals ("Résolution 4 de la XXXIème Conférence internationale", "Resolución 1
de la XXX Conferencia Internacional"), as pages of the 2019/2024 database write them.
"""

import re

_ORDINAL = r"(?P<conf>\d{2}|X{1,3}(?:IX|IV|V?I{0,3}))\s*(?:st|nd|rd|th|ème|eme|e|è|ª|º)?"
_CONFERENCE = _ORDINAL + (r"\s+(?:International\s+Conference|IC|Conf[ée]rence\s+internationale"
                          r"|Conferencia\s+Internacional)\b")
_RESOLUTION_WORD = r"\b(?:Res(?:olutions?|\.)?|R[ée]solutions?|Resoluci[oó]n(?:es)?)"
_RESOLUTIONS = (_RESOLUTION_WORD + r"\s*(?:No\.?\s*|n[°º]\s*)?"
                r"(?P<nums>\d{1,2}(?:\s*(?:,|and|&|et|y)\s*\d{1,2})*)\b")
# Between a resolution and its conference: same sentence, no other resolution, conference or Council.
_GAP = (r"(?:(?!" + _RESOLUTION_WORD + r"\b|\bCouncil\b|\bConseil\b|\bConsejo\b|\b\d{2}(?:st|nd|rd|th)\b)"
        r"[^.;\n]){0,200}?")
CITATION_PATTERNS = [
    # "Resolution 3 ... adopted by the 31st International Conference", "Résolution 4 de la XXXIème Conférence"
    re.compile(_RESOLUTIONS + _GAP + r"\b(?:of|by|at|de|del)\s+(?:the\s+|la\s+)?" + _CONFERENCE, re.I),
    # "the 31st International Conference ... (through) the adoption of Resolution 3"
    re.compile(r"\bthe\s+" + _CONFERENCE + _GAP + r"\b(?:adopted|adopting|adoption\s+of|passed|passing\s+of)\s+"
               r"(?:its\s+|the\s+)?" + _RESOLUTIONS, re.I),
    # "31IC Res. 3", "31st IC Resolution 3"
    re.compile(r"\b(?P<conf>\d{2})(?:st|nd|rd|th)?\s*IC\s+" + _RESOLUTIONS, re.I),
    # document symbols: "32IC/15/R2"
    re.compile(r"\b(?P<conf>\d{2})IC/\d{2}/R(?P<nums>\d{1,2})\b"),
]
ROMAN = {"I": 1, "V": 5, "X": 10}


def find_citations(text):
    """(conference, resolution) pairs the text cites with both numbers stated; sorted, no repeats."""
    found = set()
    for pattern in CITATION_PATTERNS:
        for match in pattern.finditer(text):
            conference = _number(match.group("conf"))
            found.update((conference, int(n)) for n in re.findall(r"\d+", match.group("nums")))
    return sorted(found)


def _number(text):
    """32 from '32' or 'XXXII'."""
    if text.isdigit():
        return int(text)
    values = [ROMAN[c] for c in text.upper()]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))
