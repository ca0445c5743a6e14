"""Progress of long work on stderr, for someone watching a terminal.

`for_stderr()` gives a `TerminalProgress` (rich) only when stderr is a terminal and the
command was not given `--quiet`; anywhere else (a pipe, a file, cron, Airflow, the tests)
it gives `Progress`, which prints nothing, so stderr keeps holding only the errors and
warnings, one line each. Progress is a spinner with the current step and, as each stage
of a run ends, one line with its name and how long it took.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints nothing: what a command uses when nobody is watching."""

    def stage(self, name: str) -> None:
        """A new stage begins (and the one before it ends)."""

    def page(self, source: str, pages: int, statements: int) -> None:
        """A pull read another page from `source`: `pages` so far, `statements` in them."""

    def close(self, failed: bool = False) -> None:
        """The work is done (or `failed`: the error line says why): the spinner goes."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(failed=kind is not None)


class TerminalProgress(Progress):
    def __init__(self, stream: TextIO | None = None):
        from rich.console import Console  # only where it shows

        self.console = Console(file=stream or sys.stderr, highlight=False)
        self.status = self.console.status("", spinner="dots")
        self.current: str | None = None
        self.started = 0.0
        self.running = False

    def show(self, text: str) -> None:
        self.status.update(text)
        if not self.running:
            self.status.start()
            self.running = True

    def finish_stage(self, failed: bool = False) -> None:
        if self.current is not None and not failed:
            seconds = time.perf_counter() - self.started
            self.console.print(f"[green]✓[/green] {self.current} [dim]{seconds:.1f} s[/dim]")
        self.current = None

    def stage(self, name: str) -> None:
        if name == self.current:  # the stage tried again (a file DuckDB refused, read another way)
            return
        self.finish_stage()
        self.current, self.started = name, time.perf_counter()
        self.show(f"{name}…")

    def page(self, source: str, pages: int, statements: int) -> None:
        self.show(f"{source}: page {pages}, {statements:,} statement(s)")

    def close(self, failed: bool = False) -> None:
        if self.running:
            self.status.stop()
            self.running = False
        self.finish_stage(failed)


def for_stderr(quiet: bool = False) -> Progress:
    """Progress on stderr if it is a terminal and the command was not asked to be quiet."""
    try:
        terminal = sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stderr
        terminal = False
    return TerminalProgress() if terminal and not quiet else Progress()
