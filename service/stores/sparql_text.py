"""SPARQL text read as tokens, and the dataset a query names in its FROM / FROM NAMED clauses.

The tokenizer skips strings, IRIs, comments, variables, prefixed names and language tags whole,
so a keyword inside a literal, a comment or a name (``"FROM"``, ``?from``, ``ex:from``) is never
taken for one. ``FROM`` is a keyword of the dataset clause only (SPARQL 1.1 Query §13.2; a
sub-select has none), so every ``FROM`` token starts one. ``capped_select`` gives a SELECT query
an outermost LIMIT, so the engine stops at a row cap instead of the caller reading rows to find it.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import urljoin

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# Words that only an update can contain; none of them is a keyword of the query grammar.
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
TOKEN = re.compile(
    r"""
    (?P<string>'''(?:[^'\\]|\\.|'{1,2}(?!'))*'''
              |\"\"\"(?:[^"\\]|\\.|"{1,2}(?!"))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'
              |"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<comment>\#[^\n\r]*)
    |(?P<var>[?$][\w\u00b7-\uffff]+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<word>(?:[\w:\u00b7-\uffff]|\\.)(?:[\w\-.:%\u00b7-\uffff]|\\.)*)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
OPENERS, CLOSERS = "({[", ")}]"
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def tokens(text):
    """The significant tokens of ``text`` as regex matches (spaces and comments dropped)."""
    return (m for m in TOKEN.finditer(text) if m.lastgroup not in ("space", "comment"))


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query's own dataset clause names, as absolute IRI strings."""

    default: tuple = ()
    named: tuple = ()


def query_dataset(text):
    """The dataset named by the query's FROM / FROM NAMED clauses, or None when it names none.

    Prefixed names are expanded with the query's PREFIX declarations and relative IRIs resolved
    against its BASE; a name that cannot be expanded is kept as written (it names no graph).
    """
    # The pages ask the same few short queries at every request; a user's query is read once.
    return _short_query_dataset(text) if len(text) <= SHORT_QUERY else _query_dataset(text)


SHORT_QUERY = 4096  # characters: what the cache below may hold per entry


@functools.lru_cache(maxsize=256)
def _short_query_dataset(text):
    return _query_dataset(text)


def _query_dataset(text):
    default, named, found = [], [], False
    prefixes, base = {}, None
    items = list(tokens(text))
    for i, match in enumerate(items):
        word = match.group().upper() if match.lastgroup == "word" else None
        after = items[i + 1 : i + 4]
        if word == "BASE" and after and after[0].lastgroup == "iri":
            base = _resolve(after[0].group()[1:-1], base)
        elif word == "PREFIX" and len(after) >= 2 and after[1].lastgroup == "iri":
            prefixes[after[0].group().rstrip(":")] = _resolve(after[1].group()[1:-1], base)
        elif word == "FROM":
            found = True
            is_named = bool(after) and after[0].group().upper() == "NAMED"
            for target in after[1:2] if is_named else after[:1]:
                (named if is_named else default).append(_iri(target, prefixes, base))
    return QueryDataset(tuple(default), tuple(named)) if found else None


def without_dataset(text):
    """``text`` with every FROM / FROM NAMED clause removed (for a store given the dataset by protocol)."""
    items = list(tokens(text))
    cuts = []
    for i, match in enumerate(items):
        if match.lastgroup == "word" and match.group().upper() == "FROM":
            last = i + 2 if i + 1 < len(items) and items[i + 1].group().upper() == "NAMED" else i + 1
            end = items[min(last, len(items) - 1)].end()
            cuts.append((match.start(), end))
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text


def capped_select(text, rows):
    """``text`` with at most ``rows`` solutions, by its outermost LIMIT (SPARQL 1.1 Query §18.2.5.3):
    ``LIMIT rows`` is added when it has none, a larger LIMIT is lowered, a smaller one kept.

    Only the solution modifiers of the query itself count: those of a sub-select, a FILTER
    EXISTS or a trailing VALUES block are inside brackets or after the modifiers. An OFFSET
    stays as it is (the limit counts after it), and so does ORDER BY (the first ``rows`` in that
    order). None when ``text`` is not a SELECT query or its modifiers cannot be read (the engine
    then reports any syntax error on the text as written).
    """
    depth, form, modifiers, limit, end = 0, None, False, None, None
    items = list(tokens(text))
    for i, match in enumerate(items):
        kind, value = match.lastgroup, match.group()
        word = value.upper() if kind == "word" and depth == 0 else None
        if word in FORMS:
            form = form or word
        elif kind == "other" and value in OPENERS:
            depth += 1
        elif kind == "other" and value in CLOSERS:
            depth -= 1
            modifiers = modifiers or (depth == 0 and value == "}")  # the WHERE group ended
        elif modifiers and word == "VALUES":
            break  # the trailing VALUES block: the modifiers end before it
        elif modifiers and word == "LIMIT":
            following = items[i + 1] if i + 1 < len(items) else None
            if following is None or not (following.group().isascii() and following.group().isdigit()):
                return None
            limit = following
        if depth < 0:
            return None
        end = match
    if form != "SELECT" or not modifiers or depth != 0:
        return None
    if limit is not None:
        if int(limit.group()) <= rows:
            return text
        return f"{text[:limit.start()]}{rows}{text[limit.end():]}"
    return f"{text[:end.end()]} LIMIT {rows}{text[end.end():]}"


def _iri(match, prefixes, base):
    value = match.group()
    if match.lastgroup == "iri":
        return _resolve(value[1:-1], base)
    prefix, _, local = value.rstrip(".").partition(":")
    if prefix not in prefixes:
        return value
    return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


def _resolve(iri, base):
    return urljoin(base, iri) if base else iri
