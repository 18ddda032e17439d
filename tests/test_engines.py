"""The SHACL gate gives exactly pySHACL's results, pySHACL being the oracle.

The project validated with pySHACL (the ontology as ``ont_graph``, ``advanced=True``); it now
validates with the ``shacl`` engine (``pipeline.engine``). Both run here on the shape fixtures, the
real data and a synthetic set with errors of every kind mixed in, and must give the same multiset
of (focus, path, severity, source shape, value, constraint component, message); see
``bench/engines.py`` for what "the same" means term by term.
"""

import random

import pytest
from rdflib import Graph

from bench.bench_shacl import real_data, shapes_and_ontology
from bench.engines import difference, run_pyshacl, run_shacl
from bench.synthetic import write as write_synthetic

from .conftest import FIXTURES

pytestmark = pytest.mark.slow
FIXTURE_FILES = sorted((FIXTURES / "shapes").glob("*/*.ttl"))


@pytest.fixture(scope="module")
def model():
    return shapes_and_ontology()


def agree(data, model):
    shapes, ontology = model
    expected, found = run_pyshacl(data, shapes, ontology), run_shacl(data, shapes, ontology)
    assert found == expected, difference(expected, found)
    return found


def test_every_shape_fixture(model):
    base = Graph().parse(FIXTURES / "shapes" / "base.ttl")
    agree(base, model)
    for path in FIXTURE_FILES:
        data = Graph() + base
        data.parse(path)
        found = agree(data, model)
        assert found or "valid" in path.parts, path  # an invalid example is refused by both


def test_real_data(model):
    found = agree(real_data(), model)
    assert all(key[2].endswith("Warning>") for key in found)  # the real data conforms


def test_real_data_with_synthetic_pledges_and_errors_of_every_kind(model, tmp_path):
    """Synthetic pledges (warnings) and, among them, a broken copy of each kind of value."""
    path, _ = write_synthetic(3_000, tmp_path / "synthetic.nt")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rng = random.Random(7)
    broken = {
        "/def/theme>": lambda line: line.replace("/id/theme/", "/id/theme/x-"),  # sh:class
        "/def/pledgeType>": lambda line: line.replace("pledge-type/", "theme/"),  # sh:class, wrong scheme
        "/def/pledgedBy>": lambda line: line.replace("national-society/", "country/"),  # not an organisation
        "rdf-schema#label>": lambda line: line.replace('"@en', '"'),  # sh:datatype rdf:langString
    }
    for marker, change in broken.items():
        for index in rng.sample([i for i, line in enumerate(lines) if marker in line], 5):
            lines[index] = change(lines[index])
    pledge = "<https://w3id.org/rcrc/id/pledge/synthetic/"
    lines += [
        f'{pledge}1> <https://w3id.org/rcrc/def/pledgeNumber> "SP330001" .\n',  # numbers vs conference (SPARQL)
        f'{pledge}2> <https://w3id.org/rcrc/def/confidence> "certain" .\n',  # sh:in
        f'{pledge}3> <https://w3id.org/rcrc/def/confidence> "confirmed" .\n',  # sh:in, allowed
        f'{pledge}4> <https://w3id.org/rcrc/def/notRecorded> <https://w3id.org/rcrc/def/theme> .\n',  # contradiction
        f'{pledge}5> <http://purl.org/dc/terms/isReplacedBy> {pledge}6> .\n',  # a retired IRI that is typed
    ]
    data = real_data()
    data.parse(data="".join(lines), format="nt")
    found = agree(data, model)
    assert sum(1 for key in found.elements() if key[2].endswith("Violation>")) >= 20
