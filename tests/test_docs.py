"""Docs and code agree: every setting and CLI command is in the README; core modules stay Flask-free."""

import ast

import pytest

from service.cli import cli
from service.config import SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
WEB_MODULES = {"__init__.py"}  # the app factory composes the web layer


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"pledgegraph {command}" in README


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted((ROOT / "service").glob("*.py")), ids=lambda p: p.name)
def test_core_modules_do_not_import_flask_or_click(path):
    """Layering: only views, the factory and the CLI touch Flask or click."""
    modules = set(imported_modules(path))
    if path.name not in WEB_MODULES:
        assert not {m for m in modules if m.split(".")[0] == "flask"}, f"{path.name} imports Flask"
    if path.name != "cli.py":
        assert "click" not in modules, f"{path.name} imports click"


@pytest.mark.parametrize("path", sorted((ROOT / "service").glob("*.py")), ids=lambda p: p.name)
def test_core_modules_do_not_read_the_environment(path):
    if path.name in WEB_MODULES | {"cli.py", "__main__.py"}:
        return
    source = path.read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source, f"{path.name} reads the environment"
