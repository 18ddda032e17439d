"""Query text for a remote store: the query form, substitutions as VALUES, the protocol dataset.

The text is read as tokens (strings, IRIs, comments skipped whole), never as substrings, so a
keyword inside a literal or a comment changes nothing. Substituted terms are serialised by
pyoxigraph (N-Triples syntax, escaped) and placed in a VALUES block: values, never syntax.
"""

import re

import pyoxigraph as ox
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, SELECT

from ..errors import InputError
from .remote_publish import EMPTY

_TOKEN = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'{1,2}(?!'))*'''|\"\"\"(?:[^"\\]|\\.|"{1,2}(?!"))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n\r]*)
      |(?P<var>[?$][\w\u00b7-\uffff]+)
      |(?P<word>[\w:\u00b7-\uffff][\w\-.:%\\\u00b7-\uffff]*)
      |(?P<other>[{}])""",
    re.VERBOSE | re.DOTALL,
)


FORMS = (SELECT, ASK, CONSTRUCT, DESCRIBE)
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def query_form(text):
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first keyword; InputError for an update."""
    for match in _TOKEN.finditer(text):
        word = match.group().upper() if match.lastgroup == "word" else None
        if word in FORMS:
            return word
        if word in UPDATE_WORDS:
            raise InputError("an update is not a query")
    raise InputError("SPARQL syntax error: expected a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def where_group(text):
    """(start, end) offsets of the braces of the query's WHERE group; strings, IRIs, comments skipped.

    Also the offset of a CONSTRUCT WHERE short form's WHERE keyword (else None): its group is
    the template too, so it must be copied out before a VALUES block goes in.
    """
    depth, start, where, short, previous, form = 0, None, None, None, None, None
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group().upper()
        if kind == "word" and depth == 0 and value in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = form or value
        if kind == "word" and depth == 0 and value == "WHERE":
            where, start = match.start(), None
            short = where if previous == "CONSTRUCT" else None
        elif value == "{":
            if depth == 0 and start is None:
                start = match.start()
            depth += 1
        elif value == "}":
            depth -= 1
            if depth == 0 and (where is not None or form != "CONSTRUCT"):
                return start, match.end(), short
            if depth == 0:
                start = None  # a CONSTRUCT template: the WHERE group comes next
        if kind in ("word", "other"):
            previous = value
    raise InputError("SPARQL syntax error: the query has no WHERE group")


def with_values(text, substitutions):
    """The query with ``substitutions`` bound by a VALUES block at the top of its WHERE group."""
    names, terms = [], []
    for variable, term in substitutions.items():
        if not isinstance(variable, ox.Variable):
            variable = ox.Variable(str(variable).lstrip("?$"))  # validates the name
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise InputError(f"?{variable.value} can only be bound to an IRI or a literal on a remote store")
        names.append(str(variable))
        terms.append(str(term))  # N-Triples syntax, escaped by pyoxigraph: also valid SPARQL
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    start, end, short = where_group(text)
    if short is not None:  # CONSTRUCT WHERE { P }  ->  CONSTRUCT { P } WHERE { VALUES ... P }
        return text[:short] + text[start:end] + " WHERE {" + block + text[start + 1:]
    return text[: start + 1] + block + text[start + 1:]


def dataset_params(published, default_graph=None, named_graphs=None):
    """Protocol dataset parameters: the published graphs, or the caller's choice among them."""
    allowed = set(published)

    def only_published(graphs):
        if not isinstance(graphs, (list, tuple)):
            graphs = [graphs]
        chosen = [g.value for g in graphs if isinstance(g, ox.NamedNode) and g.value in allowed]
        return chosen or [EMPTY.value]

    defaults = published if default_graph is None else only_published(default_graph)
    named = published if named_graphs is None else only_published(named_graphs)
    defaults = defaults or [EMPTY.value]
    named = named or [EMPTY.value]
    return [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]
