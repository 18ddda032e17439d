"""Named queries: ``queries/*.rq``, each with its metadata in ``#+`` YAML comment lines.

    #+ title: Pledges citing a resolution
    #+ description: Every pledge that cites the given resolution, with who made it.
    #+ params:
    #+   - name: resolution
    #+     type: iri
    #+     required: true
    #+     description: the resolution's IRI
    #+     example: https://w3id.org/rcrc/id/resolution/31/3
    SELECT ... WHERE { ?pledge rcrc:citesResolution ?resolution ... }

The file stem is the query's name (its URL slug). Bad metadata is an error at load time,
not a silent fallback. Parameter values are bound as pyoxigraph ``substitutions`` (typed
terms), never spliced into the text. pyoxigraph binds only variables that a SELECT projects,
so a SELECT query lists its parameters among its result columns. A parameter left empty
without a default stays unbound: the query then answers for every value.

Types: iri, string, integer, decimal, boolean, date (YYYY-MM-DD), year (xsd:gYear).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..config import PROJECT_ROOT
from ..errors import InputError, PledgegraphError
from ..importers.names import did_you_mean
from ..namespaces import PREFIXES
from ..sparql.check import check_query

QUERIES_DIR = PROJECT_ROOT / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
QUERY_KEYS = {"title", "description", "params"}
PARAM_KEYS = {"name", "type", "required", "default", "description", "example"}


class QueryFileError(PledgegraphError):
    """A query file in queries/ is broken: a fault of the deployment, not of the request."""


def _typed(datatype, check):
    def convert(text):
        check(text)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))

    return convert


def _integer(text):
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError("not an integer")


def _decimal(text):
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueError("not a decimal number") from None


def _boolean(text):
    if text not in ("true", "false"):
        raise ValueError("not true or false")


def _pattern(regex, what):
    def check(text):
        if not re.fullmatch(regex, text):
            raise ValueError(f"not {what}")

    return check


SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(\S*)")  # an IRI has no spaces: "Migration: Ensuring …" is a label


def expand(text):
    """``text`` with a prefix of the service's own (``rcrcid:theme/migration``, README "Prefixes")
    expanded; anything else as it is."""
    scheme = SCHEME.fullmatch(text)
    if scheme and scheme.group(1) in PREFIXES and not scheme.group(2).startswith("//"):
        return PREFIXES[scheme.group(1)] + scheme.group(2)
    return text


def _iri(text):
    if not SCHEME.fullmatch(text):
        raise ValueError("not an absolute IRI")
    return ox.NamedNode(expand(text))


# Parameter type -> converter from the text a user sends to a pyoxigraph term.
TYPES = {
    "iri": _iri,
    "string": lambda text: ox.Literal(text),
    "integer": _typed("integer", _integer),
    "decimal": _typed("decimal", _decimal),
    "boolean": _typed("boolean", _boolean),
    "date": _typed("date", _pattern(r"-?\d{4,}-\d\d-\d\d", "a date (YYYY-MM-DD)")),
    "year": _typed("gYear", _pattern(r"-?\d{4,}", "a year (YYYY)")),
}


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, bound to the query variable of the same name."""

    name: str
    type: str
    required: bool
    default: object
    description: str
    example: object

    def convert(self, value):
        """The pyoxigraph term for ``value``; InputError naming the parameter when it does not fit."""
        if isinstance(value, bool):  # YAML and JSON booleans
            value = "true" if value else "false"
        try:
            return TYPES[self.type](str(value).strip())
        except ValueError as exc:
            raise InputError(f"parameter {self.name!r} must be of type {self.type}: {exc}") from None


@dataclass(frozen=True)
class NamedQuery:
    """A query file: name, title, description, parameters, SPARQL text and form."""

    name: str
    title: str
    description: str
    params: tuple
    text: str
    form: str

    def bind(self, values, strict=True):
        """Substitutions (Variable -> term) for ``values``; defaults fill gaps; unknown names refused."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if strict and unknown:
            hints = "".join(did_you_mean(name, known) for name in unknown[:3])
            raise InputError(f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                             f"its parameters are {', '.join(sorted(known)) or '(none)'}{hints}")
        bound = {}
        for param in self.params:
            value = values.get(param.name)
            if value is None or value == "":
                value = param.default
            if value is None:
                if param.required:
                    raise InputError(f"parameter {param.name!r} is required by query {self.name!r}")
                continue
            bound[ox.Variable(param.name)] = param.convert(value)
        return bound

    def example_text(self):
        """The query for people to read and edit: metadata lines dropped, examples in a VALUES clause."""
        lines = [line for line in self.text.splitlines() if not line.startswith("#+")]
        text = f"# {self.title}\n# {' '.join(self.description.split())}\n" + "\n".join(lines).strip() + "\n"
        bound = self.bind(self.example_values())
        for variable, term in bound.items():  # our own examples, written as SPARQL terms
            text += f"VALUES {variable} {{ {term} }}\n"
        return text

    def example_values(self):
        """The example value of every parameter (tests run each query with them)."""
        return {p.name: p.example for p in self.params if p.example is not None}


def load_queries(folder=None):
    """Every named query in ``folder`` (default: the project's queries/), by name; loud on errors."""
    folder = Path(folder or QUERIES_DIR)
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.rq")))
    return _load(str(folder), stamp)


@lru_cache(maxsize=8)
def _load(folder, stamp):
    return {path.stem: load_query(path) for path in sorted(Path(folder).glob("*.rq"))}


def load_query(path):
    """One named query from its file; QueryFileError says what is wrong and where."""
    path = Path(path)
    try:
        return _parse(path)
    except (ValueError, TypeError, yaml.YAMLError, InputError) as exc:
        raise QueryFileError(f"{path.name}: {exc}") from None


def _parse(path):
    if not NAME.match(path.stem):
        raise ValueError("file name must be a lower-case slug (letters, digits, hyphens)")
    text = path.read_text(encoding="utf-8")
    meta = _metadata(text)
    params = tuple(_param(item, text) for item in meta.get("params") or [])
    if len({p.name for p in params}) != len(params):
        raise ValueError("two parameters share a name")
    form = check_query(text).form
    _check_syntax(text, params)
    return NamedQuery(path.stem, _text(meta, "title"), _text(meta, "description"), params, text, form)


def _metadata(text):
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise ValueError("no '#+' metadata lines (title, description, params)")
    meta = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    if not isinstance(meta, dict):
        raise ValueError("metadata must be a YAML mapping")
    extra = set(meta) - QUERY_KEYS
    if extra:
        raise ValueError(f"unknown metadata key(s): {', '.join(sorted(extra))}")
    return meta


def _text(meta, key):
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"metadata needs a non-empty {key!r}")
    return value.strip()


def _param(item, text):
    if not isinstance(item, dict):
        raise ValueError("each parameter must be a mapping")
    extra = set(item) - PARAM_KEYS
    if extra:
        raise ValueError(f"unknown parameter key(s): {', '.join(sorted(extra))}")
    name = item.get("name")
    if not isinstance(name, str) or not PARAM_NAME.match(name):
        raise ValueError(f"parameter name {name!r} is not a SPARQL variable name")
    if not re.search(r"[?$]" + name + r"\b", text):
        raise ValueError(f"parameter {name!r} is not a variable of the query")
    if item.get("type") not in TYPES:
        raise ValueError(f"parameter {name!r}: type must be one of {', '.join(TYPES)}")
    required = item.get("required", False)
    if not isinstance(required, bool):
        raise ValueError(f"parameter {name!r}: required must be true or false")
    param = Param(name, item["type"], required, item.get("default"), _text(item, "description"), item.get("example"))
    if param.example is None:
        raise ValueError(f"parameter {name!r} needs an example")
    for value in (param.default, param.example):
        if value is not None:
            param.convert(value)
    return param


def _check_syntax(text, params):
    # An empty in-memory store parses and runs the query in microseconds: syntax errors
    # surface at load time, not at a user's first request.
    try:
        ox.Store().query(text, substitutions={ox.Variable(p.name): p.convert(p.example) for p in params})
    except SyntaxError as exc:
        raise ValueError(f"SPARQL syntax error: {exc}") from None
    except (RuntimeError, OSError) as exc:  # e.g. a parameter that SELECT does not project
        raise ValueError(str(exc)) from None
