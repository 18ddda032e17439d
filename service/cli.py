"""The `pledgegraph` command: a thin layer that turns core errors into messages and exit codes.

Exit codes: 0 success, 1 validation found violations, 2 any other error (bad input, no store, a
full disk, a store that fails), always as one readable line, never a traceback.
"""

import json
import logging
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from .config import SETTINGS, settings_from
from .dataset.stats import class_counts, graph_counts
from .errors import PledgegraphError, ValidationFailed
from .namedqueries.api import run_named_query
from .namespaces import bind_prefixes
from .pipeline import build as builder
from .stores.interface import open_store

SETTINGS_HELP = "\n".join(f"  PLEDGEGRAPH_{s.name}: {s.help} (default {s.default!r})" for s in SETTINGS)


class Context:
    """Settings for one invocation: environment, then command-line options."""

    def __init__(self, overrides):
        self.config = settings_from(os.environ, {k: v for k, v in overrides.items() if v is not None})

    def store(self):
        return open_store(self.config)

    @property
    def data_dir(self):
        return Path(self.config["DATA_DIR"])


@click.group(epilog="Settings come from the environment:\n\n\b\n" + SETTINGS_HELP)
@click.option("--data-dir", type=click.Path(file_okay=False), help="source data folder (default data/)")
@click.option("--store-dir", type=click.Path(file_okay=False), help="embedded store folder (default var/store)")
@click.option("--store-url", help="SPARQL query endpoint of a remote store to use instead of the embedded one")
@click.option("--update-url", help="SPARQL Update endpoint of the remote store (credentials: environment only)")
@click.pass_context
def cli(ctx, data_dir, store_dir, store_url, update_url):
    """pledgegraph: the International Conference's pledges as linked data."""
    ctx.obj = Context({"DATA_DIR": data_dir, "STORE_DIR": store_dir, "STORE_URL": store_url, "UPDATE_URL": update_url})


def main():
    """Entry point: run the CLI, turning our errors into a message and exit code 2."""
    logging.basicConfig(level=logging.CRITICAL)  # errors reach the user as one line, below; `serve` logs more
    try:
        cli(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except ValidationFailed as failed:
        click.echo(failed.report.to_text(), err=True)
        sys.exit(1)
    except PledgegraphError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(2)
    except OSError as error:  # a full disk, a permission, a file gone: the machine, not the data
        click.echo(f"error: {error.strerror or error}{_on(error.filename)}", err=True)
        sys.exit(2)
    except Exception as error:  # noqa: BLE001 -- the store or engine failed: one line, not a traceback
        first_line = (str(error).strip().splitlines() or [""])[0]
        click.echo(f"error: the store failed ({type(error).__name__}: {first_line})", err=True)
        sys.exit(2)


def _on(filename):
    return f" ({filename})" if filename else ""


def progress_bar(total, label):
    """A tqdm bar on stderr; returns the per-file callback the core calls."""
    bar = tqdm(total=total, desc=label, unit="file", file=sys.stderr, leave=False, disable=None)
    return lambda path: (bar.set_postfix_str(Path(path).name, refresh=False), bar.update())


def file_count(data_dir):
    ontology, shapes = builder.vocabulary_files()
    return len(ontology) + len(shapes) + len(builder.data_files(data_dir))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="report format")
@click.option("--warnings/--no-warnings", default=True, help="list warnings as well as violations")
@click.pass_obj
def validate(obj, paths, fmt, warnings):
    """Validate data/ (and PATHS, in its context) against the shapes; publish nothing."""
    report = builder.validate_paths(obj.data_dir, [Path(p) for p in paths])
    click.echo(report.to_json() if fmt == "json" else report.to_text(warnings=warnings))
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.pass_obj
def build(obj):
    """Import data/, validate it all, and publish it as a new release of the store."""
    progress = progress_bar(file_count(obj.data_dir), "build")
    release, report, triples = builder.build(obj.data_dir, obj.store(), progress=progress)
    click.echo(f"published release {release}: {triples} triples ({report.summary()})")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="validate and print the RDF; publish nothing")
@click.pass_obj
def import_(obj, paths, dry_run):
    """Add pledge pages or RDF/table files to the published store: validated, all or nothing."""
    paths = [Path(p) for p in paths]
    release, report, graphs = builder.import_files(paths, obj.store(), obj.data_dir, dry_run=dry_run)
    if dry_run:
        for name, graph in graphs.items():
            click.echo(f"# graph {name}")
            click.echo(bind_prefixes(graph).serialize(format="turtle"))
        click.echo(f"dry run: {report.summary()}; nothing published", err=True)
    else:
        click.echo(f"published release {release} with {len(graphs)} new graph(s) ({report.summary()})")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def stats(obj, fmt):
    """Count resources per class and triples per named graph in the published store."""
    store = obj.store()
    classes, graphs = class_counts(store), graph_counts(store)
    if fmt == "json":
        figures = {"release": store.current_release(), "classes": dict(classes), "graphs": dict(graphs)}
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"release {store.current_release()}")
    click.echo("resources per class:")
    for iri, n in classes:
        click.echo(f"  {n:>7}  {iri}")
    click.echo("triples per graph:")
    for iri, n in graphs:
        click.echo(f"  {n:>7}  {iri}")


@cli.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="a query parameter (repeatable)")
@click.option(
    "--format", "fmt", default=None,
    help="csv (default), json, tsv, srj, srx; for CONSTRUCT/DESCRIBE: ttl (default), jsonld, nt, rdf, nq, trig",
)
@click.pass_obj
def query(obj, name, params, fmt):
    """Run the named query NAME (queries/NAME.rq) with typed parameters; print its answer."""
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key or key in values:
            raise click.BadParameter(f"{item!r}: give each parameter once, as NAME=VALUE", param_hint="--param")
        values[key] = value
    body, _ = run_named_query(obj.store(), name, values, fmt, max_rows=int(obj.config["MAX_RESULT_ROWS"]))
    click.echo(body.decode("utf-8"), nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int, help="threads serving complete requests")
@click.pass_obj
def serve(obj, host, port, threads):
    """Run the service (waitress), building the store first if nothing is published."""
    store = obj.store()
    if not store.exists():
        click.echo("no published store yet: building it from data/ first", err=True)
        build_release = builder.build(obj.data_dir, store, progress=progress_bar(file_count(obj.data_dir), "build"))
        click.echo(f"published release {build_release[0]}", err=True)
    problem = store.check() if hasattr(store, "check") else None
    if problem:
        click.echo(f"warning: {problem}. Serving anyway: store-backed answers are 503 until then.", err=True)
    store.close()  # the service and its query processes open the release themselves
    from .serving import run

    click.echo(f"pledgegraph serving on http://{host}:{port}/", err=True)
    run(obj.config, host=host, port=port, threads=threads)
