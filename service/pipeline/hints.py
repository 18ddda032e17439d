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
            near = difflib.get_close_matches(short(value), choices, n=3, cutoff=0.6) if value is not None else []
            return "one of: " + ", ".join(choices), tuple(near)
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
            SH.LessThanOrEqualsConstraintComponent: lambda: f"a value not above its {short(get(SH.lessThanOrEquals))}",
            SH.UniqueLangConstraintComponent: lambda: "at most one value per language",
        }
        return (words[component](), ()) if component in words else ("", ())

    def _class(self, cls, value):
        members = self._members(cls)
        if not members:
            return f"a {short(cls)} (there is none in the data)", ()
        if len(members) <= LISTED:
            allowed = "one of: " + ", ".join(f"{label} ({short(iri)})" for iri, label in sorted(members.items()))
        else:
            allowed = f"a {short(cls)} ({len(members)} in the data)"
        return allowed, _near(value, members)

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
        types = [short(o) for o in options if o is not None]
        return "one of the types " + ", ".join(types) if types else ""  # else the message says the choice


def _datatype(datatype):
    if datatype == LANGSTRING:
        return 'text with a language tag ("…"@en)'
    return f"a literal of type {short(datatype)}"


def _label(graphs, iri):
    labels = [o for g in graphs for p in (SKOS.prefLabel, RDFS.label) for o in g.objects(iri, p)
              if isinstance(o, Literal)]
    english = [label for label in labels if label.language == "en"]
    return str((english or labels or [short(iri)])[0])


def _near(value, members):
    """Display names of the ``members`` ({IRI: label}) near ``value``: its path near theirs
    (id/theme/migraton, id/theme/migration), or its last segment or text near their labels."""
    if value is None:
        return ()
    display = {iri: f"{label} ({short(iri)})" for iri, label in members.items()}
    word = slugify(str(value).rstrip("/").rsplit("/", 1)[-1] if isinstance(value, URIRef) else str(value))
    found = []
    if isinstance(value, URIRef):
        paths = {short(iri): iri for iri in members}
        found += [paths[k] for k in difflib.get_close_matches(short(value), list(paths), n=3, cutoff=0.8)]
    labels = {}
    for iri, label in members.items():
        labels.setdefault(slugify(label), iri)
    found += [labels[k] for k in difflib.get_close_matches(word, list(labels), n=3, cutoff=0.75)]
    return tuple(dict.fromkeys(display[iri] for iri in found))[:3]
