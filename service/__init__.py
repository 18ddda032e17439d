"""pledgegraph: the International Conference's pledges as linked data.

One package per wing of the system (DESIGN §3), layered so that imports only point down:

    base          config, errors, namespaces, formats, text, iris   (this folder)
    stores/       the store interface: embedded Oxigraph releases, remote SPARQL stores
    importers/    sources -> rdflib graphs: tables, pledge pages, RDF files, name matching
    pipeline/     build and import: the SHACL gate and one atomic publication
    sparql/       running user queries safely: checks, isolated executor, result writers
    namedqueries/ the queries/*.rq research questions, their API and OpenAPI description
    reconcile/    the W3C Reconciliation API's matching and data extension
    pages/        what a resource page, listing or search shows, as plain functions
    dataset/      the dataset as a whole: VoID/DCAT, dumps, counts, the home page chart
    web/          Flask blueprints, templates and static assets (the only Flask importer)
    app, cli, serving, __main__   entry points: the app factory, the CLI (the only click
                                  importer), the server (waitress)

Only the entry points read the environment.
"""
