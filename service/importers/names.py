"""Match names as a source writes them to the IRIs of things we know (organisations, countries).

Labels come from a context graph (rdfs:label, skos:prefLabel, skos:altLabel, any language).
Matching is conservative, in three steps, each only if the one before found nothing:

1. exact match of normalised names (case, accents, punctuation, "&"/"and", articles dropped:
   "International Committee of Red Cross" = "International Committee of the Red Cross");
2. exact match of loose keys (also without "Society"/"Societies": "Turkish Red Crescent");
3. a fuzzy match (difflib ratio >= FUZZY_THRESHOLD) only when no other name comes near
   (second best more than MARGIN below): "Jamaica Red Cross" -> "Jamaican Red Cross" (0.97;
   "American Red Cross" 0.86), but "Austrain Red Cross" is ambiguous (Austrian 0.94, Australian 0.95).

Two candidates at the same step are never guessed between: the result is "ambiguous". Names
that match nothing are reported (``unmatched_error``) with the nearest known names as
suggestions ("did you mean"), never invented.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDF

from ..errors import InputError
from ..namespaces import RCRC
from ..reconcile.shortnames import country_short_form
from .name_facts import LABELS, ORGANISATION_TYPES, context_facts

FUZZY_THRESHOLD = 0.92
MARGIN = 0.08  # a second candidate within this of the best makes a fuzzy match ambiguous
SHOWN = 30  # unknown names listed (with suggestions) in one error; the rest are counted
DROPPED_WORDS = {"the", "and", "le", "la", "les", "l", "el", "los", "las"}
LOOSE_DROPPED = {"society", "societies", "societe", "sociedad"}
SEPARATORS = re.compile(r"(\s*[,;]\s*|\s+and\s+|\s*&\s*)")


def normalise(name):
    """Comparison key: 'The International Committee of the Red-Cross' -> 'international committee of red cross'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    words = re.sub(r"[^\w]+|_", " ", text).split()
    return " ".join(w for w in words if w not in DROPPED_WORDS)


def loose(key):
    return " ".join(w for w in key.split() if w not in LOOSE_DROPPED)


@dataclass(frozen=True)
class Match:
    """The outcome for one name: how = exact | loose | fuzzy | ambiguous | unmatched."""

    name: str
    iri: URIRef | None
    how: str
    candidates: tuple = ()

    def __bool__(self):
        return self.iri is not None


class NameIndex:
    """Normalised names -> IRIs for one kind of thing."""

    def __init__(self, names):
        """``names``: (iri, name) pairs."""
        self.exact = defaultdict(set)
        self.loose = defaultdict(set)
        self.shown = {}  # normalised key -> a name as the source wrote it, for suggestions
        for iri, name in names:
            self.add(iri, name)

    def add(self, iri, name):
        """Know ``iri`` by ``name`` too."""
        key = normalise(name)
        if key:
            self.exact[key].add(iri)
            self.loose[loose(key)].add(iri)
            self.shown.setdefault(key, name)

    def suggest(self, name):
        """Known names close to ``name`` (best first), for "did you mean"."""
        return suggestions(name, self.shown.values())

    def label(self, iri):
        """A name ``iri`` is known by."""
        return next((shown for key, shown in self.shown.items() if iri in self.exact[key]), str(iri))

    def __len__(self):
        return len(self.exact)

    def match(self, name, fuzzy=True):
        """The IRI for ``name``, or a Match saying why there is none."""
        key = normalise(name)
        for how, table, probe in (("exact", self.exact, key), ("loose", self.loose, loose(key))):
            found = table.get(probe, set())
            if len(found) == 1:
                return Match(name, next(iter(found)), how)
            if found:
                return Match(name, None, "ambiguous", tuple(sorted(found)))
        return self._fuzzy(name, key) if fuzzy and key else Match(name, None, "unmatched")

    def _fuzzy(self, name, key):
        best = {}  # iri -> best ratio of any of its names
        floor = FUZZY_THRESHOLD - MARGIN
        for other, iris in self.exact.items():
            matcher = difflib.SequenceMatcher(None, key, other, autojunk=False)
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                ratio = matcher.ratio()
                for iri in iris:
                    best[iri] = max(ratio, best.get(iri, 0))
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            return Match(name, None, "unmatched")
        close = tuple(sorted(iri for iri, ratio in ranked if ratio > ranked[0][1] - MARGIN))
        return Match(name, ranked[0][0], "fuzzy") if len(close) == 1 else Match(name, None, "ambiguous", close)

    def split(self, text):
        """Match a list of names joined by ',', ';', '&' or 'and' (which names may contain too).

        The longest run of pieces that is a known name wins, so "International Federation of Red
        Cross and Red Crescent Societies and International Committee of Red Cross" gives two
        names; neighbouring pieces that match nothing are reported together as one name.
        Exact matching segments the whole text first; fuzzy matching only sees what is left.
        """
        result = []
        for match in self._segment(text, fuzzy=False):
            result.extend(self._segment(match.name, fuzzy=True) if match.how == "unmatched" else [match])
        return result

    def _segment(self, text, fuzzy):
        parts = SEPARATORS.split(text.strip())
        pieces, separators = parts[0::2], parts[1::2]

        def span(start, end):  # the original text of pieces[start:end], separators included
            return pieces[start] + "".join(separators[k] + pieces[k + 1] for k in range(start, end - 1))

        result, start, unmatched_from = [], 0, None
        while start < len(pieces):
            found = next(((m, end) for end in range(len(pieces), start, -1)
                          if (m := self.match(span(start, end), fuzzy)).how != "unmatched"), None)
            if found is None:
                unmatched_from = start if unmatched_from is None else unmatched_from
                start += 1
                continue
            if unmatched_from is not None:
                result.append(Match(span(unmatched_from, start), None, "unmatched"))
                unmatched_from = None
            result.append(found[0])
            start = found[1]
        if unmatched_from is not None:
            result.append(Match(span(unmatched_from, len(pieces)), None, "unmatched"))
        return [m for m in result if m.name.strip()]


def organisation_index(context):
    """Index of organisations in ``context``: their labels, and for governments their country's names.

    ``context``: anything ``context_facts`` reads, or what it returned (to read a context once)."""
    facts = _facts(context)
    typed = {s for s, o in facts[RDF.type] if o in ORGANISATION_TYPES}
    governments = {s for s, o in facts[RDF.type] if o == RCRC.Government}
    names = _labels(facts)
    country_of = {s: o for s, o in facts[RCRC.country] if s in governments}
    pairs = [(s, n) for s, n in names if s in typed]
    pairs += [(s, re.sub(r"(?i)^government of (the )?", "", n)) for s, n in names if s in governments]
    pairs += [(gov, n) for gov, c in country_of.items() for s, n in names if s == c]
    return NameIndex(pairs)


def country_index(context):
    """Index of rcrc:Country resources in ``context`` by their labels, and by the short form of
    each ("Iran" for "Iran, Islamic Republic of", ``reconcile.shortnames``) that is no country's
    name ("Congo" stays the Congo's); one two countries share ("Korea") is ambiguous."""
    facts = _facts(context)
    countries = {s for s, o in facts[RDF.type] if o == RCRC.Country}
    named = [(s, n) for s, n in _labels(facts) if s in countries]
    index = NameIndex(named)
    short = defaultdict(set)  # normalised short form -> {(form, country IRI)}
    for iri, name in named:
        form = country_short_form(name)
        if normalise(form) not in index.exact:
            short[normalise(form)].add((form, iri))
    for pairs in short.values():  # shared by two countries ("Korea"): ambiguous, the full name is asked for
        for form, iri in pairs:
            index.add(iri, form)
    return index


def typed_labels(context, cls):
    """{IRI: [labels]} of the resources of class ``cls`` in ``context`` (concepts of a scheme ...)."""
    facts = _facts(context)
    members = {s for s, o in facts[RDF.type] if o == cls}
    found = {s: [] for s in members}
    for s, name in _labels(facts):
        if s in members:
            found[s].append(name)
    return found


def national_society_of(context):
    """{country IRI: its National Society's IRI} in ``context``."""
    facts = _facts(context)
    societies = {s for s, o in facts[RDF.type] if o == RCRC.NationalSociety}
    return {country: s for s, country in facts[RCRC.country] if s in societies}


def _facts(context):
    return context if isinstance(context, dict) else context_facts(context)


def _labels(facts):
    return [(s, str(o)) for p in LABELS for s, o in facts[p] if not isinstance(o, URIRef)]


def unmatched_error(matches, source, what="organisation", index=None):
    """An InputError listing every name in ``matches`` that has no IRI (None if all matched);
    with ``index`` (the NameIndex they were matched in), each comes with suggestions."""
    missing = list({m.name: m for m in matches if not m}.values())
    if not missing:
        return None
    lines = [f"  {m.name!r}: " + _why(m, what, index) for m in missing[:SHOWN]]
    if len(missing) > SHOWN:
        lines.append(f"  ... and {len(missing) - SHOWN} more")
    message = f"{source}: {len(missing)} {what} name(s) not matched:\n" + "\n".join(lines)
    return InputError(message, unmatched=[m.name for m in missing], source=str(source))


def _why(match, what, index):
    if match.how == "ambiguous":
        names = [f"{index.label(iri)} ({iri})" if index else str(iri) for iri in match.candidates]
        return "ambiguous between " + ", ".join(names) + "; write the full name"
    hint = did_you_mean(match.name, index.shown.values()) if index else ""
    pieces = [p.strip() for p in SEPARATORS.split(match.name)[0::2] if p.strip()]
    if index and not hint and len(pieces) > 1:  # "Kenia, Atlantis": what each part may have meant
        near = [f"{piece!r}: did you mean {' or '.join(map(repr, found))}?" for piece in pieces
                if (found := suggestions(piece, index.shown.values()))]
        hint = "; " + "; ".join(near) if near else ""
    return f"no known {what} has this name{hint}"


def suggestions(name, choices, n=3, cutoff=0.6):
    """Up to ``n`` of ``choices`` nearest to ``name``, best first.

    Names are compared normalised, twice: whole, and without the words most names share ("red",
    "cross", "society" ...), so "Spanish Red Crescent" suggests "Spanish Red Cross" before
    "Sudanese Red Crescent". Only choices close to the best one are offered.
    """
    keyed = {}
    for choice in choices:
        keyed.setdefault(normalise(str(choice)) or str(choice).casefold(), str(choice))
    key = normalise(str(name)) or str(name).casefold()
    scored = sorted(((_closeness(key, other), other) for other in keyed), reverse=True)
    best = scored[0][0] if scored else 0
    return [keyed[other] for score, other in scored[:n] if score >= cutoff and score >= best - 0.1]


COMMON_WORDS = {"red", "cross", "crescent", "society", "societies", "national", "of", "government", "international"}


def _closeness(a, b):
    whole = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    core_a, core_b = (" ".join(w for w in x.split() if w not in COMMON_WORDS) for x in (a, b))
    core = difflib.SequenceMatcher(None, core_a, core_b, autojunk=False).ratio() if core_a and core_b else whole
    return (whole + core) / 2


def did_you_mean(name, choices):
    """'; did you mean 'A' or 'B'?' for the choices nearest to ``name``, or '' when none is near."""
    near = suggestions(name, choices)
    return f"; did you mean {' or '.join(repr(c) for c in near)}?" if near else ""
