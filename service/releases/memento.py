"""Time travel over releases (Memento, RFC 7089): which releases hold a version of a resource, which one
was current at a datetime, and the TimeMap that lists them.

A resource's *mementos* are the kept releases in which its description changed (it appeared, or a
triple with it as subject or object was added or removed: ``changes``) and that describe it; each
memento's datetime (``Memento-Datetime``) is its release's publication time, to the second. A
TimeGate asked for datetime *d* picks the newest of those at or before *d*, or the first when *d*
is earlier than all (RFC 7089 §4: the closest); if the resource was removed by the release
current at *d*, there is no memento (404).

    parse_datetime(header) -> datetime           Accept-Datetime (RFC 7089 §2.1.1), InputError if malformed
    timeline(history, iri=None, graph=None) -> [Version]   oldest first
    select(timeline, when) -> Version or None
    link_format(...), as_json(...)               the TimeMap in application/link-format and JSON
"""

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from ..errors import InputError
from ..stores.releases import http_date, release_time
from .changes import change_set

LINK_FORMAT = "application/link-format"
HTTP_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT"
)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()  # as datetime.weekday() numbers them (not the locale's names)
EXISTS = "ASK { { ?r ?p ?o } UNION { ?s ?q ?r } }"
_summaries = {}  # (history folder, release, previous kept release) -> (resources, graphs) that changed in it
_summaries_lock = threading.Lock()
_timelines = {}  # (history folder, kept releases, iri, graphs) -> (Version, ...)
TIMELINES = 10_000


@dataclass(frozen=True)
class Version:
    """A release in which a resource changed: ``exists`` False when the change removed it."""

    release: str
    when: datetime
    exists: bool


def parse_datetime(header):
    """The datetime of an Accept-Datetime header: an RFC 1123 date in GMT, as RFC 7089 §2.1.1 requires
    (``Thu, 31 May 2007 20:35:00 GMT``); InputError (400) for anything else."""
    match = HTTP_DATE.fullmatch((header or "").strip())
    try:
        day, month, year, hour, minute, second = match.groups()
        when = datetime(int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second),
                        tzinfo=UTC)
        if not header.strip().startswith(DAYS[when.weekday()] + ","):  # the weekday must be that date's
            raise ValueError
        return when
    except (AttributeError, ValueError):
        raise InputError(
            "Accept-Datetime must be an HTTP date in GMT, as RFC 7089 says: e.g. "
            f"'{http_date(datetime.now(UTC))}'; got {str(header)[:60]!r}"
        ) from None


def timeline(history, iri=None, graphs=()):
    """[Version] of a resource (``iri``) or of a document made of named graphs (``graphs``), oldest first.

    Kept per set of kept releases (up to TIMELINES of them): every resource page lists its
    versions, and they change only when a release is published or pruned."""
    names = tuple(history.names())
    key = (str(history.folder), names, iri, tuple(graphs))
    with _summaries_lock:
        found = _timelines.get(key)
    if found is None:
        found = _timeline(history, names, iri, graphs)
        with _summaries_lock:
            if len(_timelines) >= TIMELINES:
                _timelines.clear()
            _timelines[key] = found
    return list(found)


def _timeline(history, names, iri, graphs):
    versions = []
    for release in names:
        if history.previous(release) is None:  # the first kept release: what it holds is new in it (no change set)
            if _holds(history, release, iri, graphs):
                versions.append(Version(release, release_time(release), True))
            continue
        resources, changed = _changed(history, release)
        if (iri and iri in resources) or set(graphs) & changed:
            versions.append(Version(release, release_time(release), _holds(history, release, iri, graphs)))
    return tuple(versions)


def _holds(history, release, iri, graphs):
    """Whether ``release`` describes ``iri`` (or holds one of ``graphs``)."""
    return _describes(history.view(release), iri) if iri else bool(set(graphs) & _graphs(history, release))


def _graphs(history, release):
    return {g.value for g in history.view(release).named_graphs()}


def mementos(versions):
    return [v for v in versions if v.exists]


def select(versions, when):
    """The version current at ``when`` (the newest at or before it; the first if ``when`` is earlier),
    None if there is none or the resource did not exist then."""
    earlier = [v for v in versions if v.when <= when]
    if earlier:
        return earlier[-1] if earlier[-1].exists else None
    return next(iter(mementos(versions)), None)


def _changed(history, release):
    key = (str(history.folder), release, history.previous(release))
    with _summaries_lock:
        if key in _summaries:
            return _summaries[key]
    changes = change_set(history, release)
    found = (frozenset(changes.resources), frozenset(changes.graphs))
    with _summaries_lock:
        _summaries[key] = found
    return found


def _describes(store, iri):
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return bool(store.query(EXISTS, substitutions={ox.Variable("r"): node}))


def link_format(original, timegate, timemap, json_timemap, mementos_at, licence=""):
    """The TimeMap as application/link-format (RFC 6690, RFC 7089 §5.1.1); ``mementos_at`` is
    [(memento URL, datetime)] oldest first."""
    span = f'; from="{http_date(mementos_at[0][1])}"; until="{http_date(mementos_at[-1][1])}"' if mementos_at else ""
    links = [
        f'<{original}>; rel="original"',
        f'<{timemap}>; rel="self"; type="{LINK_FORMAT}"{span}',
        f'<{json_timemap}>; rel="alternate"; type="application/json"',
        f'<{timegate}>; rel="timegate"',
    ]
    extra = f'; license="{licence}"' if licence else ""
    for n, (url, when) in enumerate(mementos_at):
        rel = " ".join(filter(None, ["first" if n == 0 else "", "last" if n == len(mementos_at) - 1 else "",
                                     "memento"]))
        links.append(f'<{url}>; rel="{rel}"; datetime="{http_date(when)}"{extra}')
    return ",\n".join(links) + "\n"


def as_json(original, timegate, timemap, json_timemap, mementos_at):
    """The TimeMap as JSON, in the shape Memento aggregators use (original_uri, timegate_uri,
    timemap_uri, mementos: first, last, list of {datetime, uri})."""
    listed = [{"datetime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "uri": url} for url, when in mementos_at]
    document = {"original_uri": original, "timegate_uri": timegate,
                "timemap_uri": {"link_format": timemap, "json_format": json_timemap},
                "mementos": {"list": listed}}
    if listed:
        document["mementos"].update(first=listed[0], last=listed[-1])
    return document
