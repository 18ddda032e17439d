"""Importers: source files -> rdflib graphs in the model of the ontology.

``tables`` (with ``table_rows``, ``table_pledges``) reads the TSV/CSV tables of data/;
``pledge_pages`` reads pages of the Conference's pledge database (text or HTML) in each of its
layouts (``layout_2015``, ``layout_2011``, ``layout_2019``, ``layout_reports``; ``page_rdf``);
``rdf_files`` parses RDF in every format, refusing hostile input; ``names`` matches names as
sources write them to the IRIs we know. May import the base modules only.
"""
