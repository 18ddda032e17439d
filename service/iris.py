"""Minting canonical IRIs: the URI pattern of DESIGN §4 in one place.

| thing              | IRI                                        |
|--------------------|--------------------------------------------|
| conference         | id/conference/32                           |
| resolution         | id/resolution/31/3                         |
| pledge             | id/pledge/SP320067, or id/pledge/34/<slug> |
| pledge report      | id/pledge/33/<slug> (beside the pledges)   |
| resolution report  | id/resolution-report/32/<slug>             |
| organisation       | id/organisation/icrc                       |
| National Society   | id/national-society/KE                     |
| government         | id/government/KE                           |
| country            | id/country/KE                              |
| concept / scheme   | id/theme/migration in id/theme (also pledge-type, pledger-category, region) |
| named graph        | graph/<source>                             |

IRIs and the URLs that serve them: the part of an IRI after the base becomes a URL path with
``url_path`` (reserved characters such as ``?`` and ``#`` percent-encoded, so they stay in the
path), and a path as a client sent it names the IRIs ``path_candidates`` lists.
"""

import re
from urllib.parse import quote, unquote_to_bytes

from rdflib import URIRef

from .namespaces import GRAPH, ID
from .text import ascii_fold

SCHEMES = ("theme", "pledge-type", "pledger-category", "region")
PLEDGE_NUMBER = re.compile(r"^(?:(?:SP|OP)\d{6}|MP\d{3}|P\d{4})$")


def slugify(text):
    """Lower-case ASCII words joined by hyphens: 'Disaster risk reduction' -> 'disaster-risk-reduction'."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def conference(ordinal):
    return ID[f"conference/{int(ordinal)}"]


def resolution(conference_ordinal, number):
    return ID[f"resolution/{int(conference_ordinal)}/{int(number)}"]


def pledge(number=None, conference_ordinal=None, slug=None):
    """A pledge by its database number, else by a slug under its conference (or 'unknown')."""
    if number:
        return ID[f"pledge/{number}"]
    under = int(conference_ordinal) if conference_ordinal else "unknown"
    return ID[f"pledge/{under}/{slugify(slug)}"]


def report(kind, conference_ordinal, slug):
    """A pledge or resolution report: ``kind`` is pledge-report or resolution-report.

    Pledge reports live beside the pledges (id/pledge/33/<slug>), as the pledges table has
    published them from the start; resolution reports under id/resolution-report/.
    """
    assert kind in ("pledge-report", "resolution-report"), kind
    if kind == "pledge-report":
        return pledge(conference_ordinal=conference_ordinal, slug=slug)
    under = int(conference_ordinal) if conference_ordinal else "unknown"
    return ID[f"{kind}/{under}/{slugify(slug)}"]


def organisation(slug):
    return ID[f"organisation/{slugify(slug)}"]


def national_society(iso2):
    return ID[f"national-society/{iso2.upper()}"]


def government(iso2):
    return ID[f"government/{iso2.upper()}"]


def country(iso2):
    return ID[f"country/{iso2.upper()}"]


def scheme(name):
    assert name in SCHEMES, name
    return ID[name]


def concept(scheme_name, label):
    return ID[f"{scheme_name}/{slugify(label)}"] if scheme_name in SCHEMES else _unknown(scheme_name)


def graph(name):
    """A named graph for one source: 'ontology', 'data/conferences', 'pages/SP320067' ..."""
    return GRAPH[name]


def _unknown(scheme_name):
    raise ValueError(f"unknown concept scheme {scheme_name!r}; known: {', '.join(SCHEMES)}")


def is_ours(iri, base=str(ID)):
    return isinstance(iri, URIRef) and str(iri).startswith(base)


# Characters kept as they are in a URL path: RFC 3986 pchar and "/", and "%" so that an IRI
# holding percent-encoding keeps it (its URL is that IRI's own URI form).
PATH_SAFE = "/%!$&'()*+,;=:@~"
PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def url_path(tail):
    """The URL path serving the IRI tail ``tail``: '?', '#', '[', ']', spaces and non-ASCII percent-encoded (UTF-8)."""
    return quote(tail, safe=PATH_SAFE)


def path_candidates(raw):
    """IRI tails a URL path names, most literal first; ``raw`` is the path as sent (percent-encoded).

    1. as sent (an IRI stored with percent-encoding, ``caf%C3%A9``);
    2. with its percent-encoding in upper case (RFC 3986 §6.2.2.1: ``%c3%a9`` is ``%C3%A9``);
    3. decoded, when the bytes are UTF-8 (an IRI stored as ``café``, ``a?b``, ``a#b``).
    """
    candidates = [raw, PERCENT.sub(lambda m: m.group(0).upper(), raw)]
    try:
        candidates.append(unquote_to_bytes(raw).decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return list(dict.fromkeys(candidates))
