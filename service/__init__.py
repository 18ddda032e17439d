"""pledgegraph: the Flask app factory.

The factory is the only place (with the CLI) that reads the environment; everything below it
takes explicit arguments.
"""

import os

from flask import Flask

from .config import settings_from
from .store import open_store


def create_app(test_config=None):
    """Build the app: settings from PLEDGEGRAPH_* variables, overridden by ``test_config``."""
    app = Flask(__name__)
    app.config.update(settings_from(os.environ, test_config))
    app.extensions["pledgegraph.store"] = open_store(app.config)
    from .views import register  # views import Flask; keep them out of the package import

    register(app)
    return app
