"""The tabular importer on small hand-written tables: expected triples, and loud errors."""

import csv

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS

from service import iris
from service.errors import InputError
from service.importers.tables import is_table, read_table
from service.namespaces import RCRC, WD

TABLES = {
    "sources": [
        ["key", "url", "description"],
        ["S1", "https://example.org/pledge/sp320067/", "A pledge page"],
        ["S19", "https://example.org/resolutions-32", "Resolutions of the 32nd Conference"],
        ["S16", "", "A booklet whose address is recorded only in part"],
        ["R1", "https://example.org/go/Countries.json", "Country fixture"],
        ["R3", "", "Third-party files"],
    ],
    "conferences": [
        ["ordinal", "year", "label", "city", "venue", "start_date", "end_date", "slogan", "sources", "note"],
        [
            "31",
            "2011",
            "31st International Conference of the Red Cross and Red Crescent",
            "Geneva",
            "CICG",
            "2011-11-28",
            "2011-12-01",
            "Our World. Your Move – For Humanity",
            "S16",
            "",
        ],
        [
            "32",
            "2015",
            "32nd International Conference of the Red Cross and Red Crescent",
            "Geneva",
            "CICG",
            "2015-12-08",
            "?",
            "?",
            "S19",
            "End date conflicting.",
        ],
    ],
    "resolutions": [
        ["conference", "number", "title", "title_status", "title_translations", "alt_labels"]
        + ["notation", "sources", "note"],
        [
            "31",
            "3",
            "Migration: Ensuring access, dignity, respect for diversity and social inclusion",
            "confirmed",
            "Migración: garantizar el acceso, la dignidad, el respeto de la diversidad y la inclusión social@es",
            "",
            "",
            "S19",
            "",
        ],
        ["31", "6", "MoU or health inequities", "unknown", "", "", "", "S16", "Not known which."],
        [
            "32",
            "2",
            "Strengthening compliance with international humanitarian law",
            "confirmed",
            "",
            "IHL compliance@en",
            "32IC/15/R2",
            "S19",
            "",
        ],
    ],
    "national-societies": [
        [
            "iso2",
            "iso3",
            "country",
            "name_en",
            "name_fr",
            "fdrs_code",
            "region",
            "wikidata",
            "wikidata_link",
            "sources",
            "note",
        ],
        ["KE", "KEN", "Kenya", "Kenya Red Cross Society", "Croix-Rouge du Kenya", "DKE001", "Africa", "", "", "R1", ""],
        [
            "ES",
            "ESP",
            "Spain",
            "Spanish Red Cross",
            "Croix-Rouge espagnole",
            "DES001",
            "Europe",
            "Q5792382",
            "exactMatch",
            "R1",
            "",
        ],
        [
            "AU",
            "AUS",
            "Australia",
            "Australian Red Cross",
            "Croix-Rouge australienne",
            "DAU001",
            "Asia Pacific",
            "",
            "",
            "R1",
            "",
        ],
        [
            "BT",
            "BTN",
            "Bhutan",
            "Bhutan Red Cross Society",
            "Société de la Croix-Rouge du Bhoutan",
            "?",
            "Asia Pacific",
            "",
            "",
            "R1",
            "No FDRS code.",
        ],
    ],
    "organisations": [
        ["key", "class", "label_en", "label_fr", "alt_labels", "wikidata", "wikidata_link", "sources", "note"],
        [
            "icrc",
            "MovementComponent",
            "International Committee of the Red Cross",
            "Comité international de la Croix-Rouge",
            "ICRC@en; International Committee of Red Cross@en",
            "Q5987345",
            "sameAs",
            "R3",
            "",
        ],
        ["gov:AU", "Government", "Government of Australia", "", "", "", "", "", ""],
        ["nato", "Organisation", "NATO", "", "", "", "", "", ""],
    ],
    "pledges": [
        [
            "key",
            "kind",
            "number",
            "conference",
            "conference_basis",
            "confidence",
            "title",
            "title_lang",
            "title_status",
            "label",
            "pledgers",
            "pledger_shown",
            "signatories",
            "country",
            "themes",
            "category",
            "type",
            "cites",
            "reports_on",
            "issued",
            "derived",
            "url",
            "other_urls",
            "sources",
            "summary",
            "note",
        ],
        [
            "disaster-risk-reduction-in-australia",
            "pledge",
            "SP320112",
            "32",
            "Number prefix SP32: the 32nd Conference.",
            "confirmed",
            "Disaster risk reduction in Australia",
            "en",
            "shown",
            "",
            "gov:AU; ns:AU",
            "Australia and Australian Red Cross",
            "",
            "AU",
            "Capacity building; Youth",
            "Government; National Society",
            "Specific",
            "31/3",
            "",
            "2015-12-17",
            "issued",
            "https://example.org/2015/12/17/disaster-risk-reduction-in-australia/",
            "https://example.org/pledge/disaster-risk-reduction-in-australia",
            "S1",
            "DRR, 2016–2019",
            "",
        ],
        [
            "voluntariado",
            "pledge",
            "OP320050",
            "32",
            "Number prefix OP32: the 32nd Conference.",
            "confirmed",
            "Voluntariado: afianzar nuestra posición",
            "es",
            "slug",
            "",
            "ns:ES",
            "Spanish Red Cross",
            "ns:KE",
            "ES",
            "Volunteering",
            "National Society",
            "Open",
            "",
            "",
            "",
            "",
            "https://example.org/voluntariado/",
            "",
            "",
            "",
            "",
        ],
        [
            "ihl",
            "pledge",
            "?",
            "?",
            "Not verified: the 33rd Conference is a candidate.",
            "partial",
            "Strengthening IHL",
            "en",
            "shown",
            "",
            "nato",
            "NATO",
            "",
            "?",
            "?",
            "?",
            "?",
            "",
            "",
            "",
            "",
            "https://example.org/pledge/ihl/",
            "",
            "",
            "",
            "Conference not verified: 33rd candidate.",
        ],
        [
            "p1200",
            "pledge",
            "P1200",
            "31",
            "The 31st Conference's pledge database.",
            "partial",
            "",
            "",
            "none",
            "Pledge P1200",
            "?",
            "",
            "",
            "International",
            "?",
            "?",
            "model",
            "",
            "",
            "",
            "",
            "https://example.org/pledges31/p1200",
            "",
            "",
            "",
            "",
        ],
        [
            "report-7566",
            "report",
            "",
            "32",
            "Reports on a pledge of the 32nd Conference.",
            "partial",
            "",
            "",
            "none",
            "Report on Australian DRR",
            "gov:AU",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "disaster-risk-reduction-in-australia",
            "",
            "",
            "https://example.org/?p=7566",
            "",
            "",
            "",
            "",
        ],
    ],
    "retired-iris": [
        ["retired", "successor", "reason"],
        ["pledge/32/disaster-risk-reduction-in-australia", "pledge/SP320112", "The number was read on the page."],
        ["pledge/unknown/ihl", "pledge/33/ihl", "The conference was established."],
    ],
}


def write_table(folder, stem, rows, suffix=".tsv"):
    path = folder / f"{stem}{suffix}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        if suffix == ".tsv":
            handle.writelines("\t".join(row) + "\n" for row in rows)
        else:
            csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def data_dir(tmp_path):
    for stem, rows in TABLES.items():
        write_table(tmp_path, stem, rows)
    return tmp_path


def graph_of(data_dir, stem):
    return read_table(data_dir / f"{stem}.tsv")


def with_row(data_dir, stem, line, cells):
    """Rewrite table ``stem`` with data row ``line`` (2 = first data row) replaced by ``cells``."""
    rows = [list(r) for r in TABLES[stem]]
    rows[line - 1] = cells
    return write_table(data_dir, stem, rows)


def changed(stem, line, **cells):
    rows = TABLES[stem]
    row = dict(zip(rows[0], rows[line - 1], strict=True))
    row.update(cells)
    return list(row.values())


# -- expected triples --------------------------------------------------------------------------


def test_national_society_and_its_country(data_dir):
    g = graph_of(data_dir, "national-societies")
    ke, country = iris.national_society("KE"), iris.country("KE")
    assert (ke, RDF.type, RCRC.NationalSociety) in g
    assert (ke, RDFS.label, Literal("Kenya Red Cross Society", lang="en")) in g
    assert (ke, RDFS.label, Literal("Croix-Rouge du Kenya", lang="fr")) in g
    assert (ke, RCRC.fdrsCode, Literal("DKE001")) in g
    assert (ke, RCRC.region, iris.concept("region", "Africa")) in g
    assert (ke, RCRC.country, country) in g
    assert (country, RCRC.isoAlpha3, Literal("KEN")) in g
    assert (iris.national_society("ES"), SKOS.exactMatch, WD.Q5792382) in g
    assert (iris.national_society("ES"), OWL.sameAs, None) not in g
    assert (iris.national_society("BT"), RCRC.notRecorded, RCRC.fdrsCode) in g


def test_conference_typed_literals_and_unknown_values(data_dir):
    g = graph_of(data_dir, "conferences")
    c32 = iris.conference(32)
    assert (c32, RCRC.ordinal, Literal(32)) in g
    assert g.value(c32, RCRC.ordinal).datatype == XSD.integer
    assert (c32, RCRC.year, Literal("2015", datatype=XSD.gYear)) in g
    assert (c32, RCRC.startDate, Literal("2015-12-08", datatype=XSD.date)) in g
    assert (c32, RCRC.endDate, None) not in g
    assert {RCRC.endDate, RCRC.slogan} <= set(g.objects(c32, RCRC.notRecorded))
    assert (c32, DCTERMS.source, URIRef("https://example.org/resolutions-32")) in g
    assert (iris.conference(31), RCRC.slogan, Literal("Our World. Your Move – For Humanity", lang="en")) in g


def test_source_without_full_address_becomes_a_note(data_dir):
    g = graph_of(data_dir, "conferences")
    notes = [str(n) for n in g.objects(iris.conference(31), SKOS.editorialNote)]
    assert notes == ["Source S16 is cited; its full address is not recorded."]
    assert (iris.conference(31), DCTERMS.source, None) not in g


def test_resolution_title_only_when_confirmed(data_dir):
    g = graph_of(data_dir, "resolutions")
    r313, r316, r322 = iris.resolution(31, 3), iris.resolution(31, 6), iris.resolution(32, 2)
    assert (r313, DCTERMS.title, Literal(TABLES["resolutions"][1][2], lang="en")) in g
    assert (r313, RCRC.resolutionNumber, Literal(3)) in g
    assert (r313, RCRC.conference, iris.conference(31)) in g
    assert (r316, DCTERMS.title, None) not in g
    assert (r316, RCRC.notRecorded, DCTERMS.title) in g
    assert (r316, RDFS.label, Literal("Resolution 6 of the 31st International Conference", lang="en")) in g
    assert any("MoU or health inequities" in n for n in g.objects(r316, SKOS.editorialNote))
    assert (r322, SKOS.notation, Literal("32IC/15/R2")) in g


def test_organisations(data_dir):
    g = graph_of(data_dir, "organisations")
    icrc, au = iris.organisation("icrc"), iris.government("AU")
    assert (icrc, RDF.type, RCRC.MovementComponent) in g
    assert (icrc, SKOS.altLabel, Literal("International Committee of Red Cross", lang="en")) in g
    assert (icrc, RDFS.label, Literal("Comité international de la Croix-Rouge", lang="fr")) in g
    assert (icrc, OWL.sameAs, WD.Q5987345) in g
    assert (au, RDF.type, RCRC.Government) in g
    assert (au, RCRC.country, iris.country("AU")) in g
    assert (iris.organisation("nato"), RDF.type, RCRC.Organisation) in g


def test_sources_describe_their_addresses(data_dir):
    g = graph_of(data_dir, "sources")
    url = URIRef("https://example.org/resolutions-32")
    assert (url, DCTERMS.identifier, Literal("S19")) in g
    assert (url, RDFS.label, Literal("Resolutions of the 32nd Conference", lang="en")) in g
    # a key without a full address still names its source, so that notes citing it can say what it is
    (node,) = g.subjects(DCTERMS.identifier, Literal("S16"))
    assert isinstance(node, BNode)
    assert g.value(node, RDFS.label) == Literal("A booklet whose address is recorded only in part", lang="en")


def test_pledge_with_full_data_block(data_dir):
    g = graph_of(data_dir, "pledges")
    p = iris.pledge("SP320112")
    assert (p, RDF.type, RCRC.Pledge) in g
    assert (p, RCRC.pledgeNumber, Literal("SP320112")) in g
    assert (p, RCRC.conference, iris.conference(32)) in g
    assert set(g.objects(p, RCRC.pledgedBy)) == {iris.government("AU"), iris.national_society("AU")}
    assert (p, RCRC.pledgerNameAsShown, Literal("Australia and Australian Red Cross")) in g
    assert set(g.objects(p, RCRC.theme)) == {iris.concept("theme", "Capacity building"), iris.concept("theme", "Youth")}
    assert (p, RCRC.pledgeType, iris.concept("pledge-type", "Specific")) in g
    assert (p, RCRC.pledgerCategory, iris.concept("pledger-category", "National Society")) in g
    assert (p, RCRC.citesResolution, iris.resolution(31, 3)) in g
    assert (p, DCTERMS.issued, Literal("2015-12-17", datatype=XSD.date)) in g
    assert (p, RCRC.summary, Literal("DRR, 2016–2019", lang="en")) in g
    assert (p, DCTERMS.source, URIRef("https://example.org/pledge/sp320067/")) in g  # from source key S1
    assert (p, RCRC.notRecorded, None) not in g


def test_open_pledge_signatories_and_slug_title(data_dir):
    g = graph_of(data_dir, "pledges")
    p = iris.pledge("OP320050")
    assert (p, RCRC.signatory, iris.national_society("KE")) in g
    assert (p, DCTERMS.title, Literal("Voluntariado: afianzar nuestra posición", lang="es")) in g
    assert any("URL slug" in n for n in g.objects(p, SKOS.editorialNote))


def test_unknown_conference_is_not_asserted(data_dir):
    g = graph_of(data_dir, "pledges")
    p = iris.pledge(slug="ihl")
    assert str(p).endswith("/id/pledge/unknown/ihl")
    assert (p, RCRC.conference, None) not in g
    assert {RCRC.conference, RCRC.country, RCRC.theme, RCRC.pledgeType} <= set(g.objects(p, RCRC.notRecorded))


def test_untitled_pledge_gets_a_label_but_no_title(data_dir):
    g = graph_of(data_dir, "pledges")
    p = iris.pledge("P1200")
    assert (p, DCTERMS.title, None) not in g
    assert (p, RDFS.label, Literal("Pledge P1200", lang="en")) in g
    assert (p, RCRC.notRecorded, DCTERMS.title) in g
    assert (p, RCRC.notRecorded, RCRC.pledgedBy) in g
    assert (p, RCRC.country, None) not in g  # "International" is no country ...
    assert (p, RCRC.international, Literal(True)) in g  # ... but the database's own value


def test_international_beside_countries(data_dir):
    write_table(data_dir, "pledges", [*TABLES["pledges"][:4], changed("pledges", 5, country="AU; International")])
    g = graph_of(data_dir, "pledges")
    p = iris.pledge("P1200")
    assert set(g.objects(p, RCRC.country)) == {iris.country("AU")}
    assert (p, RCRC.international, Literal(True)) in g


def test_report_points_at_its_pledge(data_dir):
    g = graph_of(data_dir, "pledges")
    report = iris.pledge(conference_ordinal=32, slug="report-7566")
    assert (report, RDF.type, RCRC.PledgeReport) in g
    assert (report, RCRC.reportsOn, iris.pledge("SP320112")) in g
    assert (report, RCRC.pledgedBy, iris.government("AU")) in g


def test_curation_of_a_record(data_dir):
    g = graph_of(data_dir, "pledges")
    p, ihl = iris.pledge("SP320112"), iris.pledge(slug="ihl")
    assert (p, RCRC.conferenceBasis, Literal("Number prefix SP32: the 32nd Conference.", lang="en")) in g
    assert (p, RCRC.confidence, Literal("confirmed")) in g
    assert (ihl, RCRC.confidence, Literal("partial")) in g
    addresses = {
        URIRef("https://example.org/2015/12/17/disaster-risk-reduction-in-australia/"),
        URIRef("https://example.org/pledge/disaster-risk-reduction-in-australia"),
    }
    assert addresses <= set(g.objects(p, DCTERMS.source))
    assert (ihl, RCRC.notRecorded, RCRC.pledgeNumber) in g  # "?": the page showed no number
    assert (ihl, RCRC.pledgeNumber, None) not in g


def test_resolution_translations_and_other_names(data_dir):
    g = graph_of(data_dir, "resolutions")
    r313, r322 = iris.resolution(31, 3), iris.resolution(32, 2)
    spanish = Literal(
        "Migración: garantizar el acceso, la dignidad, el respeto de la diversidad y la inclusión social", lang="es"
    )
    assert (r313, DCTERMS.title, spanish) in g and (r313, RDFS.label, spanish) in g
    assert (r322, SKOS.altLabel, Literal("IHL compliance", lang="en")) in g
    assert (r322, DCTERMS.title, Literal("IHL compliance", lang="en")) not in g


def test_retired_iris_point_at_their_successors(data_dir):
    g = graph_of(data_dir, "retired-iris")
    old = iris.pledge(conference_ordinal=32, slug="disaster-risk-reduction-in-australia")
    assert (old, DCTERMS.isReplacedBy, iris.pledge("SP320112")) in g
    assert (old, SKOS.editorialNote, Literal("The number was read on the page.", lang="en")) in g
    assert (old, RDF.type, None) not in g
    assert (iris.pledge(slug="ihl"), DCTERMS.isReplacedBy, iris.pledge(conference_ordinal=33, slug="ihl")) in g


def test_csv_and_tsv_give_the_same_graph(data_dir, tmp_path_factory):
    csv_dir = tmp_path_factory.mktemp("csv")
    for stem, rows in TABLES.items():
        write_table(csv_dir, stem, rows, suffix=".csv")
    for stem in TABLES:
        tsv_graph, csv_graph = read_table(data_dir / f"{stem}.tsv"), read_table(csv_dir / f"{stem}.csv")
        assert len(tsv_graph) > 0
        assert isomorphic(tsv_graph, csv_graph), stem  # sources without an address are blank nodes


def test_is_table():
    assert is_table("data/pledges.tsv") and is_table("x/organisations.csv")
    assert is_table("data/retired-iris.tsv")
    assert not is_table("data/pages/SP320067.txt") and not is_table("data/notes.tsv")


# -- malformed input: InputError naming the file and the line -----------------------------------


def assert_input_error(path, *words, **kwargs):
    with pytest.raises(InputError) as caught:
        read_table(path, **kwargs)
    message = str(caught.value)
    assert path.name in message
    for word in words:
        assert word in message, message
    return message


def test_wrong_column_count(data_dir):
    path = with_row(data_dir, "conferences", 3, TABLES["conferences"][2][:-1])
    assert_input_error(path, "line 3", "expected 10 columns", "found 9")


# One changed cell each: (table, data line, {column: value}, words the error must contain).
BAD_CELLS = {
    "non-integer ordinal": ("conferences", 2, {"ordinal": "thirty-one"}, ["ordinal", "'thirty-one'"]),
    "impossible date": ("conferences", 2, {"start_date": "2011-13-01"}, ["start_date"]),
    "date outside the year": ("conferences", 2, {"start_date": "2012-11-28"}, ["not in the year 2011"]),
    "unknown source key": ("resolutions", 4, {"sources": "S19;S99"}, ["unknown source key 'S99'"]),
    "bad ISO code": ("national-societies", 3, {"iso2": "Spain"}, ["iso2", "'Spain'"]),
    "unknown theme": ("pledges", 2, {"themes": "Capacity building; Migrations"}, ["unknown theme 'Migrations'"]),
    "unknown country": ("pledges", 2, {"country": "AU; Atlantis"}, ["unknown country 'Atlantis'"]),
    "unknown organisation": ("pledges", 3, {"signatories": "ns:KE; ns:FR"}, ["unknown organisation key 'ns:FR'"]),
    "unknown resolution": ("pledges", 2, {"cites": "31/9"}, ["'31/9'"]),
    "bad pledge number": ("pledges", 2, {"number": "SP32"}, ["'SP32'"]),
    "unverified title status": ("resolutions", 3, {"title_status": "probably"}, ["title_status"]),
    "duplicate IRI": ("resolutions", 3, {"number": "3", "title_status": "confirmed"}, ["defined twice", "line 2"]),
    "derived value missing": ("pledges", 3, {"derived": "issued"}, ["issued is listed as derived"]),
    "pledgers blank": ("pledges", 3, {"pledgers": ""}, ["pledgers must be organisation keys, or ?"]),
    "report with themes": ("pledges", 6, {"themes": "Youth"}, ["a report has no themes"]),
    "no conference basis": ("pledges", 2, {"conference_basis": ""}, ["'conference_basis' must have a value"]),
    "unknown confidence": ("pledges", 2, {"confidence": "sure"}, ["confidence must be one of", "'sure'"]),
    "bad other address": ("pledges", 2, {"other_urls": "example.org/x"}, ["other_urls", "'example.org/x'"]),
    "number on a report": ("pledges", 6, {"number": "?"}, ["a report has no number"]),
    "untagged other name": ("resolutions", 4, {"alt_labels": "IHL compliance"}, ["alt_labels", "like ICRC@en"]),
    "translation of a candidate": ("resolutions", 3, {"title_translations": "x@es"}, ["confirmed titles only"]),
    "retired path": ("retired-iris", 2, {"retired": "https://w3id.org/rcrc/id/pledge/x"}, ["a path under id/"]),
    "retired to itself": ("retired-iris", 2, {"successor": "pledge/32/disaster-risk-reduction-in-australia"},
                          ["cannot replace itself"]),
    "retired twice": ("retired-iris", 3, {"retired": "pledge/32/disaster-risk-reduction-in-australia"},
                      ["defined twice"]),
    "successor retired": ("retired-iris", 3, {"successor": "pledge/32/disaster-risk-reduction-in-australia"},
                          ["is itself retired"]),
}


@pytest.mark.parametrize("case", BAD_CELLS)
def test_a_bad_cell_is_refused_with_its_line(data_dir, case):
    stem, line, cells, words = BAD_CELLS[case]
    path = with_row(data_dir, stem, line, changed(stem, line, **cells))
    assert_input_error(path, f"line {line}", *words)


@pytest.mark.parametrize("stem", sorted({stem for stem, *_ in BAD_CELLS.values()} - {"retired-iris"}))
def test_every_bad_row_of_a_table_is_reported_in_one_run(data_dir, stem):
    """One run names every bad row (a maintainer fixes them all at once), each with its line.
    (The cases of retired-iris compare rows with each other, so they are not combined.)"""
    cases = {line: cells for s, line, cells, _ in BAD_CELLS.values() if s == stem}  # one case per line
    rows = [list(r) for r in TABLES[stem]]
    for line, cells in cases.items():
        rows[line - 1] = changed(stem, line, **cells)
    message = assert_input_error(write_table(data_dir, stem, rows))
    for line in cases:
        assert f"line {line}:" in message, message


def test_every_unknown_name_of_a_cell_is_reported(data_dir):
    path = with_row(data_dir, "pledges", 2, changed("pledges", 2, pledgers="ns:XX; gov:ZZ; atlantis",
                                                     country="AU; Atlantis; Narnia"))
    assert_input_error(path, "line 2", "'ns:XX', 'gov:ZZ', 'atlantis'")
    path = with_row(data_dir, "pledges", 2, changed("pledges", 2, country="AU; Atlantis; Narnia"))
    assert_input_error(path, "line 2", "'Atlantis', 'Narnia'")


def test_binary_file(data_dir):
    path = data_dir / "pledges.tsv"
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n") + 20] + b"\x00\x01\x02garbage")  # inside the first data row
    assert_input_error(path, "line 2", "binary")


def test_not_utf8(data_dir):
    path = data_dir / "national-societies.tsv"
    path.write_bytes(path.read_bytes().replace("Société".encode(), "Société".encode("latin-1")))
    assert_input_error(path, "line 5", "not UTF-8")


def test_csv_syntax_error(data_dir):
    path = data_dir / "conferences.csv"
    (data_dir / "conferences.tsv").unlink()
    write_table(data_dir, "conferences", TABLES["conferences"], suffix=".csv")
    path.write_text(path.read_text(encoding="utf-8") + '33,2019,"unclosed\n', encoding="utf-8")
    assert_input_error(path, "line 4", "unexpected end of data")


def test_oversized_cell(data_dir):
    path = with_row(data_dir, "pledges", 2, changed("pledges", 2, summary="x" * 200_000))
    assert_input_error(path, "line 2", "field larger than field limit")


def test_excel_style_bom_and_crlf_are_accepted(data_dir):
    path = data_dir / "conferences.tsv"
    expected = read_table(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert set(read_table(path)) == set(expected)


def test_empty_file(data_dir):
    path = data_dir / "conferences.tsv"
    path.write_bytes(b"")
    assert_input_error(path, "line 1", "empty")


def test_wrong_header(data_dir):
    path = data_dir / "conferences.csv"
    write_table(data_dir, "conferences", [["ordinal", "year"], ["31", "2011"]], suffix=".csv")
    assert_input_error(path, "line 1", "missing label")


def test_unknown_table_name(data_dir):
    path = write_table(data_dir, "delegates", [["name"], ["x"]])
    assert_input_error(path, "unknown table 'delegates'")


def test_missing_source_table(data_dir):
    (data_dir / "sources.tsv").unlink()
    assert_input_error(data_dir / "conferences.tsv", "line 2", "unknown source key 'S16'", "no sources table")


def test_missing_schemes_file(data_dir):
    with pytest.raises(InputError, match="no-schemes.ttl: the concept schemes file is missing"):
        read_table(data_dir / "national-societies.tsv", schemes=data_dir / "no-schemes.ttl")


def test_quotes_in_tsv_are_literal(data_dir):
    title = 'Turning commitments into action on Resolution 3 "Migration"'
    path = with_row(data_dir, "pledges", 2, changed("pledges", 2, title=title))
    g = read_table(path)
    assert (iris.pledge("SP320112"), DCTERMS.title, Literal(title, lang="en")) in g
