"""Other processes for work that keeps a core busy (the schema check of a large load, the
site's worker pages): how many pay, and a pool of them that is spawned, so that no child
inherits DuckDB's threads or locks."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from pipelines.errors import CeledgerError


def cores() -> int:
    """Processes worth starting: one per core, none on one core or in a daemonic process
    (which may not have children: a task runner may run us in one)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if count < 2 or multiprocessing.current_process().daemon else count


def spawned_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def result(job: Future, work: str) -> object:
    """A job's result; its failure as one line naming the work and what went wrong."""
    try:
        return job.result()
    except Exception as err:
        raise CeledgerError(f"{work} failed: {type(err).__name__}: {err}") from err
