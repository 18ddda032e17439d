"""Checks on a SPARQL query before any engine sees it (DESIGN §6).

pyoxigraph cannot be told to stay off the network or to stop a deep parse, so a query is
refused here when it is too big, nested too deep (a few thousand braces overflow the
engine's stack and kill the process), asks for ``SERVICE`` (the engine would fetch any URL
it names: SSRF) or is an update (the endpoint is read-only).

The check works on tokens, not substrings: strings, IRIs, comments, variables, prefixed
names and language tags are skipped whole, so ``"SERVICE"`` inside a literal, ``?service``
or ``ex:load`` are fine. The engine still parses the query itself; this only refuses.
"""

from dataclasses import dataclass

from ..errors import InputError, PayloadTooLarge, UnsafeInput
from ..stores.sparql_text import FORMS, UPDATE_WORDS, tokens

OPENERS = {"{": "}", "(": ")", "[": "]"}


@dataclass(frozen=True)
class QueryInfo:
    """What the check learned: the query form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""

    form: str

    @property
    def is_graph(self):
        """True for CONSTRUCT and DESCRIBE, which answer with RDF rather than a result table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def check_query(text, max_bytes=100_000, max_nesting=64):
    """Refuse oversized, too deep, SERVICE-using or update input; return the query's form."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise PayloadTooLarge(f"query is larger than {max_bytes} bytes")
    form, depth = None, 0
    for kind, value in _tokens(text):
        if kind == "word":
            form = _check_word(value.upper(), form)
        elif value in OPENERS:
            depth += 1
            if depth > max_nesting:
                raise UnsafeInput(f"query nests deeper than {max_nesting} levels of brackets")
        elif value in OPENERS.values():
            depth = max(0, depth - 1)
    if form is None:
        raise InputError("SPARQL syntax error: expected a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return QueryInfo(form)


def _check_word(word, form):
    if word == "SERVICE":
        raise UnsafeInput("SERVICE is not allowed: this endpoint does not query other endpoints")
    if word in UPDATE_WORDS:
        raise UnsafeInput(f"{word} is an update operation; this SPARQL endpoint is read-only and answers queries only")
    if form is None and word in FORMS:
        return word
    return form


def _tokens(text):
    """(kind, text) of every word and punctuation token; strings, IRIs and the like skipped whole."""
    for match in tokens(text):
        if match.lastgroup in ("word", "other"):
            yield match.lastgroup, match.group()
