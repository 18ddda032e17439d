"""The ledger beside the releases: tags and query permalinks, in one SQLite database.

    <STORE_DIR>/history/ledger.sqlite3

    tags        name -> release: a tagged release is kept whatever the retention settings say
    permalinks  id -> the query text, the release it is pinned to, the answer's checksums and size;
                a release a permalink points to is kept too

SQLite in WAL mode: any number of service processes read while one writes, and the writer of a
release (``build``, ``import``) reads the protected releases under its own lock before pruning.
Every call opens its own short connection, so the ledger is safe across threads and processes.
"""

import json
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError, NotFound
from .releases import NAME_PATTERN

HISTORY = "history"  # under STORE_DIR: the ledger, change sets and release facts
LEDGER = "ledger.sqlite3"
TAG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RESERVED_TAGS = {"current", "feed", "feed.atom", "latest"}  # names with a meaning of their own under /releases/
SCHEMA = """
CREATE TABLE IF NOT EXISTS tags (name TEXT PRIMARY KEY, release TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS permalinks (
    id TEXT PRIMARY KEY, release TEXT NOT NULL, query TEXT NOT NULL, form TEXT NOT NULL,
    max_rows INTEGER NOT NULL, rows INTEGER NOT NULL, truncated INTEGER NOT NULL,
    sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, checksums TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS permalinks_created ON permalinks (created);
"""
COLUMNS = ("id", "release", "query", "form", "max_rows", "rows", "truncated", "sha256", "bytes", "checksums",
           "created")


def now_text():
    """Now in UTC as ISO 8601 with seconds (what the ledger stores)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ledger:
    """Tags and permalinks of the releases under ``root`` (a STORE_DIR)."""

    def __init__(self, root):
        self.path = Path(root) / HISTORY / LEDGER

    def _connect(self, write=False):
        if not write and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        return connection

    def _rows(self, sql, args=()):
        connection = self._connect()
        if connection is None:
            return []
        with closing(connection):
            return connection.execute(sql, args).fetchall()

    # -- tags ---------------------------------------------------------------------------

    def tags(self):
        """{tag name: release} of every tag."""
        return dict(self._rows("SELECT name, release FROM tags ORDER BY name"))

    def tag(self, name, release):
        """Name ``release`` ``name`` for good; InputError for a malformed name or one naming another release."""
        if not TAG_NAME.fullmatch(name or "") or name.lower() in RESERVED_TAGS or re.fullmatch(NAME_PATTERN, name):
            raise InputError(f"a tag is up to 64 letters, digits, '.', '_' or '-', not starting with '.', '_' or "
                             f"'-', not shaped like a release id, not {', '.join(sorted(RESERVED_TAGS))}; "
                             f"{name[:70]!r} is not one")
        with closing(self._connect(write=True)) as connection:
            connection.execute("BEGIN IMMEDIATE")
            found = connection.execute("SELECT release FROM tags WHERE name = ?", (name,)).fetchone()
            if found and found[0] != release:
                connection.execute("ROLLBACK")
                raise InputError(f"tag {name} already names release {found[0]}; a tag never moves "
                                 f"(`pledgegraph release untag {name}` first if it is a mistake)")
            if not found:
                connection.execute("INSERT INTO tags VALUES (?, ?, ?)", (name, release, now_text()))
            connection.execute("COMMIT")

    def untag(self, name):
        """Remove a tag; NotFound if there is none of that name."""
        with closing(self._connect(write=True)) as connection:
            if connection.execute("DELETE FROM tags WHERE name = ?", (name,)).rowcount == 0:
                raise NotFound(f"no tag {name[:70]!r}")

    # -- permalinks ---------------------------------------------------------------------

    def permalink(self, ident):
        """The permalink ``ident`` as a dict (checksums decoded), or None."""
        rows = self._rows(f"SELECT {', '.join(COLUMNS)} FROM permalinks WHERE id = ?", (ident,))
        if not rows:
            return None
        record = dict(zip(COLUMNS, rows[0], strict=True))
        record["checksums"] = json.loads(record["checksums"])
        record["truncated"] = bool(record["truncated"])
        return record

    def add_permalink(self, record):
        """Store a permalink (a dict with every column); one already there is left as it is."""
        values = {**record, "checksums": json.dumps(record["checksums"], sort_keys=True),
                  "truncated": int(record["truncated"])}
        with closing(self._connect(write=True)) as connection:
            connection.execute(f"INSERT OR IGNORE INTO permalinks ({', '.join(COLUMNS)}) VALUES "
                               f"({', '.join('?' * len(COLUMNS))})", [values[c] for c in COLUMNS])

    def permalinks_since(self, when):
        """How many permalinks were created at or after ``when`` (ISO 8601 text)."""
        rows = self._rows("SELECT COUNT(*) FROM permalinks WHERE created >= ?", (when,))
        return rows[0][0] if rows else 0

    def pinned(self):
        """{release: number of permalinks pointing to it}."""
        return dict(self._rows("SELECT release, COUNT(*) FROM permalinks GROUP BY release"))

    def protected(self):
        """Releases that retention never removes: tagged, or pointed to by a permalink."""
        return set(self.tags().values()) | set(self.pinned())
