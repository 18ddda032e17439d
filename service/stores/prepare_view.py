"""A release being published, seen as a read-only store: what the ``prepare`` step of a publication
reads to build the release's page index and dumps before the release becomes current.

It answers ``query`` with the dataset rules of ``stores.interface`` (the union of the graphs as
the default graph), ``dump``, and names the release and the store's folder like a pinned view.
"""

import pyoxigraph as ox


class ReleaseBeingPublished:
    """``store`` (a pyoxigraph Store holding release ``name``) of the embedded store at ``root``."""

    def __init__(self, store, name, root, kept):
        self.store, self.name, self.root, self.kept = store, name, root, kept

    def current_release(self):
        return self.name

    def release_names(self):
        """The kept releases once this one is published, oldest first."""
        return sorted(set(self.kept) | {self.name})

    def query(self, sparql, *, substitutions=None):
        return self.store.query(sparql, substitutions=substitutions, use_default_graph_as_union=True)

    def dump(self, path):
        self.store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
