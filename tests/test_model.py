"""The model agrees with itself: namespaces.py, ontology/, shapes/, the concept schemes and fixtures."""

import re

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SH, SKOS, XSD

from service import iris
from service.namespaces import ELI, ID, RCRC, SDO, SHAPES

from .conftest import FIXTURES, ROOT

VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY_IRI = URIRef(str(RCRC._NS))
TERMS = sorted(RCRC.__annotations__)
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
SCHEME_CLASSES = {
    "theme": RCRC.Theme,
    "pledge-type": RCRC.PledgeType,
    "pledger-category": RCRC.PledgerCategory,
    "region": RCRC.Region,
}
# reference/README.md, "Controlled values actually observed" (2015 database), plus the model type.
OBSERVED = {
    "theme": {
        "Migration",
        "Capacity building",
        "Fundamental principles",
        "Organisational development",
        "Volunteering",
        "Community resilience",
        "Disability inclusion",
        "Disaster risk reduction",
        "Vulnerable populations",
        "Women",
        "Youth",
        "Cultural heritage",
        # seen on two more 2015 pages (reference/pages/: SP320107, OP320014)
        "IHL dissemination",
        "Nuclear weapons",
        "Weapons",
    },
    "pledge-type": {"Specific", "Open", "Model"},
    "pledger-category": {"International component", "National Society", "Government"},
    "region": {"Africa", "Americas", "Asia Pacific", "Europe", "MENA"},
}


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ROOT / "ontology" / "rcrc.ttl")


@pytest.fixture(scope="module")
def schemes():
    return Graph().parse(ROOT / "ontology" / "schemes.ttl")


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(ROOT / "shapes" / "rcrc-shapes.ttl")


def languages(graph, subject, predicate):
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def is_rcrc_term(term):
    return isinstance(term, URIRef) and term.startswith(RCRC._NS) and term != ONTOLOGY_IRI


# --- the ontology ------------------------------------------------------------------------------


def test_ontology_header(ontology):
    header = ONTOLOGY_IRI
    assert (header, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert ontology.value(header, predicate) is not None, predicate
    assert ontology.value(header, DCTERMS.created).datatype == XSD.date
    assert ontology.value(header, VANN.preferredNamespacePrefix) == Literal("rcrc")
    assert {"en", "fr"} <= languages(ontology, header, DCTERMS.title)


@pytest.mark.parametrize("name", TERMS)
def test_every_namespace_term_is_defined(ontology, name):
    term = RCRC[name]
    assert set(ontology.objects(term, RDF.type)) & TERM_TYPES, f"{name} has no class/property type"
    assert {"en", "fr"} <= languages(ontology, term, RDFS.label), f"{name} needs labels in en and fr"
    assert {"en", "fr"} <= languages(ontology, term, RDFS.comment), f"{name} needs comments in en and fr"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_ontology_defines_only_namespace_terms(ontology):
    """The closed namespace and the ontology list the same terms."""
    defined = {s for s in ontology.subjects() if is_rcrc_term(s)}
    assert defined == {RCRC[name] for name in TERMS}


def test_every_label_and_comment_has_a_language(ontology, schemes):
    for graph in (ontology, schemes):
        for predicate in (RDFS.label, RDFS.comment, SKOS.prefLabel, SKOS.altLabel, SKOS.definition):
            for _, _, value in graph.triples((None, predicate, None)):
                assert value.language, f"{predicate} {value!r} has no language tag"


@pytest.mark.parametrize(
    "cls, parent",
    [
        (RCRC.Conference, SDO.Event),
        (RCRC.Resolution, ELI.LegalResource),
        (RCRC.Organisation, ORG.Organization),
        (RCRC.Organisation, SDO.Organization),
        (RCRC.Country, SDO.Country),
        (RCRC.Theme, SKOS.Concept),
        (RCRC.PledgeType, SKOS.Concept),
        (RCRC.PledgerCategory, SKOS.Concept),
        (RCRC.Region, SKOS.Concept),
        (RCRC.NationalSociety, RCRC.Organisation),
        (RCRC.Government, RCRC.Organisation),
        (RCRC.MovementComponent, RCRC.Organisation),
        (RCRC.Observer, RCRC.Organisation),
        (RCRC.PledgeReport, SDO.Report),
        (RCRC.ResolutionReport, SDO.Report),
    ],
)
def test_class_alignment(ontology, cls, parent):
    assert (cls, RDFS.subClassOf, parent) in ontology


def test_every_class_reaches_a_known_vocabulary(ontology):
    """A linker who knows schema.org, ORG, SKOS, ELI or PROV can place each of our classes."""
    for cls in ontology.subjects(RDF.type, OWL.Class):
        ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(not is_rcrc_term(a) for a in ancestors), f"{cls} is not aligned"


def test_ontology_has_no_heavy_axioms(ontology):
    """No blank nodes means no OWL restrictions or class expressions to slow validation down."""
    assert not [t for t in ontology if any(isinstance(x, BNode) for x in t)]


# --- the concept schemes -----------------------------------------------------------------------


def concepts(schemes):
    return sorted(set(schemes.subjects(SKOS.inScheme, None)))


def scheme_name(schemes, concept):
    return str(schemes.value(concept, SKOS.inScheme)).removeprefix(str(ID))


def test_concept_iris_are_minted_from_their_english_label(schemes):
    assert concepts(schemes)
    for concept in concepts(schemes):
        name = scheme_name(schemes, concept)
        english = [v for v in schemes.objects(concept, SKOS.prefLabel) if v.language == "en"]
        assert len(english) == 1, concept
        assert concept == iris.concept(name, str(english[0]))
        assert schemes.value(concept, SKOS.inScheme) == iris.scheme(name)
        assert (concept, RDFS.label, english[0]) in schemes


def test_concepts_are_typed_and_top_concepts(schemes):
    for concept in concepts(schemes):
        name = scheme_name(schemes, concept)
        types = set(schemes.objects(concept, RDF.type))
        # owl:NamedIndividual: pySHACL copies those from the ontology graph into the data graph.
        assert {SCHEME_CLASSES[name], SKOS.Concept, OWL.NamedIndividual} <= types, concept
        assert schemes.value(concept, SKOS.topConceptOf) == iris.scheme(name)


def test_schemes_are_described_without_back_links(schemes):
    for name in SCHEME_CLASSES:
        scheme = iris.scheme(name)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in schemes
        assert "en" in languages(schemes, scheme, RDFS.label)
    # pySHACL copies named individuals following links ten steps deep: scheme -> concepts -> scheme
    # loops would make every validation explode.
    assert not list(schemes.triples((None, SKOS.hasTopConcept, None)))


@pytest.mark.parametrize("name", sorted(OBSERVED))
def test_schemes_hold_exactly_the_observed_values(schemes, name):
    labels = {str(v) for c in concepts(schemes) if scheme_name(schemes, c) == name
              for v in schemes.objects(c, SKOS.prefLabel) if v.language == "en"}
    assert labels == OBSERVED[name]


def test_pledge_types_are_defined_with_sources(schemes):
    for concept in concepts(schemes):
        if scheme_name(schemes, concept) == "pledge-type":
            assert "en" in languages(schemes, concept, SKOS.definition)
            assert all(isinstance(s, URIRef) for s in schemes.objects(concept, DCTERMS.source))
            assert schemes.value(concept, DCTERMS.source) is not None


# --- terms used elsewhere are defined ------------------------------------------------------------


def model_files():
    fixtures = sorted((FIXTURES / "shapes").rglob("*.ttl"))
    return [ROOT / "ontology" / "schemes.ttl", ROOT / "shapes" / "rcrc-shapes.ttl", FIXTURES / "mini.trig"] + fixtures


def rcrc_terms_in(path):
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        triples = (quad[:3] for quad in dataset.quads())
    else:
        triples = Graph().parse(path)
    found = {term for triple in triples for term in triple if is_rcrc_term(term)}
    # SPARQL in the shapes names terms inside strings.
    found |= {RCRC._NS[name] for name in re.findall(r"\brcrc:(\w+)", path.read_text(encoding="utf-8"))}
    return found


@pytest.mark.parametrize("path", model_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_rcrc_terms_used_are_defined(ontology, path):
    defined = {s for s in ontology.subjects() if is_rcrc_term(s)}
    assert rcrc_terms_in(path) - defined == set()


# --- the shapes ----------------------------------------------------------------------------------


def property_shapes(shapes):
    """Every shape with a path, except the parameter declarations of constraint components."""
    parameters = set(shapes.objects(None, SH.parameter))
    return sorted(s for s in shapes.subjects(SH.path, None) if s not in parameters)


def test_every_property_shape_has_path_name_and_message(shapes):
    assert len(property_shapes(shapes)) > 40
    for shape in property_shapes(shapes):
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        assert "en" in languages(shapes, shape, SH.message), f"{shape} has no English sh:message"


def test_named_shapes_live_under_the_shapes_namespace(shapes):
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        assert isinstance(shape, URIRef) and shape.startswith(SHAPES), shape


def test_one_node_shape_per_target_class(shapes, ontology):
    targets = [o for s in shapes.subjects(RDF.type, SH.NodeShape) for o in shapes.objects(s, SH.targetClass)]
    assert len(targets) == len(set(targets))
    assert set(targets) <= set(ontology.subjects(RDF.type, OWL.Class))
    for cls in (RCRC.Conference, RCRC.Resolution, RCRC.Pledge, RCRC.PledgeReport, RCRC.ResolutionReport,
                RCRC.Organisation, RCRC.Country):
        assert cls in targets


def test_warnings_are_declared_as_such(shapes):
    """Shapes for facts merely expected say sh:Warning; nothing else lowers the severity."""
    for shape in property_shapes(shapes):
        severity = shapes.value(shape, SH.severity)
        expected = str(shape).endswith("-expected")
        assert (severity == SH.Warning) == expected, shape


def test_shapes_graph_is_valid_shacl(shapes):
    """pySHACL's meta-validation (SHACL-SHACL) accepts the shapes."""
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_confidence_values_agree_with_the_table_importer(shapes):
    """The shape accepts exactly the values the pledges table may write."""
    from service.importers.table_pledges import CONFIDENCE

    (values,) = shapes.objects(SHAPES.confidence, SH["in"])
    assert [str(v) for v in shapes.items(values)] == list(CONFIDENCE)


def test_curation_terms_apply_to_pledges_and_reports(shapes):
    for node in (SHAPES.PledgeShape, SHAPES.PledgeReportShape):
        properties = set(shapes.objects(node, SH.property))
        assert {SHAPES.conferenceBasis, SHAPES.confidence, SHAPES.rights, SHAPES.rightsHolder} <= properties


@pytest.mark.parametrize("prop, domain, range_", [
    (RCRC.reportsOn, RCRC.PledgeReport, RCRC.Pledge),
    (RCRC.reportsOnResolution, RCRC.ResolutionReport, RCRC.Resolution),
    (RCRC.chapter, RCRC.Pledge, RDF.langString),
    (RCRC.section, RCRC.Pledge, RDF.langString),
])
def test_report_and_layout_terms_have_domain_and_range(ontology, prop, domain, range_):
    assert (prop, RDFS.domain, domain) in ontology and (prop, RDFS.range, range_) in ontology


def test_page_importer_terms_are_checked_by_shapes(shapes):
    """Every term the page importer writes for reports and 2011 pages has a property shape."""
    paths = set(shapes.objects(None, SH.path))
    assert {RCRC.reportsOnResolution, RCRC.reportText, RCRC.chapter, RCRC.section} <= paths
