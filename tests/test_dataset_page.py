"""The dataset description for people (/.well-known/void as HTML) in English, French and Arabic:
per-class counts equal to the store's, labels in the reader's language, every dump with the size and
SHA-256 of the file /dumps/ serves, no prefixed names in what a reader sees, lang and dir; and the
same description as data, answering as it did."""

import hashlib
import html as entities
import json
import re
from datetime import UTC

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, VOID

from service.dataset.void import DESCRIPTION
from service.namespaces import PREFIXES
from service.pages.values import byte_size, locale_of, long_date, number

DATASET = URIRef("https://w3id.org/rcrc/.well-known/void#dataset")
OURS = "https://w3id.org/rcrc/def/"
LANGUAGES = [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")]
PREFIXED = re.compile(rf"(?<![\w/.#-])(?:{'|'.join(PREFIXES)}):[A-Za-z]|spdx", re.IGNORECASE)
ROW = re.compile(r'<tr data-class="([^"]+)"><th scope="row"><a [^>]*?(?:lang="([^"]*)"[^>]*)?>([^<]*)</a>.*?'
                 r'<data value="(\d+)">(?:<a [^>]*>)?([^<]*)<', re.S)


def page(client, lang):
    response = client.get("/.well-known/void", headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def main_of(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def visible(fragment):
    """What a reader sees of a fragment: no scripts, no tags, no attributes."""
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", fragment, flags=re.S))
    return " ".join(entities.unescape(text).split())


def select(client, query):
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["results"]["bindings"]


def class_rows(fragment):
    """{class IRI: (label, label's lang, count, count as shown)} of the class tables in a fragment."""
    return {iri: (entities.unescape(label), lang or "", int(n), entities.unescape(shown))
            for iri, lang, label, n, shown in ROW.findall(fragment)}


@pytest.mark.parametrize("lang, direction", LANGUAGES)
def test_counts_per_class_are_the_stores_with_labels_in_the_readers_language(real_client, lang, direction):
    main = main_of(page(real_client, lang))
    ours, _, others = main.partition('<details class="others">')
    shown = class_rows(ours)
    classes = select(real_client, f"SELECT DISTINCT ?c WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), '{OURS}')) }}")
    assert set(shown) == {row["c"]["value"] for row in classes}, "the main table holds our classes, all of them"
    for iri, (label, label_lang, count, text) in shown.items():
        (row,) = select(real_client, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{iri}> }}")
        assert count == int(row["n"]["value"]), iri
        assert text == number(count, locale_of(lang)), (iri, text)
        labels = select(real_client, f"SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                                     f"FILTER(LANG(?l) = '{lang}') }}")
        if labels:  # the ontology names it in the reader's language
            assert (label, label_lang) == (labels[0]["l"]["value"], lang), iri
    assert class_rows(others) and not [iri for iri in class_rows(others) if iri.startswith(OURS)]


@pytest.mark.parametrize("lang, direction", LANGUAGES)
def test_every_dump_shows_the_size_and_checksum_of_its_file(real_client, lang, direction):
    main = main_of(page(real_client, lang))
    sums = real_client.get("/dumps/").get_data(as_text=True).splitlines()
    assert len(sums) == 3
    for line in sums:
        digest, name = line.split("  ")
        body = real_client.get(f"/dumps/{name}").data
        assert hashlib.sha256(body).hexdigest() == digest
        row = re.search(rf'<tr><th scope="row"><a href="[^"]*/dumps/{re.escape(name)}">.*?</tr>', main, re.S).group(0)
        size = re.search(r'<data class="size" value="(\d+)"[^>]*>([^<]+)</data>', row)
        assert int(size.group(1)) == len(body) and size.group(2) == byte_size(len(body), locale_of(lang))
        assert f'<code class="sha256">{digest}</code>' in row


@pytest.mark.parametrize("lang, direction", LANGUAGES)
def test_the_page_speaks_the_readers_language_without_prefixed_names(real_client, lang, direction):
    html = page(real_client, lang)
    root = re.search(r"<html([^>]*)>", html).group(1)
    assert f'lang="{lang}"' in root and f'dir="{direction}"' in root
    text = visible(main_of(html))
    assert not PREFIXED.findall(text), PREFIXED.findall(text)
    assert "http://rdfs.org" not in text and "http://www.w3.org/ns/dcat" not in text
    described = Graph().parse(data=real_client.get("/.well-known/void?format=ttl").data, format="turtle")
    release = str(described.value(DATASET, URIRef("http://www.w3.org/ns/dcat#version")))
    modified = described.value(DATASET, DCTERMS.modified).toPython()
    assert long_date(modified.astimezone(UTC).date(), locale_of(lang)) in text and release in text
    triples = int(described.value(DATASET, VOID.triples))
    assert f'<data value="{triples}">{number(triples, locale_of(lang))}</data>' in html
    assert (lang == "en") == (DESCRIPTION in text)  # the description in the reader's language


def test_the_pages_links_lead_somewhere(real_client):
    html = page(real_client, "en")
    for path in ("/releases/", "/sparql", "/api", "/reconcile/try", "/dumps/SHA256SUMS", "/pledges"):
        assert f'href="http://localhost{path}"' in html or f'href="{path}"' in html, path
        assert real_client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
    release = re.search(r'href="(http://localhost/releases/\w+/)"', html).group(1)
    assert real_client.get(release[len("http://localhost") :]).status_code == 200
    assert 'rel="license" href="http://creativecommons.org/publicdomain/zero/1.0/"' in main_of(html)
    assert 'id="citation-text"' in html and "/cite/bibtex?iri=https" in html


def test_the_description_as_data_answers_as_before(real_client):
    turtle = real_client.get("/.well-known/void")
    assert turtle.mimetype == "text/turtle" and turtle.headers["Vary"].startswith("Accept, Accept-Language")
    graph = Graph().parse(data=turtle.data, format="turtle")
    assert list(graph.objects(DATASET, DCTERMS.description)) == [Literal(DESCRIPTION, lang="en")]
    html = page(real_client, "fr")
    for ext, syntax in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")):
        assert f'href="http://localhost/.well-known/void?format={ext}"' in html, ext
        answer = real_client.get(f"/.well-known/void?format={ext}")
        assert answer.status_code == 200 and isomorphic(Graph().parse(data=answer.data, format=syntax), graph), ext
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert isomorphic(Graph().parse(data=json.dumps(json.loads(embedded)), format="json-ld"), graph)
    again = real_client.get("/.well-known/void", headers={"If-None-Match": turtle.headers["ETag"]})
    assert again.status_code == 304
