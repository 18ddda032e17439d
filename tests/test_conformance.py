"""Conformance shown: every release keeps its SHACL report as RDF (graph/validation, described in
graph/provenance), and each resource page says whether the resource meets its shape and lists its
warnings in plain words."""

import shutil
from html import unescape

import pytest

from service import iris
from service.app import create_app
from service.pipeline.build import PROVENANCE
from service.pipeline.incremental import import_files
from service.pipeline.report_rdf import VALIDATION
from service.stores.embedded import EmbeddedStore

from .conftest import ROOT

SH = "http://www.w3.org/ns/shacl#"
# A pledge that names its conference and pledgers but none of what is merely expected.
SPARSE = """@prefix rcrc: <https://w3id.org/rcrc/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/rcrc/id/pledge/32/sparse-test-pledge> a rcrc:Pledge ;
    rdfs:label "A sparse test pledge"@en ;
    rcrc:conference <https://w3id.org/rcrc/id/conference/32> ;
    rcrc:pledgedBy <https://w3id.org/rcrc/id/organisation/icrc> .
"""
SPARSE_PAGE = "/doc/pledge/32/sparse-test-pledge"


@pytest.fixture(scope="module")
def warned_store(real_store_dir, tmp_path_factory):
    """The real release plus one pledge with warnings, imported the way `pledgegraph import` does."""
    root = tmp_path_factory.mktemp("warned") / "store"
    shutil.copytree(real_store_dir, root, symlinks=True)
    extra = root.parent / "sparse.ttl"
    extra.write_text(SPARSE)
    release, report, _ = import_files([extra], EmbeddedStore(root), ROOT / "data")
    assert release and report.conforms and report.warnings
    return root


def test_the_build_publishes_its_report_and_describes_it(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    assert store.query(
        f"ASK {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> a <{SH}ValidationReport> ; <{SH}conforms> true }} }}"
    )
    release = store.current_release()
    assert store.query(
        f"ASK {{ GRAPH <{PROVENANCE}> {{ <{VALIDATION}> <http://purl.org/dc/terms/isPartOf> "
        f"<https://w3id.org/rcrc/release/{release}> ; <http://www.w3.org/ns/prov#wasDerivedFrom> "
        f"<{iris.graph('shapes/rcrc-shapes')}> }} }}"
    )


def test_an_import_keeps_one_report_for_its_release(warned_store):
    store = EmbeddedStore(warned_store)
    results = list(
        store.query(
            f"SELECT ?path ?severity WHERE {{ GRAPH <{VALIDATION}> {{ ?r <{SH}focusNode> "
            f"<https://w3id.org/rcrc/id/pledge/32/sparse-test-pledge> ; <{SH}resultPath> ?path ; "
            f"<{SH}resultSeverity> ?severity }} }}"
        )
    )
    paths = {row["path"].value.rsplit("/", 1)[-1] for row in results}
    assert {"theme", "pledgeType", "pledgerCategory", "country", "source", "title"} <= paths
    assert {row["severity"].value for row in results} == {SH + "Warning"}
    reports = list(store.query(f"SELECT ?r WHERE {{ GRAPH <{VALIDATION}> {{ ?r a <{SH}ValidationReport> }} }}"))
    assert len(reports) == 1  # the import's own report replaced the build's
    assert store.query(f"ASK {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> <{SH}conforms> false }} }}")


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", ["with 6 warnings", "themes is expected, but the record does not give it."]),
        ("fr", ["avec 6 avertissements", "thèmes : attendu, mais l'enregistrement ne le donne pas."]),
        ("ar", ["المواضيع: متوقَّع، لكن السجل لا يذكره."]),
    ],
)
def test_the_page_lists_the_warnings_in_plain_words(warned_store, lang, says):
    client = create_app({"TESTING": True, "STORE_DIR": str(warned_store)}).test_client()
    html = client.get(SPARSE_PAGE, headers={"Accept": "text/html", "Accept-Language": lang}).get_data(as_text=True)
    checked = unescape(html.split('class="conformance"', 1)[1].split("</dd>", 1)[0])
    for text in says:
        assert text in checked
    assert "/shapes/PledgeShape" in checked
    assert "focusNode" not in html.split('class="conformance"')[0]  # a result is no incoming link of the page


def test_a_conforming_page_says_so(real_client):
    html = real_client.get("/doc/pledge/SP320067", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Meets every requirement of its shape, with no warnings." in html


def test_a_release_without_a_report_shows_no_check(mini_client):
    html = mini_client.get("/doc/pledge/SP320067", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="conformance"' not in html


def test_the_validation_result_is_not_part_of_the_resource_description(warned_store):
    client = create_app({"TESTING": True, "STORE_DIR": str(warned_store)}).test_client()
    turtle = client.get(SPARSE_PAGE + ".nt").get_data(as_text=True)
    assert "shacl#focusNode" not in turtle
