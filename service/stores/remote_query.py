"""Query text for a remote store: the query form, substitutions as VALUES, the protocol dataset.

The text is read as tokens (strings, IRIs, comments skipped whole), never as substrings, so a
keyword inside a literal or a comment changes nothing. Substituted terms are serialised by
pyoxigraph (N-Triples syntax, escaped) and placed in a VALUES block: values, never syntax.
"""

import pyoxigraph as ox

from ..errors import InputError
from .remote_publish import EMPTY
from .sparql_text import FORMS, UPDATE_WORDS, query_dataset, tokens


def query_form(text):
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first keyword; InputError for an update."""
    for match in tokens(text):
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
    for match in tokens(text):
        kind, value = match.lastgroup, match.group().upper()
        if kind == "word" and depth == 0 and value in FORMS:
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


def dataset_params(published, text, default_graph=None, named_graphs=None):
    """Protocol dataset parameters for ``text``: the rules of ``stores.interface``, among published graphs.

    The store is sent the dataset by protocol always (and ``text`` without its FROM clauses, see
    ``RemoteStore.query``), so a graph that is not published (staging, the pointer) is never
    read: naming one gives an empty graph, as naming an unknown graph does.
    """
    allowed = set(published)

    def only_published(graphs):
        if not isinstance(graphs, (list, tuple)):
            graphs = [graphs]
        values = [g.value if isinstance(g, ox.NamedNode) else g for g in graphs]
        return [g for g in values if isinstance(g, str) and g in allowed] or [EMPTY.value]

    if default_graph is None and named_graphs is None:
        declared = query_dataset(text)
        if declared is None:  # the union of what is published, and every published graph by name
            defaults, named = list(published) or [EMPTY.value], list(published) or [EMPTY.value]
        else:
            defaults, named = only_published(declared.default), only_published(declared.named)
    else:
        defaults, named = only_published(default_graph or []), only_published(named_graphs or [])
    return [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]
