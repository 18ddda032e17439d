"""A real service (``pledgegraph serve``'s server) on 127.0.0.1, for protocol, stress and browser tests.

    with ServiceServer({"STORE_DIR": str(root)}) as server:
        requests.get(server.url("/sparql"), params={"query": "ASK {}"})

The server runs in its own process group; stopping it ends the service and its query
processes, and nothing else.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

START_TIMEOUT = 60.0


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceServer:
    """Start ``python -m service.serving`` with settings ``config``; stop it on exit.

    ``command`` runs another entry point instead (``["pledgegraph", "serve"]``: --host and --port
    are appended), in ``cwd`` with the environment ``env``, as a user would start it.
    """

    def __init__(self, config, threads=16, read_timeout=None, command=None, cwd=None, env=None):
        self.config, self.threads, self.read_timeout = config, threads, read_timeout
        self.command, self.cwd, self.env = command, cwd, env
        self.port = free_port()
        self.process = None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        if self.command:
            command = [*self.command, "--host", "127.0.0.1", "--port", str(self.port)]
            self.process = subprocess.Popen(
                command, start_new_session=True, stdin=subprocess.DEVNULL, cwd=self.cwd, env=self.env
            )
            self._wait_ready()
            return self
        command = [
            sys.executable,
            "-m",
            "service.serving",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--threads",
            str(self.threads),
            "--config",
            json.dumps(self.config),
        ]
        if self.read_timeout:
            command += ["--read-timeout", str(self.read_timeout)]
        self.process = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode} while starting")
            try:
                with urllib.request.urlopen(self.url("/sparql?format=nt"), timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the service did not answer within its start timeout")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # our own process group, nothing else
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
