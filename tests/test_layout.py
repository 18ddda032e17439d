"""Resource pages laid out by the SHACL shapes: the fact card and the sections follow sh:group and
sh:order, rows are named by sh:name in the reader's language, values read as a person writes them."""

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDFS, SH

from service.app import create_app
from service.stores.embedded import EmbeddedStore

from .conftest import FIXTURES, ROOT

SHAPES_NS = Namespace("https://w3id.org/rcrc/shapes/")
HTML = {"Accept": "text/html"}
LANGUAGES = ("en", "fr", "es", "ar")


def card(html):
    """The compact IRIs of the fact card's rows, in page order."""
    block = re.search(r'<dl class="card">(.*?)</dl>', html, re.S)
    return re.findall(r'<dt><span title="([^"]+)"', block.group(1)) if block else []


def sections(html):
    """The headings of the page's sections, in page order."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<h2 id="h-[^"]*"[^>]*>(.*?)</h2>', html)]


def store_with_shapes(root, shapes):
    """The mini data, the ontology and ``shapes`` (an rdflib Graph) published as one release."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "vocabulary.nq"
    with open(path, "wb") as out:
        for name, graph in (("ontology", Graph().parse(ROOT / "ontology/rcrc.ttl")), ("shapes", shapes)):
            triples = ox.parse(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
            target = ox.NamedNode(f"https://w3id.org/rcrc/graph/{name}")
            out.write(
                ox.serialize(
                    (ox.Quad(t.subject, t.predicate, t.object, target) for t in triples), format=ox.RdfFormat.N_QUADS
                )
            )
    EmbeddedStore(root / "store").publish([FIXTURES / "mini.trig", path])
    return create_app({"TESTING": True, "STORE_DIR": str(root / "store")}).test_client()


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(ROOT / "shapes/rcrc-shapes.ttl")


def test_the_card_follows_sh_order_and_a_changed_order_moves_the_row(tmp_path, shapes):
    client = store_with_shapes(tmp_path / "as-published", shapes)
    before = card(client.get("/doc/pledge/SP320067", headers=HTML).get_data(as_text=True))
    assert before[:4] == ["rcrc:pledgeNumber", "rcrc:conference", "rcrc:pledgedBy", "rcrc:theme"]
    assert before[-1] == "dcterms:source"  # sh:order 90: the card's last row
    changed = Graph()
    changed += shapes
    changed.remove((SHAPES_NS["Pledge-pledgeNumber"], SH.order, None))
    changed.add((SHAPES_NS["Pledge-pledgeNumber"], SH.order, Literal(95)))  # after the source
    changed.remove((SHAPES_NS["Pledge-theme"], SH.order, None))
    changed.add((SHAPES_NS["Pledge-theme"], SH.order, Literal(0)))  # first
    client = store_with_shapes(tmp_path / "reordered", changed)
    after = card(client.get("/doc/pledge/SP320067", headers=HTML).get_data(as_text=True))
    assert sorted(after) == sorted(before)
    assert after == ["rcrc:theme", "rcrc:conference", "rcrc:pledgedBy", "dcterms:source", "rcrc:pledgeNumber"]


def test_a_property_moved_to_another_group_moves_on_the_page(tmp_path, shapes):
    changed = Graph()
    changed += shapes
    changed.remove((SHAPES_NS["Pledge-pledgeText"], SH.group, None))
    changed.add((SHAPES_NS["Pledge-pledgeText"], SH.group, SHAPES_NS.NotesGroup))
    html = store_with_shapes(tmp_path, changed).get("/doc/pledge/SP320067", headers=HTML).get_data(as_text=True)
    notes = html.split('id="h-NotesGroup"', 1)[1]
    assert 'title="rcrc:pledgeText"' in notes and "rcrc:pledgeText" not in html.split('id="h-NotesGroup"', 1)[0]


def test_properties_no_shape_names_come_last_under_more(tmp_path, shapes):
    changed = Graph()
    changed += shapes
    changed.remove((None, SH.property, SHAPES_NS.summary))
    changed.remove((None, SH.property, SHAPES_NS["Pledge-pledgeText"]))
    html = store_with_shapes(tmp_path, changed).get("/doc/pledge/SP320067", headers=HTML).get_data(as_text=True)
    assert sections(html)[-1] == "More"
    assert 'title="rcrc:pledgeText"' in html.split('id="h-more"', 1)[1]


def test_every_shaped_property_and_group_is_named_in_four_languages(shapes):
    attached = set(shapes.objects(None, SH.property))
    for shape in attached:
        if (
            shape == SHAPES_NS["Retired-type"]
            or (None, SH.targetSubjectsOf, None) in shapes
            and shape in set(shapes.objects(SHAPES_NS.RetiredShape, SH.property))
        ):
            continue  # a retired IRI has no page
        names = {n.language for n in shapes.objects(shape, SH.name) if n.language}
        assert set(LANGUAGES) <= names, shape
        assert shapes.value(shape, SH.group) is not None and shapes.value(shape, SH.order) is not None, shape
    for group in shapes.subjects(None, SH.PropertyGroup):
        assert {label.language for label in shapes.objects(group, RDFS.label)} >= set(LANGUAGES), group


@pytest.mark.parametrize(
    "path, first_rows",
    [
        ("/doc/pledge/SP320067", ["rcrc:pledgeNumber", "rcrc:conference", "rcrc:pledgeType", "rcrc:pledgedBy"]),
        ("/doc/resolution/31/3", ["rcrc:conference", "rcrc:resolutionNumber"]),
        ("/doc/conference/32", ["rcrc:ordinal", "rcrc:year", "rcrc:startDate", "rcrc:city", "rcrc:venue"]),
        ("/doc/national-society/KE", ["rcrc:country", "rcrc:region", "rcrc:fdrsCode", "dcterms:source"]),
        ("/doc/theme/migration", ["skos:inScheme", "dcterms:source"]),
    ],
)
def test_real_pages_open_with_their_fact_card(real_client, path, first_rows):
    html = real_client.get(path, headers=HTML).get_data(as_text=True)
    assert card(html)[: len(first_rows)] == first_rows
    assert "owl:NamedIndividual" not in html and 'class="badge"' not in html
    main = html.split("<main", 1)[1]
    assert "xsd:" not in re.sub(r'title="[^"]*"', "", main)  # datatypes only in tooltips


def test_label_and_title_are_shown_once(real_client):
    html = real_client.get("/doc/pledge/SP320067", headers=HTML).get_data(as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    body = html.split("</h1>", 1)[1].split('<section class="cite"')[0]
    assert heading not in body  # neither rdfs:label nor dcterms:title repeats the heading
    resolution = real_client.get("/doc/resolution/34/1", headers=HTML).get_data(as_text=True)
    text = resolution.split('id="h-TextGroup"')[1].split("</section>")[0]
    assert re.search(r'lang="es" dir="auto"[^>]*>Forjar una cultura universal', text)  # its title in Spanish too
    assert resolution.count(">Forjar una cultura universal de cumplimiento") == 1


@pytest.mark.parametrize(
    "lang, date, dates, boolean",
    [
        ("en", "9 December 2015", "8 – 10 December 2015", "yes"),
        ("fr", "9 décembre 2015", "8–10 décembre 2015", "oui"),
        ("es", "9 de diciembre de 2015", "8–10 de diciembre de 2015", "sí"),
        ("ar", "9 ديسمبر 2015", "8–10 ديسمبر 2015", "نعم"),
    ],
)
def test_values_are_written_for_the_page_language(real_client, lang, date, dates, boolean):
    pledge = real_client.get("/doc/pledge/SP320067", headers={**HTML, "Accept-Language": lang}).get_data(as_text=True)
    assert f'title="2015-12-09 (xsd:date)">{date}<' in pledge
    assert f'title="true (xsd:boolean)">{boolean}<' in pledge
    conference = real_client.get("/doc/conference/32", headers={**HTML, "Accept-Language": lang}).get_data(as_text=True)
    assert f">{dates}<" in conference.replace("\u2009", " ") if lang == "en" else f">{dates}<" in conference


def test_notes_name_their_sources_and_unshown_fields_are_one_line(real_client):
    html = real_client.get("/doc/conference/32", headers=HTML).get_data(as_text=True)
    notes = html.split('id="h-NotesGroup"', 1)[1].split("</section>", 1)[0]
    assert "S19" not in re.sub(r'title="[^"]*"', "", notes)  # the key became the source's title
    assert "International Review of the Red Cross: 32nd Conference resolutions 1–10" in notes
    assert "Mid-term review of the outcomes of the 32nd Conference" in notes  # a source without an address
    assert "32IC/15/R3" in notes  # a document symbol is not mistaken for source R3
    assert (
        notes.count("not recorded on the source page".capitalize()) + notes.count("not recorded on the source page")
        == 1
    )
    assert re.search(r"not recorded on the source page</span></th><td><span[^>]*>slogan</span>", notes)
