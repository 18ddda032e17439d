"""Listings as tables: every sortable column sorts both ways (checked against the data), resolutions
by conference and number, conferences by date, facets in reading order and case-insensitive, an
unknown value said on the page; search understands resolution references and says what each hit is."""

import re
from html import unescape

import pytest

from service.pages.kinds import KINDS
from service.pages.listing import listing
from service.pages.listing_index import collation_key, natural_key
from service.pages.search import search
from service.stores.embedded import EmbeddedStore

R = "https://w3id.org/rcrc/def/"
ID = "https://w3id.org/rcrc/id/"


@pytest.fixture(scope="module")
def store(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    yield store
    store.close()


def rows(html):
    """The table's rows: the IRI of each row's title link."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td class="col-title"><a href="http://localhost/doc/([^"]+)"', body)


def values_of(store, iris, path):
    found = {}
    for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{path}> ?o }}"):
        found.setdefault(row["s"].value, []).append(row["o"])
    return {i: found.get(i, []) for i in iris}


def labels_en(store, iris):
    """Each IRI's label along the default chain: English, else French, Spanish, Arabic, else any."""
    chain = ["en", "fr", "es", "ar"]
    found = {}
    for row in store.query("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"):
        lang = row["l"].language or ""
        rank = chain.index(lang) if lang in chain else len(chain)
        found.setdefault(row["s"].value, []).append((rank, lang, row["l"].value))
    return {i: min(found[i])[2] if i in found else None for i in iris}


def expected_order(store, kind, key):
    """The items of ``kind`` sorted by column ``key``, computed here from SPARQL: missing values last."""
    everything = listing(store, kind, page=0).items
    column = KINDS[kind].column(key)
    if not column.path:
        keys = {i: collation_key(label) if label else None for i, label in labels_en(store, everything).items()}
    else:
        values = values_of(store, everything, column.path)
        if column.sort == "label":
            names = labels_en(store, [v.value for vs in values.values() for v in vs])
            keys = {i: min((collation_key(names[v.value]) for v in vs), default=None) for i, vs in values.items()}
        elif column.sort == "number":
            keys = {i: min((float(v.value) for v in vs), default=None) for i, vs in values.items()}
        else:
            keys = {i: min((natural_key(v.value) for v in vs), default=None) for i, vs in values.items()}
    present = [i for i in everything if keys[i] is not None]
    return [keys[i] for i in present], len(everything) - len(present), keys


SORTS = [(kind, c.key) for kind, k in KINDS.items() for c in k.columns if c.sort and c.table and c.sort != "count"]


@pytest.mark.parametrize("kind, key", SORTS, ids=[f"{k}-{c}" for k, c in SORTS])
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_both_ways_with_missing_values_last(store, kind, key, descending):
    result = listing(store, kind, page=0, sort=("-" if descending else "") + key)
    ordered, missing, keys = expected_order(store, kind, key)
    shown = [keys[i] for i in result.items]
    present = [k for k in shown if k is not None]
    assert present == sorted(ordered, reverse=descending)
    assert shown[len(present) :] == [None] * missing


def test_count_columns_sort_by_the_number_of_pledges(real_client, store):
    html = real_client.get("/organisations?sort=-pledges").get_data(as_text=True)
    counts = [int(n) for n in re.findall(r'<td class="col-pledges"><span class="literal"[^>]*>(\d+)<', html)]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    top = rows(html)[0]
    n = store.query(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p <{R}pledgedBy> <{ID}{top}> }}")
    assert int(next(iter(n))["n"].value) == counts[0]


def test_resolutions_read_by_conference_and_number(real_client):
    html = real_client.get("/resolutions").get_data(as_text=True)
    order = [tuple(int(x) for x in path.split("/")[1:]) for path in rows(html)]
    assert len(order) == 48 and order == sorted(order)


def test_conferences_read_by_date_and_in_their_facet_by_date(real_client):
    assert [p.split("/")[1] for p in rows(real_client.get("/conferences").get_data(as_text=True))] == [
        str(n) for n in range(25, 35)
    ]
    html = real_client.get("/pledges").get_data(as_text=True)
    facet = html.split('data-facet="conference"', 1)[1].split("</section>", 1)[0]
    shown = re.findall(r"conference=(\d+)", facet)
    assert shown == sorted(shown, key=int)


def test_other_facets_read_alphabetically(real_client):
    html = real_client.get("/pledges").get_data(as_text=True)
    facet = html.split('data-facet="theme"', 1)[1].split("</section>", 1)[0]
    names = [unescape(n) for n in re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a> <small>', facet)]
    assert names == sorted(names, key=str.casefold) and len(names) > 5


@pytest.mark.parametrize(
    "query", ["theme=MIGRATION", "theme=Migration", "country=ke&country=Co", "pledger=NATIONAL-SOCIETY/au"]
)
def test_facet_values_are_case_insensitive(real_client, query):
    lower = real_client.get("/pledges?" + re.sub(r"(?<=[=/])(ke|co|au)\b", lambda m: m.group(1).upper(), query.lower()))
    mixed = real_client.get("/pledges?" + query)
    assert rows(mixed.get_data(as_text=True)) == rows(lower.get_data(as_text=True))
    assert "The data has no such value" not in mixed.get_data(as_text=True)


def test_an_unknown_facet_value_is_said_on_the_page(real_client):
    html = real_client.get("/pledges?theme=migrashun").get_data(as_text=True)
    notice = re.search(r'<div class="notice" role="status">(.*?)</div>', html, re.S).group(1)
    assert "The data has no such value" in notice and "migrashun" in notice
    assert real_client.get("/pledges?theme=weapons").status_code == 200  # a real theme, whatever its count


def test_sort_headers_are_links_with_aria_sort(real_client):
    html = real_client.get("/pledges?sort=-title").get_data(as_text=True)
    assert re.search(r'<th scope="col" aria-sort="descending" class="col-title"><a href="/pledges\?sort=title"', html)
    assert 'href="/pledges?sort=number"' in html
    assert real_client.get("/pledges?sort=colour").status_code == 400


def test_plurals_are_right(real_client):
    assert "1 result<" in real_client.get("/pledges?theme=migration").get_data(as_text=True)
    assert re.search(r">\d+ results · page 1 of", real_client.get("/pledges").get_data(as_text=True))


REFERENCES = [
    ("Res. 3 of the 31st IC", "resolution/31/3"),
    ("Resolution 3 of the 31st International Conference", "resolution/31/3"),
    ("32IC/15/R2", "resolution/32/2"),
    ("31IC Res. 3", "resolution/31/3"),
    ("résolution 1 de la 34e conférence", "resolution/34/1"),
    ("32nd International Conference", "conference/32"),
]


@pytest.mark.parametrize("query, iri", REFERENCES)
def test_search_understands_resolution_references(store, real_client, query, iri):
    assert search(store, query).hits[0].iri == ID + iri
    html = real_client.get("/search", query_string={"q": query}).get_data(as_text=True)
    first = html.split('<ol class="hits"', 1)[1].split("</li>", 1)[0]
    assert f'href="http://localhost/doc/{iri}"' in first and "cited in your search" in first


def test_search_hits_say_what_they_are_and_where_they_belong(real_client):
    html = real_client.get("/search?q=migration").get_data(as_text=True)
    hit = next(h for h in html.split("<li>") if 'href="http://localhost/doc/pledge/SP320067"' in h)
    assert '<span class="kind">Pledge</span>' in hit and ">32nd (2015)</a>" in hit  # the conference with its year


@pytest.mark.parametrize(("lang", "name"), [("en", "32nd (2015)"), ("fr", "32e (2015)"), ("ar", "الدورة 32 (2015)")])
def test_a_conference_is_named_with_its_year_in_tables_facets_and_charts(real_client, lang, name):
    headers = {"Accept": "text/html", "Accept-Language": lang}
    table = real_client.get("/pledges?conference=32", headers=headers).get_data(as_text=True)
    column = re.findall(r'<td class="col-conference">(.*?)</td>', table)
    assert column and all(name in cell for cell in column)
    facet = table.split('data-facet="conference"', 1)[1].split("</section>", 1)[0]
    assert name in facet
    assert name in real_client.get("/", headers=headers).get_data(as_text=True)  # the chart
    assert name in real_client.get("/doc/theme/migration", headers=headers).get_data(as_text=True)  # counts
