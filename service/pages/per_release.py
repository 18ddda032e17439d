"""Values computed once per release and kept in this process: a release never changes, so they
never go stale, and only the current release's are kept."""

import threading

_values = {}
_lock = threading.Lock()


def per_release(store, name, compute):
    """``compute(store)`` for the store's current release, computed on first use, then kept."""
    release = (id(store), getattr(store, "current_release", lambda: None)())
    with _lock:
        if (name, release) in _values:
            return _values[(name, release)]
    value = compute(store)
    with _lock:
        for key in [k for k in _values if k[1] != release]:
            del _values[key]  # another release's (or store's) values
        _values[(name, release)] = value
    return value
