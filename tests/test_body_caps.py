"""Request bodies are counted as they are read and refused at MAX_QUERY_BYTES, on every POST route,
chunked or not: 413, never a body cut at the cap and run."""

import http.client
import io

import pytest

from tests.servers import ServiceServer

CAP = 2000
QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def post_routes(app):
    """Every URL rule that accepts POST (so a new POST route is covered without editing this)."""
    rules = sorted({rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods})
    assert {"/sparql", "/reconcile"} <= set(rules)
    return rules


def padded(size):
    """A SPARQL query of exactly ``size`` bytes ending in LIMIT 1 (a comment pads it)."""
    return ("#" + "x" * (size - len(QUERY) - 2) + "\n" + QUERY).encode()


@pytest.fixture
def app(mini_store_dir):
    from service.app import create_app

    return create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "MAX_QUERY_BYTES": CAP})


def chunked_post(client, path, body, content_type="application/sparql-query"):
    """A body without Content-Length, as a server passes a chunked one (wsgi.input_terminated)."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        environ_overrides={"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"},
    )


@pytest.mark.parametrize("extra", [1, 17, 5 * CAP])
def test_every_post_route_refuses_an_oversized_chunked_body(app, extra):
    client = app.test_client()
    for path in post_routes(app):
        response = chunked_post(client, path, padded(CAP + extra))
        assert response.status_code == 413, path
        assert b"MAX_QUERY_BYTES" in response.data


def test_every_post_route_refuses_an_oversized_declared_body(app):
    client = app.test_client()
    for path in post_routes(app):
        response = client.post(path, data=padded(CAP + 1), content_type="application/sparql-query")
        assert response.status_code == 413, path


def test_a_chunked_query_at_the_cap_runs_whole(app):
    response = chunked_post(app.test_client(), "/sparql", padded(CAP))
    assert response.status_code == 200
    assert len(response.get_json()["results"]["bindings"]) == 1


def http_chunked(port, path, body, content_type):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", content_type)
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for start in range(0, len(body), 1000):
            piece = body[start:start + 1000]
            connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return response.status, response.read()
    except (BrokenPipeError, ConnectionResetError):
        return "reset", b""  # refused before the whole body was sent
    finally:
        connection.close()


@pytest.mark.slow
def test_the_server_refuses_chunked_bodies_past_the_cap_on_every_post_route(app, mini_store_dir):
    config = {"STORE_DIR": str(mini_store_dir), "MAX_QUERY_BYTES": CAP}
    with ServiceServer(config) as server:
        for path in post_routes(app):
            status, _ = http_chunked(server.port, path, padded(CAP + 17), "application/sparql-query")
            assert status in (413, "reset"), path
            status, _ = http_chunked(server.port, path, b"[" + b"1," * (50 * CAP) + b"1]", "application/json")
            assert status in (413, "reset"), path
        status, body = http_chunked(server.port, "/sparql", padded(CAP), "application/sparql-query")
        assert status == 200, body
