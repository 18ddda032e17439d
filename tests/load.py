"""A bounded mixed load on loopback, for the fair-load test and ``bench load``.

    results = run_mix(url, clients=16, requests=800, heavy_every=50)
    results["point query"]  ->  [(status, seconds), ...]

``SlowClients(port, per_kind)`` opens idle, trickling-header and trickling-body connections.

Each client keeps one HTTP connection and works through its share of one fixed request list:
SPARQL point queries (one pledge), a page, and one heavy query (a cross product that runs
until the time limit) in every ``heavy_every`` requests, spread evenly. Loopback only; the
count of requests bounds the run.
"""

import http.client
import socket
import threading
import time
import urllib.parse
from urllib.parse import urlsplit

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
POINT = "SELECT ?p ?o WHERE { <https://w3id.org/rcrc/id/pledge/SP320067> ?p ?o }"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}


def request_list(requests, heavy_every, pages_every=5):
    """[(kind, method, path, body, headers)] with one heavy query in every ``heavy_every`` (0: none)."""
    plan = []
    for n in range(requests):
        if heavy_every and n % heavy_every == heavy_every // 2:
            plan.append(("heavy query", "POST", "/sparql", urllib.parse.urlencode({"query": HEAVY}), FORM))
        elif pages_every and n % pages_every == 1:
            plan.append(("page", "GET", "/doc/pledge/SP320067.ttl", None, {}))
        else:
            plan.append(("point query", "POST", "/sparql", urllib.parse.urlencode({"query": POINT}), FORM))
    return plan


def run_mix(base_url, clients=16, requests=800, heavy_every=50, pages_every=5, timeout=60.0):
    """Send the request list from ``clients`` threads; {kind: [(status or error name, seconds)]}."""
    host = urlsplit(base_url)
    plan = request_list(requests, heavy_every, pages_every)
    results = {kind: [] for kind, *_ in plan}
    lock = threading.Lock()

    def client(share):
        connection = Client(host.hostname, host.port, timeout)
        for kind, method, path, body, headers in share:
            started = time.monotonic()
            status = connection.send(method, path, body, headers)
            with lock:
                results[kind].append((status, time.monotonic() - started))
        connection.close()

    in_threads(client, [(plan[n::clients],) for n in range(clients)])
    return results


def in_threads(function, arguments):
    """Call ``function(*args)`` for each ``args`` of ``arguments``, each in its own thread; wait for all."""
    threads = [threading.Thread(target=function, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Client:
    """One keep-alive HTTP connection to 127.0.0.1, opened again after an error."""

    def __init__(self, hostname, port, timeout):
        self.address, self.timeout = (hostname, port), timeout
        self.connection = http.client.HTTPConnection(*self.address, timeout=timeout)

    def send(self, method, path, body=None, headers=None):
        """The answer's status, or the name of the error that ended the exchange."""
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(*self.address, timeout=self.timeout)
            return type(error).__name__

    def close(self):
        self.connection.close()


def summary(outcomes):
    """(status counts, p50 seconds, p99 seconds) of [(status, seconds)]."""
    counts = {}
    for status, _ in outcomes:
        counts[status] = counts.get(status, 0) + 1
    times = sorted(seconds for _, seconds in outcomes)
    if not times:
        return counts, 0.0, 0.0
    return counts, times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


SLOW_OPENINGS = {
    "idle": b"",
    "header trickle": b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "slow body": (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 5000\r\n\r\nASK {"
    ),
    "slow chunked body": (
        b"POST /reconcile HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n"
    ),
}
TRICKLE = {"idle": b"", "header trickle": b"X-Slow: 1\r\n", "slow body": b" ", "slow chunked body": b"1\r\n \r\n"}


class SlowClients:
    """``per_kind`` connections of every kind in SLOW_OPENINGS, each trickling a little every second."""

    def __init__(self, port, per_kind):
        self.sockets = []
        for kind, opening in SLOW_OPENINGS.items():
            for _ in range(per_kind):
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(opening)
                self.sockets.append((kind, sock))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        while not self.stop.wait(1.0):
            for kind, sock in self.sockets:
                try:
                    sock.sendall(TRICKLE[kind])
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join()
        for _, sock in self.sockets:
            sock.close()
