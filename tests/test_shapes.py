"""The shapes, driven by example files (the pySHACL / skohub-shapes style).

tests/fixtures/shapes/valid/*.ttl conform, and raise exactly the warnings their `# warnings:` line
names; invalid/*.ttl each raise exactly one violation, from the shape their `# expect:` line names.
Every file is validated together with base.ttl (complete resources the examples link to), with
the ontology and concept schemes as the ontology graph, through service.validation.
"""

import re

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from service.namespaces import ID, RCRC, SHAPES
from service.pipeline.validation import Report, Result, validate

from .conftest import FIXTURES, ROOT

HERE = FIXTURES / "shapes"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
# SPARQL-based rules: their messages name the values; they have no constraint parameter to show
SPARQL_RULES = {"notRecorded-contradiction", "notRecorded-contradiction-conference",
                "pledge-number-conference-mismatch", "resolution-number-duplicate"}


@pytest.fixture(scope="module")
def model():
    """(shapes graph, ontology graph) as the build uses them."""
    ontology = Graph().parse(ROOT / "ontology" / "rcrc.ttl").parse(ROOT / "ontology" / "schemes.ttl")
    return Graph().parse(ROOT / "shapes" / "rcrc-shapes.ttl"), ontology


def check(model, *paths):
    data = Graph().parse(HERE / "base.ttl")
    for path in paths:
        data.parse(path)
    shapes, ontology = model
    return validate(data, shapes, ontology)


def header(path, key):
    """The shapes named on a `# key: rcrcsh:A rcrcsh:B` line, or None when there is no such line."""
    match = re.search(rf"^# {key}:(.*)$", path.read_text(encoding="utf-8"), re.M)
    if match is None:
        return None
    names = match.group(1).split()
    return [] if names == ["none"] else [str(SHAPES[n.removeprefix("rcrcsh:")]) for n in names]


def shape_names(results):
    return sorted(r.shape for r in results)


def test_base_conforms_without_warnings(model):
    report = check(model)
    assert report.results == [], report.to_text()


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example(model, path):
    report = check(model, path)
    assert report.violations == [], report.to_text()
    expected = header(path, "warnings")
    if expected is not None:
        assert sorted(set(shape_names(report.warnings))) == sorted(expected), report.to_text()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example(model, path):
    expected = header(path, "expect")
    assert expected and len(expected) == 1, f"{path.name} needs one '# expect: rcrcsh:...' line"
    report = check(model, path)
    assert shape_names(report.violations) == expected, report.to_text()
    result = report.violations[0]
    assert result.message and "{?" not in result.message and "{$" not in result.message
    if path.stem not in SPARQL_RULES and not result.shape.endswith("Shape"):  # node-level rules explain themselves
        assert result.allowed, f"{path.name}: the report says nothing about what {result.shape} allows"


def test_every_violation_shape_has_an_invalid_example(model):
    """Each shape that can refuse data is shown refusing something."""
    shapes, _ = model
    parameters = set(shapes.objects(None, SH.parameter))
    nested = {m for lst in shapes.objects(None, SH["or"]) for m in shapes.items(lst)}
    refusing = {
        str(s)
        for s in shapes.subjects(SH.path, None)
        if s not in parameters and s not in nested and shapes.value(s, SH.severity) in (None, SH.Violation)
    }
    refusing |= {str(s) for s in shapes.subjects(SH["or"], None)}  # node-level "fact or marker" rules
    covered = {header(p, "expect")[0] for p in INVALID}
    assert refusing - covered == set()
    assert covered <= refusing | {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}


def test_every_warning_shape_has_a_valid_example(model):
    shapes, _ = model
    warning = {str(s) for s in shapes.subjects(SH.severity, SH.Warning)}
    shown = {name for p in VALID for name in header(p, "warnings") or []}
    assert warning - shown == set()


def test_marking_a_field_not_recorded_silences_its_warning(model):
    """The same pledge warns about its theme until it says the theme is not recorded."""
    path = HERE / "valid" / "warnings-only.ttl"
    before = check(model, path)
    assert str(SHAPES["Pledge-theme-expected"]) in shape_names(before.warnings)
    data = Graph().parse(HERE / "base.ttl").parse(path)
    pledge = next(s for s in data.subjects(RDF.type, RCRC.Pledge))
    data.add((pledge, RCRC.notRecorded, RCRC.theme))
    shapes, ontology = model
    after = validate(data, shapes, ontology)
    assert after.violations == []
    assert str(SHAPES["Pledge-theme-expected"]) not in shape_names(after.warnings)
    assert len(after.warnings) == len(before.warnings) - 1


def test_either_fact_or_marker_rule_explains_itself(model):
    report = check(model, HERE / "invalid" / "pledge-pledgedBy-missing.ttl")
    (result,) = report.violations
    assert "rcrc:notRecorded rcrc:pledgedBy" in result.message


def test_sparql_messages_name_the_values(model):
    report = check(model, HERE / "invalid" / "pledge-number-conference-mismatch.ttl")
    (result,) = report.violations
    assert "SP320112" in result.message and "32" in result.message and "33" in result.message
    report = check(model, HERE / "invalid" / "resolution-number-duplicate.ttl")
    (result,) = report.violations
    assert result.focus.endswith("/resolution/32/two") and "resolution/32/2" in result.message


def test_the_mini_dataset_conforms(model):
    """tests/fixtures/mini.trig (the shared store fixture) passes the gate."""
    dataset = Dataset()
    dataset.parse(FIXTURES / "mini.trig", format="trig")
    data = Graph()
    for s, p, o, _ in dataset.quads():
        data.add((s, p, o))
    shapes, ontology = model
    report = validate(data, shapes, ontology)
    assert report.violations == [], report.to_text()



def test_a_misspelt_concept_gets_did_you_mean(model):
    data = Graph().parse(HERE / "base.ttl").parse(HERE / "valid" / "sp320112-joint.ttl")
    pledge = next(data.subjects(RDF.type, RCRC.Pledge))
    data.add((pledge, RCRC.theme, ID["theme/migraton"]))
    shapes, ontology = model
    (result,) = validate(data, shapes, ontology).violations
    assert result.value == str(ID["theme/migraton"])
    assert result.suggestions == ("Migration (id/theme/migration)",)
    assert result.allowed.startswith("one of: Capacity building (id/theme/capacity-building)")
    assert "rcrc:theme = id/theme/migraton" in validate(data, shapes, ontology).to_text()


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        ("https://w3id.org/rcrc/def/pledgeType", "https://w3id.org/rcrc/id/x", "  Violation: rcrc:pledgeType = "),
        ("https://w3id.org/rcrc/def/pledgeType", "", "  Violation: rcrc:pledgeType: the message"),
        ("", "https://w3id.org/rcrc/id/x", "  Violation: the value "),
        ("", "", "  Violation: the message"),  # a constraint on the record itself: no empty path
    ],
)
def test_a_result_reads_whether_or_not_it_has_a_path_or_a_value(path, value, line):
    result = Result(focus="https://w3id.org/rcrc/id/pledge/X", path=path, severity="Violation",
                    message="the message", value=value, shape="", source="data/x.ttl")  # fmt: skip
    text = Report([result]).to_text()
    assert line in text
    assert ": :" not in text and "  = " not in text
