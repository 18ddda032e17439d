"""The facts names are matched against, read from a context: any graph, store or list of them.

Matching (``importers.names``) reads a few predicates: types, labels, countries, and for a report
page, the pledges' addresses and conferences. From an rdflib graph they are read whole; from a
pyoxigraph store only what matching uses is selected (``NAMED``, ``ADDRESSED``), so that a page
imported into a store of a million triples does not read the store whole.
"""

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import RCRC

LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
FACT_PREDICATES = (RDF.type, RCRC.country, RCRC.conference, DCTERMS.source, *LABELS)  # what matching reads


def context_facts(context):
    """{predicate: [(subject, object)]} for the few predicates matching needs, from any context.

    ``context``: an rdflib Graph or Dataset (all graphs), a pyoxigraph Store (what ``NAMED`` and
    ``ADDRESSED`` select: a large store is not read whole), anything with an
    ``oxigraph()`` method (service.stores.embedded.EmbeddedStore), facts it returned, a list of
    those, or None (nothing known).
    """
    predicates = FACT_PREDICATES
    if context is None:
        return {p: [] for p in predicates}
    if isinstance(context, dict):
        return context
    if isinstance(context, list):
        every = [context_facts(c) for c in context]
        return {p: [pair for facts in every for pair in facts[p]] for p in predicates}
    if hasattr(context, "oxigraph"):
        context = context.oxigraph()
    if isinstance(context, Graph):
        pattern = context.quads if context.context_aware else context.triples
        return {p: [(t[0], t[2]) for t in pattern((None, p, None))] for p in predicates}
    return _oxigraph_facts(context)


ORGANISATION_TYPES = (RCRC.Organisation, RCRC.MovementComponent, RCRC.NationalSociety, RCRC.Government,
                      RCRC.Observer)
# The classes whose members names are matched against (those a page names), and beyond them any
# class the ontology declares, but records (pledges and reports: many, never matched by name).
NAMED_CLASSES = (*ORGANISATION_TYPES, RCRC.Country, RCRC.Conference, RCRC.Resolution, RCRC.Theme, RCRC.PledgeType,
                 RCRC.PledgerCategory, RCRC.Region)
RECORDS = (RCRC.Pledge, RCRC.PledgeReport, RCRC.ResolutionReport)
# What matching reads of a store: the members of those classes, with their labels and countries, and
# the pledges that have an address (a report page is matched to its pledge by that address).
NAMED = f"""SELECT ?s ?class ?p ?o WHERE {{
    {{ VALUES ?class {{ {" ".join(f"<{c}>" for c in NAMED_CLASSES)} }} }}
    UNION {{ ?class a <{OWL.Class}> . FILTER (?class NOT IN ({", ".join(f"<{c}>" for c in RECORDS)})) }}
    ?s a ?class . OPTIONAL {{ ?s ?p ?o . VALUES ?p {{ {" ".join(f"<{p}>" for p in (*LABELS, RCRC.country))} }} }} }}"""
# The addresses first (a subquery): started from the pledges, the engine would read every pledge.
ADDRESSED = f"""SELECT ?s ?address ?conference WHERE {{
    {{ SELECT ?s ?address WHERE {{ ?s <{DCTERMS.source}> ?address }} }}
    ?s a <{RCRC.Pledge}> . OPTIONAL {{ ?s <{RCRC.conference}> ?conference }} }}"""


def _oxigraph_facts(store):
    """context_facts of a pyoxigraph store, as much as matching reads (NAMED, ADDRESSED)."""
    import pyoxigraph as ox

    def term(t):
        return URIRef(t.value) if isinstance(t, ox.NamedNode) else t.value

    facts = {p: [] for p in FACT_PREDICATES}
    found = set()  # (p, s, o): a resource of two classes comes twice with its labels
    for row in store.query(NAMED, use_default_graph_as_union=True):
        subject = URIRef(row["s"].value)
        found.add((RDF.type, subject, URIRef(row["class"].value)))
        if row["p"] is not None:
            found.add((URIRef(row["p"].value), subject, term(row["o"])))
    for predicate, subject, value in found:
        facts[predicate].append((subject, value))
    for row in store.query(ADDRESSED, use_default_graph_as_union=True):
        pledge = URIRef(row["s"].value)
        facts[RDF.type].append((pledge, RCRC.Pledge))
        facts[DCTERMS.source].append((pledge, term(row["address"])))
        if row["conference"] is not None:
            facts[RCRC.conference].append((pledge, term(row["conference"])))
    return facts
