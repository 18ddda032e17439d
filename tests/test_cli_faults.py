"""Faults that are not the data's: exit 2 and one readable line (never a traceback, never exit 1,
which means violations); oversized, sparse and symlinked import files; a full disk."""

import contextlib
import os
import shutil
import subprocess
import sys

import pytest

from service.stores.embedded import EmbeddedStore

from .test_cli import cli, project, seed_copy  # noqa: F401 -- the CLI tests' fixture and helpers

pytestmark = pytest.mark.slow

SECRET = "TOP-SECRET-LINE-4711"
GB = 1024**3


def assert_one_line_error(done, *fragments):
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def current(store_dir):
    return EmbeddedStore(store_dir).current_release()


@pytest.mark.parametrize(
    ("suffix", "size"),
    [(".txt", 3 * GB), (".html", 3 * GB), (".tsv", 3 * GB), (".ttl", 3 * GB), (".nt", 70 * 1024**2)],
)
def test_oversized_and_sparse_import_files_are_refused_as_read(project, tmp_path, suffix, size):  # noqa: F811
    path = tmp_path / ("pledges.tsv" if suffix == ".tsv" else f"big{suffix}")  # a table has a known name
    with open(path, "wb") as handle:
        handle.truncate(size)  # sparse: claims gigabytes, holds nothing; reading it whole would take them
    before = current(project[1])
    done = subprocess.run(
        ["prlimit", "--as=1500000000", "--", *cli_command(project, "import", path)],  # 1.5 GB of address space
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr  # the stage-1 report of files not read
    assert "over the limit" in done.stderr
    assert current(project[1]) == before


def cli_command(project, *args):  # noqa: F811
    data, store = project
    return [sys.executable, "-m", "service", "--data-dir", str(data), "--store-dir", str(store), *map(str, args)]


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_symlinked_import_path_is_refused_without_quoting_its_target(project, tmp_path, kind):  # noqa: F811
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    secret = secret_dir / "notes.txt"
    secret.write_text(f"{SECRET}\nPledge data\nnot a field at all\n", encoding="utf-8")
    if kind == "file":
        link = tmp_path / "SP329990.txt"
        link.symlink_to(secret)
    else:
        (tmp_path / "uploads").symlink_to(secret_dir)
        link = tmp_path / "uploads" / "notes.txt"
    done = cli(project, "import", link)
    assert_one_line_error(done, "symbolic link")
    assert SECRET not in done.stderr + done.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs to fill needs root (CI runs as root)")
@pytest.mark.parametrize("command", ["build", "import"])
def test_a_full_disk_is_exit_2_with_one_line(project, tmp_path, command):  # noqa: F811
    mount = tmp_path / "small"
    mount.mkdir()
    published = sum(f.stat().st_size for f in project[1].rglob("*") if f.is_file())
    size = f"size={int(published * 1.3 / 1024) + 256}k"  # the published release fits, a second one does not
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", size, "tmpfs", str(mount)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        store = mount / "store"
        shutil.copytree(project[1], store, symlinks=True)
        before = current(store)
        if command == "import":  # an import's release shares the current one's files: fill the disk
            fill(mount / "filler")
        args = ["import", seed_copy(tmp_path, "SP329991")] if command == "import" else ["build"]
        done = cli((project[0], store), *args)
        assert_one_line_error(done)
        assert "space" in done.stderr.lower()
        assert current(store) == before
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(path, chunk=1 << 16):
    """Write zeros to ``path`` until the file system is full (unbuffered: nothing left to flush)."""
    with open(path, "wb", buffering=0) as handle:
        with contextlib.suppress(OSError):  # ENOSPC: full
            while True:
                handle.write(bytes(chunk))


def test_a_store_error_is_exit_2_with_one_line(project, tmp_path):  # noqa: F811
    data, store = project
    release = store / "releases" / current(store)
    for path in release.iterdir():
        if path.name.startswith("CURRENT"):
            path.write_text("garbage\n")  # RocksDB cannot open the release any more
    done = cli(project, "import", seed_copy(tmp_path, "SP329992"))
    assert_one_line_error(done)


@pytest.mark.parametrize("command", [("validate",), ("import", "--dry-run"), ("import",)])
@pytest.mark.parametrize("url", ["https://example.org/a b", 'https://example.org/x"><script>', "https://example.org/a{b}"])
def test_a_bad_source_url_in_pages_tsv_is_a_stage_1_error(project, tmp_path, command, url):  # noqa: F811
    page = seed_copy(tmp_path, "SP329901")
    (tmp_path / "pages.tsv").write_text(f"file\tsource_url\nSP329901.txt\t{url}\n", encoding="utf-8")
    before = current(project[1])
    done = cli(project, *command, page)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "source_url must be a full http(s) address" in done.stdout + done.stderr
    assert current(project[1]) == before


def _linked_data_page(project, tmp_path):  # noqa: F811
    secret = tmp_path / "private.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    (project[0] / "pages" / "SP329990.txt").symlink_to(secret)
    return ("validate",)


def _linked_pages_tsv(project, tmp_path):  # noqa: F811
    secret = tmp_path / "private.tsv"
    secret.write_text(f"{SECRET}\tx\n", encoding="utf-8")
    folder = tmp_path / "upload"
    folder.mkdir()
    seed_copy(folder, "SP329991")
    (folder / "pages.tsv").symlink_to(secret)
    return ("import", "--dry-run", folder / "SP329991.txt")


def _linked_extra_path(project, tmp_path):  # noqa: F811
    secret = tmp_path / "private.ttl"
    secret.write_text(f"# {SECRET}\n", encoding="utf-8")
    (tmp_path / "extra.ttl").symlink_to(secret)
    return ("validate", tmp_path / "extra.ttl")


@pytest.mark.parametrize("make", [_linked_data_page, _linked_pages_tsv, _linked_extra_path])
def test_no_file_behind_a_symbolic_link_is_read_or_quoted(project, tmp_path, make):  # noqa: F811
    """validate, build and import read no file behind a link: data/ files, a page's pages.tsv, extra paths."""
    done = cli(project, *make(project, tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert "symbolic link" in done.stdout + done.stderr
    assert SECRET not in done.stdout + done.stderr
