"""The real tables of data/: complete, consistent, and honest about what is unverified."""

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, SKOS

from service import iris
from service.importers.table_rows import read_rows, table_path
from service.importers.tables import COLUMNS, read_table
from service.namespaces import ID, RCRC, WD
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
    # the 25th (6), 26th (5), 28th (1), 30th-34th (36): every resolution the sources name
    assert len(typed(graphs["resolutions"], RCRC.Resolution)) == 48
    assert len(typed(graphs["national-societies"], RCRC.NationalSociety)) == 191
    assert len(typed(graphs["national-societies"], RCRC.Country)) == 191
    pledges = graphs["pledges"]
    assert len(typed(pledges, RCRC.Pledge)) + len(typed(pledges, RCRC.PledgeReport)) == 106  # 45 + 61
    assert len(typed(pledges, RCRC.PledgeReport)) == 4
    assert len(set(pledges.subjects(RCRC.pledgeType, iris.concept("pledge-type", "model")))) == 6


def test_pledge_records_per_conference(graphs):
    """At least 100 records with SP320067's page, across at least six conferences."""
    g = graphs["pledges"]
    per = {}
    for subject in typed(g, RCRC.Pledge) | typed(g, RCRC.PledgeReport):
        conference = g.value(subject, RCRC.conference)
        name = str(conference).rsplit("/", 1)[-1] if conference else "unknown"
        per[name] = per.get(name, 0) + 1
    assert per == {"27": 1, "28": 1, "30": 6, "31": 25, "32": 29, "33": 21, "34": 14, "unknown": 9}


def test_sp320067_comes_from_its_page_not_the_table(graphs):
    assert (iris.pledge("SP320067"), None, None) not in graphs["pledges"]
    assert len(read_rows(table_path(DATA, "pledges"))) == 106


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


@pytest.mark.parametrize("conference, number", [(31, 6), (31, 8), (31, 4), (31, 7), (30, 2), (25, 28), (28, 1)])
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


def test_corrections_to_resolutions(graphs):
    """E1 (the 26th's titles), E3 (31/4's better candidate), and the Spanish names of 33/1 and 34/1."""
    g = graphs["resolutions"]
    for number in range(1, 6):
        assert (iris.resolution(26, number), DCTERMS.title, None) in g
    title = "Protection of the civilian population in period of armed conflict"
    assert str(g.value(iris.resolution(26, 2), DCTERMS.title)) == title
    notes = " ".join(g.objects(iris.resolution(31, 4), SKOS.editorialNote))
    assert "Furthering the auxiliary role" in notes and (iris.resolution(31, 4), DCTERMS.title, None) not in g
    spanish = "Forjar una cultura universal de cumplimiento del derecho internacional humanitario"
    assert (iris.resolution(34, 1), DCTERMS.title, Literal(spanish, lang="es")) in g
    assert (iris.resolution(33, 1), SKOS.altLabel, Literal("Acercar el DIH", lang="es")) in g
    assert (iris.resolution(33, 1), DCTERMS.title, Literal("Acercar el DIH", lang="es")) not in g


def test_only_confirmed_document_symbols(graphs):
    notations = {str(o) for o in graphs["resolutions"].objects(None, SKOS.notation)}
    assert notations == {"32IC/15/R2", "32IC/15/R3"}


def test_conflicting_conference_dates_are_left_out(graphs):
    g = graphs["conferences"]
    assert (iris.conference(29), RCRC.endDate, None) not in g
    assert (iris.conference(29), RCRC.notRecorded, RCRC.endDate) in g
    assert str(g.value(iris.conference(26), RCRC.startDate)) == "1995-12-03"  # E2: a source states it now
    assert str(g.value(iris.conference(32), RCRC.endDate)) == "2015-12-10"  # N1: the conflict is a note
    assert any("8–11 December" in str(n) for n in g.objects(iris.conference(32), SKOS.editorialNote))
    assert (iris.conference(32), RCRC.slogan, None) not in g
    assert any("unverified" in str(n) for n in g.objects(iris.conference(32), SKOS.editorialNote))


def test_unverified_pledge_conferences_are_not_asserted(graphs):
    g = graphs["pledges"]
    unknown = [s for s in g.subjects(RCRC.notRecorded, RCRC.conference)]
    assert len(unknown) == 9
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


# Every Wikidata link of organisations.tsv, and the new links of national-societies.tsv, with how
# they are linked: a new id is added here on purpose, with the sources its row cites.
ORGANISATION_LINKS = {
    iris.organisation("icrc"): (OWL.sameAs, "Q5987345"),  # R3, L3
    iris.organisation("ifrc"): (OWL.sameAs, "Q1069175"),  # L3, L8 (ROR)
    iris.organisation("nato"): (OWL.sameAs, "Q7184"),  # R2, L2
    iris.organisation("european-union"): (OWL.sameAs, "Q458"),  # R2, L2
    iris.government("AU"): (OWL.sameAs, "Q2991162"),  # L4, L13 (ROR)
    iris.government("GB"): (OWL.sameAs, "Q6063"),  # L22, L14 (ROR)
    iris.government("IE"): (OWL.sameAs, "Q1672817"),  # L24, L33 (EveryPolitician)
    iris.government("NO"): (OWL.sameAs, "Q1770849"),  # L26, L15 (ROR)
    iris.government("NZ"): (OWL.sameAs, "Q3526359"),  # L27, L16 (ROR)
    iris.government("PL"): (OWL.sameAs, "Q1338983"),  # L29, L34 (EveryPolitician)
    iris.government("SE"): (OWL.sameAs, "Q930729"),  # L30, L17 (ROR)
    iris.government("AT"): (SKOS.exactMatch, "Q695599"),
    iris.government("CH"): (SKOS.exactMatch, "Q30917"),
    iris.government("CZ"): (SKOS.exactMatch, "Q5015587"),
    iris.government("DK"): (SKOS.exactMatch, "Q24039188"),
    iris.government("FI"): (SKOS.exactMatch, "Q2366737"),
    iris.government("FR"): (SKOS.exactMatch, "Q1450662"),
    iris.government("GE"): (SKOS.exactMatch, "Q2613132"),
    iris.government("IS"): (SKOS.exactMatch, "Q12351757"),
    iris.government("PH"): (SKOS.exactMatch, "Q7925797"),
    iris.government("SK"): (SKOS.exactMatch, "Q3495267"),
}
NATIONAL_SOCIETY_LINKS = {
    "US": (OWL.sameAs, "Q470110"),  # R2, R3, L12 (ROR)
    "AT": (OWL.sameAs, "Q168276"),  # R2, L9 (ROR)
    "UA": (SKOS.exactMatch, "Q9364596"),  # R2
    "CH": (SKOS.exactMatch, "Q456988"),  # L10 (ROR)
    "KR": (SKOS.exactMatch, "Q7314493"),  # L11 (ROR)
    "AU": (SKOS.exactMatch, "Q4824610"),  # L35 (an earlier name-suggestion-index)
    "NI": (SKOS.exactMatch, "Q7024453"),  # L36 (an earlier name-suggestion-index)
}


def links(graph):
    return {(s, p, o) for p in (OWL.sameAs, SKOS.exactMatch) for s, o in graph.subject_objects(p)}


def test_organisation_links_out_are_exactly_the_confirmed_ones(graphs):
    expected = {(s, p, WD[q]) for s, (p, q) in ORGANISATION_LINKS.items()}
    assert links(graphs["organisations"]) == expected
    # sources disagree on the Government of South Africa (L18, L32): no id, and the note says so
    south_africa = iris.government("ZA")
    assert (south_africa, None, None) in graphs["organisations"]
    assert not {t for t in links(graphs["organisations"]) if t[0] == south_africa}


def test_national_society_links_out(graphs):
    g = graphs["national-societies"]
    for iso2, (link, qid) in NATIONAL_SOCIETY_LINKS.items():
        assert (iris.national_society(iso2), link, WD[qid]) in g, iso2
    assert set(g.subjects(OWL.sameAs, None)) == {iris.national_society(c) for c in ("US", "AT")}
    assert len(links(g)) == 39


def _publisher(url, key):
    """Who published a source: the GitHub owner, else the host; a source with no address is its own."""
    if not url:
        return key
    parts = url.split("/")
    return parts[3] if parts[2] == "github.com" else parts[2]


def test_every_link_out_is_backed_by_the_sources_its_row_cites():
    """sameAs needs two publishers of the id; exactMatch exactly one; no id: no such source, unless sources disagree."""
    publishers = {}
    for row in read_rows(table_path(DATA, "sources")):
        if "Wikidata" in row["description"]:
            publishers[row["key"]] = _publisher(row["url"], row["key"])
    assert publishers, "no source confirms a Wikidata id"
    for stem in ("organisations", "national-societies"):
        for row in read_rows(table_path(DATA, stem)):
            cited = {publishers[key] for key in row.list("sources") if key in publishers}
            where = f"{stem}.tsv line {row.line}"
            if row["wikidata_link"] == "sameAs":
                assert len(cited) >= 2, where
            elif row["wikidata_link"] == "exactMatch":
                assert len(cited) == 1, where
            elif cited:
                assert "disagree" in row["note"], where


def test_every_link_out_has_its_source(graphs, everything):
    for stem in ("organisations", "national-societies"):
        g = graphs[stem]
        for subject in set(g.subjects(OWL.sameAs, None)) | set(g.subjects(SKOS.exactMatch, None)):
            labels = [str(everything.value(url, RDFS.label)) for url in g.objects(subject, DCTERMS.source)]
            assert any("Wikidata" in label for label in labels), subject


def test_nato_is_an_observer(graphs):
    assert (iris.organisation("nato"), RDF.type, RCRC.Observer) in graphs["organisations"]  # E5, nato.int


def test_known_national_society(graphs):
    g, ke = graphs["national-societies"], iris.national_society("KE")
    assert (ke, RCRC.fdrsCode, Literal("DKE001")) in g
    assert (ke, RCRC.region, iris.concept("region", "Africa")) in g
    assert (ke, RDFS.label, Literal("Croix-Rouge du Kenya", lang="fr")) in g


# -- the second collection: curation, corrections, retired IRIs ----------------------------------


def test_every_record_says_how_its_conference_was_established_and_how_much_was_read(graphs):
    g = graphs["pledges"]
    records = typed(g, RCRC.Pledge) | typed(g, RCRC.PledgeReport)
    for subject in records:
        (basis,) = g.objects(subject, RCRC.conferenceBasis)
        assert basis.language == "en" and len(basis) > 10, subject
        assert g.value(subject, RCRC.confidence) in (Literal("confirmed"), Literal("partial")), subject
    confirmed = {s for s in records if (s, RCRC.confidence, Literal("confirmed")) in g}
    assert len(confirmed) == 20  # 16 of the second collection, OP320050, SP320112, MP028, OP320014


PAGE_FIELDS = (RCRC.pledgeNumber, RCRC.pledgedBy, RCRC.country, RCRC.theme, RCRC.pledgerCategory, RCRC.pledgeType)


def test_unseen_fields_are_marked_not_recorded_never_left_empty(graphs):
    """Empty means unseen: each pledge has every page field, or says it was not recorded."""
    g = graphs["pledges"]
    for subject in typed(g, RCRC.Pledge):
        for field in PAGE_FIELDS:
            given = (subject, field, None) in g or (field == RCRC.country and (subject, RCRC.international, None) in g)
            marked = (subject, RCRC.notRecorded, field) in g
            assert given != marked, (subject, field)


def test_pledge_data_blocks_of_the_2015_pages(graphs):
    """SP320107 and OP320014 carry every field of their Pledge data block (reference/pages/)."""
    g = graphs["pledges"]
    sp, op = iris.pledge("SP320107"), iris.pledge("OP320014")
    assert set(g.objects(sp, RCRC.theme)) == {iris.concept("theme", "IHL dissemination")}
    assert (sp, RCRC.pledgeType, iris.concept("pledge-type", "Specific")) in g
    assert set(g.objects(sp, RCRC.pledgedBy)) == {iris.government("AU"), iris.national_society("AU")}
    assert (op, RCRC.pledgeNumber, Literal("OP320014")) in g  # E4: the nuclear-weapons pledge
    assert "nuclear weapons" in str(g.value(op, DCTERMS.title))
    assert set(g.objects(op, RCRC.theme)) == {iris.concept("theme", t) for t in ("Nuclear weapons", "Weapons")}
    assert (op, RCRC.pledgeType, iris.concept("pledge-type", "Open")) in g
    assert set(g.objects(op, RCRC.country)) == {iris.country(c) for c in ("AT", "BR", "QA")}
    assert set(g.objects(op, RCRC.signatory)) == {iris.national_society(c) for c in ("AT", "BR", "QA")}
    assert (op, RCRC.notRecorded, None) not in g


def test_corrections_to_pledge_conferences(graphs):
    g = graphs["pledges"]
    nato = iris.pledge(conference_ordinal=33, slug="ihl")  # E5
    volunteers = iris.pledge(
        conference_ordinal=33, slug="ensuring-the-safety-and-wellbeing-of-red-cross-red-crescent-volunteers"
    )
    for subject in (nato, volunteers):
        assert (subject, RCRC.conference, iris.conference(33)) in g
        notes = [str(n) for n in g.objects(subject, SKOS.editorialNote)]
        assert any("Derived by the curators" in n and "conference" in n for n in notes)
    emblem = iris.pledge(slug="protection-of-red-cross-emblem")  # E7: the evidence is weak, so still unknown
    assert (emblem, RCRC.notRecorded, RCRC.conference) in g
    assert "14300" in str(g.value(emblem, RCRC.conferenceBasis))
    assert (iris.pledge("SP330167"), RCRC.conference, iris.conference(33)) in g  # E8: SP33... is the 33rd
    report = iris.pledge(
        conference_ordinal=33, slug="report-on-pledge-explosive-weapons-in-populated-areas-ewipa-sp330167"
    )
    assert (report, RCRC.reportsOn, iris.pledge("SP330167")) in g


def test_summaries_are_not_pledge_text(graphs):
    """Table records carry paraphrases (rcrc:summary), never a page's words (rcrc:pledgeText)."""
    g = graphs["pledges"]
    assert (None, RCRC.pledgeText, None) not in g
    assert len(set(g.subjects(RCRC.summary, None))) == 106


def test_retired_iris_point_at_records_of_the_tables(graphs, everything):
    g = graphs["retired-iris"]
    retired = dict(g.subject_objects(DCTERMS.isReplacedBy))
    assert retired == {
        ID["pledge/32/humanitarian-consequences-of-the-use-of-nuclear-weapons"]: iris.pledge("OP320014"),
        ID["pledge/unknown/ihl"]: iris.pledge(conference_ordinal=33, slug="ihl"),
        ID["pledge/unknown/ensuring-the-safety-and-wellbeing-of-red-cross-red-crescent-volunteers"]: iris.pledge(
            conference_ordinal=33, slug="ensuring-the-safety-and-wellbeing-of-red-cross-red-crescent-volunteers"
        ),
    }
    for old, new in retired.items():
        assert (old, RDF.type, None) not in everything
        assert (new, RDF.type, RCRC.Pledge) in everything
