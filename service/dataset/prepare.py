"""What a publication prepares before its release becomes current: the page index and the dumps.

``prepare_release`` is the embedded store's ``prepare`` step (``stores.embedded.staged``): called
with the release being published (``stores.prepare_view``), it writes the release's page index
(``pages.prepared``: listings, facets, orders, search, home figures) and its three dumps with
their checksums, so no request ever waits for either. Returns how long each took, in seconds.
"""

import time
from pathlib import Path

from ..pages.home_figures import figures
from ..pages.prepared import build_index, index_folder
from .dumps import ensure_dumps


def prepare_release(release):
    """Build the page index and the dumps of ``release`` (a store-like view of it); {step: seconds}."""
    start = time.perf_counter()
    build_index(release, index_folder(release), release.current_release(), figures)
    indexed = time.perf_counter()
    ensure_dumps(release, Path(release.root) / "dumps", release.current_release())
    return {"page index": indexed - start, "dumps": time.perf_counter() - indexed}
