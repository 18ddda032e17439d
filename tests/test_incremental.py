"""`import` validates only what it changes, and finds everything a full validation finds.

Each case imports RDF files into a copy of the real store. The incremental report is compared
with a full validation of the same data (the release as it is, with the files loaded in place
of the graphs they replace): every result the change brings about is in the incremental report,
and the incremental report holds nothing a full validation does not. Some changes break a
constraint on another resource than the one changed, through each way one resource's results
depend on another's: ``sh:class`` on a link, a two-step path, a SPARQL rule reading a linked
resource, a SPARQL rule comparing resources that do not link.
"""

import shutil

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from service.errors import StoreUnavailable, ValidationFailed
from service.pipeline import incremental
from service.pipeline.build import check, vocabulary_files
from service.pipeline.incremental import import_files
from service.pipeline.loading import load_all
from service.stores.embedded import EmbeddedStore

from .conftest import ROOT

PREFIXES = """@prefix rcrc: <https://w3id.org/rcrc/def/> . @prefix id: <https://w3id.org/rcrc/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
PLEDGE = """id:pledge\\/SP320999 {type} rdfs:label "A test pledge"@en ; rcrc:conference id:conference\\/32 ;
    rcrc:pledgedBy id:organisation\\/icrc ; rcrc:pledgeNumber "SP320999" ; rcrc:notRecorded rcrc:theme .
"""
REPORT = """id:report\\/test a rcrc:PledgeReport ; rdfs:label "A test report"@en ; rcrc:reportsOn id:pledge\\/SP320999 ;
    rcrc:pledgedBy id:organisation\\/icrc ; dcterms:source <https://example.org/report> .
"""
RETIRED = "id:pledge\\/32\\/test-pledge dcterms:isReplacedBy id:pledge\\/SP320999 .\n"
CONFERENCE = """id:conference\\/test a rcrc:Conference ; rdfs:label "A test conference"@en ; rcrc:ordinal {ordinal} ;
    rcrc:year "2099"^^<http://www.w3.org/2001/XMLSchema#gYear> ; rcrc:notRecorded rcrc:startDate , rcrc:city .
"""
NUMBERED = """id:pledge\\/SP990001 a rcrc:Pledge ; rdfs:label "A pledge at the test conference"@en ;
    rcrc:conference id:conference\\/test ; rcrc:pledgedBy id:organisation\\/icrc ; rcrc:pledgeNumber "SP990001" .
"""
DUPLICATE = """id:resolution\\/31\\/0-test a rcrc:Resolution ; rdfs:label "A resolution numbered like 31/3"@en ;
    rcrc:conference id:conference\\/31 ; rcrc:resolutionNumber 3 ; dcterms:title "A test"@en .
"""


@pytest.fixture
def store(real_store_dir, tmp_path):
    root = tmp_path / "store"
    shutil.copytree(real_store_dir, root, symlinks=True)
    return EmbeddedStore(root)


def write(folder, name, text):
    path = folder / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def key(result):
    return (result.focus, result.path, result.severity, result.shape, result.value, result.message, result.source)


def full_validation(store, paths):
    """The results of validating everything: the current release with ``paths`` loaded in place."""
    target = store.oxigraph()
    files, _ = incremental._provenance(target)
    _, shapes_paths = vocabulary_files()
    loaded = incremental._part(target, None, incremental._data(files, shapes_paths), files, [])
    load_all(paths, ROOT, ROOT / "data", loaded)
    try:
        return {key(r) for r in check(loaded, shapes_paths).results}
    except ValidationFailed as failed:
        return {key(r) for r in failed.report.results}


def imported(store, paths):
    """(published release or None, set of result keys) of an import."""
    before = store.current_release()
    try:
        release, report, _ = import_files(paths, store, ROOT / "data")
    except ValidationFailed as failed:
        assert store.current_release() == before  # nothing published
        return None, {key(r) for r in failed.report.results}
    return release, {key(r) for r in report.results}


def import_and_compare(store, paths):
    """Import ``paths``; check the report against full validations; return the violations (focus, shape)."""
    old, new = full_validation(store, []), full_validation(store, paths)
    release, found = imported(store, paths)
    assert found <= new, found - new
    assert new - old <= found, (new - old) - found
    assert (release is None) == any(k[2] == "Violation" for k in new)
    return sorted((k[0].rsplit("/id/", 1)[-1], k[3].rsplit("/", 1)[-1]) for k in found if k[2] == "Violation")


def test_a_pledge_that_stops_being_a_pledge_breaks_its_report_and_its_retired_iri(store, tmp_path):
    pledge = write(tmp_path, "pledge.ttl", PLEDGE.format(type="a rcrc:Pledge ;"))
    report = write(tmp_path, "report.ttl", REPORT + RETIRED)
    assert import_and_compare(store, [pledge, report]) == []
    untyped = tmp_path / "changed"
    untyped.mkdir()
    changed = write(untyped, "pledge.ttl", PLEDGE.format(type=""))  # the same graph, no rdf:type
    assert import_and_compare(store, [changed]) == [
        ("pledge/32/test-pledge", "Retired-successor"),  # dcterms:isReplacedBy/rdf:type
        ("report/test", "PledgeReport-reportsOn"),  # sh:class rcrc:Pledge
    ]


def test_a_conference_whose_ordinal_changes_breaks_the_pledge_numbers_that_name_it(store, tmp_path):
    conference = write(tmp_path, "conference.ttl", CONFERENCE.format(ordinal=99))
    pledge = write(tmp_path, "numbered.ttl", NUMBERED)
    assert import_and_compare(store, [conference, pledge]) == []
    changed = tmp_path / "changed"
    changed.mkdir()
    assert import_and_compare(store, [write(changed, "conference.ttl", CONFERENCE.format(ordinal=98))]) == [
        ("pledge/SP990001", "Pledge-pledgeNumber-conference"),  # SPARQL rule: rcrc:conference/rcrc:ordinal
    ]


def test_a_new_resolution_numbered_like_another_is_reported_on_the_other(store, tmp_path):
    """Of two clashing resolutions the later IRI is reported: here the one already published."""
    assert import_and_compare(store, [write(tmp_path, "resolution.ttl", DUPLICATE)]) == [
        ("resolution/31/3", "Resolution-resolutionNumber-unique"),
    ]


def test_a_page_import_validates_a_few_resources(store, tmp_path):
    page = tmp_path / "SP320067.txt"
    shutil.copy(ROOT / "data" / "pages" / "SP320067.txt", page)
    shutil.copy(ROOT / "data" / "pages" / "pages.tsv", tmp_path / "pages.tsv")
    assert import_and_compare(store, [page]) == []


def test_every_sparql_rule_is_local_or_has_a_siblings_query():
    """A SPARQL rule that reads resources the focus does not link to needs a SIBLINGS query."""
    shapes = Graph().parse(vocabulary_files()[1][0])
    local = {"notRecorded-contradiction", "Pledge-pledgeNumber-conference"}  # the focus and what it links to
    rules = {str(s).rsplit("/", 1)[-1] for s in shapes.subjects(SH.sparql, None)}
    assert rules == local | {str(s).rsplit("/", 1)[-1] for s in incremental.SIBLINGS}


def test_no_path_is_longer_than_depth():
    shapes = Graph().parse(vocabulary_files()[1][0])
    lengths = [len(list(shapes.items(p))) or 1 for p in shapes.objects(None, SH.path)]
    assert max(lengths) <= incremental.DEPTH


def test_nothing_published_yet_is_said_and_nothing_is_written(tmp_path):
    store = EmbeddedStore(tmp_path / "empty")
    with pytest.raises(StoreUnavailable, match="pledgegraph build"):
        import_files([write(tmp_path, "resolution.ttl", DUPLICATE)], store, ROOT / "data")
    assert not store.exists() and not (tmp_path / "empty" / "releases").exists()
