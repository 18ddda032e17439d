"""What a SHACL constraint allows, in words, and the allowed values nearest to an offending one.

For a value that is not of the class a shape asks for (a theme ``id/theme/migraton``), the
allowed values are the resources of that class in the data and the ontology (with subclasses),
listed when there are few; "did you mean" compares the value's last IRI segment, or its text,
with their IRIs and labels (difflib). Other constraints say their parameter: the pattern, the
datatype, the list of ``sh:in``, the counts.
"""

import difflib
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS

from ..iris import slugify
from ..namespaces import PREFIXES

LISTED = 25  # allowed values are listed when there are at most this many
LANGSTRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")


def short(text):
    """An IRI as a reader wants it: 'rcrc:theme', 'id/theme/migration'; anything else as is."""
    text = str(text)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            local = text[len(namespace) :]
            return f"id/{local}" if prefix == "rcrcid" else f"{prefix}:{local}"
    return text


class Hints:
    """Explanations for the results of one validation run (cached per class)."""

    def __init__(self, shapes, data, ontology=None):
        self.shapes, self.graphs = shapes, [g for g in (data, ontology) if g is not None]
        self._members = lru_cache(maxsize=64)(self._find_members)

    def explain(self, shape, component, value):
        """(what is allowed, in words; allowed values near ``value``) for one result."""
        if shape is None or component is None:
            return "", ()

        def get(parameter):
            return self.shapes.value(shape, parameter)

        if component == SH.ClassConstraintComponent and get(SH["class"]) is not None:
            return self._class(get(SH["class"]), value)
        if component == SH.InConstraintComponent and get(SH["in"]) is not None:
            choices = [short(c) for c in Collection(self.shapes, get(SH["in"]))]
            return "one of: " + ", ".join(choices), _near(value, {c: c for c in choices})
        words = {
            SH.HasValueConstraintComponent: lambda: f"exactly {short(get(SH.hasValue))}",
            SH.DatatypeConstraintComponent: lambda: _datatype(get(SH.datatype)),
            SH.PatternConstraintComponent: lambda: f"text matching the pattern {get(SH.pattern)}",
            SH.NodeKindConstraintComponent: lambda: f"a node of kind {short(get(SH.nodeKind))}",
            SH.MinCountConstraintComponent: lambda: f"at least {get(SH.minCount)} value(s)",
            SH.MaxCountConstraintComponent: lambda: f"at most {get(SH.maxCount)} value(s)",
            SH.MinInclusiveConstraintComponent: lambda: f"a value of at least {get(SH.minInclusive)}",
            SH.MaxInclusiveConstraintComponent: lambda: f"a value of at most {get(SH.maxInclusive)}",
            SH.OrConstraintComponent: lambda: self._or(get(SH["or"])),
        }
        return (words[component](), ()) if component in words else ("", ())

    def _class(self, cls, value):
        members = self._members(cls)
        if len(members) <= LISTED:
            allowed = "one of: " + ", ".join(f"{label} ({short(iri)})" for iri, label in sorted(members.items()))
        else:
            allowed = f"a {short(cls)} ({len(members)} in the data)"
        return allowed, _near(value, {short(iri): f"{label} ({short(iri)})" for iri, label in members.items()},
                              members)

    def _find_members(self, cls):
        """{IRI: label} of the resources of ``cls`` or a subclass of it."""
        classes = {cls}
        for graph in self.graphs:
            classes |= set(graph.transitive_subjects(RDFS.subClassOf, cls))
        return {s: _label(self.graphs, s) for graph in self.graphs for c in classes
                for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}

    def _or(self, node):
        if node is None:
            return ""
        options = [self.shapes.value(member, SH.datatype) for member in Collection(self.shapes, node)]
        return "one of the types " + ", ".join(short(o) for o in options if o is not None)


def _datatype(datatype):
    if datatype == LANGSTRING:
        return 'text with a language tag ("…"@en)'
    return f"a literal of type {short(datatype)}"


def _label(graphs, iri):
    labels = [o for g in graphs for p in (SKOS.prefLabel, RDFS.label) for o in g.objects(iri, p)
              if isinstance(o, Literal)]
    english = [label for label in labels if label.language == "en"]
    return str((english or labels or [short(iri)])[0])


def _near(value, shown, members=None):
    """The entries of ``shown`` (key -> display) whose key, last segment or label is near ``value``."""
    if value is None:
        return ()
    probe = slugify(str(value).rstrip("/").rsplit("/", 1)[-1]) if isinstance(value, URIRef) else slugify(str(value))
    keys = {}
    for key, display in shown.items():
        keys.setdefault(slugify(key.rsplit("/", 1)[-1]), display)
    for iri, label in (members or {}).items():
        keys.setdefault(slugify(label), shown[short(iri)])
    found = difflib.get_close_matches(probe, list(keys), n=3, cutoff=0.6)
    return tuple(dict.fromkeys(keys[k] for k in found))
