"""One side of `python -m bench pages-versus`: a checkout's service, serving pages on request.

    python bench/pages_worker.py CHECKOUT STORE_DIR DATA_FILE...

Publishes the data files into an embedded store at STORE_DIR with CHECKOUT's code (as that
checkout's `pledgegraph build` publishes: with its page index and dumps where it has them), makes
its app, prints "ready", then reads lines "PATH SECONDS" from standard input and answers each with
one JSON line: the durations in seconds of requests for PATH through Flask's test client during
about SECONDS. Only the API every checkout since the embedded store has is used.
"""

import json
import sys
import time

checkout, store_dir, *data = sys.argv[1:]
sys.path.insert(0, checkout)  # this checkout's `service`, whichever checkout runs this file

from service.app import create_app  # noqa: E402
from service.stores.embedded import EmbeddedStore  # noqa: E402

try:
    from service.dataset.prepare import prepare_release

    store = EmbeddedStore(store_dir, prepare=prepare_release)
except ImportError:  # a checkout before the page index
    store = EmbeddedStore(store_dir)
store.publish(data)
store.close()
client = create_app({"TESTING": True, "STORE_DIR": store_dir}).test_client()
print("ready", flush=True)
for line in sys.stdin:
    path, seconds = line.split()
    times, end = [], time.perf_counter() + float(seconds)
    while time.perf_counter() < end or len(times) < 3:
        start = time.perf_counter()
        response = client.get(path)
        response.data  # noqa: B018 (the body is the page's work)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            times = [f"{path} answered {response.status_code}"]
            break
    print(json.dumps(times), flush=True)
