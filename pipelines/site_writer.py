"""Writing the report site's files: a scratch folder swapped in whole, and the processes
that draw a share of a large program's worker pages.

A large program's site is 50,000 worker pages, about 0.2 ms of Jinja each. On a machine
with more than one core they are drawn by a `ProcessPoolExecutor` (spawned, so no child
inherits DuckDB's threads or locks), each process opening the warehouse read-only on its
own and writing its pages straight into the scratch folder, while this process draws the
summary pages. A failure anywhere removes the scratch folder and leaves the old site.

A rerun redraws only the worker pages whose input changed: the site keeps a manifest
(`.manifest`, a digest per worker page of everything the page shows), and a page whose
digest is the same as last time is hard-linked from the old site into the new one (by
the drawing processes, while this process draws the summary pages).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.processes import result, spawned_pool

MANIFEST = ".manifest"  # in the site folder: "<digest> <page path>" per worker page


def write_page(folder: Path, path: str, content: str) -> None:
    (folder / path).write_bytes(content.encode("utf-8"))


def reuse_page(old_site: Path, folder: Path, path: str) -> bool:
    """Hard-link the old site's page into the new one; False if that cannot be done."""
    try:
        os.link(old_site / path, folder / path)
    except OSError:  # no such page, or a file system without hard links
        return False
    return True


def reuse_pages(old_site: Path, folder: Path, pages: dict[str, object]) -> list[object]:
    """Hard-link each page (path -> key) from the old site into the new one; the keys of
    those that could not be."""
    return [key for path, key in pages.items() if not reuse_page(old_site, folder, path)]


def read_manifest(site: Path) -> dict[str, str]:
    """The page digests the site at `site` was drawn from (none if it has no manifest)."""
    try:
        lines = (site / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {path: digest for digest, _, path in (line.partition(" ") for line in lines)}


def write_manifest(folder: Path, digests: dict[str, str]) -> None:
    text = "".join(f"{digests[path]} {path}\n" for path in sorted(digests))
    (folder / MANIFEST).write_text(text, encoding="utf-8")


@contextmanager
def scratch_folder(out: Path) -> Iterator[Path]:
    """A new folder inside `out` to build the site in; removed unless it was swapped in."""
    scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=out))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def swap_in(scratch: Path, target: Path) -> None:
    """Put the finished site in place of the old one (two renames), then remove the old."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        target.rename(old / "site")
    scratch.chmod(0o755)
    scratch.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_only_file(con: duckdb.DuckDBPyConnection) -> str | None:
    """The warehouse's file if `con` has it open read-only, so other processes may open it
    too; None for an in-memory database or a writable connection (which locks the file)."""
    path, read_only = con.execute(
        "select path, readonly from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return path if path and read_only else None


@contextmanager
def drawing_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `workers` spawned drawing processes; None for none."""
    if workers == 0:
        yield None
        return
    pool = spawned_pool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def wait_for(jobs: list[Future]) -> list:
    """Every job's result; the first failure is raised, naming what went wrong."""
    return [result(job, "drawing the site's pages") for job in jobs]


# one read-only connection per drawing process and warehouse, opened by its first job
CONNECTIONS: dict[str, duckdb.DuckDBPyConnection] = {}


def connection(database: str) -> duckdb.DuckDBPyConnection:
    if database not in CONNECTIONS:
        con = duckdb.connect(database, read_only=True)
        con.execute("set enable_progress_bar = false")
        CONNECTIONS[database] = con
    return CONNECTIONS[database]
