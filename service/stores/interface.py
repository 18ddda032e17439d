"""The store interface both implementations provide, and the choice between them.

    current_release() -> str | None     name of the published release
    exists() -> bool                    whether anything is published
    query(sparql, *, substitutions=None, default_graph=None, named_graphs=None) -> pyoxigraph results
    quads(subject=None, predicate=None, obj=None, graph=None) -> iterator of pyoxigraph Quads
    named_graphs() -> [pyoxigraph NamedNode]
    dump(path)                          every quad of the current release, as N-Quads
    writer() -> context of the release    be the one writer from reading the current release to publishing
    publish(paths, release=None, expected=ANY) -> str
                                        a new release from dataset files, made current in one step;
                                        refused if ``expected`` is no longer the current release
    close()
    at(release) -> store                  the store pinned to one kept release (NotFound if none)
    release_names() -> [str]              the kept releases, oldest first

The dataset of ``query`` (SPARQL 1.1 Query §13, Protocol §2.1.4), the same on every store:

* ``default_graph`` / ``named_graphs`` given (the protocol's ``default-graph-uri`` /
  ``named-graph-uri``): they are the whole dataset; the one not given is empty;
* else the query's own ``FROM`` / ``FROM NAMED``: ``FROM NAMED`` alone leaves the default graph
  empty, ``FROM`` alone leaves no named graphs, and a graph the store does not hold is empty;
* else the default graph is the union of every published graph, and each is a named graph.

``EmbeddedStore`` (``stores.embedded``) keeps releases of an on-disk Oxigraph store;
``RemoteStore`` (``stores.remote``) keeps them in named graphs of a SPARQL 1.1 server.
"""

from .embedded import EmbeddedStore


def open_store(config, prepare=None):
    """The store the settings name: the embedded one unless STORE_URL is set. ``prepare``: what the
    embedded store runs on each release it publishes before the release becomes current (the
    entry points pass ``dataset.prepare.prepare_release``); a remote store's readers build it on first use."""
    if config.get("STORE_URL"):
        from .remote import RemoteStore  # imported late: only remote deployments need it

        return RemoteStore.from_config(config)
    return EmbeddedStore(config["STORE_DIR"], keep=int(config["KEEP_RELEASES"]), keep_days=float(config["KEEP_DAYS"]),
                         prepare=prepare)
