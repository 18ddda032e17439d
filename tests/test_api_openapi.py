"""The OpenAPI document: valid, true to the queries' metadata, and a property-based test against it.

schemathesis generates requests from the document (valid and invalid parameter values) and
sends them in-process to the Flask app over the real build; no answer may be a server error,
and every answer must have a status and media type the document declares.
"""

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from service.namedqueries.catalog import load_queries
from service.namedqueries.openapi import PARAM_SCHEMAS, openapi

QUERIES = load_queries()


def test_document_validates():
    validate(openapi(QUERIES, "http://localhost"))


def test_served_document_validates_and_lists_every_query(real_client):
    document = real_client.get("/openapi.json").get_json()
    validate(document)
    for name in QUERIES:
        assert f"/api/queries/{name}" in document["paths"]
    assert document["servers"][0]["url"] == "http://localhost"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_parameters_follow_the_metadata(name):
    operation = openapi(QUERIES)["paths"][f"/api/queries/{name}"]["get"]
    described = {p["name"]: p for p in operation["parameters"]}
    assert operation["summary"] == QUERIES[name].title
    for param in QUERIES[name].params:
        spec = described[param.name]
        assert spec["required"] == param.required and spec["description"] == param.description
        assert spec["schema"]["type"] == PARAM_SCHEMAS[param.type]["type"]
        jsonschema.validate(spec["example"], spec["schema"])  # the example fits its own schema
        if "default" in spec["schema"]:
            jsonschema.validate(spec["schema"]["default"], spec["schema"])


def test_bad_metadata_type_is_refused_by_the_generator():
    with pytest.raises(KeyError):
        PARAM_SCHEMAS["uri-ish"]


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


# schemathesis.pytest.from_fixture needs pytest internals that pytest 9 no longer has, so each
# operation's strategy is driven by hypothesis directly.
@pytest.mark.slow
def test_no_server_errors(real_app):
    checks = [not_a_server_error, status_code_conformance, content_type_conformance]
    tested = []
    for operation in operations(real_app):

        @given(case=st.one_of(operation.as_strategy(mode) for mode in GenerationMode))
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case):
            case.call_and_validate(checks=checks)

        check()
        tested.append(operation.label)
    assert len(tested) >= len(QUERIES) + 3
