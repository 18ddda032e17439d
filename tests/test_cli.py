"""The pledgegraph CLI run as a real process: exit codes, messages, and a store left unchanged."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from service.pipeline.build import PROVENANCE
from service.stores.embedded import EmbeddedStore

from .conftest import ROOT

pytestmark = pytest.mark.slow

INVALID_PLEDGE = """
@prefix rcrc: <https://w3id.org/rcrc/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/rcrc/id/pledge/SP329999> a rcrc:Pledge ;
    rdfs:label "A pledge with no conference and no pledger"@en ;
    rcrc:pledgeNumber "SP329999" .
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/rcrc/id/organisation/x"><rdfs:label>&d;</rdfs:label></rdf:Description>
</rdf:RDF>
"""


def run(*args, timeout=300):
    """Run `pledgegraph ARGS` in a fresh process; return the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "service", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )


@pytest.fixture
def project(tmp_path, real_store_dir):
    """A copy of data/ and of the real published store, for commands that write."""
    data, store = tmp_path / "data", tmp_path / "store"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(real_store_dir, store, symlinks=True)
    return data, store


def snapshot(store_dir):
    """What a reader sees: the current release and every quad in it."""
    store = EmbeddedStore(store_dir)
    quads = sorted(str(q) for q in store.quads())
    release = store.current_release()
    store.close()
    return release, quads


def cli(project, *args):
    data, store = project
    return run("--data-dir", data, "--store-dir", store, *args)


def seed_copy(tmp_path, number):
    """The seed pledge page under another pledge number, as a maintainer would add one."""
    page = (ROOT / "data" / "pages" / "SP320067.txt").read_text(encoding="utf-8").replace("SP320067", number)
    path = tmp_path / f"{number}.txt"
    path.write_text(page, encoding="utf-8")
    return path


def test_build_publishes_the_real_data(project):
    done = cli(project, "build")
    assert done.returncode == 0, done.stderr
    found = re.search(r"release \S+: ([\d,]+) triples from the sources, ([\d,]+) with provenance", done.stdout)
    assert found, done.stdout
    loaded, published = (int(n.replace(",", "")) for n in found.groups())
    figures = json.loads(cli(project, "stats", "--format", "json").stdout)
    assert sum(figures["graphs"].values()) == published > loaded  # the two figures a maintainer compares
    classes = figures["classes"]
    assert classes["https://w3id.org/rcrc/def/Conference"] == 10
    assert classes["https://w3id.org/rcrc/def/Resolution"] >= 41
    assert classes["https://w3id.org/rcrc/def/NationalSociety"] == 191
    assert classes["https://w3id.org/rcrc/def/Pledge"] >= 41


def test_validate_real_data_conforms(project):
    done = cli(project, "validate", "--no-warnings")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout


def test_validate_reports_violation_with_exit_1_and_the_file(project, tmp_path):
    bad = tmp_path / "bad-pledge.ttl"
    bad.write_text(INVALID_PLEDGE)
    done = cli(project, "validate", bad)
    assert done.returncode == 1
    assert "bad-pledge.ttl" in done.stdout and "SP329999" in done.stdout
    report = json.loads(cli(project, "validate", "--format", "json", bad).stdout)
    assert report["conforms"] is False
    assert any(r["focus"].endswith("SP329999") for r in report["results"])


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("laughs.rdf", BILLION_LAUGHS, "DOCTYPE"),
        ("broken.ttl", "<a> <b> ", "broken.ttl"),
        ("junk.nt", "\x00\xff\xfe binary", "junk.nt"),
        ("remote.jsonld", '{"@context": "http://example.org/ctx.jsonld", "@id": "x"}', "context"),
    ],
)
def test_import_refuses_bad_files_and_keeps_the_store(project, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert_import_refused(project, path, 2, message)


def test_import_invalid_record_exits_1_and_keeps_the_store(project, tmp_path):
    path = tmp_path / "bad-pledge.ttl"
    path.write_text(INVALID_PLEDGE)
    assert_import_refused(project, path, 1, "SP329999")


def test_import_unknown_pledger_is_reported_and_keeps_the_store(project, tmp_path):
    path = seed_copy(tmp_path, "SP320068")
    page = path.read_text(encoding="utf-8")
    path.write_text(page.replace("Pledge by ", "Pledge by Imaginary Relief League and "), encoding="utf-8")
    assert_import_refused(project, path, 2, "Imaginary Relief League")


def assert_import_refused(project, path, exit_code, message):
    """`import PATH` exits with ``exit_code``, says ``message`` and leaves the store as it was."""
    before = snapshot(project[1])
    done = cli(project, "import", path)
    assert done.returncode == exit_code, done.stderr
    assert message.lower() in done.stderr.lower()
    assert "Traceback" not in done.stderr
    assert snapshot(project[1]) == before


def test_import_dry_run_prints_rdf_and_publishes_nothing(project, tmp_path):
    before = snapshot(project[1])
    done = cli(project, "import", "--dry-run", seed_copy(tmp_path, "SP320070"))
    assert done.returncode == 0, done.stderr
    assert "SP320070" in done.stdout and "@prefix" in done.stdout
    assert snapshot(project[1]) == before


def test_import_then_query_sees_the_new_graph(project, tmp_path):
    done = cli(project, "import", seed_copy(tmp_path, "SP320069"))
    assert done.returncode == 0, done.stderr
    store = EmbeddedStore(project[1])
    assert store.query("ASK { <https://w3id.org/rcrc/id/pledge/SP320069> a ?c }")
    assert store.query("ASK { <https://w3id.org/rcrc/id/pledge/SP320067> a ?c }")  # nothing lost


def test_stats_without_a_store_is_a_clear_error(tmp_path):
    done = run("--store-dir", tmp_path / "nothing", "stats")
    assert done.returncode == 2
    assert "pledgegraph build" in done.stderr


def test_every_command_has_help():
    for command in ("validate", "build", "import", "query", "stats", "serve"):
        done = run(command, "--help")
        assert done.returncode == 0 and "Usage" in done.stdout


def test_query_help_lists_every_named_query():
    done = run("query", "--help")
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert done.returncode == 0 and names
    for name in names:
        assert name in done.stdout
    assert "-p theme=<iri>" in done.stdout


@pytest.mark.parametrize("query, value, resolved", [
    ("pledges-on-theme", "theme=migration", "https://w3id.org/rcrc/id/theme/migration"),
    ("pledges-on-theme", "theme=Migration", "https://w3id.org/rcrc/id/theme/migration"),
    ("pledges-on-theme", "theme=rcrcid:theme/youth", "https://w3id.org/rcrc/id/theme/youth"),
    ("pledges-citing-resolution", "resolution=31/3", "https://w3id.org/rcrc/id/resolution/31/3"),
    ("who-pledged-with-whom", "organisation=ICRC", "https://w3id.org/rcrc/id/organisation/icrc"),
    ("pledges-with-unrecorded-fields", "property=rcrc:theme", "https://w3id.org/rcrc/def/theme"),
    ("pledge-card", "pledge=SP320067", "https://w3id.org/rcrc/id/pledge/SP320067"),
    ("pledges-citing-resolution", "resolution=31IC/11/R3", "https://w3id.org/rcrc/id/resolution/31/3"),
    ("pledges-citing-resolution", "resolution=Res. 3 of the 31st IC", "https://w3id.org/rcrc/id/resolution/31/3"),
    ("pledges-citing-resolution", "resolution=Migration: Ensuring Access, Dignity, Respect for Diversity and Social "
     "Inclusion", "https://w3id.org/rcrc/id/resolution/31/3"),  # a label with a colon is not an IRI
])
def test_query_resolves_prefixed_names_paths_slugs_and_labels(real_store_dir, query, value, resolved):
    done = run("--store-dir", real_store_dir, "query", query, "-p", value)
    assert done.returncode == 0, done.stderr
    assert f"-> <{resolved}>" in done.stderr
    assert resolved in done.stdout or query == "pledge-card"


@pytest.mark.parametrize("query, value, message", [
    ("pledges-on-theme", "theme=migraton", "did you mean 'migration'"),
    ("pledges-with-unrecorded-fields", "property=theme", "could be any of"),
    ("pledges-on-theme", "theme=nothing-like-it-at-all", "no resource has"),
    ("pledges-on-theme", "them=migration", "did you mean 'theme'"),
    ("pledge-on-theme", "theme=migration", "did you mean 'pledges-on-theme'"),
])
def test_query_refuses_a_value_that_names_none_or_several(real_store_dir, query, value, message):
    done = run("--store-dir", real_store_dir, "query", query, "-p", value)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# -- a maintainer's workflow ------------------------------------------------------------------------


def misspelt_page(tmp_path, number):
    """The seed page with an unknown pledger and a misspelt theme."""
    path = seed_copy(tmp_path, number)
    page = path.read_text(encoding="utf-8").replace("Pledge by ", "Pledge by Spanish Red Crescent and ")
    path.write_text(page.replace("Themes: Migration", "Themes: Migraton"), encoding="utf-8")
    return path


@pytest.mark.parametrize("route", ["import", "build", "validate"])
def test_unknown_pledger_and_theme_are_named_with_suggestions_and_nothing_is_published(project, tmp_path, route):
    path = misspelt_page(tmp_path, "SP320071")
    if route == "import":
        args = ["import", path]
    else:
        shutil.copy(path, project[0] / "pages")
        args = [route]
    before = snapshot(project[1])
    done = cli(project, *args)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "'Spanish Red Crescent'" in said and "did you mean 'Spanish Red Cross'" in said
    assert "'Migraton'" in said and "did you mean 'Migration'" in said
    assert "Traceback" not in said
    assert snapshot(project[1]) == before


def test_one_run_reports_every_problem_of_both_stages(project, tmp_path):
    page = misspelt_page(tmp_path, "SP320074")
    other = tmp_path / "elsewhere"
    other.mkdir()
    table = other / "pledges.tsv"
    lines = (ROOT / "data" / "pledges.tsv").read_text(encoding="utf-8").splitlines()
    table.write_text(lines[0] + "\n" + lines[2].replace("Youth", "Yoth").replace(
        "disaster-risk-reduction-in-australia", "another-key") + "\n", encoding="utf-8")
    shacl = tmp_path / "bad-pledge.ttl"
    shacl.write_text(INVALID_PLEDGE)
    done = cli(project, "validate", page, table, shacl)
    assert done.returncode == 2
    out = done.stdout
    assert "Stage 1" in out and "Stage 2" in out
    assert "'Migraton'" in out  # the page
    assert f"{table}, line 2: unknown theme 'Yoth'" in out and "did you mean 'Youth'?" in out  # its own path
    assert f"{shacl}: https://w3id.org/rcrc/id/pledge/SP329999" in out  # SHACL ran on what could be read


def test_a_statement_from_a_file_outside_data_is_attributed_to_that_file(project, tmp_path):
    extra = tmp_path / "pledges.ttl"
    extra.write_text("<https://w3id.org/rcrc/id/pledge/SP320112> <https://w3id.org/rcrc/def/theme> "
                     "<https://w3id.org/rcrc/id/theme/migraton> .\n")
    done = cli(project, "validate", "--format", "json", extra)
    report = json.loads(done.stdout)
    (result,) = [r for r in report["results"] if r["value"].endswith("/migraton")]
    assert result["source"] == str(extra)  # not data/pledges.tsv, which describes the same pledge
    assert result["suggestions"] == ["Migration (id/theme/migration)"] and "Youth" in result["allowed"]
    text = cli(project, "validate", extra).stdout
    assert "rcrc:theme = id/theme/migraton" in text and "did you mean Migration (id/theme/migration)?" in text


def test_an_import_from_outside_is_published_as_an_import(project, tmp_path):
    done = cli(project, "import", seed_copy(tmp_path, "SP320075"))
    assert done.returncode == 0, done.stderr
    store = EmbeddedStore(project[1])
    query = f"SELECT ?s WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <http://purl.org/dc/terms/source> ?s }} }}"
    sources = {row["s"].value for row in store.query(query)}
    assert "SP320075.txt (imported from outside the project)" in sources
    assert not [s for s in sources if s.endswith("SP320075.txt") and "imported" not in s]


def test_a_page_without_a_row_in_pages_tsv_is_imported_with_a_warning(project, tmp_path):
    done = cli(project, "import", "--dry-run", seed_copy(tmp_path, "SP320072"))
    assert done.returncode == 0, done.stderr
    assert "note:" in done.stderr and "no row for SP320072.txt" in done.stderr and "no title" in done.stderr


def test_build_names_the_imports_it_drops(project, tmp_path):
    assert cli(project, "import", seed_copy(tmp_path, "SP320073")).returncode == 0
    done = cli(project, "build")
    assert done.returncode == 0, done.stderr
    assert "drops graph https://w3id.org/rcrc/graph/" in done.stderr and "SP320073.txt (imported" in done.stderr
    store = EmbeddedStore(project[1])
    assert not store.query("ASK { <https://w3id.org/rcrc/id/pledge/SP320073> ?p ?o }")


def test_query_prints_a_named_query_as_csv(real_store_dir):
    done = run("--store-dir", real_store_dir, "query", "conferences-overview", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 11  # a header and the ten conferences
    assert any("/conference/32" in line for line in lines)


def test_query_with_a_badly_typed_parameter_names_it(real_store_dir):
    done = run("--store-dir", real_store_dir, "query", "pledge-card", "-p", "pledge=not an iri")
    assert done.returncode == 2
    assert "pledge" in done.stderr and "Traceback" not in done.stderr
