"""Stores: where published releases live, behind one interface (``stores.interface``).

``embedded`` keeps immutable Oxigraph releases on disk with an atomic ``current`` link;
``remote`` keeps them in named graphs of a SPARQL 1.1 server (Virtuoso, Fuseki, Oxigraph
server). May import the base modules only.
"""
