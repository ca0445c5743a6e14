"""Writing the report site's files without making the run wait on them.

A large program's site is 50,000 worker pages. Four things keep it cheap: DuckDB draws
the book's rows on a thread while Python lays out the pages (`BackgroundRows`), files
are written on another thread while the next page is drawn (`PageWriter`), a forked
copy of the process draws a share of the pages on the other core
(`ForkedDrawer`), and a page whose inputs are the same as when the last site was
written is hard-linked from that site instead of drawn again (fingerprints kept in
`<site>/.pages.json`), so a run that touched a few thousand workers rewrites only
their pages.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from pipelines.errors import CeledgerError

FINGERPRINTS = ".pages.json"
_DONE = object()


class BackgroundRows:
    """Rows of a query run once per parameter set, in order, fetched on a thread (on a
    cursor of its own) into a bounded queue."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, sql: str, params: list[dict], batch: int = 2_000, depth: int = 4
    ):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._cursor = con.cursor()
        self._cursor.execute("set enable_progress_bar = false")  # no bar drawn from a thread
        self._thread = threading.Thread(target=self._fetch, args=(sql, params, batch), daemon=True)
        self._thread.start()

    def _fetch(self, sql: str, params: list[dict], batch: int) -> None:
        try:
            for values in params:
                if self._stop.is_set():
                    return
                result = self._cursor.execute(sql, values)
                while not self._stop.is_set() and (rows := result.fetchmany(batch)):
                    self._put(rows)
            self._put(_DONE)
        except BaseException as err:  # handed to the reader, which raises it
            self._put(err)

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[tuple]:
        while (item := self._queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield from item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._cursor.close()


class PageWriter:
    """Writes pages into the new site folder on a thread; links unchanged ones from the old site."""

    def __init__(self, folder: Path, previous: Path, depth: int = 64):
        self.folder = folder
        self.previous = previous
        self.known = read_fingerprints(previous)
        self.fingerprints: dict[str, str] = {}
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, daemon=True)
        self._thread.start()

    def unchanged(self, path: str, fingerprint: str) -> bool:
        """Link the page from the last site if it was drawn from the same inputs."""
        self.fingerprints[path] = fingerprint
        if self.known.get(path) != fingerprint:
            return False
        try:
            os.link(self.previous / path, self.folder / path)
        except FileNotFoundError:
            return False
        except OSError:  # a file system without hard links
            shutil.copyfile(self.previous / path, self.folder / path)
        return True

    def write(self, path: str, content: str) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((path, content))

    def _write(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is None:
                path, content = item
                try:
                    (self.folder / path).write_bytes(content.encode("utf-8"))
                except BaseException as err:  # raised by the next write or by close
                    self._error = err

    def close(self) -> None:
        """Wait for the last file, then record what each page was drawn from."""
        self.abandon()
        if self._error is not None:
            raise self._error
        text = json.dumps(self.fingerprints, sort_keys=True, indent=0)
        (self.folder / FINGERPRINTS).write_text(text + "\n", encoding="utf-8")

    def abandon(self) -> None:
        """Stop the thread once it has done what it was given (a failed site is thrown away)."""
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()


class ForkedDrawer:
    """Draws pages in a forked copy of this process, which holds the laid-out report
    already (copy-on-write), so the two cores draw at once. Pages go over in batches; at
    most `ahead` batches are outstanding, and `offer` declines a page while the other
    process is that far behind, so the caller draws it itself and neither side idles.
    """

    def __init__(self, draw: Callable[..., str], folder: Path, batch: int = 32, ahead: int = 2):
        context = multiprocessing.get_context("fork")
        # a queue: its feeder thread writes to the pipe, so this process never blocks on a
        # batch the other is still too busy to read
        self._jobs = context.Queue()
        self._acks, acks_in = context.Pipe(duplex=False)
        self._process = context.Process(target=_draw_pages, args=(draw, folder, self._jobs, acks_in), daemon=True)
        # The copy only draws pages: it never touches DuckDB, nor the other threads' queues.
        # Frozen, the objects it inherits are never collected by it, so no DuckDB object is
        # finalised there (its locks may be held by a thread the copy does not have), and
        # pages shared with this process stay shared.
        gc.collect()
        gc.freeze()
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        acks_in.close()  # the child's end: a child that dies then shows as the end of the acks
        self.batch, self.ahead = batch, ahead
        self._pending: list[tuple[str, tuple]] = []
        self._outstanding = 0
        self._declined = 0

    @staticmethod
    def available() -> bool:
        """Fork is there, a second core too, and this is no daemonic process (which may not
        have children: a task runner may run us in one)."""
        return (
            "fork" in multiprocessing.get_all_start_methods()
            and (os.cpu_count() or 1) > 1
            and not multiprocessing.current_process().daemon
        )

    def offer(self, path: str, *args: object) -> bool:
        """Take the page (drawn as draw(*args) into path) unless the other process is behind."""
        if self._outstanding >= self.ahead:
            self._declined += 1
            if self._declined % 4:  # a poll costs about as much as a page: look every few pages
                return False
            self._collect(wait=False)
            if self._outstanding >= self.ahead:
                return False
        self._pending.append((path, args))
        if len(self._pending) >= self.batch:
            self._send()
        return True

    def close(self) -> None:
        """Wait until every page taken is written."""
        self._send()
        self._jobs.put(None)
        while self._outstanding:
            self._collect(wait=True)
        self._process.join()
        self._jobs.close()
        self._jobs.join_thread()
        if self._process.exitcode != 0:
            raise CeledgerError(f"drawing the site's pages failed: the drawing process exited {self._process.exitcode}")

    def abandon(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._jobs.cancel_join_thread()  # nothing is left to read what it still holds
        self._jobs.close()

    def _send(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self._jobs.put(batch)
            self._outstanding += 1

    def _collect(self, wait: bool) -> None:
        while self._outstanding and (wait or self._acks.poll()):
            message = self._receive()
            if isinstance(message, str):
                raise CeledgerError(f"drawing the site's pages failed: {message}")
            self._outstanding -= 1
            wait = False

    def _receive(self) -> object:
        try:
            return self._acks.recv()
        except EOFError:  # the other process is gone without a word
            raise CeledgerError(f"drawing the site's pages failed: exit code {self._process.exitcode}") from None


def _draw_pages(draw: Callable[..., str], folder: Path, jobs, acks) -> None:
    """The forked process: draw and write each batch, acknowledge it with its size."""
    try:
        while (batch := jobs.get()) is not None:
            for path, args in batch:
                (folder / path).write_bytes(draw(*args).encode("utf-8"))
            acks.send(len(batch))
    except BaseException as err:  # the parent raises it
        acks.send(f"{type(err).__name__}: {err}")


def read_fingerprints(site: Path) -> dict[str, str]:
    try:
        found = json.loads((site / FINGERPRINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
