"""Importers: source files -> rdflib graphs in the model of the ontology.

``tables`` (with ``table_rows``, ``table_pledges``) reads the TSV/CSV tables of data/;
``pledge_pages`` reads pledge pages of the Conference's pledge database (text or HTML);
``rdf_files`` parses RDF in every format, refusing hostile input; ``names`` matches names as
sources write them to the IRIs we know. May import the base modules only.
"""
