"""Resource pages: one graph in every format, hostile data rendered harmlessly, paging, base mapping,
percent-encoded IRIs, vocabulary and shapes pages."""

import json
import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from tests.conftest import FIXTURES, ROOT

HOSTILE = r"""
@prefix rcrc: <https://w3id.org/rcrc/def/> .
@prefix id: <https://w3id.org/rcrc/id/> .
@prefix g: <https://w3id.org/rcrc/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
g:data\/hostile {
  id:pledge\/HOSTILE a rcrc:Pledge ; rdfs:label "<script>alert(1)</script>"@en ;
      rcrc:pledgeText "</script><script>alert(2)</script> & \"quoted\" 'single'"@en ;
      dcterms:source <javascript:alert(3)> , <https://example.org/doc?a=1&b='2'> ;
      skos:altLabel "x\" onmouseover=\"alert(4)"@en ;
      rcrc:theme id:theme\/many ;
      dcterms:provenance [ rdfs:label "inline blank node"@en ; rdfs:comment [ rdfs:label "nested"@en ] ] .
  <https://w3id.org/rcrc/id/pledge/caf%C3%A9> a rcrc:Pledge ; rdfs:label "percent-encoded IRI"@en .
  <https://w3id.org/rcrc/id/pledge/thé> a rcrc:Pledge ; rdfs:label "IRI with a non-ASCII letter"@en .
  id:theme\/many a rcrc:Theme ; rdfs:label "Many"@en , "Beaucoup"@fr , "Muchos"@es ; skos:prefLabel "Many"@en .
}
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    """A store with the mini data, hostile data, a high-degree theme and conference (its pledges and
    reports), the ontology and the shapes."""
    root = tmp_path_factory.mktemp("hostile")
    lines = [
        HOSTILE,
        "@prefix id: <https://w3id.org/rcrc/id/> .\n@prefix rcrc: <https://w3id.org/rcrc/def/> .",
    ]
    lines.append("<https://w3id.org/rcrc/graph/data/many> {")
    lines.append('id:conference\\/many a rcrc:Conference ; <http://www.w3.org/2000/01/rdf-schema#label> "Many"@en .')
    for n in range(250):
        lines.append(
            f"id:pledge\\/MANY{n:03d} a rcrc:Pledge ; <http://www.w3.org/2000/01/rdf-schema#label> "
            f'"Pledge {n:03d}"@en ; rcrc:theme id:theme\\/many ; rcrc:conference id:conference\\/many .'
        )
    for n in range(100):
        lines.append(
            f"id:report\\/MANY{n:03d} a rcrc:PledgeReport ; <http://www.w3.org/2000/01/rdf-schema#label> "
            f'"Report {n:03d}"@en ; rcrc:conference id:conference\\/many .'
        )
    lines.append("}")
    trig = root / "hostile.trig"
    trig.write_text("\n".join(lines), encoding="utf-8")
    vocab = root / "vocab.nq"
    with open(vocab, "wb") as out:
        for name, path in (("ontology", "ontology/rcrc.ttl"), ("shapes", "shapes/rcrc-shapes.ttl")):
            quads = ox.parse(path=str(ROOT / path), format=ox.RdfFormat.TURTLE)
            graph = ox.NamedNode(f"https://w3id.org/rcrc/graph/{name}")
            ox.serialize((ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads), out, ox.RdfFormat.N_QUADS)
    EmbeddedStore(root / "store").publish([FIXTURES / "mini.trig", trig, vocab])
    return root / "store"


@pytest.fixture
def client(hostile_dir):
    return create_app({"TESTING": True, "STORE_DIR": str(hostile_dir)}).test_client()


def _graph(data, fmt):
    graph = Graph()
    graph.parse(data=data, format=fmt)
    return graph


FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


@pytest.mark.parametrize(
    "path",
    ["/doc/pledge/SP320067", "/doc/resolution/31/3", "/doc/pledge/HOSTILE", "/doc/theme/many", "/def/Pledge"],
)
def test_every_format_is_the_same_graph(client, path):
    graphs = {ext: _graph(client.get(f"{path}.{ext}").data, fmt) for ext, fmt in FORMATS.items()}
    html = client.get(f"{path}.html").get_data(as_text=True)
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    graphs["html"] = _graph(embedded, "json-ld")
    reference = graphs["ttl"]
    assert len(reference) > 0
    for ext, graph in graphs.items():
        assert isomorphic(graph, reference), ext


def test_description_has_outgoing_labels_of_links_and_incoming(client):
    graph = _graph(client.get("/doc/resolution/31/3.ttl").data, "turtle")
    text = graph.serialize(format="nt")
    assert "<https://w3id.org/rcrc/id/pledge/SP320067> <https://w3id.org/rcrc/def/citesResolution>" in text
    assert "31st International Conference" in text  # label of a linked resource
    assert "Turning commitments" in text  # label of the citing pledge


def test_blank_nodes_are_inline(client):
    turtle = client.get("/doc/pledge/HOSTILE.ttl").get_data(as_text=True)
    assert "inline blank node" in turtle and "nested" in turtle
    html = client.get("/doc/pledge/HOSTILE.html").get_data(as_text=True)
    assert "inline blank node" in html and "nested" in html
    assert "_:" not in html.split('<script type="application/ld+json">')[0]


class Collector(HTMLParser):
    """Every tag, attribute and script body of a page, as the browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = dict(attrs).get("type") if tag == "script" else None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))

    def handle_endtag(self, tag):
        self._in_script = None


def test_hostile_literals_and_iris_are_harmless(client):
    html = client.get("/doc/pledge/HOSTILE.html").get_data(as_text=True)
    page = Collector()
    page.feed(html)
    scripts = [s for s in page.scripts]
    assert [t for t, _ in scripts] == ["application/ld+json"]  # no script the data smuggled in
    json.loads(scripts[0][1])  # the JSON-LD block is intact: "</script>" in a literal did not end it
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    hrefs = [a.get("href") or "" for tag, a in page.tags if tag == "a"]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    assert "javascript:alert(3)" in html  # shown as text, not as a link
    assert not [a for tag, a in page.tags if any(k.startswith("on") for k in a)]
    assert "https://example.org/doc?a=1&b='2'" in hrefs
    assert "https://example.org/doc?a=1&amp;b=&#39;2&#39;" in html


def test_hostile_language_tag_is_refused_by_the_store_or_escaped(tmp_path, client):
    bad = tmp_path / "bad.trig"
    bad.write_text('<http://g> { <https://w3id.org/rcrc/id/pledge/X> <http://p> "x"@en"onmouseover=alert(1) . }')
    with pytest.raises(SyntaxError):
        EmbeddedStore(tmp_path / "s").publish([bad])
    app = client.application
    with app.test_request_context("/"):
        from flask import render_template_string

        out = render_template_string(
            "{{ value(v) }}{{ link(l) }}",  # web/markup.py
            v={"kind": "literal", "text": "t", "lang": 'en" onmouseover="alert(1)', "datatype": ""},
            l={"kind": "link", "iri": "x", "href": None, "text": "t", "lang": '"><script>alert(1)</script>'},
        )
    assert 'onmouseover="alert' not in out and "<script>" not in out
    assert "&#34;" in out


def test_search_and_listing_escape_hostile_text(client):
    for path in ("/search?q=script", "/pledges", "/search?q=%3Cscript%3E", "/search?q=%22%7D%29+%3B"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        assert b"<script>alert" not in response.data, path
    suggest = client.get("/search/suggest?q=script")
    assert suggest.mimetype == "application/json"  # data, never markup; the script sets .value only
    assert json.loads(suggest.data)[0]["label"] == "<script>alert(1)</script>"
    script = (ROOT / "service/web/static/suggest.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


@pytest.mark.parametrize("path", ["/doc/pledge/caf%C3%A9", "/doc/pledge/th%C3%A9", "/doc/pledge/caf%C3%A9.ttl"])
def test_percent_encoded_iris(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert b"IRI" in response.data


def test_percent_encoded_iri_via_303(client):
    response = client.get("/id/pledge/caf%C3%A9")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/pledge/caf%C3%A9")


def test_high_degree_resource_pages_its_incoming_links(client):
    first = client.get("/doc/theme/many.ttl")
    graph = _graph(first.data, "turtle")
    incoming = [s for s, p, o in graph if str(o) == "https://w3id.org/rcrc/id/theme/many"]
    assert len(incoming) == 100
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    last = _graph(client.get("/doc/theme/many.ttl?page=3").data, "turtle")
    assert len([s for s, p, o in last if str(o) == "https://w3id.org/rcrc/id/theme/many"]) == 51
    assert client.get("/doc/theme/many.ttl?page=4").status_code == 404
    html = client.get("/doc/theme/many.html").get_data(as_text=True)
    assert "pledges on this theme" in html and "(251)" in html and "page 1 of 3" in html
    # Its related section counts every pledge: the one with no conference in a row of its own, whose
    # count links to the listing of all the theme's pledges (a listing cannot filter on "none").
    assert "Pledges over the conferences <small>(251)</small>" in html
    assert '<tr><td>not recorded</td><td class="num"><a href="/pledges?theme=many" aria-label="1 pledge' in html
    assert client.get("/doc/theme/many.html?page=3").status_code == 200


def _every_record(html):
    """The section "Every record that links here" of a page ("" when it has none)."""
    start = html.find('<section class="incoming"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def _links(html):
    return re.findall(r'href="http://localhost/doc/([^"?]+)"', html)


def test_links_of_records_no_related_section_shows_are_paged(client):
    """A conference with 250 pledges (its related section shows 50 of them, the limit of a group)
    and 100 reports: the description pages 350 links, the page lists the 300 others in pages."""
    turtle = client.get("/doc/conference/many.ttl?page=4")
    assert turtle.status_code == 200 and 'rel="next"' not in turtle.headers["Link"]
    first = client.get("/doc/conference/many.html")
    html = first.get_data(as_text=True)
    assert "Pledges by theme <small>(250)</small>" in html
    related = _links(html[html.find('<section class="related"') : html.find('<section class="incoming"')])
    shown = {link for link in related if link.startswith("pledge/")}
    assert len(shown) == 50
    assert "at this conference <small>(300)</small>" in _every_record(html) and "page 1 of 3" in html
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    pages = [_links(_every_record(html))]
    for n in (2, 3):
        response = client.get(f"/doc/conference/many.html?page={n}")
        assert ('rel="next"' in response.headers["Link"]) == (n < 3)
        pages.append(_links(_every_record(response.get_data(as_text=True))))
    assert [len(p) for p in pages] == [100, 100, 100]
    every = {f"pledge/MANY{n:03d}" for n in range(250)} | {f"report/MANY{n:03d}" for n in range(100)}
    assert sorted(pages[0] + pages[1] + pages[2]) == sorted(every - shown)
    assert client.get("/doc/conference/many.html?page=4").status_code == 404  # the .ttl has a page 4


def test_label_in_the_readers_language(client):
    def title(lang):
        html = client.get("/doc/theme/many.html", headers={"Accept-Language": lang}).get_data(as_text=True)
        return re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)

    assert title("fr-CH, fr;q=0.9") == "Beaucoup"
    assert title("es") == "Muchos"
    assert title("de") == "Many"  # not published in German: the chain starts with English
    assert title("ar, fr;q=0.5") == "Beaucoup"  # no Arabic label: the reader's next language, French
    assert title("ar") == "Many"  # then the configured chain: English
    assert (
        client.get("/doc/theme/many.html", headers={"Accept-Language": "fr"}).headers["ETag"]
        != client.get("/doc/theme/many.html", headers={"Accept-Language": "es"}).headers["ETag"]
    )


def test_properties_are_named_by_the_shapes(client):
    html = client.get("/doc/pledge/SP320067.html").get_data(as_text=True)
    assert "citesResolution</" not in html and ">rcrc:citesResolution<" not in html  # only in tooltips
    assert 'title="rcrc:citesResolution" lang="en">resolutions cited</span>' in html  # its sh:name
    assert 'title="dcterms:source" lang="en">source</span>' in html
    assert '<p class="kinds">Pledge</p>' in html and 'class="badge"' not in html  # a word, not a badge


def test_resolution_page_lists_pledges_citing_it(client):
    html = client.get("/doc/resolution/31/3", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Pledges citing this resolution, by pledger category <small>(1)</small>" in html
    assert "Turning commitments into further action to implement Resolution 3" in html
    assert 'href="http://localhost/doc/pledge/SP320067"' in html
    assert "cited by" not in html  # listed once, in the related section


def test_base_mapping_public_base_and_request_host(hostile_dir):
    app = create_app({"TESTING": True, "STORE_DIR": str(hostile_dir), "PUBLIC_BASE": "https://pledges.example/"})
    html = app.test_client().get("/doc/pledge/SP320067.html").get_data(as_text=True)
    assert 'href="https://pledges.example/doc/resolution/31/3"' in html
    plain = create_app({"TESTING": True, "STORE_DIR": str(hostile_dir), "TRUSTED_HOSTS": "other.host"}).test_client()
    html = plain.get("/doc/pledge/SP320067.html", base_url="http://other.host:8080").get_data(as_text=True)
    assert 'href="http://other.host:8080/doc/resolution/31/3"' in html
    turtle = plain.get("/doc/pledge/SP320067.ttl", base_url="http://other.host:8080").get_data(as_text=True)
    assert "other.host" not in turtle and "https://w3id.org/rcrc/id/resolution/31/3" in turtle


def test_ontology_page_documents_every_class_and_property(client):
    html = client.get("/def/", headers={"Accept": "text/html"}).get_data(as_text=True)
    ontology = Graph().parse(ROOT / "ontology/rcrc.ttl")
    terms = {
        str(s)
        for s in ontology.subjects()
        if str(s).startswith("https://w3id.org/rcrc/def/") and str(s) != "https://w3id.org/rcrc/def/"
    }
    assert terms
    for term in terms:
        assert f'title="{term}"' in html, term
    turtle = client.get("/def/", headers={"Accept": "text/turtle"}).data
    assert isomorphic(_graph(turtle, "turtle"), ontology)


def test_vocabulary_terms_and_shapes_dereference(client):
    term = client.get("/def/Pledge", headers={"Accept": "text/turtle"})
    assert term.status_code == 200 and b"Pledge" in term.data
    html = client.get("/def/Pledge", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "instances" in html  # incoming rdf:type links
    shapes = client.get("/shapes/", headers={"Accept": "text/turtle"})
    assert shapes.status_code == 200
    assert isomorphic(_graph(shapes.data, "turtle"), Graph().parse(ROOT / "shapes/rcrc-shapes.ttl"))
    a_shape = next(
        s
        for s in Graph().parse(ROOT / "shapes/rcrc-shapes.ttl").subjects()
        if str(s).startswith("https://w3id.org/rcrc/shapes/")
    )
    response = client.get(
        "/shapes/" + str(a_shape)[len("https://w3id.org/rcrc/shapes/") :], headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert client.get("/def").status_code == 301


def test_core_modules_of_the_pages_stay_below_the_web_layer():
    import ast

    for name in ("pages/describe", "pages/present", "pages/listing", "pages/search", "dataset/void", "pages/labels"):
        tree = ast.parse((ROOT / "service" / f"{name}.py").read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & {"flask", "click"}, name
        assert "os.environ" not in ast.unparse(tree) and "current_app" not in ast.unparse(tree), name
