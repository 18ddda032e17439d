"""service.importers.names: names as sources write them -> our IRIs, conservatively."""

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS

from service import iris
from service.errors import InputError
from service.importers.names import (
    NameIndex,
    context_facts,
    country_index,
    normalise,
    organisation_index,
    unmatched_error,
)
from service.importers.rdf_files import parse_rdf
from service.namespaces import RCRC
from service.stores.embedded import EmbeddedStore

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ICRC, IFRC = iris.organisation("icrc"), iris.organisation("ifrc")


@pytest.fixture(scope="module")
def context():
    return parse_rdf(FIXTURES / "pages" / "context.ttl")


@pytest.fixture(scope="module")
def orgs(context):
    return organisation_index(context)


@pytest.mark.parametrize("raw,key", [
    ("International Committee of the Red Cross", "international committee of red cross"),
    ("  INTERNATIONAL committee of Red-Cross ", "international committee of red cross"),
    ("Comité international de la Croix-Rouge", "comite international de croix rouge"),
    ("Red Cross & Red Crescent", "red cross red crescent"),
    ("Red Cross/Red Crescent", "red cross red crescent"),
])
def test_normalise(raw, key):
    assert normalise(raw) == key


@pytest.mark.parametrize("name,iri,how", [
    ("International Committee of Red Cross", ICRC, "exact"),
    ("International Committee of the Red Cross", ICRC, "exact"),
    ("the international committee of the red cross", ICRC, "exact"),
    ("Comite international de la Croix Rouge", ICRC, "exact"),
    ("ICRC", ICRC, "exact"),
    ("International Federation of Red Cross & Red Crescent Societies", IFRC, "exact"),
    ("Australia", iris.government("AU"), "exact"),
    ("Government of Australia", iris.government("AU"), "exact"),
    ("Trinidad and Tobago Red Cross Society", iris.national_society("TT"), "exact"),
    ("Turkish Red Crescent", iris.national_society("TR"), "loose"),
    ("Jamaica Red Cross", iris.national_society("JM"), "fuzzy"),  # "American Red Cross" is 0.86: far enough
])
def test_known_names_match(orgs, name, iri, how):
    match = orgs.match(name)
    assert (match.iri, match.how) == (iri, how)


def test_article_rule_alone_matches_the_icrc():
    # no altLabel: the match must come from normalisation, not from the data
    index = NameIndex([(ICRC, "International Committee of the Red Cross")])
    assert index.match("International Committee of Red Cross").how == "exact"


@pytest.mark.parametrize("name", ["Austrain Red Cross"])
def test_never_guesses_between_two(orgs, name):
    match = orgs.match(name)
    assert match.iri is None and match.how == "ambiguous" and len(match.candidates) == 2


@pytest.mark.parametrize("name", ["Nigerien Red Cross", "Red Cross", "Swiss Red Cross", "Australian Government Agency",
                                  "Administrator", "", "   "])
def test_unknown_names_do_not_match(orgs, name):
    assert orgs.match(name).iri is None


def test_countries_are_not_organisations(orgs, context):
    assert orgs.match("Spain").iri is None  # no government of Spain in the context
    assert country_index(context).match("Spain").iri == iris.country("ES")


def test_same_label_on_two_things_is_ambiguous():
    index = NameIndex([(ICRC, "Red Cross"), (IFRC, "Red Cross")])
    assert index.match("Red Cross").how == "ambiguous"


def test_split_prefers_the_longest_known_names(orgs):
    text = "International Federation of Red Cross and Red Crescent Societies and International Committee of Red Cross"
    assert [m.iri for m in orgs.split(text)] == [IFRC, ICRC]
    assert [m.iri for m in orgs.split("Australia and Australian Red Cross")] == [
        iris.government("AU"), iris.national_society("AU")]


def test_split_keeps_names_containing_and(context):
    countries = country_index(context)
    matches = countries.split("Iran, Islamic Republic of, Trinidad and Tobago, Spain")
    assert [m.iri for m in matches] == [iris.country("IR"), iris.country("TT"), iris.country("ES")]


def test_split_reports_unknown_runs_as_one_name(orgs):
    matches = orgs.split("Foo Relief Society and Bar Foundation and ICRC")
    assert [(m.name, m.iri) for m in matches] == [("Foo Relief Society and Bar Foundation", None), ("ICRC", ICRC)]


def test_unmatched_error_lists_names_and_source(orgs):
    error = unmatched_error(orgs.split("Foo Relief Society, ICRC, Austrain Red Cross"), "data/pages/X.txt")
    assert isinstance(error, InputError)
    assert "data/pages/X.txt" in error.message and "'Foo Relief Society'" in error.message
    assert "ambiguous" in error.message
    assert error.details["unmatched"] == ["Foo Relief Society", "Austrain Red Cross"]
    assert unmatched_error(orgs.split("ICRC"), "x") is None


def test_context_from_a_dataset_uses_every_graph():
    dataset = Dataset()
    graph = dataset.graph(iris.graph("data/organisations"))
    graph.add((ICRC, RDF.type, RCRC.MovementComponent))
    graph.add((ICRC, RDFS.label, Literal("International Committee of the Red Cross", lang="en")))
    assert organisation_index(dataset).match("ICRC of the Red Cross").iri is None
    assert organisation_index(dataset).match("International Committee of Red Cross").iri == ICRC


def test_context_from_an_oxigraph_store(mini_store_dir):
    # the real published store (tests/fixtures/mini.trig), not a stand-in
    store = EmbeddedStore(mini_store_dir)
    try:
        index = organisation_index(store)
        assert index.match("International Committee of Red Cross").iri == ICRC
        assert index.match("IFRC").iri == IFRC
    finally:
        store.close()


def test_context_facts_ignore_untyped_labels():
    graph = Graph()
    graph.add((ICRC, RDFS.label, Literal("Something")))
    assert context_facts(graph)[RDFS.label] and len(organisation_index(graph)) == 0


@pytest.fixture(scope="module")
def real_countries(real_store_dir):
    return country_index(EmbeddedStore(real_store_dir).oxigraph())


@pytest.mark.parametrize("written, expected", [
    ("Iran", ("exact", {iris.country("IR")})),  # the short form of "Iran, Islamic Republic of"
    ("Bolivia", ("exact", {iris.country("BO")})),
    ("Congo", ("exact", {iris.country("CG")})),  # a country's own name is never another's short form
    ("Korea", ("ambiguous", {iris.country("KP"), iris.country("KR")})),  # two countries share it
])
def test_countries_match_by_their_short_forms(real_countries, written, expected):
    match = real_countries.match(written)
    assert (match.how, {match.iri} if match.iri else set(match.candidates)) == expected


def test_an_unmatched_list_of_countries_gets_a_hint_for_each_part(real_countries):
    message = unmatched_error(real_countries.split("Kenia, Atlantis"), "page.txt", "country", real_countries).message
    assert "'Kenia': did you mean 'Kenya'?" in message
