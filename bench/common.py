"""What several benchmarks share: the real data/, built by the real build into a store."""

from pathlib import Path

from service.pipeline.build import build
from service.stores.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent


def real_store(directory):
    """Build data/ into an embedded store at ``directory``; returns the directory."""
    store = EmbeddedStore(directory)
    build(ROOT / "data", store)
    store.close()
    return directory
