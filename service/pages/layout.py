"""Page layouts from the SHACL shapes: sections and rows for each class, read from the release.

SHACL's non-validating characteristics (SHACL 1.0 §2.3.2) say how a property is shown:
``sh:name`` labels it (one per language), ``sh:order`` orders it, ``sh:group`` puts it in a
``sh:PropertyGroup``, which has its own ``rdfs:label``s and ``sh:order``. The layout of a resource
joins the property shapes of every node shape whose ``sh:targetClass`` is one of its classes or a
superclass of one (``rdfs:subClassOf``), the more specific class's shape first. The first group
is the page's fact card; a property no shape names goes into a final section.

The shapes are read from the published shapes graph, once per release, so a page follows the
shapes its release was validated with.
"""

from dataclasses import dataclass, field

from ..namespaces import BASE
from .describe import document_graphs
from .per_release import per_release

SH = "http://www.w3.org/ns/shacl#"
FIELDS = f"""SELECT ?class ?shape ?prop ?path ?name ?order ?group ?le WHERE {{
  ?shape <{SH}targetClass> ?class ; <{SH}property> ?prop . ?prop <{SH}path> ?path . FILTER(isIRI(?path))
  OPTIONAL {{ ?prop <{SH}name> ?name }} OPTIONAL {{ ?prop <{SH}order> ?order }}
  OPTIONAL {{ ?prop <{SH}group> ?group }} OPTIONAL {{ ?prop <{SH}lessThanOrEquals> ?le }}
}}"""
SHAPE_LABELS = f"""SELECT ?shape ?label WHERE {{ ?shape a <{SH}NodeShape> ;
  <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"""
GROUPS = f"""SELECT ?group ?order ?label WHERE {{ ?group a <{SH}PropertyGroup> .
  OPTIONAL {{ ?group <{SH}order> ?order }} OPTIONAL {{ ?group <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
}}"""
# One step at a time, closed in Python: Virtuoso refuses a transitive path with neither end bound.
SUBCLASS_OF = "SELECT ?c ?super WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?super }"
LAST = float("inf")


@dataclass(frozen=True)
class Field:
    path: str  # the property's IRI
    names: tuple  # ((text, lang), ...): sh:name in each language
    order: float
    group: str  # the sh:PropertyGroup's IRI, or "" (the final section)
    shape: str  # the property shape's IRI
    until: str = ""  # sh:lessThanOrEquals: the property that ends a range this one starts


@dataclass(frozen=True)
class Group:
    iri: str
    labels: tuple  # ((text, lang), ...)
    order: float


@dataclass
class Layouts:
    """Every class's fields and the groups, as the shapes graph of one release says."""

    fields: dict = field(default_factory=dict)  # class IRI -> {path: Field}
    node_shapes: dict = field(default_factory=dict)  # class IRI -> node shape IRI
    groups: dict = field(default_factory=dict)  # group IRI -> Group
    superclasses: dict = field(default_factory=dict)  # class IRI -> set of superclass IRIs
    shape_labels: dict = field(default_factory=dict)  # node shape IRI -> [(text, lang)]

    def classes(self, types):
        """``types`` and their superclasses that have a node shape, most specific first."""
        found = [t for t in sorted(types) if t in self.fields]
        for t in sorted(types):
            found += sorted(s for s in self.superclasses.get(t, ()) if s in self.fields and s not in found)
        return list(dict.fromkeys(found))

    def fields_for(self, types):
        """{path: Field} for a resource of ``types``: a more specific class's shape wins a path."""
        merged = {}
        for cls in self.classes(types):
            for path, f in self.fields[cls].items():
                if path not in merged or (not merged[path].group and f.group):
                    merged[path] = f
        return merged

    def shapes_for(self, types):
        """The node shapes a resource of ``types`` is checked against, most specific first."""
        return [self.node_shapes[c] for c in self.classes(types)]

    def ordered_groups(self):
        return sorted(self.groups.values(), key=lambda g: (g.order, g.iri))


def layouts(store):
    """The Layouts of the store's current release (read on first use, then kept)."""
    return per_release(store, "layouts", read_layouts)


def read_layouts(store):
    graphs = document_graphs(store, BASE + "shapes/")
    result = Layouts()
    if not graphs:
        return result
    names, rows = {}, {}
    for row in store.query(FIELDS, default_graph=graphs):
        cls, prop = row["class"].value, row["prop"]
        result.node_shapes.setdefault(cls, row["shape"].value)
        if row["name"] is not None:
            names.setdefault(prop, set()).add((row["name"].value, row["name"].language or ""))
        rows.setdefault((cls, prop), row)
    for (cls, prop), row in rows.items():
        result.fields.setdefault(cls, {})
        path = row["path"].value
        candidate = Field(
            path=path,
            names=tuple(sorted(names.get(prop, ()))),
            order=_number(row["order"]),
            group=row["group"].value if row["group"] is not None else "",
            shape=prop.value,
            until=row["le"].value if row["le"] is not None else "",
        )
        current = result.fields[cls].get(path)
        if current is None or _rank(candidate) < _rank(current):
            result.fields[cls][path] = candidate
    labels = {}
    for row in store.query(GROUPS, default_graph=graphs):
        iri = row["group"].value
        if row["label"] is not None:
            labels.setdefault(iri, set()).add((row["label"].value, row["label"].language or ""))
        result.groups[iri] = Group(iri, (), _number(row["order"]))
    for iri, group in result.groups.items():
        result.groups[iri] = Group(iri, tuple(sorted(labels.get(iri, ()))), group.order)
    for row in store.query(SHAPE_LABELS, default_graph=graphs):
        result.shape_labels.setdefault(row["shape"].value, []).append((row["label"].value, row["label"].language or ""))
    result.superclasses = _closure(store.query(SUBCLASS_OF))
    return result


def _closure(rows):
    """{class: every superclass} from rdfs:subClassOf pairs (cycles allowed)."""
    direct = {}
    for row in rows:
        direct.setdefault(row["c"].value, set()).add(row["super"].value)
    closed = {}
    for cls in direct:
        seen, todo = set(), list(direct[cls])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closed[cls] = seen
    return closed


def _rank(f):
    """Of two shapes of one class for the same path, the one placed in a group, then ordered first."""
    return (not f.group, f.order, f.shape)


def _number(term):
    try:
        return float(term.value) if term is not None else LAST
    except ValueError:
        return LAST
