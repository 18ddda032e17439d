"""Docs and code agree: every setting and CLI command is in the README; core modules stay Flask-free."""

import ast
import re

import click
import pytest

from service.cli import cli
from service.config import SETTINGS
from service.importers.page_index import COLUMNS as PAGES_COLUMNS
from service.importers.pledge_pages import LAYOUTS
from service.importers.table_rows import COLUMNS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"pledgegraph {command}" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_explains_the_command_and_each_parameter(name):
    command = cli.commands[name]
    text = command.get_help(click.Context(command, info_name=name, parent=click.Context(cli, info_name="pledgegraph")))
    description = command.help or ""
    assert len(description.split()) >= 15, f"{name} --help says too little: {description!r}"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help"
        else:
            assert param.human_readable_name in description, f"{name} --help does not say what {param.name} is"
    assert "Usage:" in text


@pytest.mark.parametrize("name, words", [
    ("build", ["drop", "import"]),  # a build publishes data/ alone
    ("import", ["pages.tsv", "source_url", "Pledge data", "PLEDGE Pnnnn", "A) Objectives", "Actions taken"]),
    ("query", ["slug", "label"]),
    ("validate", ["Stage 1", "Stage 2", "did you mean"]),
])
def test_help_says_what_a_maintainer_needs(name, words):
    for word in words:
        assert word in cli.commands[name].help, (name, word)


def documented_columns(heading):
    """The column names of the first table under the '### <heading>' section of data/README.md."""
    section = re.search(rf"^### {re.escape(heading)}\b.*?(?=^##)", DATA_README, re.M | re.S)
    assert section, f"data/README.md has no section '### {heading}'"
    rows = [line.split("|")[1].strip() for line in section.group(0).splitlines() if line.startswith("| ")]
    return {name.strip() for row in rows[1:] for name in row.split(",")}


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_every_table_column_is_documented(table):
    assert documented_columns(f"{table}.tsv") == set(COLUMNS[table])


def test_every_pages_tsv_column_is_documented():
    assert documented_columns("pages.tsv") == set(PAGES_COLUMNS)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_page_layout_is_documented(layout):
    heading = "### Reports" if layout == "report" else f"### The {layout} layout"
    assert heading in DATA_README


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


SERVICE = ROOT / "service"
MODULES = sorted(SERVICE.rglob("*.py"))
ENTRY_POINTS = {"app.py", "cli.py", "__main__.py"}  # composition: the only readers of the environment


def _name(path):
    return str(path.relative_to(SERVICE))


def _in_web(path):
    return path.relative_to(SERVICE).parts[0] == "web"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_core_modules_do_not_import_flask_or_click(path):
    """Layering: only the web package and the app factory touch Flask; only the CLI touches click."""
    modules = set(imported_modules(path))
    if not _in_web(path) and _name(path) != "app.py":
        assert not {m for m in modules if m.split(".")[0] == "flask"}, f"{_name(path)} imports Flask"
    if _name(path) != "cli.py":
        assert "click" not in modules, f"{_name(path)} imports click"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_core_modules_do_not_read_the_environment(path):
    if _name(path) in ENTRY_POINTS:
        return
    source = path.read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source, f"{_name(path)} reads the environment"


def absolute_imports(path):
    """Every module ``path`` imports from this package, as an absolute name (service.web.conneg)."""
    package = ["service", *path.relative_to(SERVICE).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            yield ".".join(base + ([node.module] if node.module else []))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("service"):
            yield node.module


TOP_LAYER = ("service.web", "service.app", "service.cli", "service.serving")


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_nothing_below_the_web_layer_imports_it(path):
    """Imports point down: the core never imports the web layer or the entry points."""
    if _in_web(path) or _name(path) in ENTRY_POINTS | {"serving.py"}:
        return
    upward = [m for m in absolute_imports(path) if m.startswith(TOP_LAYER)]
    assert not upward, f"{_name(path)} imports {upward}"


@pytest.mark.parametrize("path", sorted(SERVICE.rglob("__init__.py")), ids=_name)
def test_package_init_files_are_a_docstring_only(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{_name(path)} says nothing about its package"
    assert len(tree.body) == 1, f"{_name(path)} holds code; put it in a module of the package"


def test_the_top_level_holds_at_most_a_dozen_modules():
    assert len(list(SERVICE.glob("*.py"))) <= 12


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_300_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 300, f"{_name(path)} has {lines} lines; split it along its jobs"


def _architecture_row(package):
    """The README's architecture-table row of ``package`` ("" for the top of service/)."""
    key = "| `service/` (top) |" if not package else f"| `service/{package}/` |"
    return next((line for line in README.splitlines() if line.startswith(key)), "")


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__init__.py"], ids=_name)
def test_the_architecture_map_names_every_module(path):
    package = "/".join(path.relative_to(SERVICE).parent.parts)
    assert f"`{path.stem}`" in _architecture_row(package), f"README's architecture table lacks {_name(path)}"
