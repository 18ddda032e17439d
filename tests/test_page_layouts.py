"""Every layout of the pledge database (2015, 2011, 2019/2024, reports), text and HTML: valid,
malformed and hostile pages (tests/fixtures/pages, synthetic text in the real layouts)."""

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS

from service import iris
from service.errors import InputError
from service.importers.page_index import read_index
from service.importers.pledge_pages import import_page, parse_page
from service.importers.rdf_files import parse_rdf
from service.namespaces import RCRC
from service.pipeline.build import validate_paths

from .conftest import ROOT

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
INDEX = read_index(PAGES / "pages.tsv")


@pytest.fixture(scope="module")
def context():
    return parse_rdf(PAGES / "context.ttl")


def load(name, context, index=INDEX):
    return import_page(PAGES / name, context, index=index)


def objects(graph, subject, predicate):
    return set(graph.objects(subject, predicate))


def without_language_parts(graph):
    """The triples a language version shares with the others (not its words: titles, texts, names as
    shown, nor its address)."""
    words = {DCTERMS.title, RDFS.label, RCRC.pledgeText, RCRC.reportText, DCTERMS.source, DCTERMS.issued,
             RCRC.pledgerNameAsShown}
    return {t for t in graph if t[1] not in words}


# -- detection -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, layout, kind", [
    ("SP320067.html", "2015", "pledge"), ("data-block-only.txt", "2015", "pledge"),
    ("data-block-only.html", "2015", "pledge"), ("p2011.txt", "2011", "pledge"), ("p2011.html", "2011", "pledge"),
    ("a2019.txt", "2019/2024", "pledge"), ("a2019.fr.html", "2019/2024", "pledge"),
    ("a2019.ar.txt", "2019/2024", "pledge"),
    ("a2019.es.html", "2019/2024", "pledge"), ("report-pledge.txt", "report", "pledge-report"),
    ("report-pledge.fr.html", "report", "pledge-report"), ("report-resolution.txt", "report", "resolution-report"),
    ("report-resolution-32-2.html", "report", "resolution-report"),
])
def test_the_layout_is_read_from_the_page(name, layout, kind):
    page = parse_page((PAGES / name).read_bytes(), name=name, html=name.endswith(".html"))
    assert (page.layout, page.kind) == (layout, kind)


@pytest.mark.parametrize("name", ["none-of-them.html", "no-pledge-data.txt", "a2019-no-objectives.html"])
def test_a_page_of_no_known_layout_says_what_was_looked_for(name):
    with pytest.raises(InputError) as error:
        parse_page((PAGES / name).read_bytes(), name=name, html=name.endswith(".html"))
    for mark in ("Pledge data", "PLEDGE Pnnnn", "A) Objectives of the pledge", "Actions taken"):
        assert mark in error.value.message
    assert name in error.value.message


# -- valid pages: text and HTML give the same graph --------------------------------------------------


@pytest.mark.parametrize("text, html", [("data-block-only.txt", "data-block-only.html"), ("p2011.txt", "p2011.html")])
def test_text_and_html_forms_agree(context, text, html):
    assert isomorphic(load(text, context), load(html, context))


def test_2015_data_block_alone(context):
    graph = load("data-block-only.txt", context)
    pledge = iris.pledge("OP329910")
    assert objects(graph, pledge, RCRC.pledgedBy) == {iris.government("AT"), iris.national_society("AT")}
    assert objects(graph, pledge, RCRC.signatory) == {iris.national_society("AT"), iris.national_society("ES")}
    assert objects(graph, pledge, RCRC.country) == {iris.country("AT"), iris.country("ES")}
    assert objects(graph, pledge, RCRC.conference) == {iris.conference(32)}
    assert objects(graph, pledge, RCRC.notRecorded) == {RCRC.pledgeText}  # the text was not copied
    assert objects(graph, pledge, DCTERMS.title) == {Literal("Synthetic data block", lang="en")}


def test_2011_page(context):
    graph = load("p2011.txt", context)
    pledge = iris.pledge("P9911")
    assert objects(graph, pledge, RCRC.conference) == {iris.conference(31)}
    assert objects(graph, pledge, RCRC.pledgedBy) == {iris.national_society("AT")}  # "NS - Austria"
    assert objects(graph, pledge, RCRC.pledgerNameAsShown) == {Literal("NS - Austria")}
    assert objects(graph, pledge, RCRC.chapter) == {
        Literal("1 Strengthening international humanitarian law", lang="en"),
        Literal("3 Addressing barriers to health care", lang="en")}
    assert objects(graph, pledge, RCRC.section) == {
        Literal("1.1 Strengthening legal protection for victims of armed conflicts", lang="en")}
    assert objects(graph, pledge, RCRC.notRecorded) == {RCRC.country, RCRC.theme, RCRC.pledgerCategory,
                                                       RCRC.pledgeType, DCTERMS.title}
    assert objects(graph, pledge, RCRC.citesResolution) == {iris.resolution(31, 5)}
    (text,) = objects(graph, pledge, RCRC.pledgeText)
    assert text.startswith("- synthetic commitment one") and "\n\nSynthetic second paragraph" in text
    assert text.endswith("Proposed Evaluation Criteria\n\nSynthetic criterion one.\nSynthetic criterion two.")
    assert objects(graph, pledge, RDFS.label) == {Literal("Pledge P9911", lang="en")}


def test_2019_language_versions_are_one_pledge(context):
    english, french = load("a2019.txt", context), load("a2019.fr.html", context)
    pledge = iris.pledge(conference_ordinal=33, slug="synthetic-joint-pledge-on-placeholders")
    assert set(english.subjects(RDF.type, RCRC.Pledge)) == set(french.subjects(RDF.type, RCRC.Pledge)) == {pledge}
    assert without_language_parts(english) == without_language_parts(french)
    both = english + french
    assert {t.language for t in objects(both, pledge, RDFS.label)} == {"en", "fr"}
    assert {t.language for t in objects(both, pledge, RCRC.pledgeText)} == {"en", "fr"}
    assert objects(both, pledge, RCRC.pledgedBy) == {iris.national_society("AT"), iris.government("AU")}
    assert objects(both, pledge, RCRC.signatory) == {iris.national_society("JM"), iris.national_society("TT")}
    assert objects(both, pledge, RCRC.conference) == {iris.conference(33)}
    assert objects(both, pledge, RCRC.citesResolution) == {iris.resolution(33, 2)}
    assert RCRC.pledgedBy not in objects(both, pledge, RCRC.notRecorded)
    (text,) = objects(english, pledge, RCRC.pledgeText)
    assert text.startswith("A) Objectives of the pledge\n\nSynthetic objective")
    assert "B) Action plan\n\n  • Synthetic step one.\n  • Synthetic step two." in text
    assert "liable" not in text and "Austrian Red Cross" not in text  # disclaimer and name lists are not text


def test_bidi_marks_around_an_arabic_heading_are_ignored():
    heading = "أ) أهداف التعهد"
    text = (PAGES / "a2019.ar.txt").read_text(encoding="utf-8").replace(heading, f"\u200f{heading}\u200f")
    page = parse_page(text)
    assert (page.layout, page.language) == ("2019/2024", "ar")


def test_2019_arabic_and_spanish_versions_share_their_key(context):
    arabic, spanish = load("a2019.ar.txt", context), load("a2019.es.html", context)
    pledge = iris.pledge(conference_ordinal=33, slug="synthetic-pledge-in-four-languages")
    assert {t.language for t in objects(arabic + spanish, pledge, RDFS.label)} == {"ar", "es"}
    (text,) = objects(arabic, pledge, RCRC.pledgeText)
    assert text.startswith("أ) أهداف التعهد") and "د) الموارد" in text
    assert objects(arabic, pledge, RCRC.notRecorded) >= {RCRC.pledgedBy, RCRC.theme, RCRC.pledgeNumber}


def test_a_number_given_as_key_is_the_pledges_number(context):
    info = INDEX["a2019.txt"].__class__(**{**INDEX["a2019.txt"].__dict__, "key": "SP339901", "conference": None})
    graph = load("a2019.txt", context, index={"a2019.txt": info})
    pledge = iris.pledge("SP339901")
    assert objects(graph, pledge, RCRC.pledgeNumber) == {Literal("SP339901")}
    assert objects(graph, pledge, RCRC.conference) == {iris.conference(33)}
    assert not objects(graph, pledge, RCRC.notRecorded) & {RCRC.pledgeNumber, RCRC.conference}


def test_pledge_report_by_number(context):
    graph = load("report-pledge.txt", context)
    (report,) = graph.subjects(RDF.type, RCRC.PledgeReport)
    assert str(report) == "https://w3id.org/rcrc/id/pledge/32/report-on-synthetic-pledge-op329910"
    assert objects(graph, report, RCRC.reportsOn) == {iris.pledge("OP329910")}
    assert objects(graph, report, RCRC.pledgedBy) == {iris.national_society("ES")}
    assert objects(graph, report, RCRC.conference) == {iris.conference(32)}
    assert objects(graph, report, RCRC.citesResolution) == {iris.resolution(32, 2)}
    (text,) = objects(graph, report, RCRC.reportText)
    assert text.startswith("Synthetic account") and objects(graph, report, RCRC.pledgeText) == set()


def test_report_fields_written_under_the_title_without_a_blank_line():
    text = (PAGES / "report-resolution.txt").read_text(encoding="utf-8").replace("(synthetic)\n\n", "(synthetic)\n")
    page = parse_page(text)
    assert page.title == "Report on Resolution 5 of the 31st International Conference (synthetic)"
    assert (page.resolution, page.pledged_by) == ((31, 5), "Austrian Red Cross")


def test_pledge_report_by_address_finds_the_pledge_in_any_language(context):
    pledge_page = load("a2019.txt", context)
    graph = load("report-pledge.fr.html", context + pledge_page)
    (report,) = graph.subjects(RDF.type, RCRC.PledgeReport)
    pledge = iris.pledge(conference_ordinal=33, slug="synthetic-joint-pledge-on-placeholders")
    assert objects(graph, report, RCRC.reportsOn) == {pledge}
    assert objects(graph, report, RCRC.conference) == {iris.conference(33)}  # the pledge's
    assert objects(graph, report, RCRC.pledgedBy) == {iris.national_society("ES")}  # "Croix-Rouge espagnole"
    (text,) = objects(graph, report, RCRC.reportText)
    assert text.language == "fr" and "Mesures prises" in text


@pytest.mark.parametrize("name, resolution, member", [
    ("report-resolution.txt", (31, 5), iris.national_society("AT")),
    ("report-resolution-32-2.html", (32, 2), iris.government("AU")),
])
def test_resolution_reports(context, name, resolution, member):
    graph = load(name, context)
    (report,) = graph.subjects(RDF.type, RCRC.ResolutionReport)
    assert str(report).startswith(f"https://w3id.org/rcrc/id/resolution-report/{resolution[0]}/")
    assert objects(graph, report, RCRC.reportsOnResolution) == {iris.resolution(*resolution)}
    assert objects(graph, report, RCRC.pledgedBy) == {member}
    assert objects(graph, report, RCRC.conference) == {iris.conference(resolution[0])}


def test_every_valid_page_passes_the_real_build(tmp_path):
    """The valid pages of every layout, added to a copy of data/, validate with no violation."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    lines = (PAGES / "pages.tsv").read_text(encoding="utf-8").splitlines()
    # one form of each page: a page's .txt and .html in one folder would share a graph (a problem)
    rows = lines[:1] + [line for line in lines[1:] if not line.startswith(("data-block-only.html", "p2011.html"))]
    index = data / "pages" / "pages.tsv"
    old = index.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    widened = [old[0] + "\t" + "\t".join(header[len(old[0].split("\t")):])]
    widened += [line + "\t" * (len(header) - len(line.split("\t"))) for line in old[1:]]
    index.write_text("\n".join(widened + rows[1:]) + "\n", encoding="utf-8")
    for row in rows[1:]:
        shutil.copy(PAGES / row.split("\t")[0], data / "pages")
    report = validate_paths(data)
    assert report.violations == [], report.to_text()
    assert report.problems == []


# -- malformed pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, message", [
    ("p2011-numbers-differ.txt", "header says pledge P9912 but the footer says P9913"),
    ("p2011-no-text.html", "no 'Pledge text :' field"),
    ("a2019-extra-before.txt", "more than a title before the 'A)' heading"),
    ("a2019-no-objectives.html", "not a page of the pledge database in a known layout"),
    ("report-bad-resolution.txt", "'Resolution:' must name one resolution"),
    ("report-bad-number.html", "'SP32-0099' is not a pledge number"),
    ("several-layouts.txt", "several layouts (2015, report)"),
    ("no-pledge-data.html", "not a page of the pledge database in a known layout"),
    ("duplicate-field.txt", "appears twice"),
    ("duplicate-field.html", "appears twice"),
    ("a2019-stray.html", "unexpected text before the 'A)' heading"),
])
def test_malformed_pages_say_what_is_wrong(context, name, message):
    with pytest.raises(InputError) as error:
        load(name, context, index={})
    assert message in error.value.message and name in error.value.message


# -- hostile pages -----------------------------------------------------------------------------------


def test_hostile_2015_text_cannot_write_rdf(context):
    with pytest.raises(InputError) as error:
        load("hostile-2015.txt", context, index={})
    # "Spanish Red Cross" is a name; what follows the ";" is refused by name, never parsed as RDF
    assert error.value.details["unmatched"] == ["<https://w3id.org/rcrc/def/pledgedBy> <http://evil.example/x> . #"]


def test_hostile_2015_html_hidden_parts_do_not_count(context):
    page = parse_page((PAGES / "hostile-2015.html").read_bytes(), html=True)
    assert (page.layout, page.number) == ("2015", "SP329922")
    graph = load("hostile-2015.html", context, index={})
    assert not any("SP00000" in str(term) or "evil" in str(term) for triple in graph for term in triple)


def test_hostile_2011_text_keeps_markup_as_text_and_refuses_the_name(context):
    page = parse_page((PAGES / "hostile-2011.txt").read_bytes())
    assert page.number == "P9915" and "\n\nPledge P0001\n\n" in page.text  # a footer in the text is text
    assert '<script>alert("x")</script> &amp; <b>bold</b>' in page.text
    with pytest.raises(InputError) as error:
        load("hostile-2011.txt", context, index={})
    assert error.value.details["unmatched"] == ["<img src=x onerror=alert(1)>"]


def test_hostile_2011_html_nesting_and_scripts(context):
    graph = load("hostile-2011.html", context, index={})
    pledge = iris.pledge("P9916")
    assert objects(graph, pledge, RCRC.pledgedBy) == {iris.national_society("ES")}  # not the <noscript> name
    assert objects(graph, pledge, RCRC.chapter) == {Literal("3 Addressing barriers to health care", lang="en")}


def test_hostile_2019_text_traps_and_twenty_thousand_subscribers(context):
    page = parse_page((PAGES / "hostile-2019.txt").read_bytes())
    assert "B) we will not stop here." in page.text  # a sentence, not a heading
    assert page.text.count("A) Objectives of the pledge") == 2 and len(page.listed) == 20000
    graph = load("hostile-2019.txt", context, index={"hostile-2019.txt": INDEX["a2019.txt"]})
    assert set(graph.objects(None, RCRC.signatory)) == {iris.national_society("ES")}


def test_a_page_listing_more_names_than_the_conference_has_members_is_refused(context, tmp_path):
    lines = (PAGES / "a2019.txt").read_text(encoding="utf-8").split("Subscribers")[0].splitlines()
    path = tmp_path / "many.txt"
    path.write_text("\n".join(lines + ["Subscribers", ""] + [f"Synthetic Society {n}" for n in range(501)]),
                    encoding="utf-8")
    with pytest.raises(InputError, match="503 different organisation names; more than 500"):
        import_page(path, context, index={"many.txt": INDEX["a2019.txt"]})


def test_hostile_2019_html(context):
    graph = load("hostile-2019.html", context, index={"hostile-2019.html": INDEX["a2019.txt"]})
    (pledge,) = graph.subjects(RDF.type, RCRC.Pledge)
    assert objects(graph, pledge, RCRC.pledgedBy) == {iris.national_society("ES")}
    assert objects(graph, pledge, DCTERMS.title) == {Literal("Synthetic pledge <script>alert(1)</script>", lang="en")}


def test_hostile_report_text(context):
    with pytest.raises(InputError, match="'javascript:alert\\(1\\)' is not a pledge number"):
        load("hostile-report.txt", context, index={})


def test_hostile_report_html_follows_only_http_links(context):
    page = parse_page((PAGES / "hostile-report.html").read_bytes(), html=True)
    assert page.reports_on == "https://example.org/pledge/synthetic-target/"
    graph = load("hostile-report.html", context, index={"hostile-report.html": INDEX["report-pledge.txt"]})
    assert set(graph.objects(None, RCRC.reportsOn)) == {URIRef("https://w3id.org/rcrc/id/pledge/unknown/synthetic-target")}


# -- names, themes and pages.tsv ---------------------------------------------------------------------


def test_unknown_names_and_themes_come_with_suggestions(context, tmp_path):
    page = (PAGES / "data-block-only.txt").read_text(encoding="utf-8")
    page = page.replace("Themes: Migration, Youth", "Themes: Migraton, Youth").replace(
        "Spanish Red Cross", "Spanish Red Crss Society of Spain").replace("Country: Austria, Spain", "Country: Austira")
    path = tmp_path / "OP329910.txt"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_page(path, context, index={})
    message = error.value.message
    assert "'Migraton': not a theme" in message and "did you mean 'Migration'?" in message
    assert "known: Capacity building" in message  # the allowed values are listed
    assert "'Austira'" in message and "did you mean 'Austria'" in message
    assert sorted(error.value.details["unmatched"]) == ["Austira", "Migraton", "Spanish Red Crss Society of Spain"]


def test_a_page_without_a_row_in_pages_tsv_warns(context, tmp_path):
    copy = tmp_path / "p2011.txt"
    shutil.copy(PAGES / "p2011.txt", copy)
    (tmp_path / "pages.tsv").write_text("file\tsource_url\nother.txt\thttps://example.org/x\n", encoding="utf-8")
    said = []
    import_page(copy, context, warn=said.append)
    assert len(said) == 1 and "no row for p2011.txt" in said[0] and "no title, address" in said[0]


SIX = "file\tsource_url\ttitle\tdate\tlanguage\tnote\n"


@pytest.mark.parametrize("header, message", [
    (SIX + "SP320067.txt\tftp://example.org/x\t\t\t\t\n", "http"),
    *[(SIX + f"SP320067.txt\t{url}\t\t\t\t\n", "full http\\(s\\) address")
      for url in ("https://example.org/a b", "https://example.org/a{b}", "https://example.org/a\\b",
                  "https://exa mple.org/", 'https://example.org/x"><script>', "https://example.org/<x>")],
    (SIX + "SP320067.txt\thttps://example.org/x\t\t09/12/2015\t\t\n", "YYYY-MM-DD"),
    (SIX + "SP320067.txt\thttps://example.org/x\n", "columns"),
    (SIX + "\thttps://example.org/x\t\t\t\t\n", "no file name"),
    (SIX + "a.txt\t\t\t\t\t\na.txt\t\t\t\t\t\n", "a.txt has a row already"),
    ("file\tsource\n", "unknown column 'source'; did you mean 'source_url'?"),
    ("source_url\ttitle\n", "includes 'file'"),
    ("file\tconference\nx.txt\tthirty-three\n", "conference must be an ordinal"),
    *[(f"file\tlanguage\nx.txt\t{tag}\n", "language must be a language tag")
      for tag in ("French", "zz", "und", "en_GB", "e", "fr-", "-fr")],
])
def test_malformed_pages_tsv(tmp_path, header, message):
    (tmp_path / "pages.tsv").write_text(header, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_index(tmp_path / "pages.tsv")


def test_every_bad_row_of_pages_tsv_is_reported_in_one_run(tmp_path):
    rows = ["SP320067.txt\thttps://example.org/x\t\t09/12/2015\t\t", "a.txt\t\t\t\t\t", "a.txt\t\t\t\t\t",
            "b.txt\tftp://example.org/\t\t\t\t"]
    (tmp_path / "pages.tsv").write_text(SIX + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_index(tmp_path / "pages.tsv")
    for line in (2, 4, 5):
        assert f"pages.tsv:{line}:" in error.value.message


@pytest.mark.parametrize(("tag", "read"), [("en", "en"), ("EN", "en"), ("en-GB", "en-GB"), ("en-gb", "en-GB"),
                                           ("ar", "ar"), ("es-419", "es-419"), ("zh-Hant", "zh-Hant")])
def test_a_page_language_is_any_language_tag_cldr_knows(tmp_path, tag, read):
    (tmp_path / "pages.tsv").write_text(f"file\tlanguage\nx.txt\t{tag}\n", encoding="utf-8")
    assert read_index(tmp_path / "pages.tsv")["x.txt"].language == read  # as RDF writes it (BCP 47 case)


def test_pages_tsv_of_six_columns_still_reads():
    index = read_index(ROOT / "data" / "pages" / "pages.tsv")
    assert index["SP320067.txt"].conference is None and index["SP320067.txt"].language == "en"


def test_context_graph_is_not_changed(context):
    before = len(context)
    load("p2011.txt", context)
    assert len(context) == before and isinstance(context, Graph)


@pytest.mark.parametrize("number, near", [("OP329911", "OP329910"), ("SP999999", None)])
def test_a_report_on_a_pledge_not_in_the_data_names_the_nearest(context, tmp_path, number, near):
    page = tmp_path / "report.txt"
    page.write_text((PAGES / "report-pledge.txt").read_text(encoding="utf-8").replace("OP329910", number),
                    encoding="utf-8")
    with pytest.raises(InputError, match=f"pledge {number}, which is not in the data") as error:
        import_page(page, context, index={})
    assert (f"did you mean '{near}'" in error.value.message) if near else "did you mean" not in error.value.message
