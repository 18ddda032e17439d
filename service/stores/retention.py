"""Which published releases are kept: the retention policy, applied after every publication.

By default every release is kept, so every release stays addressable (``/releases/<id>/...``).
Two settings prune, each only when set (non-zero), and a release goes when it breaks either:

* ``KEEP_RELEASES`` = N: only the N newest releases;
* ``KEEP_DAYS`` = D: only releases published within the last D days.

Never pruned, whatever the settings: the current release, a tagged release
(``pledgegraph release tag``), and a release a query permalink points to (``stores.ledger``).
What belongs to a pruned release goes with it: its dumps, its page index, its change set and the
change set of the next kept release against it (made again, against the release before, when next asked for).
"""

import shutil
from datetime import UTC, datetime, timedelta

from .ledger import HISTORY
from .releases import release_time


def expired(names, current, keep=0, keep_days=0, protected=(), now=None):
    """The releases of ``names`` (any order) that the policy removes, oldest first."""
    newest_first = sorted(names, reverse=True)  # names are UTC timestamps: they sort by age
    now = now or datetime.now(UTC)
    gone = []
    for position, name in enumerate(newest_first):
        if name == current or name in protected:
            continue
        too_many = keep and position >= keep
        published = release_time(name)
        too_old = keep_days and published is not None and now - published > timedelta(days=keep_days)
        if too_many or too_old:
            gone.append(name)
    return sorted(gone)


def remove_release(root, name):
    """Delete release ``name`` under ``root`` (a STORE_DIR) and what was derived from it."""
    changes = root / HISTORY / "changes"  # its change set, and those of the releases after it against it
    for path in (root / "releases" / name, root / "dumps" / name, changes / name, *changes.glob(f"*/since-{name}"),
                 root / HISTORY / "facts" / f"{name}.json", root / "indexes" / f"{name}.sqlite",
                 root / "indexes" / f"{name}.sqlite.json"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
