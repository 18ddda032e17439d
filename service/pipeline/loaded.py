"""What stage 1 read: named graphs held as N-Triples text, with what the later stages need.

Each graph is read once into pyoxigraph triples (the parser is pyoxigraph's, ``rdf_files``), its
quoted texts are marked (``importers.quoted_text``), and it is kept as N-Triples text: the SHACL
engine reads that text, publication writes it as N-Quads, and a pass over the triples gives what
reports and name matching need (which graphs describe a resource, the facts names are matched
against). No store and no rdflib graph is built for the data; a store in memory is built only if a
report needs to query the data (``store``: explaining a violation, a SPARQL rule's message).
"""

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from ..errors import InputError
from ..importers.name_facts import FACT_PREDICATES
from ..importers.quoted_text import quoted_text_marks
from ..importers.terms import rdflib_graph, to_ox, to_rdflib
from ..namespaces import RCRC

NT = ox.RdfFormat.N_TRIPLES
DEFAULT = ox.DefaultGraph()
FACTS = {to_ox(p) for p in FACT_PREDICATES}
TYPE, RECORDS = to_ox(RDF.type), {to_ox(c) for c in (RCRC.Pledge, RCRC.PledgeReport, RCRC.ResolutionReport)}
# Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE, U+FFFF): a text holding
# one could be published but never written as RDF/XML or SPARQL XML results, so stage 1 refuses it.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NAMELESS = FACTS - {TYPE, to_ox(RCRC.conference), to_ox(DCTERMS.source)}  # what matching never reads of records


@dataclass
class Loaded:
    """Named graphs by IRI: the file each came from, its N-Triples text and size; what stage 1 found wrong."""

    files: dict = field(default_factory=dict)  # {graph IRI (rdflib URIRef): source path, or published name}
    texts: dict = field(default_factory=dict)  # {graph IRI: N-Triples bytes}
    counts: dict = field(default_factory=dict)  # {graph IRI: number of triples}
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)  # sentences worth a maintainer's attention
    _subjects: dict = field(default_factory=dict, repr=False)  # {subject (pyoxigraph term): {graph IRI}}
    _facts: dict = field(default_factory=dict, repr=False)  # {graph IRI: {predicate: [(s, o)]}}, rdflib terms
    _store: object = field(default=None, repr=False)
    _merged: dict = field(default=None, repr=False)

    @property
    def graphs(self):
        """The graph IRIs, in loading order."""
        return list(self.files)

    def add(self, name, source, path):
        """Make graph ``name`` hold ``source`` (pyoxigraph triples or quads, graph names ignored; or
        an rdflib Graph) with its quoted texts marked, replacing what it held."""
        self.remove(name)
        if isinstance(source, Graph):
            source = [ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in source]
        quads = {q if isinstance(q, ox.Quad) and q.graph_name == DEFAULT
                 else ox.Quad(q.subject, q.predicate, q.object) for q in source}
        _refuse_unwritable(quads, path)
        quads |= {ox.Quad(t.subject, t.predicate, t.object) for t in quoted_text_marks(quads)}
        # quads of the default graph: N-Quads is N-Triples
        self.texts[name] = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""
        self.counts[name] = len(quads)
        for subject in {q.subject for q in quads}:
            self._subjects.setdefault(subject, []).append(name)
        self._facts[name] = _facts(quads)
        self.files[name] = path
        self._store = self._merged = None

    def remove(self, name):
        if name in self.files:
            for graph in (self.files, self.texts, self.counts, self._facts):
                del graph[name]
            for names in self._subjects.values():
                if name in names:
                    names.remove(name)
            self._store = self._merged = None

    def graph(self, name):
        """Graph ``name`` as an rdflib Graph (small graphs: a dry run, tests)."""
        return rdflib_graph(ox.parse(self.texts[name], format=NT))  # lexical forms kept as written

    def triples(self):
        return sum(self.counts.values())

    def describing(self, subject):
        """The files of the graphs that describe ``subject`` (a pyoxigraph term), in loading order."""
        return [str(self.files[name]) for name in self._subjects.get(subject, ())]

    def shared_subjects(self):
        """{subject: [graph IRI]} of the subjects more than one graph describes, in loading order."""
        return {subject: names for subject, names in self._subjects.items() if len(names) > 1}

    def facts(self):
        """{predicate: [(subject, object)]} in rdflib terms, for name matching (``importers.names``)."""
        if self._merged is None:
            terms = {}  # each term converted once: subjects and values recur

            def term(t):
                found = terms.get(t)
                if found is None:
                    found = terms[t] = to_rdflib(t)
                return found

            self._merged = {p: [] for p in FACT_PREDICATES}
            for facts in self._facts.values():
                for predicate, pairs in facts.items():
                    self._merged[to_rdflib(predicate)].extend((term(s), term(o)) for s, o in pairs)
        return self._merged

    def store(self):
        """A pyoxigraph store in memory holding every graph (built on first use, for reports)."""
        if self._store is None:
            self._store = ox.Store()
            for name, text in self.texts.items():
                self._store.load(text, format=NT, to_graph=ox.NamedNode(str(name)))
        return self._store

    def write_nquads(self, handle, names=None):
        """Write the graphs (``names``, default all) to a binary file as N-Quads."""
        for name in self.files if names is None else names:
            suffix = f" <{name}> .\n".encode()
            handle.writelines(line[:-2] + suffix for line in self.texts[name].splitlines() if line)


def _facts(quads):
    """{predicate: [(s, o)]} of the fact predicates, pyoxigraph terms; the labels and countries of
    pledges and reports are left out (names are never matched against them: only their types,
    conferences and sources are read, to find the pledge a report is about)."""
    relevant = [q for q in quads if q.predicate in FACTS]
    records = {q.subject for q in relevant if q.predicate == TYPE and q.object in RECORDS}
    facts = {p: [] for p in FACTS}
    for q in relevant:
        if not (q.subject in records and q.predicate in NAMELESS):
            facts[q.predicate].append((q.subject, q.object))
    return facts


def _refuse_unwritable(quads, path):
    """InputError naming the first literal that holds a character XML cannot carry (see NOT_XML)."""
    for quad in quads:
        if isinstance(quad.object, ox.Literal) and (found := NOT_XML.search(quad.object.value)):
            raise InputError(f"{path}: the value of <{quad.predicate.value}> of {quad.subject} holds the control "
                             f"character U+{ord(found.group()):04X}, which RDF/XML and XML results cannot carry; "
                             "remove it from the source")
