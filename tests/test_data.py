"""The real tables of data/: complete, consistent, and honest about what is unverified."""

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, SKOS

from service import iris
from service.importers.table_rows import read_rows, table_path
from service.importers.tables import COLUMNS, read_table
from service.namespaces import RCRC
from service.text import ordinal

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMES = Path(__file__).resolve().parent.parent / "ontology" / "schemes.ttl"


@pytest.fixture(scope="module")
def graphs():
    return {stem: read_table(table_path(DATA, stem), data_dir=DATA) for stem in COLUMNS}


@pytest.fixture(scope="module")
def everything(graphs):
    union = Graph()
    for graph in graphs.values():
        union += graph
    return union


def typed(graph, rdf_type):
    return set(graph.subjects(RDF.type, rdf_type))


def test_every_table_is_present_once():
    for stem in COLUMNS:
        assert table_path(DATA, stem) is not None, stem
        assert not (DATA / f"{stem}.tsv").exists() or not (DATA / f"{stem}.csv").exists(), stem


def test_counts(graphs):
    assert len(typed(graphs["conferences"], RCRC.Conference)) == 10
    assert len(typed(graphs["resolutions"], RCRC.Resolution)) == 41  # 36 of the 30th-34th + the 26th's five
    assert len(typed(graphs["national-societies"], RCRC.NationalSociety)) == 191
    assert len(typed(graphs["national-societies"], RCRC.Country)) == 191
    pledges = graphs["pledges"]
    assert len(typed(pledges, RCRC.Pledge)) + len(typed(pledges, RCRC.PledgeReport)) == 45
    assert len(typed(pledges, RCRC.PledgeReport)) == 1


def test_sp320067_comes_from_its_page_not_the_table(graphs):
    assert (iris.pledge("SP320067"), None, None) not in graphs["pledges"]
    assert len(read_rows(table_path(DATA, "pledges"))) == 45


def test_every_source_key_resolves():
    known = {row["key"] for row in read_rows(table_path(DATA, "sources"))}
    for stem in COLUMNS:
        for row in read_rows(table_path(DATA, stem)):
            cited = set(row.list("sources")) if "sources" in row.cells else set()
            assert cited <= known, (stem, row.line, cited - known)


def test_no_resource_is_defined_in_two_tables(graphs):
    owners = {}
    for stem, graph in graphs.items():
        for subject in set(graph.subjects(RDF.type, None)):
            assert subject not in owners, f"{subject} in {owners.get(subject)} and {stem}"
            owners[subject] = stem


def test_every_typed_resource_has_a_language_tagged_label(everything):
    for subject in set(everything.subjects(RDF.type, None)):
        labels = list(everything.objects(subject, RDFS.label))
        assert labels and all(label.language for label in labels), subject


def test_every_concept_used_is_in_the_schemes(everything):
    if not SCHEMES.exists():
        pytest.skip("ontology/schemes.ttl is not written yet")
    concepts = set(Graph().parse(SCHEMES).subjects(SKOS.inScheme, None))
    used = set()
    for prop in (RCRC.theme, RCRC.pledgeType, RCRC.pledgerCategory, RCRC.region):
        used |= set(everything.objects(None, prop))
    assert used and used <= concepts, used - concepts


def test_every_pledge_has_a_source_and_a_conference_or_a_marker(graphs):
    pledges = graphs["pledges"]
    for subject in typed(pledges, RCRC.Pledge) | typed(pledges, RCRC.PledgeReport):
        assert (subject, DCTERMS.source, None) in pledges, subject
        has_conference = (subject, RCRC.conference, None) in pledges
        assert has_conference != ((subject, RCRC.notRecorded, RCRC.conference) in pledges), subject


# -- nothing unverified is presented as confirmed ------------------------------------------------


@pytest.mark.parametrize("conference, number", [(31, 6), (31, 8), (31, 4), (31, 7), (30, 2), (26, 1), (26, 5)])
def test_unverified_resolution_titles_are_not_titles(graphs, conference, number):
    g, subject = graphs["resolutions"], iris.resolution(conference, number)
    assert (subject, DCTERMS.title, None) not in g
    assert (subject, RCRC.notRecorded, DCTERMS.title) in g
    assert (subject, SKOS.editorialNote, None) in g
    label = g.value(subject, RDFS.label)
    assert str(label) == f"Resolution {number} of the {ordinal(conference)} International Conference"


def test_confirmed_resolution_title(graphs):
    title = "Migration: Ensuring access, dignity, respect for diversity and social inclusion"
    assert (iris.resolution(31, 3), DCTERMS.title, Literal(title, lang="en")) in graphs["resolutions"]


def test_only_confirmed_document_symbols(graphs):
    notations = {str(o) for o in graphs["resolutions"].objects(None, SKOS.notation)}
    assert notations == {"32IC/15/R2", "32IC/15/R3"}


def test_conflicting_and_derived_conference_dates_are_left_out(graphs):
    g = graphs["conferences"]
    assert (iris.conference(29), RCRC.endDate, None) not in g
    assert (iris.conference(29), RCRC.notRecorded, RCRC.endDate) in g
    assert (iris.conference(26), RCRC.startDate, None) not in g
    assert (iris.conference(32), RCRC.slogan, None) not in g
    assert any("unverified" in str(n) for n in g.objects(iris.conference(32), SKOS.editorialNote))


def test_unverified_pledge_conferences_are_not_asserted(graphs):
    g = graphs["pledges"]
    unknown = [s for s in g.subjects(RCRC.notRecorded, RCRC.conference)]
    assert len(unknown) == 5
    for subject in unknown:
        assert "/pledge/unknown/" in str(subject)
        assert (subject, RCRC.conference, None) not in g


def test_derived_values_are_said_to_be_derived(graphs):
    g = graphs["pledges"]
    subject = iris.pledge(conference_ordinal=32, slug="pledge-on-predictable-funding")
    assert (subject, RCRC.conference, iris.conference(32)) in g
    assert any(
        "Derived by the curators" in str(n) and "conference" in str(n) for n in g.objects(subject, SKOS.editorialNote)
    )


def test_untitled_and_slug_titled_pledges(graphs):
    g = graphs["pledges"]
    p1200 = iris.pledge("P1200")
    assert (p1200, DCTERMS.title, None) not in g and (p1200, RCRC.notRecorded, DCTERMS.title) in g
    op = iris.pledge("OP320050")
    assert g.value(op, DCTERMS.title).language == "es"
    assert any("URL slug" in str(n) for n in g.objects(op, SKOS.editorialNote))


def test_open_pledge_signatories(graphs):
    signatories = set(graphs["pledges"].objects(iris.pledge("OP320050"), RCRC.signatory))
    assert signatories == {iris.national_society(c) for c in ("IT", "JM", "CO", "TT", "BO", "CR")}


def test_organisation_links_out_only_where_sources_agree(graphs):
    g = graphs["organisations"]
    assert (iris.organisation("icrc"), OWL.sameAs, None) in g
    assert (iris.organisation("ifrc"), OWL.sameAs, None) not in g
    assert (iris.organisation("ifrc"), SKOS.exactMatch, None) not in g
    assert (iris.organisation("nato"), RDF.type, RCRC.Observer) not in g
    same_as = set(graphs["national-societies"].subjects(OWL.sameAs, None))
    assert same_as == {iris.national_society("US")}


def test_known_national_society(graphs):
    g, ke = graphs["national-societies"], iris.national_society("KE")
    assert (ke, RCRC.fdrsCode, Literal("DKE001")) in g
    assert (ke, RCRC.region, iris.concept("region", "Africa")) in g
    assert (ke, RDFS.label, Literal("Croix-Rouge du Kenya", lang="fr")) in g
