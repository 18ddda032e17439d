"""The `pledgegraph` command: a thin layer that turns core errors into messages and exit codes.

Exit codes: 0 success, 1 SHACL violations, 2 any other error (a file that cannot be read or that
names something unknown, a bad argument, no store, another writer at work, a full disk, a store
that fails), always as one readable line, never a traceback. Every command's ``--help`` says
what it does, what it reads and what it changes (tests/test_docs.py keeps it so).
"""

import json
import logging
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from .config import SETTINGS, settings_from
from .dataset.prepare import prepare_release
from .dataset.stats import class_counts, graph_counts
from .errors import PledgegraphError, ValidationFailed
from .namedqueries.api import find, run_named_query
from .namedqueries.catalog import load_queries
from .namedqueries.resolve import resolve_parameters
from .namespaces import bind_prefixes
from .pipeline import build as builder
from .pipeline.incremental import import_files
from .releases.admin import ACTIONS, release_command
from .releases.history import History
from .stores.interface import open_store

SETTINGS_HELP = "\n".join(f"  PLEDGEGRAPH_{s.name}: {s.help} (default {s.default!r})" for s in SETTINGS)


class Context:
    """Settings for one invocation: environment, then command-line options."""

    def __init__(self, overrides):
        self.config = settings_from(os.environ, {k: v for k, v in overrides.items() if v is not None})

    def store(self):
        return open_store(self.config, prepare=prepare_release)

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
        sys.exit(failed.report.exit_code)
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
    """Check data/ (and PATHS, in its context) as a build would; publish nothing.

    \b
    Stage 1 reads every file and matches every name (pledgers, countries, themes,
    pledger categories) and lists each file it cannot read, with the unknown names
    and the nearest known ones ("did you mean"). Stage 2 checks everything that
    was read against the SHACL shapes: each result names its file, the offending
    value, what is allowed and the nearest allowed values.
    Exit 0: conforms; 1: SHACL violations; 2: stage 1 found a problem.
    """
    report = builder.validate_paths(obj.data_dir, [Path(p) for p in paths])
    click.echo(report.to_json() if fmt == "json" else report.to_text(warnings=warnings))
    sys.exit(report.exit_code)


@cli.command()
@click.pass_obj
def build(obj):
    """Publish data/ as a new release of the store, replacing the current one.

    Imports every file of data/, checks it all (as `validate` does) and publishes it
    in one step; nothing is published if anything fails. The new release holds data/
    alone: files added with `import` since the last build are dropped (the command
    names them); put a file in data/ to keep it across builds.
    """
    store, progress = obj.store(), progress_bar(file_count(obj.data_dir), "build")
    release, report, triples = builder.build(obj.data_dir, store, progress=progress)
    echo_notices(report, store)
    published = History(store).facts(release)["triples"]  # the sources' triples, provenance, the report
    click.echo(f"published release {release}: {triples:,} triples from the sources, {published:,} with "
               f"provenance and the validation report ({report.summary()})")  # fmt: skip


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="check and print the RDF of PATHS; publish nothing")
@click.pass_obj
def import_(obj, paths, dry_run):
    """Add pledge pages, tables or RDF files to the published store: checked, all or nothing.

    \b
    PATHS are pledge pages (.txt or .html), tables named like those of data/
    (pledges.tsv, ...; .tsv or .csv) or RDF files (.ttl .nt .nq .trig .jsonld .rdf).
    A pledge page is the page of the pledge database as its text or its HTML, in
    any of its layouts, read from the page itself:
      2015       the text, "Action plan", then "Pledge data" and its fields
                 (Pledge by, Number:, Country:, Themes:, Institution:, Pledge type:)
      2011       "PLEDGE Pnnnn", "Chapter :", "Section :", "Proposed Evaluation
                 Criteria :", "Pledge text :", footer "Pledge Pnnnn", "NS - <country>"
      2019/2024  title, "A) Objectives of the pledge", "B) Action plan", "C) ...",
                 "D) ..." (en, fr, es, ar), optional "Pledgers" / "Subscribers"
      reports    title, "Pledge: <number or address>" or "Resolution: 32/5",
                 "Submitted by: <member>", then "Actions taken"
    A pages.tsv beside the pages (tab-separated, with a header) gives what a page
    cannot say about itself: file, source_url, title, date (YYYY-MM-DD), language,
    note, conference, key. A page without a row gets no title, address or date (a
    warning says so). data/README.md, "Pledge pages", explains every field.
    Imported graphs last until the next `build`, which publishes data/ alone.
    """
    paths = [Path(p) for p in paths]
    store = obj.store()
    release, report, graphs = import_files(paths, store, obj.data_dir, dry_run=dry_run)
    echo_notices(report, store)
    if dry_run:
        for name, graph in graphs.items():
            click.echo(f"# graph {name}")
            click.echo(bind_prefixes(graph).serialize(format="turtle"))
        click.echo(f"dry run: {report.summary()}; nothing published", err=True)
    else:
        click.echo(f"published release {release} with {len(graphs)} new graph(s) ({report.summary()})")


def echo_notices(report, store=None):
    for notice in report.notices:
        click.echo(f"note: {notice}", err=True)
    steps = getattr(store, "prepared", None)  # how long the new release's page index and dumps took
    if steps:
        click.echo("prepared before publication: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()), err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="text (default) or json")
@click.pass_obj
def stats(obj, fmt):
    """Count resources per class and triples per named graph in the published store.

    Reads the current release only; changes nothing.
    """
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


class QueryCommand(click.Command):
    """The query command, whose help lists the named queries of the settings' QUERIES_DIR."""

    def format_epilog(self, ctx, formatter):
        super().format_epilog(ctx, formatter)
        config = ctx.find_object(Context).config if ctx.find_object(Context) else settings_from(os.environ)
        try:
            queries = load_queries(config["QUERIES_DIR"] or None)
        except PledgegraphError as error:
            formatter.write_paragraph()
            formatter.write_text(f"(the named queries cannot be listed: {error.message})")
            return
        rows = [(name, f"{q.title}" + "".join(f"; -p {p.name}=<{p.type}>" for p in q.params))
                for name, q in sorted(queries.items())]
        with formatter.section("Named queries (NAME)"):
            formatter.write_dl(rows)


@cli.command(cls=QueryCommand)
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="a query parameter (repeatable)")
@click.option("--format", "fmt", default=None,
    help="csv (default), json, tsv, srj, srx; for CONSTRUCT/DESCRIBE: ttl (default), jsonld, nt, rdf, nq, trig")
@click.option("--release", "release", default=None, help="a kept release (id, tag or current) to ask; default current")
@click.pass_obj
def query(obj, name, params, fmt, release):
    """Run the named query NAME (queries/NAME.rq) with typed parameters; print its answer.

    \b
    An iri parameter takes an IRI, a prefixed name (rcrc:pledgedBy), a path
    (theme/migration), or a slug or label that names one resource (-p theme=migration,
    -p organisation=ICRC); what it was resolved to is said on stderr, and a value that
    names several resources or none is refused with the candidates.
    """
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key or key in values:
            raise click.BadParameter(f"{item!r}: give each parameter once, as NAME=VALUE", param_hint="--param")
        values[key] = value
    store, queries = obj.store(), load_queries(obj.config["QUERIES_DIR"] or None)
    if release:
        store = store.at(History(store).resolve(release))
    values, notes = resolve_parameters(find(queries, name), values, store)
    for note in notes:
        click.echo(note, err=True)
    body, _ = run_named_query(store, name, values, fmt, queries=queries, max_rows=int(obj.config["MAX_RESULT_ROWS"]))
    click.echo(body.decode("utf-8"), nl=False)


@cli.command("release")
@click.argument("action", type=click.Choice(ACTIONS))
@click.argument("args", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="list as text or json")
@click.pass_obj
def release(obj, action, args, fmt):
    """Kept releases. ACTION with its ARGS: `list`; `tag NAME RELEASE` (RELEASE: an id, a tag or
    current) keeps one for good; `untag NAME`; `prune` applies KEEP_RELEASES / KEEP_DAYS now.
    Every release is kept unless those settings say otherwise; a tagged or cited one never goes.
    """
    for line in release_command(History(obj.store()), action, args, fmt):
        click.echo(line)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=int, help="port to listen on")
@click.option("--threads", default=16, show_default=True, type=int, help="threads serving complete requests")
@click.pass_obj
def serve(obj, host, port, threads):
    """Run the service (waitress), building the store first if nothing is published.

    Serves the current release of the store (embedded, or the remote one of --store-url)
    on http://HOST:PORT/ until stopped; nothing is rebuilt once a release exists. Warns when
    the published release is damaged (the service then answers 503 until it is rebuilt).
    """
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
