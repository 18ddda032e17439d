"""One writer at a time (of the store): concurrent imports and builds either publish everything they said they
published, or are refused with a non-zero exit and a clear message (real processes, real store)."""

import subprocess
import sys

import pytest

from service.errors import InputError
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore

from .conftest import FIXTURES, ROOT
from .stores import OxigraphServer
from .test_cli import project, seed_copy  # noqa: F401 -- the fixture and helper of the CLI tests

pytestmark = pytest.mark.slow

WRITERS = 6
REFUSAL = "another build or import is writing"


def start(project, *args):  # noqa: F811
    data, store = project
    return subprocess.Popen(
        [sys.executable, "-m", "service", "--data-dir", str(data), "--store-dir", str(store), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def finish(processes):
    return [(p.wait(timeout=300), *p.communicate()) for p in processes]


def pledge_numbers(store_dir):
    store = EmbeddedStore(store_dir)
    rows = store.query("SELECT ?n WHERE { ?p <https://w3id.org/rcrc/def/pledgeNumber> ?n }")
    numbers = {row["n"].value for row in rows}
    store.close()
    return numbers


def assert_refused(code, out, err):
    assert code == 2, err
    assert REFUSAL in err and "Traceback" not in err
    assert "published release" not in out


def test_concurrent_imports_publish_every_pledge_or_refuse(project, tmp_path):  # noqa: F811
    numbers = [f"SP3299{n:02d}" for n in range(WRITERS)]
    pages = [seed_copy(tmp_path, number) for number in numbers]
    outcomes = finish([start(project, "import", page) for page in pages])
    published = pledge_numbers(project[1])
    winners = 0
    for number, (code, out, err) in zip(numbers, outcomes, strict=True):
        if code == 0:
            winners += 1
            assert number in published, f"{number} was reported published but is not in the store"
        else:
            assert_refused(code, out, err)
            assert number not in published
    assert winners >= 1


def test_concurrent_builds_publish_one_at_a_time_or_refuse(project):  # noqa: F811
    before = EmbeddedStore(project[1]).current_release()
    outcomes = finish([start(project, "build") for _ in range(3)])
    releases = []
    for code, out, err in outcomes:
        if code == 0:
            releases.append(out.split()[2].rstrip(":"))  # "published release NAME: ..."
        else:
            assert_refused(code, out, err)
    assert releases
    assert EmbeddedStore(project[1]).current_release() in releases
    assert before not in releases


@pytest.mark.parametrize("kind", ["embedded", "oxigraph"])
def test_a_writer_that_read_an_older_release_is_refused(tmp_path, kind):
    """What guards the remote store across processes (no lock there): publish only over the
    release the writer read; the embedded store checks the same under its lock."""
    server = OxigraphServer(tmp_path / "oxigraph").start() if kind == "oxigraph" else None
    try:
        store = RemoteStore(server.query_url, server.update_url) if server else EmbeddedStore(tmp_path / "store")
        read = store.publish([FIXTURES / "mini.trig"])
        newer = store.publish([FIXTURES / "mini.trig"])  # another writer, meanwhile
        with pytest.raises(InputError, match="was published since this writer read"):
            store.publish([FIXTURES / "mini.trig"], expected=read)
        assert store.current_release() == newer
        assert store.publish([FIXTURES / "mini.trig"], expected=newer) != newer
    finally:
        if server:
            server.stop()
