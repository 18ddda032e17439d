"""Serve the app under gunicorn: several worker processes, each with a few threads.

Why this shape (DESIGN §6):

* ``preload_app`` stays off: every gunicorn worker builds its own app *after* the fork, so
  no process ever inherits an open Oxigraph store; each opens the immutable published
  release read-only, lazily, and reopens it after an atomic swap by ``build``.
* Threads (``gthread``) let one worker serve pages while its queries wait; SPARQL queries
  on the embedded store run in the worker's own query processes (``service.sparql``), so a
  runaway query is killed at its deadline without touching the web worker.
* gunicorn's own ``timeout`` is a heartbeat of the worker's main thread, not a request
  limit; request limits are QUERY_TIMEOUT and the caps in the settings.

``run`` is what ``pledgegraph serve`` calls; ``python -m service.serving`` does the same for
tests and scripts.
"""

import argparse
import json

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, overrides, options):
        self.overrides, self.options = overrides, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from .app import create_app  # in the worker, after the fork

        return create_app(self.overrides)


def options(host="127.0.0.1", port=8000, workers=2, threads=8, access_log=None):
    """gunicorn settings for the service (see the module docstring for why)."""
    return {
        "bind": f"{host}:{port}",
        "workers": int(workers),
        "worker_class": "gthread",
        "threads": int(threads),
        "preload_app": False,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "limit_request_line": 8190,  # longest GET URL; longer queries go by POST
        "accesslog": access_log,
        "errorlog": "-",
        "loglevel": "warning",
    }


def run(overrides=None, host="127.0.0.1", port=8000, workers=2, threads=8, access_log=None):
    """Run the service under gunicorn until stopped; ``overrides`` go to create_app."""
    _Gunicorn(dict(overrides or {}), options(host, port, workers, threads, access_log)).run()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve pledgegraph under gunicorn.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--config", default="{}", help="JSON object of setting overrides")
    args = parser.parse_args(argv)
    run(json.loads(args.config), args.host, args.port, args.workers, args.threads)


if __name__ == "__main__":
    main()
