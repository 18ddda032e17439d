"""The server alone: one fixed answer served by waitress with the settings of `pledgegraph serve`.

    python -m bench.waitress_floor --port PORT --body FILE [--media-type TYPE]

Every request (any method, any path; its body read and dropped) gets the bytes of FILE. What
`bench sparql` measures this against is what the endpoint adds to its server: Flask, the app's
hooks, the checks and the hop to a query process. Runs until SIGTERM or SIGINT; 127.0.0.1 only.
"""

import argparse
import signal
import threading
from pathlib import Path

from service.serving import make_server, serve


def fixed_answer(body, media_type):
    """A WSGI app answering ``body`` to every request."""
    headers = [("Content-Type", media_type), ("Content-Length", str(len(body)))]

    def app(environ, start_response):
        environ["wsgi.input"].read()
        start_response("200 OK", headers)
        return [body]

    return app


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--media-type", default="application/sparql-results+json")
    args = parser.parse_args(argv)
    server = make_server(fixed_answer(args.body.read_bytes(), args.media_type), "127.0.0.1", args.port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serve(server, stop, grace=1.0)


if __name__ == "__main__":
    main()
