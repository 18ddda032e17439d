"""Serve the app with waitress: requests are read whole before any Python thread sees them.

Why waitress (figures in ``bench/README.md``, "servers"): its I/O loop reads the request
line, headers and body of every connection without holding a thread, and hands a request to
one of ``threads`` threads only once it is complete. So slow or idle clients cost a socket
each, never a thread: hundreds of them do not delay anybody else. gunicorn's ``gthread``
workers give each connection a thread while it reads, and 16–32 trickling clients stopped
the service.

Limits here, on top of the app's own caps:

* ``READ_TIMEOUT``: a request (line, headers and body) must arrive whole within this many
  seconds of its first byte, however slowly it trickles; then the connection is closed.
* ``IDLE_TIMEOUT``: a connection silent for this long is closed (waitress's channel timeout).
* ``max_request_body_size``: a backstop at ``BODY_BACKSTOP`` × MAX_QUERY_BYTES, counted as the
  body arrives (waitress counts chunk framing too, up to 6 bytes per byte of 1-byte chunks);
  past it, 413 and the connection is closed. The app counts the body itself to the exact cap
  (``service.web.bodies``).
* ``CONNECTION_LIMIT`` open connections (each one a file descriptor); more wait in the backlog.

One process: SPARQL queries run in their own query processes (``service.sparql``), so the
second core works on queries while this process serves. On SIGTERM or SIGINT the service
stops accepting, finishes the requests it has (at most ``GRACE`` seconds), then exits; its
query processes die with it. Run it under a supervisor (``deploy/pledgegraph.service``).

``run`` is what ``pledgegraph serve`` calls; ``python -m service.serving`` does the same for
tests and scripts.
"""

import argparse
import json
import logging
import signal
import threading
import time

from waitress import create_server, wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError

THREADS = 16
READ_TIMEOUT = 20.0
IDLE_TIMEOUT = 30
CONNECTION_LIMIT = 1000
GRACE = 20.0
BODY_BACKSTOP = 8


class _TimedParser(HTTPRequestParser):
    """A request being read, with the time its first byte arrived; a request framed two ways is refused."""

    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.monotonic()

    def parse_header(self, header_plus):
        super().parse_header(header_plus)
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            # RFC 9112 6.1: such a request is a smuggling attempt; waitress would use the chunked
            # framing and keep the connection, serving whatever a proxy thought was body.
            raise ParsingError("a request may not have both Content-Length and Transfer-Encoding")


class _Channel(HTTPChannel):
    parser_class = _TimedParser


def make_server(app, host="127.0.0.1", port=8000, threads=THREADS, max_body=100_000, read_timeout=READ_TIMEOUT):
    """A waitress server for ``app`` with the limits above (not yet serving)."""
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=IDLE_TIMEOUT,
        cleanup_interval=1,
        asyncore_use_poll=True,  # select() cannot watch more than 1,024 sockets
        max_request_body_size=BODY_BACKSTOP * max_body + 65536,
        max_request_header_size=65536,
        ident="pledgegraph",
    )
    server.channel_class = _Channel
    inactive = server.maintenance

    def maintenance(now):  # waitress calls this every cleanup_interval
        inactive(now)
        for channel in list(server.active_channels.values()):
            request = channel.request
            if request is not None and time.monotonic() - request.started > read_timeout:
                channel.will_close = True  # a request still arriving after READ_TIMEOUT

    server.maintenance = maintenance
    return server


def serve(server, stop, grace=GRACE):
    """Serve until ``stop`` is set, then stop accepting and finish what is in flight."""
    poll = lambda: wasyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)  # noqa: E731
    while not stop.is_set():
        poll()
    server.del_channel()
    server.socket.close()  # new connections are refused from now on
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _busy(server):
        poll()
    server.task_dispatcher.shutdown(timeout=max(0.0, deadline - time.monotonic()))


def _busy(server):
    """Whether a request is still being served or its answer sent; idle connections are closed."""
    busy = False
    for channel in list(server.active_channels.values()):
        if channel.requests or channel.total_outbufs_len:
            busy = True
        else:
            channel.will_close = True  # idle or half-read: closed, the client may retry elsewhere
    return busy


def run(overrides=None, host="127.0.0.1", port=8000, threads=THREADS, read_timeout=READ_TIMEOUT):
    """Run the service until SIGTERM or SIGINT; ``overrides`` go to create_app."""
    from .app import create_app

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        force=True)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # requests queued for a thread: normal at peaks
    app = create_app(dict(overrides or {}))
    warm_up(app)
    server = make_server(app, host, port, threads, int(app.config["MAX_QUERY_BYTES"]), read_timeout)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serve(server, stop)


def warm_up(app):
    """Start the query processes now, before the first request needs one."""
    from .sparql.executor import executor_for

    executor_for(app.extensions["pledgegraph.store"], app.config)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve pledgegraph with waitress.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--read-timeout", type=float, default=READ_TIMEOUT, help="seconds to read one request")
    parser.add_argument("--config", default="{}", help="JSON object of setting overrides")
    args = parser.parse_args(argv)
    run(json.loads(args.config), args.host, args.port, args.threads, args.read_timeout)


if __name__ == "__main__":
    main()
