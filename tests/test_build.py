"""The build pipeline in-process: graph naming, provenance, and imports of dataset files."""

import shutil

import pyoxigraph
import pytest

from service import iris
from service.pipeline.build import PROVENANCE, graph_name
from service.pipeline.incremental import import_files
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


def test_two_files_of_one_run_that_would_share_a_graph_are_both_reported(tmp_path):
    """/a/extra.ttl and /b/extra.ttl would both be graph/imports/extra: the second is refused, by path."""
    from service.pipeline.loading import load_all

    paths = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "extra.ttl"
        path.write_text(f'<{ICRC}> <http://www.w3.org/2004/02/skos/core#altLabel> "{folder}"@en .\n')
        paths.append(path)
    loaded = load_all(paths, ROOT, ROOT / "data")
    assert list(loaded.graphs) == [iris.graph("imports/extra")]
    (problem,) = loaded.problems
    assert problem.source == str(paths[1]) and str(paths[0]) in problem.message and "rename" in problem.message


def test_a_failing_file_does_not_stop_the_others(tmp_path):
    from service.pipeline.loading import load_all

    broken, fine = tmp_path / "broken.ttl", tmp_path / "fine.ttl"
    broken.write_text("<a> <b> ")
    fine.write_text(f'<{ICRC}> <http://www.w3.org/2004/02/skos/core#altLabel> "x"@en .\n')
    loaded = load_all([broken, fine], ROOT, ROOT / "data")
    assert [p.source for p in loaded.problems] == [str(broken)]
    assert iris.graph("imports/fine") in loaded.graphs


@pytest.mark.parametrize("folder, name, expected", [
    ("my data", "pledges.tsv", "my%20data/pledges"),
    ("data", "a b#c.txt", "data/a%20b%23c"),
    ("données", "x.ttl", "donn%C3%A9es/x"),
])
def test_graph_names_are_iris_whatever_the_folder_and_file_names(tmp_path, folder, name, expected):
    path = tmp_path / folder / name
    iri = graph_name(path, tmp_path)
    assert str(iri) == f"https://w3id.org/rcrc/graph/{expected}"
    pyoxigraph.NamedNode(str(iri))  # refuses anything that is not an IRI
