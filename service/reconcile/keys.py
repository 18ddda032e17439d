"""Comparable forms of names and codes, and resolution citations, for matching.

Names compare folded (ASCII, lower case, punctuation as spaces) without articles; codes compare
on letters and digits only; citations ("32IC/15/R2", "Res. 3 of the 31st IC") are parsed into
(conference, resolution) numbers.
"""

import re

from ..text import ascii_fold

STOP_WORDS = frozenset(
    "the of a an and in for to at on la le les l de du des d et en pour el los las y del da do dos das e".split()
)
WEAK_WORDS = frozenset("society societe sociedad national nationale nacional".split())


def fold(text):
    """Lower-case ASCII with accents removed and punctuation turned into spaces."""
    text = ascii_fold(text).lower()
    return re.sub(r"[^a-z0-9]+", " ", text.replace("&", " and ")).strip()


def normalise(text, drop_weak=False):
    """Folded words without articles and (optionally) generic words such as 'society'."""
    words = fold(text).split()
    kept = [w for w in words if w not in STOP_WORDS and not (drop_weak and w in WEAK_WORDS)]
    return " ".join(kept or words)


def code_key(text):
    """Codes compare on letters and digits only: '32IC/15/R2' -> '32ic15r2'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def numbers(text):
    """The numbers a name contains, as a set of strings."""
    return frozenset(re.findall(r"\d+", str(text)))


def is_acronym(text):
    return bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", text.strip()))


ORD = r"(\d{1,2})\s*(?:st|nd|rd|th|e|eme|er|re)?"
CONF = r"(?:ic|international\s+conference|conference\s+internationale|conference|conf)"
RES = r"(?:resolutions?|res|r)\s*(?:no\s*)?(\d{1,2})"
CITATIONS = (  # each yields (conference ordinal, resolution number) in this order or reversed
    (re.compile(r"\b(\d{1,2})\s*ic\s*(\d{2})\s*r\s*(\d{1,2})\b"), "symbol"),
    (re.compile(rf"\b{RES}\s+(?:of|at|adopted\s+by|de|du)?\s*(?:the|la|le)?\s*{ORD}\s*{CONF}\b"), "res-first"),
    (re.compile(rf"\b{ORD}\s*{CONF}\b.*?\b{RES}\b"), "conf-first"),
    (re.compile(r"^\s*(?:resolution|res)\s*(\d{1,2})\s+(\d{1,2})\s*$"), "slash"),  # "Resolution 31/3"
)
CONFERENCE_ONLY = re.compile(rf"^\s*(?:the\s+)?{ORD}\s*{CONF}\b(?!.*\b(?:resolution|res)\b)")


def parse_resolution(text):
    """(conference ordinal, resolution number, two-digit year or None) cited in ``text``, or None."""
    folded = fold(text)
    for pattern, kind in CITATIONS:
        m = pattern.search(folded)
        if not m:
            continue
        if kind == "symbol":
            return int(m.group(1)), int(m.group(3)), m.group(2)
        if kind == "res-first":
            return int(m.group(2)), int(m.group(1)), None
        return int(m.group(1)), int(m.group(2)), None
    return None


def parse_conference(text):
    """The conference ordinal a text such as '32nd IC' names, or None."""
    m = CONFERENCE_ONLY.search(fold(text))
    return int(m.group(1)) if m else None
