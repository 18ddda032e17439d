"""Is a published release whole? A manifest of its files written at publication, checked at open.

RocksDB notices most damage itself when a release is opened (a store file missing or cut short),
but not all: a truncated MANIFEST opens as an *empty* store. So ``publish`` writes
``MANIFEST_NAME`` into the release (each store file and its size), and ``damage`` compares the
release with it before anyone reads it. Releases published before this existed have no manifest;
for them only RocksDB's own checks apply.
"""

import json
from pathlib import Path

MANIFEST_NAME = "pledgegraph-release.json"
CHECKED = ("*.sst", "MANIFEST-*", "CURRENT")  # what RocksDB needs to open a release read-only


def write_manifest(release_dir):
    """Record the size of every store file of ``release_dir`` (a release about to be published)."""
    release_dir = Path(release_dir)
    files = {p.name: p.stat().st_size for pattern in CHECKED for p in release_dir.glob(pattern)}
    (release_dir / MANIFEST_NAME).write_text(json.dumps({"files": files}, sort_keys=True), encoding="utf-8")


def damage(release_dir):
    """What is wrong with ``release_dir`` in plain words (no paths), or None if it looks whole."""
    release_dir = Path(release_dir)
    if not release_dir.is_dir():
        return "its folder is missing"
    try:
        manifest = json.loads((release_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None  # an older release: RocksDB's checks at open still apply
    except (OSError, ValueError):
        return "its manifest cannot be read"
    for name, size in sorted(manifest.get("files", {}).items()):
        path = release_dir / name
        if not path.is_file():
            return f"store file {name} is missing"
        if path.stat().st_size != size:
            return f"store file {name} has {path.stat().st_size} bytes instead of {size}"
    return None
