"""The build pipeline in-process: graph naming, provenance, and imports of dataset files."""

import shutil

from service import iris
from service.pipeline.build import PROVENANCE, graph_name, import_files
from service.stores.embedded import EmbeddedStore

from .conftest import ROOT

ICRC = "https://w3id.org/rcrc/id/organisation/icrc"


def test_graph_names_follow_the_source_file():
    assert graph_name(ROOT / "data" / "pages" / "SP320067.txt", ROOT / "data") == iris.graph("pages/SP320067")
    assert graph_name(ROOT / "data" / "conferences.tsv", ROOT) == iris.graph("data/conferences")
    assert graph_name("/elsewhere/SP320099.html", ROOT) == iris.graph("pages/SP320099")
    assert graph_name("/elsewhere/extra.ttl", ROOT) == iris.graph("imports/extra")


def test_every_named_graph_has_provenance(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    described = {row["g"].value for row in store.query(
        f"SELECT ?g WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <http://purl.org/dc/terms/isPartOf> ?release }} }}"
    )}
    graphs = {g.value for g in store.named_graphs()} - {str(PROVENANCE)}
    assert graphs and graphs <= described


def test_a_trig_import_lands_in_its_own_graph_and_keeps_the_rest(tmp_path, real_store_dir):
    root = tmp_path / "store"
    shutil.copytree(real_store_dir, root, symlinks=True)
    extra = tmp_path / "labels.trig"
    extra.write_text(
        f'<urn:x-any:graph> {{ <{ICRC}> <http://www.w3.org/2004/02/skos/core#altLabel> "CICR"@fr . }}\n'
    )
    store = EmbeddedStore(root)
    before = sum(1 for _ in store.quads())
    release, report, new = import_files([extra], store, ROOT / "data")
    assert report.conforms and list(new) == [iris.graph("imports/labels")]
    store = EmbeddedStore(root)
    assert store.query(f'ASK {{ GRAPH <{iris.graph("imports/labels")}> {{ <{ICRC}> ?p "CICR"@fr }} }}')
    assert sum(1 for _ in store.quads()) > before
