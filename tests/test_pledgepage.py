"""service.importers.pledge_pages: pledge pages (text and HTML) -> PledgePage -> RDF, and what it refuses."""

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from service import iris
from service.errors import InputError, PayloadTooLarge
from service.importers.citations import find_citations
from service.importers.page_index import PageInfo, read_index
from service.importers.pledge_pages import MAX_PAGE_BYTES, import_page, page_graph, parse_page
from service.importers.rdf_files import parse_rdf
from service.namespaces import RCRC
from service.pipeline.validation import union, validate

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
SEED = ROOT / "data" / "pages" / "SP320067.txt"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "SP320067.txt"
SP320067 = iris.pledge("SP320067")


@pytest.fixture(scope="module")
def context():
    return parse_rdf(PAGES / "context.ttl")


@pytest.fixture(scope="module")
def seed_graph(context):
    return import_page(SEED, context)


def objects(graph, predicate, subject=SP320067):
    return set(graph.objects(subject, predicate))


# -- the seed page ---------------------------------------------------------------------------


def test_seed_is_the_shared_seed_byte_for_byte():
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed is not on this machine")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_page_fields():
    page = parse_page(SEED.read_bytes(), name=str(SEED))
    assert page.number == "SP320067" and page.conference == 32
    assert page.pledged_by == ("International Federation of Red Cross and Red Crescent Societies and "
                               "International Committee of Red Cross")
    assert (page.country, page.themes, page.institutions, page.pledge_type) == (
        "International", ["Migration"], ["International component"], "Specific")
    assert page.citations == [(31, 3)]
    assert page.text.startswith("Since the International Conference of 2007") and page.text.endswith(
        "with regard vulnerable migrants.")
    assert page.action_plan == "" and page.blank == []
    assert page.listed == ["International Committee of Red Cross"]


def test_seed_graph(seed_graph):
    g = seed_graph
    assert objects(g, RDF.type) == {RCRC.Pledge}
    assert objects(g, RCRC.pledgeNumber) == {Literal("SP320067")}
    assert objects(g, RCRC.pledgedBy) == {iris.organisation("icrc"), iris.organisation("ifrc")}
    assert objects(g, RCRC.pledgerNameAsShown) == {
        Literal("International Federation of Red Cross and Red Crescent Societies"),
        Literal("International Committee of Red Cross")}
    assert objects(g, RCRC.theme) == {URIRef("https://w3id.org/rcrc/id/theme/migration")}
    assert objects(g, RCRC.pledgerCategory) == {
        URIRef("https://w3id.org/rcrc/id/pledger-category/international-component")}
    assert objects(g, RCRC.pledgeType) == {URIRef("https://w3id.org/rcrc/id/pledge-type/specific")}
    assert objects(g, RCRC.conference) == {URIRef("https://w3id.org/rcrc/id/conference/32")}
    assert objects(g, RCRC.citesResolution) == {URIRef("https://w3id.org/rcrc/id/resolution/31/3")}
    assert objects(g, RCRC.country) == set() and objects(g, RCRC.notRecorded) == set()
    assert objects(g, RCRC.signatory) == set()  # a specific pledge: the name below is not a signature


def test_seed_graph_source_title_and_date_come_from_the_index(seed_graph):
    g = seed_graph
    (source,) = objects(g, DCTERMS.source)
    assert str(source).startswith("https://preprod.rcrcconference.org/2015/12/09/turning-commitments-")
    assert objects(g, DCTERMS.issued) == {Literal("2015-12-09", datatype=XSD.date)}
    (title,) = objects(g, DCTERMS.title)
    assert title.language == "en" and title.startswith("Turning commitments into further action")
    assert objects(g, RDFS.label) == {title}
    (note,) = objects(g, SKOS.editorialNote)
    assert "slug" in note


def test_seed_text_is_kept_whole(seed_graph):
    (text,) = objects(seed_graph, RCRC.pledgeText)
    seed = SEED.read_text(encoding="utf-8")
    assert text.language == "en" and str(text) == seed[: seed.index("\n\nAction plan")]


def test_text_and_html_forms_give_isomorphic_graphs(context, seed_graph):
    index = {"SP320067.html": PageInfo(**{**read_index(SEED.parent / "pages.tsv")["SP320067.txt"].__dict__,
                                          "file": "SP320067.html"})}
    html_graph = import_page(PAGES / "SP320067.html", context, index=index)
    assert isomorphic(html_graph, seed_graph)


def test_html_title_is_used_without_an_index(context):
    graph = import_page(PAGES / "SP320067.html", context, index={})
    (title,) = objects(graph, DCTERMS.title)
    assert title.startswith("Turning commitments") and objects(graph, DCTERMS.source) == set()
    assert objects(graph, RCRC.citesResolution) == {iris.resolution(31, 3)}


def test_seed_graph_passes_the_shacl_gate(seed_graph, context):
    # the project's real shapes and ontology; mini.trig supplies the conference and resolution it links to
    shapes, ontology = ROOT / "shapes" / "rcrc-shapes.ttl", ROOT / "ontology" / "rcrc.ttl"
    if not (shapes.exists() and ontology.exists()):
        pytest.skip("shapes or ontology not written yet")
    mini = parse_rdf(ROOT / "tests" / "fixtures" / "mini.trig")
    linked = [mini.graph(iris.graph(name)) for name in ("data/conferences", "data/resolutions")]
    vocabulary = union([parse_rdf(ontology), parse_rdf(ROOT / "ontology" / "schemes.ttl")])
    report = validate(union([seed_graph, context, *linked]), parse_rdf(shapes), vocabulary)
    on_pledge = [r for r in report.results if str(r.focus) == str(SP320067)]
    assert [r for r in on_pledge if r.severity == "Violation"] == []
    assert on_pledge == []  # not even the "no country" warning: the page says "International"
    assert (SP320067, RCRC.international, Literal(True)) in seed_graph


def test_seed_with_the_mini_context(seed_graph):
    # the shared fixture of the suite, read as a dataset (labels live in named graphs)
    dataset = parse_rdf(ROOT / "tests" / "fixtures" / "mini.trig")
    assert isinstance(dataset, Dataset)
    assert isomorphic(import_page(SEED, dataset), seed_graph)


def test_text_page_without_index_has_a_plain_label(context, tmp_path):
    copy = tmp_path / "SP320067.txt"
    copy.write_bytes(SEED.read_bytes())
    graph = import_page(copy, context)
    assert objects(graph, RDFS.label) == {Literal("Pledge SP320067", lang="en")}
    assert objects(graph, DCTERMS.title) == set() and objects(graph, SKOS.editorialNote) == set()
    assert objects(graph, RCRC.notRecorded) == {DCTERMS.title, DCTERMS.source}


# -- other pages -----------------------------------------------------------------------------


def test_unknown_pledger_is_named_in_the_error(context):
    with pytest.raises(InputError) as error:
        import_page(PAGES / "unknown-pledger.txt", context, index={})
    assert "'Atlantis Red Crescent Society'" in error.value.message
    assert "unknown-pledger.txt" in error.value.message
    assert error.value.details["unmatched"] == ["Atlantis Red Crescent Society"]


@pytest.mark.parametrize("name,needle", [
    ("unknown-signatory.txt", "Red Cross of Ruritania"),
    ("unknown-country.txt", "Ruritania"),
])
def test_unknown_signatories_and_countries_are_refused(context, name, needle):
    with pytest.raises(InputError, match=needle):
        import_page(PAGES / name, context, index={})


@pytest.mark.parametrize("name,message", [
    ("no-pledge-data.txt", "no 'Pledge data'"),
    ("no-pledge-data.html", "no 'Pledge data'"),
    ("bad-number.txt", "'SP32XX67' is not a pledge number"),
    ("empty.txt", "empty"),
    ("binary.txt", "not UTF-8"),
    ("duplicate-field.txt", "twice"),
    ("no-fields.txt", "none of the fields"),
    ("no-text.txt", "no pledge text"),
])
def test_malformed_pages_are_input_errors(context, name, message):
    with pytest.raises(InputError, match=message):
        import_page(PAGES / name, context, index={})


def test_missing_file_is_an_input_error(context, tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        import_page(tmp_path / "SP000000.txt", context)


def test_broken_markup_still_parses(context):
    page = parse_page((PAGES / "broken-markup.html").read_text(), html=True)
    assert page.number == "SP329908" and page.country == "International" and page.title == "Broken markup"


def test_blank_fields_become_not_recorded_and_the_slug_comes_from_the_url(context):
    info = PageInfo("no-number.txt", source_url="https://example.org/2015/12/17/a-synthetic-joint-pledge/")
    graph = import_page(PAGES / "no-number.txt", context, index={"no-number.txt": info}, conference=32)
    pledge = iris.pledge(conference_ordinal=32, slug="a-synthetic-joint-pledge")
    assert str(pledge) == "https://w3id.org/rcrc/id/pledge/32/a-synthetic-joint-pledge"
    assert objects(graph, RCRC.notRecorded, pledge) == {RCRC.pledgeNumber, RCRC.country, RCRC.theme, RCRC.pledgeType,
                                                        DCTERMS.title}
    assert objects(graph, RCRC.pledgedBy, pledge) == {iris.government("AU"), iris.national_society("AU")}
    assert objects(graph, RCRC.pledgerCategory, pledge) == {
        iris.concept("pledger-category", "Government"), iris.concept("pledger-category", "National Society")}
    assert objects(graph, RCRC.conference, pledge) == {iris.conference(32)}


def test_no_number_and_no_conference_goes_under_unknown(context):
    info = PageInfo("no-number.txt", source_url="https://example.org/?p=4242")
    graph = import_page(PAGES / "no-number.txt", context, index={"no-number.txt": info})
    assert set(graph.subjects(RDF.type, RCRC.Pledge)) == {URIRef("https://w3id.org/rcrc/id/pledge/unknown/p-4242")}
    assert objects(graph, RCRC.conference, URIRef("https://w3id.org/rcrc/id/pledge/unknown/p-4242")) == set()
    assert RCRC.conference in objects(graph, RCRC.notRecorded, URIRef("https://w3id.org/rcrc/id/pledge/unknown/p-4242"))


def test_no_number_and_no_url_is_refused(context):
    with pytest.raises(InputError, match="source_url"):
        import_page(PAGES / "no-number.txt", context, index={})


def test_open_pledge_signatories_countries_and_citations(context):
    graph = import_page(PAGES / "open-pledge.txt", context, index={})
    pledge = iris.pledge("OP329905")
    assert objects(graph, RCRC.pledgeType, pledge) == {iris.concept("pledge-type", "open")}
    assert objects(graph, RCRC.signatory, pledge) == {iris.national_society("JM"), iris.national_society("TT")}
    assert objects(graph, RCRC.country, pledge) == {iris.country("JM"), iris.country("TT"), iris.country("ES")}
    assert objects(graph, RCRC.theme, pledge) == {iris.concept("theme", "Volunteering"),
                                                 iris.concept("theme", "Capacity building")}
    assert objects(graph, RCRC.citesResolution, pledge) == {iris.resolution(31, 7), iris.resolution(32, 6)}
    (text,) = objects(graph, RCRC.pledgeText, pledge)
    assert text.endswith("Action plan\n\n  • Step one.\n  • Step two.")


def test_model_pledge(context):
    graph = import_page(PAGES / "model-pledge.txt", context, index={}, conference=32)
    pledge = iris.pledge("MP901")
    assert objects(graph, RCRC.pledgeType, pledge) == {iris.concept("pledge-type", "model")}
    assert objects(graph, RCRC.pledgedBy, pledge) == set()
    assert objects(graph, RCRC.pledgerNameAsShown, pledge) == {Literal("Administrator")}
    assert objects(graph, RCRC.notRecorded, pledge) == {RCRC.pledgerCategory, RCRC.pledgedBy, DCTERMS.title,
                                                        DCTERMS.source}
    assert objects(graph, RCRC.conference, pledge) == {iris.conference(32)}
    without = import_page(PAGES / "model-pledge.txt", context, index={})
    assert objects(without, RCRC.conference, pledge) == set()
    assert RCRC.conference in objects(without, RCRC.notRecorded, pledge)


def test_conference_from_the_number(context):
    assert parse_page((PAGES / "p-number.txt").read_bytes()).conference == 31
    with pytest.raises(InputError, match="belongs to conference 31"):
        parse_page((PAGES / "p-number.txt").read_bytes(), conference=32)


# -- pages.tsv -------------------------------------------------------------------------------


def test_index_lists_every_page():
    index = read_index(SEED.parent / "pages.tsv")
    files = {p.name for p in SEED.parent.iterdir() if p.suffix in {".txt", ".html"}}
    assert set(index) == files
    assert all(info.source_url and info.date for info in index.values())


# -- citations -------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence,expected", [
    ("In 2011, the 31st International Conference cemented this commitment through the adoption of Resolution 3.",
     [(31, 3)]),
    ("Reinforce efforts towards the implementation of Resolution 3, Migration: Ensuring Access, Dignity, Respect for "
     "Diversity and Social Inclusion, adopted by the 31st International Conference of the Red Cross", [(31, 3)]),
    ("as called for in Resolution 3 of the 31st International Conference", [(31, 3)]),
    ("in line with 31IC Res. 3 on migration", [(31, 3)]),
    ("following Res. 5 of the 31st IC (Health Care in Danger)", [(31, 5)]),
    ("see document 32IC/15/R2 and 32IC/15/R3", [(32, 2), (32, 3)]),
    ("Resolutions 2 and 3 of the 31st International Conference", [(31, 2), (31, 3)]),
    ("the 30th International Conference adopted Resolution 4 on disaster law", [(30, 4)]),
    ("Resolution 3 of the 30th IC, reaffirmed by the 31st IC", [(30, 3)]),
    # French and Spanish pages of the 2019/2024 database, the conference in Roman numerals
    ("conformément à la Résolution 4 de la XXXIème Conférence internationale, qui", [(31, 4)]),
    ("conformément à la Résolution 2 de la XXXIIIe Conférence internationale.", [(33, 2)]),
    ("recogiendo en la Resolución 1 de la XXX Conferencia Internacional de la Cruz Roja", [(30, 1)]),
    ("by reaffirming in Resolution 1 of the XXX International Conference of the Red Cross", [(30, 1)]),
])
def test_citations_found(sentence, expected):
    assert find_citations(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "We will implement Resolution 3 in our country.",
    "the commitments made in 2011, with the adoption of Resolution 3, were essential",
    "The 31st International Conference was held in Geneva. Resolution 3 addresses migration.",
    "Resolution 2 of the 2015 Council of Delegates, held before the 32nd International Conference",
    "Resolution 3 of the Council of Delegates adopted at the 31st International Conference",
    "pledge P2065 at the 31st IC",
    "Since the International Conference of 2007, National Societies have increased their response",
    "Resolution 2011 of the 31st International Conference",
    "la résolution de la XXXIIIe Conférence internationale intitulée « Rétablir les liens familiaux »",
])
def test_no_false_citations(sentence):
    assert find_citations(sentence) == []


def test_seed_cites_exactly_one_resolution():
    assert find_citations(SEED.read_text(encoding="utf-8")) == [(31, 3)]


def test_parse_then_page_graph_is_import_page(context, seed_graph):
    info = read_index(SEED.parent / "pages.tsv")["SP320067.txt"]
    assert isomorphic(page_graph(parse_page(SEED.read_bytes()), context, info), seed_graph)


def test_every_unknown_name_is_reported_at_once(context):
    page = parse_page((PAGES / "unknown-signatory.txt").read_bytes())
    page.country = "Spain, Ruritania"
    with pytest.raises(InputError) as error:
        page_graph(page, context, source="unknown-signatory.txt")
    assert error.value.details["unmatched"] == ["Red Cross of Ruritania", "Ruritania"]
    assert "organisation" in error.value.message and "country" in error.value.message


def test_international_in_a_country_list_is_marked_beside_the_countries(context):
    page = parse_page((PAGES / "unknown-country.txt").read_bytes())
    page.country = "International, Spain"
    graph = page_graph(page, context)
    assert objects(graph, RCRC.country, iris.pledge("OP329907")) == {iris.country("ES")}
    assert objects(graph, RCRC.international, iris.pledge("OP329907")) == {Literal(True)}
    assert not any("x-pledgegraph" in str(term) for triple in graph for term in triple)


def test_hostile_nesting_is_refused_without_quadratic_work():
    # 50k open tags and 50k stray end tags: linear work (a quadratic parser would take minutes here)
    html = ("<div><span>" * 50_000 + "</b>" * 50_000 + "<p>Pledge data").encode()
    with pytest.raises(InputError, match="no 'Pledge data'|none of the fields"):
        parse_page(html, name="nested.html", html=True)


def test_oversized_page_is_refused(context, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * (MAX_PAGE_BYTES + 1))
    with pytest.raises(PayloadTooLarge):
        import_page(path, context, index={})
