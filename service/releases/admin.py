"""`pledgegraph release ACTION ARGS...`: the kept releases for an operator, as lines of text.

    list [--format json]      every kept release, oldest first: triples, tags, permalinks citing it
    tag NAME RELEASE          keep RELEASE (an id, a tag or ``current``) for good under NAME
    untag NAME                remove a tag: its release follows the retention settings again
    prune                     apply KEEP_RELEASES / KEEP_DAYS now (the current, tagged and cited stay)
"""

import json

from ..errors import InputError

ACTIONS = ("list", "tag", "untag", "prune")
ARGUMENTS = {"list": (), "tag": ("NAME", "RELEASE"), "untag": ("NAME",), "prune": ()}


def release_command(history, action, args, fmt="text"):
    """The lines that answer ``action`` with ``args``; InputError for the wrong number of arguments."""
    wanted = ARGUMENTS[action]
    if len(args) != len(wanted):
        raise InputError(f"release {action} takes {' '.join(wanted) or 'no arguments'}; got {len(args)}")
    if action == "tag":
        return [f"release {history.tag(*args)} is tagged {args[0]}"]
    if action == "untag":
        history.untag(args[0])
        return [f"tag {args[0]} removed"]
    if action == "prune":
        gone = history.prune()
        return [f"removed {len(gone)} release(s)" + (": " + ", ".join(gone) if gone else "")]
    rows = history.listing()
    if fmt == "json":
        return [json.dumps(rows, indent=2)]
    return [_line(row) for row in rows]


def _line(row):
    marks = ["current"] * row["current"] + [f"tag {t}" for t in row["tags"]]
    marks += [f"cited by {row['permalinks']} permalink(s)"] * bool(row["permalinks"])
    return f"{row['release']}  {row['triples']:>9} triples  {', '.join(marks)}".rstrip()
