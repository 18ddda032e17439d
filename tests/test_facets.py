"""Repeated parameters: facet values are OR within a facet and AND across facets, in any order;
a repeated parameter that takes one value is a 400 naming it."""

import itertools
import json
import re
from urllib.parse import urlencode

import pytest

from service.stores.embedded import EmbeddedStore

R = "https://w3id.org/rcrc/def/"
ID = "https://w3id.org/rcrc/id/"

# (listing, [(param, code)], the same selection as a SPARQL pattern over ?s, counted independently)
SELECTIONS = [
    ("pledges", [("theme", "youth"), ("theme", "migration")],
     f"?s a <{R}Pledge> ; <{R}theme> ?t VALUES ?t {{ <{ID}theme/youth> <{ID}theme/migration> }}"),
    ("pledges", [("theme", "migration"), ("conference", "32")],
     f"?s a <{R}Pledge> ; <{R}theme> <{ID}theme/migration> ; <{R}conference> <{ID}conference/32>"),
    ("pledges", [("conference", "31"), ("theme", "youth"), ("conference", "32"), ("theme", "migration")],
     f"?s a <{R}Pledge> ; <{R}theme> ?t ; <{R}conference> ?c "
     f"VALUES ?t {{ <{ID}theme/youth> <{ID}theme/migration> }} "
     f"VALUES ?c {{ <{ID}conference/31> <{ID}conference/32> }}"),
    ("pledges", [("country", "CO"), ("country", "IT"), ("pledge-type", "open")],
     f"?s a <{R}Pledge> ; <{R}country> ?c ; <{R}pledgeType> <{ID}pledge-type/open> "
     f"VALUES ?c {{ <{ID}country/CO> <{ID}country/IT> }}"),
    ("pledges", [("theme", "migration"), ("theme", "migration")],  # a value given twice counts once
     f"?s a <{R}Pledge> ; <{R}theme> <{ID}theme/migration>"),
    ("organisations", [("region", "africa"), ("region", "europe")],
     f"?s <{R}region> ?r VALUES ?r {{ <{ID}region/africa> <{ID}region/europe> }}"),
    ("resolutions", [("conference", "31"), ("conference", "32")],
     f"?s a <{R}Resolution> ; <{R}conference> ?c VALUES ?c {{ <{ID}conference/31> <{ID}conference/32> }}"),
]


def total(html):
    return int(re.search(r"<h1>[^<]*<small>\((\d+)\)</small>", html).group(1))


def items(html):
    """The listed items, in table order."""
    return re.findall(r'<td class="col-title"><a href="([^"]+)"', html)


@pytest.mark.parametrize("kind, pairs, pattern", SELECTIONS, ids=[urlencode(s[1]) for s in SELECTIONS])
def test_repeated_facet_values_are_or_within_and_across_in_any_order(real_client, real_store_dir, kind, pairs, pattern):
    store = EmbeddedStore(real_store_dir)
    expected = int(next(iter(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")))["n"].value)
    store.close()
    assert expected > 0
    answers = []
    for order in itertools.permutations(pairs):
        response = real_client.get(f"/{kind}?{urlencode(order)}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        answers.append((total(html), items(html)))
    assert answers[0][0] == expected
    assert all(answer == answers[0] for answer in answers)  # order-free


def test_facet_links_add_and_remove_one_value(real_client):
    html = real_client.get("/pledges?theme=youth").get_data(as_text=True)
    # another theme is offered as an addition (OR), in one canonical order
    assert 'href="/pledges?theme=migration&amp;theme=youth"' in html
    # the chosen one removes itself, the rest stays
    both = real_client.get("/pledges?theme=youth&theme=migration").get_data(as_text=True)
    assert 'href="/pledges?theme=youth" title="remove this filter"' in both
    assert 'href="/pledges?theme=migration" title="remove this filter"' in both


SINGLE = [
    ("/pledges?page=1&page=2", "page"),
    ("/pledges?theme=youth&page=1&page=1", "page"),
    ("/search?q=kenya&q=norway", "q"),
    ("/search?q=kenya&page=1&page=2", "page"),
    ("/search/suggest?q=ken&q=nor", "q"),
    ("/doc/theme/migration?page=1&page=2", "page"),
    ("/reconcile/suggest/entity?prefix=ken&prefix=nor", "prefix"),
    ("/reconcile/suggest/entity?prefix=ken&limit=1&limit=2", "limit"),
    ("/reconcile/suggest/type?prefix=nat&prefix=gov", "prefix"),
    ("/reconcile/preview?id=a&id=b", "id"),
    ("/reconcile/try?query=kenya&query=norway", "query"),
    ("/reconcile?" + urlencode([("queries", json.dumps({"q0": "Kenya"}))] * 2), "queries"),
]


@pytest.mark.parametrize("path, name", SINGLE, ids=[s[0][:60] for s in SINGLE])
def test_a_repeated_single_value_parameter_is_a_400_naming_it(real_client, path, name):
    response = real_client.get(path)
    assert response.status_code == 400
    assert name in response.get_data(as_text=True)


def test_a_repeated_form_field_is_a_400_too(real_client):
    body = urlencode([("queries", json.dumps({"q0": "Kenya"})), ("queries", json.dumps({"q0": "Norway"}))])
    response = real_client.post("/reconcile", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "queries" in response.get_data(as_text=True)


# Parameters that are not filters of a listing: a tracker, a typo, a name meant for another
# listing, hostile names. Each is left out (the same rows as without it) and said.
NOT_FILTERS = [("utm_source", "newsletter", None), ("fbclid", "IwAR0x", None), ("theem", "migration", "theme"),
               ("colour", "red", None), ("a%0D%0Ab", "1", None), ("%22%3E%3Cx%3E", "1", None),
               ("x" * 300, "1", None)]


@pytest.mark.parametrize("kind", ["pledges", "resolutions", "conferences", "organisations", "themes"])
@pytest.mark.parametrize("name, value, near", NOT_FILTERS, ids=[n[:20] for n, _, _ in NOT_FILTERS])
def test_a_parameter_that_is_not_a_filter_is_left_out_and_said(real_client, kind, name, value, near):
    plain = real_client.get(f"/{kind}")
    html = real_client.get(f"/{kind}?{name}={value}")
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    assert total(page) == total(plain.get_data(as_text=True)) and items(page) == items(plain.get_data(as_text=True))
    notice = page.split("Not a filter of this list", 1)[1].split("</div>", 1)[0]
    assert "<x>" not in notice and "\r" not in notice
    if near and kind == "pledges":  # the listings that have a filter of that name
        assert f"did you mean {near}?" in notice
    csv = real_client.get(f"/{kind}.csv?{name}={value}")
    assert csv.status_code == 200 and csv.data == real_client.get(f"/{kind}.csv").data
    assert "not a filter here, left out:" in csv.headers["Warning"]
    data = json.loads(real_client.get(f"/{kind}.json?{name}={value}").data)
    assert len(data["ignored"]) == 1 and data["total"] == total(page)


def test_many_or_odd_parameter_names_keep_the_answer_small_and_their_names(real_client):
    junk = "&".join(f"junk{i}={'x' * 50}" for i in range(500)) + "&th%C3%A8me=1&=1"
    csv = real_client.get(f"/pledges.csv?{junk}")
    assert csv.status_code == 200 and len(csv.headers["Warning"]) <= 1100
    data = json.loads(real_client.get(f"/pledges.json?{junk}").data)
    assert "thème" in data["ignored"] and "" not in data["ignored"] and len(data["ignored"]) == 501
    page = real_client.get(f"/pledges?{junk}").get_data(as_text=True)
    assert "<code>thème</code>" in page or "junk" in page  # shown as given (escaped), at most 20 of them
    assert page.count("<code>junk") <= 20


@pytest.mark.parametrize("path", ["/search?q=migration&page=999", "/search?q=&page=2"])
def test_search_past_its_last_page_is_404_naming_the_last(real_client, path):
    response = real_client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 404 and "the last is page" in response.get_data(as_text=True)


def test_the_checksums_file_answers_under_its_own_name(real_client):
    index, named = real_client.get("/dumps/"), real_client.get("/dumps/SHA256SUMS")
    assert named.status_code == 200 and named.data == index.data and b"  " in named.data
