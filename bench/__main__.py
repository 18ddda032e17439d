"""Run one benchmark: python -m bench NAME [options]. Benchmarks are not tests; see bench/README.md."""

import importlib
import sys

BENCHMARKS = {
    "build": "bench.bench_build",
    "shacl": "bench.bench_shacl",
    "import": "bench.bench_import",
    "sparql": "bench.bench_sparql",
    "pages": "bench.bench_pages",
    "pages-versus": "bench.bench_pages_versus",
    "stores": "bench.bench_stores",
    "servers": "bench.bench_servers",
    "load": "bench.bench_load",
    "releases": "bench.bench_releases",
    "memory": "bench.bench_memory",
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in BENCHMARKS:
        print(f"usage: python -m bench {{{','.join(BENCHMARKS)}}} [options]", file=sys.stderr)
        sys.exit(2)
    importlib.import_module(BENCHMARKS[sys.argv[1]]).main(sys.argv[2:])


main()
