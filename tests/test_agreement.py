"""One record, several sources: language versions, a page and a table row, an RDF file adding to
a record. Fields they both give must agree (in the same language, for texts); a field one gives
and the other says its page does not show is a contradiction too (data/README). Stage 1 reports
it, in `validate` and in `import`, and nothing is published."""

import shutil

import pytest

from service.pipeline.build import validate_paths

from .conftest import ROOT
from .test_cli import cli, project  # noqa: F401 -- the CLI tests' fixture

SEED = (ROOT / "data" / "pages" / "SP320067.txt").read_text(encoding="utf-8")
PLEDGE_DATA = SEED[SEED.index("Pledge data") :]
KENYA = (
    "Pledge data\n\nPledge by Kenya Red Cross Society\n\nNumber: {number}\n\nCountry: {country}\n\n"
    "Themes: {themes}\n\nInstitution: National Society\n\nPledge type: Specific\n"
)
EXISTING = "https://w3id.org/rcrc/id/pledge/SP320107"  # in data/pledges.tsv: Australia, IHL dissemination


def page(folder, name, number, country="Kenya", themes="Volunteering", text="We commit to train volunteers."):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"{text}\n\n" + KENYA.format(number=number, country=country, themes=themes), encoding="utf-8")
    return path


def versions(tmp_path, **french):
    """An English and a French version of one new pledge (one graph each: the file names differ)."""
    (tmp_path / "pages.tsv").write_text("file\tlanguage\nSP329901.txt\ten\nSP329901-fr.txt\tfr\n", encoding="utf-8")
    english = page(tmp_path, "SP329901.txt", "SP329901")
    other = page(tmp_path, "SP329901-fr.txt", "SP329901", **{"text": "Nous formerons des bénévoles.", **french})
    return [english, other]


def renumbered(tmp_path):
    return [page(tmp_path, "SP320107.txt", "SP320107")]  # the number of a pledge of pledges.tsv


def second_title(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text(f'<{EXISTING}> <http://purl.org/dc/terms/title> "Another title"@en ;\n'
                    '    <https://w3id.org/rcrc/def/country> <https://w3id.org/rcrc/id/country/FR> .\n',
                    encoding="utf-8")
    return [path]


def turtle(tmp_path, text):
    path = tmp_path / "extra.ttl"
    prefixes = {"id": "https://w3id.org/rcrc/id/", "rcrc": "https://w3id.org/rcrc/def/",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "dct": "http://purl.org/dc/terms/"}
    head = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())
    path.write_text(head + text, encoding="utf-8")
    return [path]


def second_conference_row(tmp_path):
    rows = (ROOT / "data" / "conferences.tsv").read_text(encoding="utf-8").splitlines()
    header, row = rows[0], next(r for r in rows[1:] if r.split("\t")[0] == "32")
    cells = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    cells["city"] = "Atlantis City"
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "conferences.tsv").write_text(header + "\n" + "\t".join(cells.values()) + "\n", encoding="utf-8")
    return [folder / "conferences.tsv"]


CONTRADICTIONS = [
    (lambda tmp: turtle(tmp, 'id:conference\\/33 rcrc:city "Nowhere" .\n'), ["rcrc:city", "'Nowhere'"]),
    (lambda tmp: turtle(tmp, 'id:resolution\\/32\\/2 dct:title "Another title"@en .\n'), ["dcterms:title"]),
    (lambda tmp: turtle(tmp, 'id:organisation\\/icrc rdfs:label "Not the ICRC"@en .\n'), ["rdfs:label"]),
    (second_conference_row, ["rcrc:city", "'Atlantis City'"]),
    (lambda tmp: versions(tmp, country="Uganda"), ["rcrc:country", "id/country/KE", "id/country/UG"]),
    (lambda tmp: versions(tmp, themes="Migration"), ["rcrc:theme", "id/theme/migration"]),
    (lambda tmp: versions(tmp, country="International"), ["rcrc:country", "id/country/KE", "not here"]),
    (renumbered, ["data/pledges.tsv", "id/pledge/SP320107"]),
    (second_title, ["data/pledges.tsv", "dcterms:title", "'Another title'"]),
]


@pytest.mark.parametrize("make, fragments", CONTRADICTIONS)
def test_contradicting_sources_are_a_stage_1_problem(tmp_path, make, fragments):
    paths = make(tmp_path)
    report = validate_paths(ROOT / "data", paths)
    messages = " | ".join(p.message for p in report.problems)
    assert report.problems and "disagree" in messages, report.to_text()
    for fragment in fragments:
        assert fragment in messages + " ".join(p.source for p in report.problems)


def test_versions_that_agree_are_one_pledge_with_a_title_in_each_language(tmp_path):
    report = validate_paths(ROOT / "data", versions(tmp_path))
    assert report.problems == [] and report.violations == [], report.to_text()


@pytest.mark.slow
@pytest.mark.parametrize("make", [CONTRADICTIONS[0][0], renumbered, second_title])
def test_an_import_that_contradicts_the_published_data_publishes_nothing(project, tmp_path, make):  # noqa: F811
    assert cli(project, "build").returncode == 0
    before = sorted(p.name for p in project[1].iterdir())
    paths = make(tmp_path)
    done = cli(project, "import", *paths)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "disagree" in done.stdout + done.stderr
    assert sorted(p.name for p in project[1].iterdir()) == before


def test_the_seed_page_and_its_copy_in_another_folder_agree(tmp_path):
    (tmp_path / "copy").mkdir()
    shutil.copy(ROOT / "data" / "pages" / "SP320067.txt", tmp_path / "copy" / "SP320067.txt")
    report = validate_paths(ROOT / "data", [tmp_path / "copy" / "SP320067.txt"])
    assert report.problems == [], report.to_text()


def test_other_names_and_links_may_be_added(tmp_path):
    paths = turtle(tmp_path, 'id:organisation\\/icrc <http://www.w3.org/2004/02/skos/core#altLabel> "CICR"@fr ;\n'
                             '    <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q71> .\n')
    report = validate_paths(ROOT / "data", paths)
    assert report.problems == [], report.to_text()


def test_a_file_with_several_contradictions_is_counted_once(tmp_path):
    report = validate_paths(ROOT / "data", versions(tmp_path, country="Uganda", themes="Migration"))
    assert len(report.problems) >= 2 and "1 file(s) not read" in report.to_text()
