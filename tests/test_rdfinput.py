"""service.importers.rdf_files: every RDF format parses; hostile input is refused before any parser runs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.parser import PythonInputSource

from service import formats
from service.errors import InputError, PayloadTooLarge, UnsafeInput
from service.importers.rdf_files import no_network, parse_rdf, refuse_remote_contexts
from service.pipeline.build import validate_paths
from service.pipeline.loading import display

from .conftest import ROOT

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
ICRC = URIRef("https://w3id.org/rcrc/id/organisation/icrc")

# file -> the error it must raise (a hang or a crash fails the subprocess test below)
EXPECTED = {
    "billion-laughs.rdf": "UnsafeInput",
    "external-entity.rdf": "UnsafeInput",
    "lowercase-doctype.rdf": "UnsafeInput",
    "remote-context.jsonld": "UnsafeInput",
    "remote-context-nested.jsonld": "UnsafeInput",
    "scoped-remote-context.jsonld": "UnsafeInput",
    "import-context.jsonld": "UnsafeInput",
    "truncated.ttl": "InputError",
    "binary-junk.ttl": "InputError",
    "nul-bytes.nt": "InputError",
    "latin1.ttl": "InputError",
}

REFUSE_ALL = """
import sys
from service.importers.rdf_files import parse_rdf
for path in sys.argv[1:]:
    try:
        parse_rdf(path)
        print(path, "PARSED")
    except Exception as exc:
        print(path, type(exc).__name__)
"""


@pytest.fixture(scope="module")
def refusals():
    """Parse every hostile file in a child process, so a hang or an abort cannot take the suite down."""
    paths = [str(HOSTILE / name) for name in EXPECTED]
    done = subprocess.run([sys.executable, "-c", REFUSE_ALL, *paths], capture_output=True, text=True,
                          timeout=120, check=True)
    return {Path(line.split()[0]).name: line.split()[1] for line in done.stdout.splitlines()}


def test_every_hostile_fixture_is_listed():
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused(refusals, name):
    assert refusals[name] == EXPECTED[name]


def sample():
    graph = Graph()
    graph.add((ICRC, RDFS.label, Literal("International Committee of the Red Cross", lang="en")))
    graph.add((ICRC, RDFS.label, Literal("Comité international de la Croix-Rouge", lang="fr")))
    return graph


@pytest.mark.parametrize("fmt", [f for f in formats.RDF_FORMATS if not f.datasets], ids=lambda f: f.name)
def test_triple_formats_round_trip_by_extension(tmp_path, fmt):
    path = tmp_path / f"sample.{fmt.extension}"
    path.write_text(sample().serialize(format=fmt.rdflib), encoding="utf-8")
    parsed = parse_rdf(path)
    assert isinstance(parsed, Graph) and isomorphic(parsed, sample())


@pytest.mark.parametrize("name", ["nquads", "trig"])
def test_quad_formats_give_a_dataset(name):
    dataset = Dataset()
    dataset.graph(URIRef("https://w3id.org/rcrc/graph/data/organisations")).add(next(iter(sample())))
    fmt = formats.by_name(name)
    parsed = parse_rdf(dataset.serialize(format=fmt.rdflib).encode(), fmt.name)
    assert isinstance(parsed, Dataset)
    assert len(list(parsed.quads((None, None, None, URIRef("https://w3id.org/rcrc/graph/data/organisations"))))) == 1


def test_jsonld_with_inline_context_parses():
    document = {"@context": {"label": {"@id": str(RDFS.label), "@language": "en"}},
                "@id": str(ICRC), "label": "International Committee of the Red Cross"}
    graph = parse_rdf(json.dumps(document).encode(), "jsonld")
    assert (ICRC, RDFS.label, Literal("International Committee of the Red Cross", lang="en")) in graph


@pytest.mark.parametrize("context", [
    "http://example.org/c",
    ["http://example.org/c"],
    [{"ex": "http://example.org/"}, "c.jsonld"],
    [[{"a": "http://a/"}, "http://example.org/c"]],
])
def test_remote_contexts_are_found(context):
    with pytest.raises(UnsafeInput):
        refuse_remote_contexts({"@graph": [{"@id": "http://x", "http://p": {"@context": context}}]})


def test_inline_and_null_contexts_are_allowed():
    refuse_remote_contexts({"@context": [None, {"ex": "http://example.org/"}], "ex:p": {"@context": None}})


def test_rdflib_cannot_fetch_while_parsing():
    # second line of defence: bypass the pre-check and let rdflib try (127.0.0.1:9 is closed anyway)
    document = json.loads((HOSTILE / "remote-context.jsonld").read_text())
    with pytest.raises(UnsafeInput, match="network"), no_network():
        Graph().parse(source=PythonInputSource(document), format="json-ld")


def test_guard_is_off_outside_parsing():
    # the hook must not break ordinary URL handling elsewhere in the process
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=2)


def test_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    with pytest.raises(InputError, match=r"broken\.ttl: (between )?line 4"):
        parse_rdf(path)


def test_ntriples_error_has_line():
    with pytest.raises(InputError, match="line 2"):
        parse_rdf(b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", "nt", name="x.nt")


def test_invalid_json_has_line():
    with pytest.raises(InputError, match=r"x\.jsonld: line 2"):
        parse_rdf(b'{"@id": "http://a",\n "http://p": }', name="x.jsonld")


def test_deep_nesting_is_an_input_error():
    with pytest.raises(InputError, match="deep"):
        parse_rdf(("[" * 100_000 + "]" * 100_000).encode(), "jsonld")
    with pytest.raises(InputError):
        parse_rdf(("<http://a> <http://p> " + "[ <http://p> " * 5000 + "]" * 5000 + " .").encode(), "turtle")


def test_size_cap(tmp_path):
    data = sample().serialize(format="nt").encode()
    with pytest.raises(PayloadTooLarge):
        parse_rdf(data, "nt", max_bytes=len(data) - 1)
    path = tmp_path / "big.nt"
    path.write_bytes(data)
    with pytest.raises(PayloadTooLarge):
        parse_rdf(path, max_bytes=10)
    assert len(parse_rdf(path, max_bytes=len(data))) == 2


@pytest.mark.parametrize("data,fmt,message", [
    (b"", "turtle", "empty"),
    (b"   \n", "nt", "empty"),
    (b"<a> <b> <c> .", None, "format"),
    (b"<a> <b> <c> .", "no-such-format", "unknown RDF format"),
])
def test_unusable_input(data, fmt, message):
    with pytest.raises(InputError, match=message):
        parse_rdf(data, fmt)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        parse_rdf(tmp_path / "nope.ttl")
    with pytest.raises(InputError, match="cannot read"):
        parse_rdf(tmp_path)


def test_utf8_bom_is_accepted():
    data = "\ufeff<http://a> <http://b> \"Comité\" .\n".encode()
    assert len(parse_rdf(data, "nt")) == 1


def _page(folder, char):
    text = (ROOT / "data" / "pages" / "SP320067.txt").read_text(encoding="utf-8")
    path = folder / "SP329902.txt"
    path.write_text(text.replace("SP320067", "SP329902").replace("To that effect", f"To that{char} effect"),
                    encoding="utf-8")
    return path


def _table(folder, char):
    lines = (ROOT / "data" / "pledges.tsv").read_text(encoding="utf-8").splitlines()
    path = folder / "pledges.tsv"  # a table is known by its name
    path.write_text("\n".join(lines[:2]).replace("Voluntariado:", f"Voluntariado{char}:") + "\n", encoding="utf-8")
    return path


def _turtle(folder, char):
    path = folder / "note.ttl"
    path.write_text(f'<{ICRC}> <{RDFS.comment}> "a\\u{ord(char):04X}b" .\n', encoding="utf-8")
    return path


def _ntriples(folder, char):
    path = folder / "note.nt"
    path.write_text(f'<{ICRC}> <{RDFS.comment}> "a{char}b" .\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("char", ["\x01", "\x0c", "\x1f", "\ufffe"])
@pytest.mark.parametrize("make", [_page, _table, _turtle, _ntriples])
def test_characters_xml_cannot_carry_are_refused_in_stage_1(tmp_path, make, char):
    """Published text must be writable in every format: RDF/XML and SPARQL XML cannot carry C0
    controls (but tab, LF, CR) or U+FFFE/U+FFFF, so a source holding one is not read."""
    path = make(tmp_path, char)
    report = validate_paths(ROOT / "data", [path])
    assert [p.source for p in report.problems] == [display(path)], report.to_text()
    assert f"U+{ord(char):04X}" in report.problems[0].message and "XML" in report.problems[0].message
