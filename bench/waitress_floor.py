"""The endpoint's layers alone, served by waitress with the settings of `pledgegraph serve`.

    python -m bench.waitress_floor --port PORT --body FILE [--media-type TYPE]
    python -m bench.waitress_floor --port PORT --store DIR

With --body, every request (any method, any path; its body read and dropped) gets the bytes of
FILE: the server alone. With --store, the form-encoded ``query`` of each request runs through the
service's executor on the embedded store in DIR (query processes, admission, row cap, SPARQL JSON)
and its answer is sent, without Flask, the app's hooks, content negotiation or checks: the server
and the query processes. `bench sparql` sets them beside the endpoint to show what each layer
costs. Runs until SIGTERM or SIGINT; 127.0.0.1 only.
"""

import argparse
import signal
import threading
import urllib.parse
from http import HTTPStatus
from pathlib import Path

from service.config import settings_from
from service.errors import PledgegraphError
from service.serving import make_server, serve
from service.sparql.executor import Job, executor_for
from service.stores.embedded import EmbeddedStore


def fixed_answer(body, media_type):
    """A WSGI app answering ``body`` to every request."""
    headers = [("Content-Type", media_type), ("Content-Length", str(len(body)))]

    def app(environ, start_response):
        environ["wsgi.input"].read()
        start_response("200 OK", headers)
        return [body]

    return app


def through_query_processes(directory):
    """A WSGI app running each request's ``query`` through the executor, as SPARQL JSON."""
    config = settings_from({}, {"STORE_DIR": str(directory)})
    executor = executor_for(EmbeddedStore(directory), config)
    rows = int(config["MAX_RESULT_ROWS"])

    def app(environ, start_response):
        query = urllib.parse.parse_qs(environ["wsgi.input"].read().decode())["query"][0]
        try:
            answer = executor.run(Job(query, "json", rows, base_iri="http://127.0.0.1/sparql"))
        except PledgegraphError as exc:  # 503 for a busy or stopped query, as the endpoint answers
            start_response(f"{exc.status} {HTTPStatus(exc.status).phrase}", [("Content-Type", "text/plain")])
            return [exc.message.encode()]
        start_response("200 OK", [("Content-Type", answer.media_type), ("Content-Length", str(len(answer.body)))])
        return [answer.body]

    return app


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, help="answer every request with these bytes")
    parser.add_argument("--media-type", default="application/sparql-results+json")
    parser.add_argument("--store", type=Path, help="run each query on the embedded store here")
    args = parser.parse_args(argv)
    if args.store:
        app = through_query_processes(args.store)
    else:
        app = fixed_answer(args.body.read_bytes(), args.media_type)
    server = make_server(app, "127.0.0.1", args.port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serve(server, stop, grace=1.0)


if __name__ == "__main__":
    main()
