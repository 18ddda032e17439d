"""Settings, declared once as data: name, default, help.

The table feeds the app config, the environment variables (``PLEDGEGRAPH_<NAME>``), the CLI's
``--help`` and the README. Nothing else in the package reads the environment.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError
from .namespaces import BASE


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("DATA_DIR", "data", "folder of source data that `build` imports"),
    Setting("STORE_DIR", "var/store", "folder of the embedded store's releases"),
    Setting("QUERIES_DIR", "", "folder of named queries (*.rq); empty: the project's queries/"),
    Setting("BASE_IRI", BASE, "canonical base of every IRI in the data"),
    Setting("PROXY_HOPS", 0, "reverse proxies in front of the service whose X-Forwarded-* headers are trusted"),
    Setting("DATA_LICENSE", "", "IRI of the data licence, in /.well-known/void; empty: a note says it is undecided"),
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
    Setting("KEEP_RELEASES", 3, "published releases kept on disk (readers may still hold older ones)"),
    Setting("STORE_URL", "", "SPARQL query endpoint of a remote store; empty: the embedded store"),
    Setting("UPDATE_URL", "", "SPARQL Update endpoint of the remote store (default: STORE_URL)"),
    Setting("STORE_USER", "", "user name for the remote store (never logged)"),
    Setting("STORE_PASSWORD", "", "password for the remote store (never logged)"),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}
ENV_PREFIX = "PLEDGEGRAPH_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout: ontology/, shapes/, queries/, data/


def coerce(name, raw):
    """Turn a raw string setting into the type of its default, with a readable error."""
    default = DEFAULTS[name]
    if isinstance(default, str):
        return raw
    try:
        return type(default)(raw)
    except ValueError:
        raise InputError(f"setting {name} must be a {type(default).__name__}, got {raw!r}") from None


def settings_from(environ, overrides=None):
    """Defaults, then PLEDGEGRAPH_* variables from ``environ``, then explicit overrides."""
    config = dict(DEFAULTS)
    for name in DEFAULTS:
        if ENV_PREFIX + name in environ:
            config[name] = coerce(name, environ[ENV_PREFIX + name])
    config.update(overrides or {})
    return config


def languages(config):
    """The label language chain as a list."""
    return [lang.strip() for lang in config["LANGUAGES"].split(",") if lang.strip()]


LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trusted_hosts(config):
    """Flask's TRUSTED_HOSTS from the setting: a list of names, or None to trust any ``*``."""
    raw = config["TRUSTED_HOSTS"]
    names = [n.strip() for n in (raw.split(",") if isinstance(raw, str) else raw) if n.strip()]
    if "*" in names:
        return None
    if names:
        return names
    public = urlsplit(config.get("PUBLIC_BASE") or "").hostname
    return [*LOOPBACK_HOSTS, *([public] if public else [])]
