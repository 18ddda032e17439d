"""Synthetic pledge data for benchmarks: shaped like the real graph, obviously not real.

Every synthetic pledge is labelled "Synthetic pledge N" and lives at id/pledge/synthetic/N, so a
stray copy can never pass for a real record. Output goes to bench/out/, never to data/.

    python -m bench.synthetic --triples 1000000      # writes bench/out/synthetic-1000000.nt
"""

import argparse
import csv
import random
from pathlib import Path

from service import iris
from service.namespaces import RCRC

OUT = Path(__file__).resolve().parent / "out"
NATIONAL_SOCIETIES = Path(__file__).resolve().parents[1] / "data" / "national-societies.tsv"
THEMES = (
    "Migration", "Capacity building", "Fundamental principles", "Organisational development",
    "Volunteering", "Community resilience", "Disability inclusion", "Disaster risk reduction",
    "Vulnerable populations", "Women", "Youth", "Cultural heritage",
)
TYPES = ("Specific", "Open")
CATEGORIES = ("International component", "National Society", "Government")
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def national_society_codes(path=NATIONAL_SOCIETIES):
    """ISO codes of the real National Societies (links from synthetic pledges point at them)."""
    with open(path, encoding="utf-8") as handle:
        return [row["iso2"] for row in csv.DictReader(handle, delimiter="\t")]


def pledge_lines(n, rng, codes):
    """N-Triples lines of synthetic pledge ``n``."""
    s = f"<{iris.ID}pledge/synthetic/{n}>"
    iso = rng.choice(codes)
    links = [
        (RDF_TYPE, f"<{RCRC.Pledge}>"),
        (RDFS_LABEL, f'"Synthetic pledge {n}"@en'),
        (f"<{RCRC.conference}>", f"<{iris.conference(rng.choice((32, 33, 34)))}>"),
        (f"<{RCRC.pledgedBy}>", f"<{iris.national_society(iso)}>"),
        (f"<{RCRC.country}>", f"<{iris.country(iso)}>"),
        (f"<{RCRC.pledgeType}>", f"<{iris.concept('pledge-type', rng.choice(TYPES))}>"),
        (f"<{RCRC.pledgerCategory}>", f"<{iris.concept('pledger-category', rng.choice(CATEGORIES))}>"),
        (f"<{RCRC.pledgeText}>", f'"Synthetic text {n}: we pledge to act on {rng.choice(THEMES).lower()}."@en'),
        (f"<{RCRC.citesResolution}>", f"<{iris.resolution(rng.choice((31, 32, 33)), rng.randint(1, 7))}>"),
    ]
    links += [(f"<{RCRC.theme}>", f"<{iris.concept('theme', t)}>") for t in rng.sample(THEMES, rng.randint(1, 4))]
    return [f"{s} {p} {o} .\n" for p, o in links]


def write(triples, path=None, seed=42):
    """Write about ``triples`` synthetic triples as N-Triples; return the path and the exact count."""
    path = Path(path or OUT / f"synthetic-{triples}.nt")
    path.parent.mkdir(parents=True, exist_ok=True)
    rng, codes, count, n = random.Random(seed), national_society_codes(), 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        while count < triples:
            lines = pledge_lines(n, rng, codes)
            handle.writelines(lines)
            count, n = count + len(lines), n + 1
    return path, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    path, count = write(args.triples, args.out)
    print(f"{count} triples -> {path}")


if __name__ == "__main__":
    main()
