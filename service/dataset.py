"""The dataset described (VoID + DCAT), its dumps with checksums, and the sitemap's URLs.

Dumps are made lazily, once per release, on the first request that needs them (a dump download
or the VoID description, which carries their sizes and SHA-256 checksums): written to
``<folder>/<release>.partial-<pid>`` and renamed into ``<folder>/<release>`` in one step, under
an exclusive file lock so that concurrent workers wait for one writer instead of racing. The
folders of older releases are removed when a new one is made. A release never changes, so its
dumps never go stale.
"""

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .conneg import release_time
from .namespaces import PREFIXES
from .stats import graph_counts


@dataclass(frozen=True)
class Dump:
    name: str
    title: str
    media_type: str
    format: object  # pyoxigraph RdfFormat
    union: bool  # True: the triples of all graphs merged; False: every quad with its graph
    compressed: bool


DUMPS = (
    Dump(
        "pledgegraph.nt.gz",
        "N-Triples (all graphs merged), gzip",
        "application/n-triples",
        ox.RdfFormat.N_TRIPLES,
        True,
        True,
    ),
    Dump("pledgegraph.ttl", "Turtle (all graphs merged)", "text/turtle", ox.RdfFormat.TURTLE, True, False),
    Dump(
        "pledgegraph.nq.gz",
        "N-Quads (every named graph), gzip",
        "application/n-quads",
        ox.RdfFormat.N_QUADS,
        False,
        True,
    ),
)
MANIFEST = "manifest.json"
ALL_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
_lock = threading.Lock()


def dump_by_name(name):
    return next((d for d in DUMPS if d.name == name), None)


def ensure_dumps(store, folder, release):
    """{dump name: {"path", "bytes", "sha256"}} for ``release``, writing the files if not there yet."""
    folder = Path(folder)
    done = folder / release
    if (done / MANIFEST).exists():
        return _manifest(done)
    folder.mkdir(parents=True, exist_ok=True)
    with _lock, open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # other processes wait here for the one writer
        if not (done / MANIFEST).exists():
            _write(store, folder, release)
    return _manifest(done)


def _manifest(done):
    entries = json.loads((done / MANIFEST).read_text())
    return {name: {**meta, "path": done / name} for name, meta in entries.items()}


def _write(store, folder, release):
    partial = folder / f"{release}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    manifest = {}
    for dump in DUMPS:
        path = partial / dump.name
        with gzip.open(path, "wb") if dump.compressed else open(path, "wb") as out:
            if dump.union:
                triples = (ox.Triple(r["s"], r["p"], r["o"]) for r in store.query(ALL_TRIPLES))
                prefixes = PREFIXES if dump.format == ox.RdfFormat.TURTLE else None
                ox.serialize(triples, out, dump.format, **({"prefixes": prefixes} if prefixes else {}))
            else:
                _copy_quads(store, partial, out)
        manifest[dump.name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    (partial / "SHA256SUMS").write_text("".join(f"{m['sha256']}  {n}\n" for n, m in manifest.items()))
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1))
    os.replace(partial, folder / release)
    for old in folder.iterdir():
        if old.is_dir() and old.name != release and ".partial-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)


def _copy_quads(store, partial, out):
    raw = partial / "all.nq"
    store.dump(raw)  # the store's own N-Quads writer: every quad with its graph
    with open(raw, "rb") as handle:
        shutil.copyfileobj(handle, out, 1 << 20)
    raw.unlink()


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- VoID and DCAT -------------------------------------------------------------------------

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
IANA = "https://www.iana.org/assignments/media-types/"
CLASS_COUNTS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
TOTALS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?space)) }"


def dataset_iri(base):
    return ox.NamedNode(base + ".well-known/void#dataset")


def describe_dataset(store, base, release, dumps, licence=""):
    """The VoID + DCAT description of the current release as a list of triples."""
    d = dataset_iri(base)
    out = []

    def add(s, p, o):
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def blank(p, *pairs):
        node = ox.BlankNode()
        add(d, p, node)
        for pp, o in pairs:
            add(node, pp, o)

    add(d, RDF_TYPE.value, ox.NamedNode(VOID + "Dataset"))
    add(d, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset"))
    add(d, DCT + "title", ox.Literal("pledgegraph", language="en"))
    add(
        d,
        DCT + "description",
        ox.Literal(
            "Conferences, resolutions and pledges of the International Conference of the Red Cross and Red "
            "Crescent, the organisations behind them and the themes they address, as linked data.",
            language="en",
        ),
    )
    if licence:
        add(d, DCT + "license", ox.NamedNode(licence))
    else:
        add(
            d,
            "http://www.w3.org/2004/02/skos/core#editorialNote",
            ox.Literal("The data licence is not decided yet.", language="en"),
        )
    add(d, DCAT + "version", ox.Literal(release))
    add(d, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(release))
    when = release_time(release)
    if when:
        add(
            d,
            DCT + "modified",
            ox.Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD + "dateTime")),
        )
    add(d, VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql"))
    add(d, VOID + "uriSpace", ox.Literal(base + "id/"))
    add(d, VOID + "vocabulary", ox.NamedNode(base + "def/"))
    _counts(store, base, add, blank)
    _distributions(base, dumps, d, add)
    return out


def _integer(n):
    return ox.Literal(str(int(n)), datatype=ox.NamedNode(XSD + "integer"))


def _counts(store, base, add, blank):
    d = dataset_iri(base)
    totals = next(iter(store.query(TOTALS)))
    add(d, VOID + "triples", _integer(totals["triples"].value))
    add(d, VOID + "distinctSubjects", _integer(totals["subjects"].value))
    add(d, VOID + "distinctObjects", _integer(totals["objects"].value))
    entities = next(iter(store.query(ENTITIES.replace("?space", str(ox.Literal(base + "id/"))))))
    add(d, VOID + "entities", _integer(entities["n"].value))
    classes = [(r["c"], r["n"].value) for r in store.query(CLASS_COUNTS) if isinstance(r["c"], ox.NamedNode)]
    properties = [(r["p"], r["n"].value) for r in store.query(PROPERTY_COUNTS)]
    add(d, VOID + "classes", _integer(len(classes)))
    add(d, VOID + "properties", _integer(len(properties)))
    for cls, n in classes:
        blank(VOID + "classPartition", (VOID + "class", cls), (VOID + "entities", _integer(n)))
    for prop, n in properties:
        blank(VOID + "propertyPartition", (VOID + "property", prop), (VOID + "triples", _integer(n)))
    for graph, n in graph_counts(store):
        blank(
            VOID + "subset",
            (RDF_TYPE.value, ox.NamedNode(VOID + "Dataset")),
            ("http://www.w3.org/ns/sparql-service-description#name", ox.NamedNode(graph)),
            (VOID + "triples", _integer(n)),
        )


def _distributions(base, dumps, d, add):
    for dump in DUMPS:
        meta = dumps.get(dump.name)
        if not meta:
            continue
        url = ox.NamedNode(base + "dumps/" + dump.name)
        dist = ox.NamedNode(base + "dumps/" + dump.name + "#distribution")
        add(d, VOID + "dataDump", url)
        add(d, DCAT + "distribution", dist)
        add(dist, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(dist, DCT + "title", ox.Literal(dump.title, language="en"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", ox.NamedNode(IANA + dump.media_type))
        if dump.compressed:
            add(dist, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        add(
            dist,
            DCAT + "byteSize",
            ox.Literal(str(meta["bytes"]), datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
        )
        checksum = ox.BlankNode()
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE.value, ox.NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(meta["sha256"], datatype=ox.NamedNode(XSD + "hexBinary")),
        )


# -- sitemap --------------------------------------------------------------------------------

SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) } ORDER BY ?s"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


def resource_iris(store, base):
    """Every IRI under ``base``id/ that has a description, sorted."""
    query = SUBJECTS.replace("?space", str(ox.Literal(base + "id/")))
    return [row["s"].value for row in store.query(query)]


# -- figures for the home page ---------------------------------------------------------------

PLEDGES_BY_CONFERENCE_AND_THEME = """
SELECT ?c ?t (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a <https://w3id.org/rcrc/def/Pledge> .
  OPTIONAL { ?p <https://w3id.org/rcrc/def/conference> ?c }
  OPTIONAL { ?p <https://w3id.org/rcrc/def/theme> ?t }
} GROUP BY ?c ?t"""
ORDINALS = "SELECT ?c ?o WHERE { ?c <https://w3id.org/rcrc/def/ordinal> ?o }"
TOP_THEMES = 8
PALETTE = (
    "#b0000e",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#999999",
    "#cccccc",
)


def pledge_counts(store):
    """[(conference IRI or '', theme IRI or '', pledges)] and {conference IRI: ordinal}."""
    rows = [
        ((r["c"].value if r["c"] else ""), (r["t"].value if r["t"] else ""), int(r["n"].value))
        for r in store.query(PLEDGES_BY_CONFERENCE_AND_THEME)
    ]
    ordinals = {}
    for r in store.query(ORDINALS):
        try:
            ordinals[r["c"].value] = int(r["o"].value)
        except ValueError:
            continue
    return rows, ordinals


def chart(rows, ordinals, width=640, bar=22, gap=8, left=70):
    """Stacked bars, one per conference, one segment per theme: geometry for an SVG template.

    A pledge with several themes counts once in each, so a bar's length is pledge-theme pairs.
    The eight commonest themes get their own colour; the rest are "other themes"; pledges with
    no theme recorded are their own grey segment.
    """
    totals = {}
    for _, theme, n in rows:
        if theme:
            totals[theme] = totals.get(theme, 0) + n
    top = [t for t, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:TOP_THEMES]]
    keys = top + ["other", "none"]
    per_conf = {}
    for conf, theme, n in rows:
        key = theme if theme in top else ("none" if not theme else "other")
        per_conf.setdefault(conf, {}).setdefault(key, 0)
        per_conf[conf][key] += n
    order = sorted(per_conf, key=lambda c: (c not in ordinals, ordinals.get(c, 0), c))
    longest = max((sum(v.values()) for v in per_conf.values()), default=1) or 1
    scale = (width - left - 40) / longest
    bars = []
    for i, conf in enumerate(order):
        y, x, segments = i * (bar + gap), left, []
        for key in keys:
            n = per_conf[conf].get(key, 0)
            if n:
                segments.append(
                    {
                        "key": key,
                        "x": round(x, 1),
                        "width": round(n * scale, 1),
                        "n": n,
                        "colour": PALETTE[keys.index(key)],
                    }
                )
                x += n * scale
        bars.append(
            {
                "conference": conf,
                "ordinal": ordinals.get(conf),
                "y": y,
                "segments": segments,
                "total": sum(per_conf[conf].values()),
                "end": round(x, 1),
            }
        )
    legend = [
        {"key": k, "colour": PALETTE[i]}
        for i, k in enumerate(keys)
        if any(s["key"] == k for b in bars for s in b["segments"])
    ]
    return {
        "bars": bars,
        "legend": legend,
        "width": width,
        "height": len(bars) * (bar + gap),
        "bar": bar,
        "left": left,
    }
