"""Shared fixtures: real Oxigraph stores (never mocks) and the Flask app over them."""

from pathlib import Path

import pytest

from service.app import create_app
from service.stores.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def mini_store_dir(tmp_path_factory):
    """A published embedded store holding tests/fixtures/mini.trig (a few real facts)."""
    root = tmp_path_factory.mktemp("mini-store")
    EmbeddedStore(root).publish([FIXTURES / "mini.trig"])
    return root


@pytest.fixture
def mini_app(mini_store_dir):
    """The app over the mini store."""
    return create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir)})


@pytest.fixture
def mini_client(mini_app):
    return mini_app.test_client()


@pytest.fixture(scope="session")
def real_store_dir(tmp_path_factory):
    """A published embedded store built from the real data/ by the real build pipeline."""
    from service.pipeline.build import build

    root = tmp_path_factory.mktemp("real-store")
    store = EmbeddedStore(root)
    build(ROOT / "data", store)
    store.close()
    return root


@pytest.fixture
def real_app(real_store_dir):
    """The app over the real data."""
    return create_app({"TESTING": True, "STORE_DIR": str(real_store_dir)})


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


@pytest.fixture(scope="session")
def real_server(real_store_dir):
    """The service over the real data under a real threaded HTTP server on 127.0.0.1: its base URL."""
    from .browsers import serving

    with serving(real_store_dir) as url:
        yield url
