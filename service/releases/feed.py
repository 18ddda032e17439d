"""The feed of releases (Atom, RFC 4287): what each release changed, so a mirror can update incrementally.

One entry per kept release, newest first (at most ``ENTRIES``): its id is the release IRI, it
links to the release page (``alternate``), its RDF Patch (``related``, application/rdf-patch) and
the full list of changed resources (``related``, JSON), and its content lists the IRIs of the
resources whose description changed (at most ``LISTED`` per entry; the JSON has them all). A mirror
polls the feed, applies the patches it has not applied (each names the release it applies to), or
re-fetches the resources listed.
"""

from xml.sax.saxutils import escape, quoteattr

from ..stores.releases import release_time
from .changes import MEDIA_TYPE, change_set

ENTRIES = 50
LISTED = 1000
ATOM = "application/atom+xml"


def atom(history, base, public):
    """The feed as bytes; ``base`` mints the release IRIs, ``public`` is where the service is served."""
    names = list(reversed(history.names()))[:ENTRIES]
    updated = _time(names[0]) if names else "1970-01-01T00:00:00Z"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{escape(base)}releases/</id>",
        "<title>pledgegraph releases: what changed</title>",
        f"<updated>{updated}</updated>",
        "<author><name>pledgegraph</name></author>",
        f'<link rel="self" type="{ATOM}" href={quoteattr(public + "releases/feed.atom")}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(public + "releases/")}/>',
    ]
    parts += [_entry(history, base, public, release) for release in names]
    parts.append("</feed>\n")
    return "\n".join(parts).encode("utf-8")


def _entry(history, base, public, release):
    changes = change_set(history, release)
    home = f"{public}releases/{release}/"
    listed = changes.resources[:LISTED]
    more = len(changes.resources) - len(listed)
    items = "".join(f"<li><a href={quoteattr(iri)}>{escape(iri)}</a></li>" for iri in listed)
    tail = f"<p>… and {more} more: see the JSON list.</p>" if more else ""
    since = f" since release {changes.previous}" if changes.previous else " (the first kept release)"
    summary = (f"{changes.added} triples added and {changes.removed} removed in {len(changes.graphs)} graphs"
               f"{since}; {len(changes.resources)} resources changed.")
    return "\n".join([
        "<entry>",
        f"<id>{escape(base)}release/{release}</id>",
        f"<title>Release {release}</title>",
        f"<updated>{_time(release)}</updated>",
        f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>',
        f'<link rel="related" type="{MEDIA_TYPE}" title="RDF Patch" href={quoteattr(home + "changes")}/>',
        f'<link rel="related" type="application/json" title="changed resources" '
        f'href={quoteattr(home + "changes.json")}/>',
        f"<summary>{escape(summary)}</summary>",
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><ul>{items}</ul>{tail}</div></content>',
        "</entry>",
    ])


def _time(release):
    when = release_time(release)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else "1970-01-01T00:00:00Z"
