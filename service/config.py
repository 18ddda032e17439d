"""Settings, declared once as data: name, default, help.

The table feeds the app config, the environment variables (``PLEDGEGRAPH_<NAME>``), the CLI's
``--help`` and the README. Nothing else in the package reads the environment.

Folder settings are made absolute when settings load, against the working directory the
command was started in, so nothing later (Flask's ``send_file`` resolves relative paths against
the package, gunicorn workers, query processes) can read them against another folder.
"""

import math
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    folder: bool = False  # a path, made absolute when settings load


SETTINGS = (
    Setting("DATA_DIR", "data", "folder of source data that `build` imports", folder=True),
    Setting("STORE_DIR", "var/store", "folder of the embedded store's releases", folder=True),
    Setting("QUERIES_DIR", "", "folder of named queries (*.rq); empty: the project's queries/", folder=True),
    Setting("PROXY_HOPS", 0, "reverse proxies in front of the service whose X-Forwarded-* headers are trusted"),
    Setting(
        "DATA_LICENSE",
        CC0,
        "IRI of the data licence (CC0 1.0 by default), in VoID, DCAT and page footers; empty: none is stated",
    ),
    Setting("PUBLIC_BASE", "", "base URL the canonical IRIs are served under; empty: the request's host"),
    Setting(
        "TRUSTED_HOSTS", "",
        "host names the service answers to, comma-separated (.example.org: any subdomain; *: any); "
        "empty: localhost, 127.0.0.1 and the host of PUBLIC_BASE; other Host headers get 400",
    ),
    Setting("LANGUAGES", "en,fr,es,ar", "label language fallback chain for pages"),
    Setting("QUERY_TIMEOUT", 10.0, "wall-clock seconds a SPARQL query may run before it is stopped"),
    Setting("MAX_RESULT_ROWS", 10000, "rows (or triples) a query may return before it is cut, with a signal"),
    Setting("MAX_QUERY_BYTES", 100_000, "largest SPARQL query or request body accepted, in bytes"),
    Setting("MAX_NESTING", 64, "deepest nesting of braces and parentheses a query may have"),
    Setting("MAX_QUERY_MEMORY", 2048, "megabytes one query process may allocate (embedded store); 0: no cap"),
    Setting("MAX_CONCURRENT_QUERIES", 4, "queries run at once per service process; more wait up to 3 s, then 503"),
    Setting("KEEP_RELEASES", 0, "newest releases kept (0: every release); tagged and cited ones are always kept"),
    Setting("KEEP_DAYS", 0.0, "days a release is kept after it is published (0: for ever); tagged and cited ones stay"),
    Setting("PERMALINKS_PER_HOUR", 30, "query permalinks one client address may create per hour (then 429)"),
    Setting("PERMALINKS_PER_DAY", 1000, "query permalinks all clients together may create per day (then 429)"),
    Setting("STORE_URL", "", "SPARQL query endpoint of a remote store; empty: the embedded store"),
    Setting("UPDATE_URL", "", "SPARQL Update endpoint of the remote store (default: STORE_URL)"),
    Setting("STORE_USER", "", "user name for the remote store (never logged)"),
    Setting("STORE_PASSWORD", "", "password for the remote store (never logged)"),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}
FOLDERS = tuple(s.name for s in SETTINGS if s.folder)
ENV_PREFIX = "PLEDGEGRAPH_"
GONE = {  # settings that were removed, and what to do instead
    "BASE_IRI": "IRIs are always minted under https://w3id.org/rcrc/ (the ontology, shapes and data say so); "
    "set PLEDGEGRAPH_PUBLIC_BASE to serve them under another host",
}
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout: ontology/, shapes/, queries/, data/


def coerce(name, raw):
    """Turn a raw string setting into the type of its default, with a readable error."""
    default = DEFAULTS[name]
    if isinstance(default, str):
        return raw
    try:
        value = type(default)(raw)
    except ValueError:
        raise InputError(f"setting {name} must be a {type(default).__name__}, got {raw!r}") from None
    if not math.isfinite(value) or value < 0:  # every number setting is a count, a size or a time
        raise InputError(f"setting {name} must be a finite number of 0 or more, got {raw!r}")
    return value


def settings_from(environ, overrides=None, cwd=None):
    """Defaults, then PLEDGEGRAPH_* variables from ``environ``, then explicit overrides.

    Folder settings come back absolute, resolved against ``cwd`` (default: the working
    directory). An unknown PLEDGEGRAPH_* variable is an InputError naming it, so a typo or a
    removed setting is never silently ignored.
    """
    for name in sorted(k[len(ENV_PREFIX) :] for k in environ if k.startswith(ENV_PREFIX)):
        if name in GONE:
            raise InputError(f"{ENV_PREFIX}{name} is no longer a setting: {GONE[name]}")
        if name not in DEFAULTS:
            raise InputError(f"unknown setting {ENV_PREFIX}{name}; the settings are: {', '.join(DEFAULTS)}")
    config = dict(DEFAULTS)
    for name in DEFAULTS:
        if ENV_PREFIX + name in environ:
            config[name] = coerce(name, environ[ENV_PREFIX + name])
    config.update(overrides or {})
    for name in FOLDERS:
        if config[name]:
            config[name] = os.path.abspath(os.path.join(cwd or os.getcwd(), os.path.expanduser(str(config[name]))))
    config["PUBLIC_BASE"] = public_base(config["PUBLIC_BASE"])
    return config


def public_base(raw):
    """PUBLIC_BASE as a base every path is appended to: an absolute http(s) URL ending in ``/``
    (added if missing), or "" (the request's host). InputError for anything else."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InputError(f"setting PUBLIC_BASE must be an http(s) URL such as https://data.example.org/rcrc/ "
                         f"(no query or fragment), got {raw!r}")
    return raw if raw.endswith("/") else raw + "/"


def languages(config):
    """The label language chain as a list."""
    return [lang.strip() for lang in config["LANGUAGES"].split(",") if lang.strip()]


LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trusted_hosts(config):
    """Flask's TRUSTED_HOSTS from the setting: a list of names, or None to trust any ``*``."""
    raw = config["TRUSTED_HOSTS"]
    names = [n.strip().lower() for n in (raw.split(",") if isinstance(raw, str) else raw) if n.strip()]
    if "*" in names:
        return None
    if names:
        return names
    public = urlsplit(config.get("PUBLIC_BASE") or "").hostname
    return [*LOOPBACK_HOSTS, *([public] if public else [])]
