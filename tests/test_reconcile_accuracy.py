"""Reconciliation accuracy on the real build: real name variants, and systematic spellings.

tests/fixtures/reconcile/variants.tsv holds name variants as real sources write them (pledger
names as the pledge databases show them, the French names of National Societies, abbreviations,
ISO codes, resolution symbols and citations, pledge numbers), each with the IRI it must find, and
a few names that must match nothing (groups of pledgers, words too general). Figures:

* top-1 accuracy: the best candidate is the expected IRI (rows with an expected IRI);
* precision: of the candidates flagged ``match``, the share that are right (all rows);
* recall: of the rows with an expected IRI, the share whose right candidate is flagged ``match``.
"""

import csv
import unicodedata
from pathlib import Path

import pytest

from service.reconcile.matcher import Query, Reconciler, check_types
from service.stores.embedded import EmbeddedStore

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "reconcile" / "variants.tsv"
ID = "https://w3id.org/rcrc/id/"


def load_variants():
    with open(VARIANTS, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def reconciler(real_store_dir):
    return Reconciler(EmbeddedStore(real_store_dir))


def best(reconciler, text, type_name=""):
    candidates = reconciler.reconcile(Query(text, check_types(type_name) if type_name else (), 3))
    return candidates[0] if candidates else None


def figures(reconciler, rows):
    """(top-1 accuracy, precision, recall, misses) over rows of variant, type, expected."""
    positives = [r for r in rows if r["expected"]]
    right = flagged = flagged_right = 0
    misses = []
    for row in rows:
        top = best(reconciler, row["variant"], row["type"])
        is_right = bool(top and row["expected"] and top["id"] == row["expected"])
        right += is_right
        flagged += bool(top and top["match"])
        flagged_right += bool(is_right and top["match"])
        if (row["expected"] and not (is_right and top["match"])) or (not row["expected"] and top and top["match"]):
            misses.append((row["variant"], row["expected"], top and (top["id"], top["score"], top["match"])))
    return right / len(positives), flagged_right / max(flagged, 1), flagged_right / len(positives), misses


def test_the_test_set_is_big_enough_and_well_formed():
    rows = load_variants()
    assert sum(1 for r in rows if r["expected"]) >= 60
    assert all(r["expected"] == "" or r["expected"].startswith(ID) for r in rows)
    assert all(r["source"] for r in rows)
    assert sum(1 for r in rows if r["kind"] == "French name") >= 20


def test_real_variants_top1_precision_recall(reconciler, capsys):
    top1, precision, recall, misses = figures(reconciler, load_variants())
    with capsys.disabled():
        print(f"\nreconciliation on {VARIANTS.name}: top-1 {top1:.1%}, precision {precision:.1%}, recall {recall:.1%}")
        for miss in misses:
            print("  not matched as expected:", miss)
    assert top1 >= 0.95
    assert precision >= 0.95


def test_every_expected_iri_exists_in_the_real_data(reconciler):
    known = reconciler.index().entities
    missing = [r["expected"] for r in load_variants() if r["expected"] and r["expected"] not in known]
    assert missing == []


def strip_accents(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def systematic_variants(reconciler):
    """Every National Society's names as people type them: upper case, no accents, with or without 'The'/'Society'."""
    rows = []
    for iri, entity in reconciler.index().entities.items():
        if not iri.startswith(ID + "national-society/"):
            continue
        for name in entity.labels.values():
            bare = name.removeprefix("The ")
            variants = {name.upper(), strip_accents(name), bare.lower()}
            if bare.endswith(" Society"):
                variants.add(bare[: -len(" Society")])
            elif "Soci" not in bare and "Croi" not in bare:  # English names only
                variants.add(bare + " Society")
            for variant in variants:
                rows.append({"variant": variant, "type": "", "expected": iri})
    return rows


def test_systematic_spellings_of_every_national_society(reconciler, capsys):
    rows = systematic_variants(reconciler)
    assert len(rows) >= 500
    top1, precision, recall, misses = figures(reconciler, rows)
    with capsys.disabled():
        print(f"\nsystematic spellings ({len(rows)}): top-1 {top1:.1%}, precision {precision:.1%}, recall {recall:.1%}")
    assert top1 >= 0.95, misses[:20]
    assert precision >= 0.95, misses[:20]
