"""SHACL engines on the same data, in the same run: seconds, and whether each gives pySHACL's results.

    python -m bench shacl [--triples 100000] [--large 1000000] [--engines pyshacl,turbo,shacl]

Data sets: the shape fixtures (each file with base.ttl, as tests/test_shapes.py validates them),
the real data, the real data plus --triples synthetic triples, and the real data plus --large
synthetic triples for the fast engines only (pySHACL would take many minutes). Every engine gets
the ontology as pySHACL's ``ont_graph`` or mixed into the data; results are compared as in
``bench/engines.py``, with pySHACL as the reference, or the project's engine where pySHACL does
not run. pyshacl-turbo runs twice: as pySHACL's drop-in (rdflib graphs, ``ont_graph``) and given a
pyoxigraph store, its fastest input. Printed: seconds, time ratio against pySHACL (or the
project's engine), and agreement.
"""

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from rdflib import Graph

from service.pipeline.build import load_project, vocabulary_files

from .engines import difference, run_file, timed
from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"


def shapes_and_ontology():
    """(shapes, ontology) as rdflib Graphs, from this code base."""
    ontology_paths, shapes_paths = vocabulary_files()
    ontology = Graph()
    for path in ontology_paths:
        ontology.parse(path)
    return Graph().parse(shapes_paths[0]), ontology


def real_data():
    """The data graphs of data/ (not the ontology, not the shapes) as one rdflib Graph."""
    loaded, ontology_names, _ = load_project(ROOT / "data")
    data = Graph()
    for name in loaded.files:
        if name not in ontology_names and "/graph/shapes/" not in str(name):
            data += loaded.graph(name)
    return data


def with_synthetic(triples):
    data = real_data()
    with tempfile.TemporaryDirectory(prefix="bench-shacl-") as tmp:
        path, _ = write_synthetic(triples, Path(tmp) / "synthetic.nt")
        data.parse(path, format="nt")
    return data


def fixture_sets():
    base = Graph().parse(FIXTURES / "base.ttl")
    for path in [None, *sorted(FIXTURES.glob("*/*.ttl"))]:
        data = Graph() + base
        if path:
            data.parse(path)
        yield data


def compare(label, datasets, engines, shapes, ontology):
    """Run each engine on every data set of ``datasets``; print seconds, ratios, agreement."""
    totals, found = Counter(), {name: [] for name in engines}
    for data in datasets:
        for name in engines:
            keys, seconds = timed(name, data, shapes, ontology)
            totals[name] += seconds
            found[name].append(keys)
    reference = engines[0]
    print(f"{label} ({len(found[reference])} data set(s); reference: {reference})")
    for name in engines:
        same = sum(a == b for a, b in zip(found[name], found[reference], strict=True))
        results = sum(sum(keys.values()) for keys in found[name])
        print(f"  {name:12} {totals[name]:8.2f} s  ratio {totals[name] / totals[reference]:6.3f}  "
              f"{results:,} results  same as {reference}: {same}/{len(found[name])}")
        for keys, expected in zip(found[name], found[reference], strict=True):
            if keys != expected:
                print(difference(expected, keys, shown=3))
                break


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench shacl", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="synthetic triples for every engine")
    parser.add_argument("--large", type=int, default=1_000_000, help="synthetic triples for the fast engines (0: skip)")
    parser.add_argument("--engines", default="pyshacl,turbo-rdflib,turbo,shacl")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    shapes, ontology = shapes_and_ontology()
    compare("shape fixtures", list(fixture_sets()), engines, shapes, ontology)
    compare("real data", [real_data()], engines, shapes, ontology)
    compare(f"real data + {args.triples:,} synthetic", [with_synthetic(args.triples)], engines, shapes, ontology)
    fast = [name for name in ("shacl", "turbo") if name in engines]
    if args.large and fast:
        large(args.large, fast, shapes, ontology)


def large(triples, engines, shapes, ontology):
    """The fast engines on real data + ``triples`` synthetic triples, read from one N-Triples file."""
    with tempfile.TemporaryDirectory(prefix="bench-shacl-") as tmp:
        path, _ = write_synthetic(triples, Path(tmp) / "data.nt")
        with open(path, "ab") as handle:
            handle.write((real_data() + ontology).serialize(format="nt", encoding="utf-8"))
        runs = {name: run_file(name, path, shapes) for name in engines}
    reference = engines[0]
    print(f"real data + {triples:,} synthetic, from one N-Triples file (reference: {reference})")
    for name, (keys, seconds) in runs.items():
        same = keys == runs[reference][0]
        print(f"  {name:12} {seconds:8.2f} s  ratio {seconds / runs[reference][1]:6.3f}  "
              f"{sum(keys.values()):,} results  same as {reference}: {same}")
        if not same:
            print(difference(runs[reference][0], keys, shown=3))


if __name__ == "__main__":
    main()
