"""The related sections of resource pages on the real data: their rows account for every pledge the
store has for the page, and the list of every record that links here repeats none of them."""

import re

import pytest

from service.stores.embedded import EmbeddedStore

R = "https://w3id.org/rcrc/def/"
ID = "https://w3id.org/rcrc/id/"
DOC = "http://localhost/doc/"
HTML = {"Accept": "text/html"}
ORGANISATION = f"VALUES ?class {{ <{R}NationalSociety> <{R}MovementComponent> <{R}Government> <{R}Observer> }}"

# (page type, what its pages are, how a pledge links to one, the related section that holds its
# pledges and the property it groups or counts them by)
PAGES = [
    ("conference", f"?this a <{R}Conference>", "conference", "Pledges by theme", "theme"),
    ("resolution", f"?this a <{R}Resolution>", "citesResolution", "Pledges citing this resolution", "pledgerCategory"),
    ("organisation", f"{ORGANISATION} ?this a ?class", "pledgedBy", "Pledges by conference", "conference"),
    ("theme", f"?this a <{R}Theme>", "theme", "Pledges over the conferences", "conference"),
]


@pytest.fixture(scope="module")
def real_store(real_store_dir):
    return EmbeddedStore(real_store_dir)


def _number(store, query):
    return int(next(iter(store.query(query)))["n"].value)


def _pages(store, what, through):
    query = f"SELECT DISTINCT ?this WHERE {{ {what} . ?p a <{R}Pledge> ; <{R}{through}> ?this }} ORDER BY ?this"
    return [row["this"].value for row in store.query(query)]


def _sections(html):
    """{title: (total, [row counts], [paths linked])} of the page's related sections."""
    found = {}
    for body in re.findall(r'<section class="related"[^>]*>(.*?)</section>', html, re.S):
        title, total = re.search(r"<h2[^>]*>(.*?)(?: <small>\(([\d,]+)\)</small>)?</h2>", body).groups()
        rows = re.findall(r"<small>\(([\d,]+)\)</small></h3>", body)  # groups
        rows += re.findall(r'class="num"><a [^>]*>([\d,]+)<', body)  # counts
        found[title] = (total and _int(total), [_int(n) for n in rows], _links(body))
    return found


def _int(text):
    return int(text.replace(",", ""))


def _every_record(html):
    """(its count, [its groups' counts], [paths linked]) of the section "Every record that links here"."""
    start = html.find('<section class="incoming"')
    if start < 0:
        return 0, [], []
    body = html[start : html.find("</section>", start)]
    total = re.search(r'<h2 id="incoming-h">.*?\((\d+)\)', body).group(1)
    return int(total), [int(n) for n in re.findall(r'<h3 class="inverse">.*?\((\d+)\)', body)], _links(body)


def _links(body):
    return re.findall(rf'href="{DOC}([^"?]+)"', body)


@pytest.mark.parametrize("kind, what, through, title, by", PAGES, ids=[p[0] for p in PAGES])
def test_related_rows_account_for_every_pledge(real_client, real_store, kind, what, through, title, by):
    pages = _pages(real_store, what, through)
    assert pages, kind
    for iri in pages:
        html = real_client.get(DOC + iri[len(ID) :], headers=HTML).get_data(as_text=True)
        pledges = f"?p a <{R}Pledge> ; <{R}{through}> <{iri}>"
        total, rows, links = next(s for t, s in _sections(html).items() if t.startswith(title))
        assert total == _number(real_store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {pledges} }}"), iri
        # A pledge is in the row of each of its values, or in the row "not recorded" when it has none.
        pairs = _number(real_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?p ?v WHERE "
                                    f"{{ {pledges} ; <{R}{by}> ?v }} }}")  # fmt: skip
        none = _number(real_store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE "
                                   f"{{ {pledges} FILTER NOT EXISTS {{ ?p <{R}{by}> ?v }} }}")  # fmt: skip
        assert sum(rows) == pairs + none, iri
        if kind != "theme":  # grouped, every pledge listed (the real data has no group over the limit)
            found = {row["p"].value[len(ID) :] for row in real_store.query(f"SELECT ?p WHERE {{ {pledges} }}")}
            assert {link for link in links if link.startswith("pledge/")} == found, iri


@pytest.mark.parametrize("kind, what, through", [p[:3] for p in PAGES], ids=[p[0] for p in PAGES])
def test_every_record_that_links_here_repeats_no_related_record(real_client, real_store, kind, what, through):
    for iri in _pages(real_store, what, through):
        html = real_client.get(DOC + iri[len(ID) :], headers=HTML).get_data(as_text=True)
        related = {link for _, _, links in _sections(html).values() for link in links}
        total, counts, listed = _every_record(html)
        assert not related & set(listed), iri
        assert sum(counts) == total == len(listed), iri  # one page: its count is what it lists
        # Nothing is lost: a record linking here is in a related section or in the list.
        linking = {
            row["s"].value[len(ID) :]
            for row in real_store.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }}")
        }
        assert linking <= related | set(listed), (iri, linking - related - set(listed))
