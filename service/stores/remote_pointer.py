"""The release pointer of a remote store: which release is current, and which graphs it has.

A pointer graph (``remote_publish.POINTER``) names the current release and its graphs; one
update request rewrites it when a release is published. Readers cache it for ``ttl`` seconds
(1 s): data is always the committed release; a release that adds graphs shows them to other
processes within that second.
"""

import time

from ..errors import StoreUnavailable
from . import remote_publish as pub
from .remote_protocol import safe_url

POINTER_QUERY = (
    f"SELECT ?release ?graph WHERE {{ GRAPH {pub.POINTER} {{ {pub.POINTER} "
    f"{pub.IDENTIFIER} ?release OPTIONAL {{ {pub.POINTER} {pub.HAS_PART} ?graph }} }} }}"
)


class ReleasePointer:
    """The current release of a remote store, read through ``protocol`` and cached briefly."""

    def __init__(self, protocol, ttl=1.0):
        self.protocol = protocol
        self.ttl = ttl
        self.cache = None  # (monotonic time, release, [graphs])

    def read(self, fresh=False):
        """(release or None, [graph IRIs]) of the current release."""
        cached = self.cache
        if not fresh and cached and time.monotonic() - cached[0] < self.ttl:
            return cached[1], cached[2]
        rows = list(self.protocol.select(POINTER_QUERY, [("named-graph-uri", pub.POINTER.value)]))
        release = rows[0]["release"].value if rows else None
        graphs = sorted({r["graph"].value for r in rows if r["graph"] and r["graph"] != pub.EMPTY})
        self.cache = (time.monotonic(), release, graphs)
        return release, graphs

    def published(self):
        """(release, [graph IRIs]); StoreUnavailable when nothing is published."""
        release, graphs = self.read()
        if release is None:
            raise StoreUnavailable(
                f"nothing is published on the store at {safe_url(self.protocol.query_url)}; "
                "run `pledgegraph build --store-url ...`"
            )
        return release, graphs

    def forget(self):
        """Drop the cached pointer: the next read asks the store."""
        self.cache = None
