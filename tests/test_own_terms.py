"""The dataset's own vocabulary reads in the Conference's four languages, in the store and on pages.

Our own terms (the ontology's classes and properties, the concept schemes of pledge types,
pledger categories and regions, the rights statement of quoted texts) carry a label in English,
French, Spanish and Arabic; the codes of rcrc:confidence read as words. The names sources give
(themes, organisations, titles) stay as the sources write them and are not checked here.
"""

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from service.namespaces import RCRC, SHAPES
from service.pages.labels import CODES
from service.stores.embedded import EmbeddedStore

from .conftest import ROOT

LANGUAGES = {"en", "fr", "es", "ar"}
ID = "https://w3id.org/rcrc/id/"
OWN_TERMS = [
    *(ID + f"pledge-type/{c}" for c in ("specific", "open", "model")),
    *(ID + f"pledger-category/{c}" for c in ("international-component", "national-society", "government")),
    *(ID + f"region/{c}" for c in ("africa", "americas", "asia-pacific", "europe", "mena")),
    *(ID + s for s in ("theme", "pledge-type", "pledger-category", "region")),  # the schemes
    ID + "rights/quoted-text",
    str(RCRC._NS),  # the ontology itself
    *(str(RCRC[name]) for name in sorted(RCRC.__annotations__)),
]
LABELS = """SELECT DISTINCT ?term ?lang WHERE { GRAPH ?g {
  { ?term <http://www.w3.org/2000/01/rdf-schema#label> ?l }
  UNION { ?term <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }
  BIND (LANG(?l) AS ?lang) } }"""


@pytest.fixture(scope="module")
def store(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    yield store
    store.close()


@pytest.mark.parametrize("term", OWN_TERMS, ids=lambda iri: iri.rsplit("/", 2)[-2] + "/" + iri.rsplit("/", 1)[-1])
def test_every_own_term_has_a_label_in_each_language(store, term):
    found = {row["lang"].value for row in store.query(LABELS, substitutions={ox.Variable("term"): ox.NamedNode(term)})}
    assert LANGUAGES <= found, f"{term}: no label in {sorted(LANGUAGES - found)}"


def test_every_code_a_shape_allows_reads_as_words():
    """A new value of an sh:in list of literals needs words for pages, or it would show bare."""
    shapes = Graph().parse(ROOT / "shapes" / "rcrc-shapes.ttl")
    (values,) = shapes.objects(SHAPES.confidence, SH["in"])
    assert sorted(CODES[str(RCRC.confidence)]) == sorted(str(v) for v in shapes.items(values))
    coded = {str(shapes.value(s, SH.path)) for s, _ in shapes.subject_objects(SH["in"])}
    assert coded == set(CODES)


def row_values(html, prop):
    """The text of the values of the row named ``prop`` (a compact name: rcrc:pledgeType)."""
    found = re.search(rf'<span title="{prop}"[^>]*>[^<]*</span></(?:dt|th)>\s*<(dd|td)>(.*?)</\1>', html, re.S)
    assert found, f"no row {prop}"
    return text(found.group(2))


def facet_values(html, facet):
    found = re.search(rf'<section class="facet" data-facet="{facet}">(.*?)</section>', html, re.S)
    assert found, f"no facet {facet}"
    return text(found.group(1).split("</summary>", 1)[1])


def text(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).replace("&#39;", "'").split())


ENGLISH = ("Specific", "Open", "Model", "International component", "Government", "National Society",
           "Africa", "Americas", "Asia Pacific", "partial", "confirmed", "all of it", "part of it")
# (path, where: a row's property or a facet, then the words each language shows there)
PLACES = [
    ("/doc/pledge/SP320067", "rcrc:pledgeType", {"fr": ["Spécifique"], "es": ["Específico"], "ar": ["محدد"]}),
    ("/doc/pledge/SP320067", "rcrc:pledgerCategory",
     {"fr": ["Composante internationale"], "es": ["Componente internacional"], "ar": ["مكوّن دولي"]}),
    ("/doc/pledge/SP320112", "rcrc:pledgerCategory",
     {"fr": ["Gouvernement", "Société nationale"], "es": ["Gobierno", "Sociedad Nacional"],
      "ar": ["حكومة", "جمعية وطنية"]}),
    ("/doc/pledge/SP320112", "rcrc:confidence", {"fr": ["la totalité"], "es": ["toda"], "ar": ["كله"]}),
    ("/doc/pledge/P1200", "rcrc:confidence", {"fr": ["une partie"], "es": ["una parte"], "ar": ["جزء منه"]}),
    ("/doc/pledge/P1200", "rcrc:pledgerCategory", {"fr": ["Société nationale"], "es": ["Sociedad Nacional"],
                                                   "ar": ["جمعية وطنية"]}),
    ("/pledges", "pledge-type", {"fr": ["Spécifique", "Ouvert", "Modèle"], "es": ["Específico", "Abierto", "Modelo"],
                                 "ar": ["محدد", "مفتوح", "نموذجي"]}),
    ("/pledges", "pledger-category", {"fr": ["Composante internationale", "Gouvernement", "Société nationale"],
                                      "es": ["Componente internacional", "Gobierno", "Sociedad Nacional"],
                                      "ar": ["مكوّن دولي", "حكومة", "جمعية وطنية"]}),
    ("/pledges", "region", {"fr": ["Afrique", "Amériques", "Asie-Pacifique", "Europe"],
                            "es": ["África", "Américas", "Asia-Pacífico", "Europa"],
                            "ar": ["أفريقيا", "الأمريكتان", "آسيا والمحيط الهادئ", "أوروبا"]}),
]


@pytest.mark.parametrize("lang", ["fr", "es", "ar"])
@pytest.mark.parametrize("path, where, words", PLACES, ids=[f"{p}-{w}" for p, w, _ in PLACES])
def test_own_terms_on_pages_read_in_the_readers_language(real_client, path, where, words, lang):
    response = real_client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = row_values(html, where) if ":" in where else facet_values(html, where)
    assert all(word in shown for word in words[lang]), shown
    assert not [word for word in ENGLISH if re.search(rf"\b{word}\b", shown)], shown


def test_english_pages_keep_the_english_words(real_client):
    headers = {"Accept": "text/html", "Accept-Language": "en"}
    html = real_client.get("/doc/pledge/P1200", headers=headers).get_data(as_text=True)
    assert row_values(html, "rcrc:confidence") == "part of it: some fields of the source were not seen"
    assert row_values(html, "rcrc:pledgerCategory") == "National Society"
