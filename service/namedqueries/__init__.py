"""Named queries: every queries/NAME.rq with its #+ metadata as an API, a form and a CLI command.

``catalog`` loads and checks the files and types parameters; ``api`` runs one page of an
answer; ``openapi`` describes the API; ``rdf`` publishes the queries as sh:SPARQLExecutable.
May import the base modules and sparql.
"""
