"""The new statements of a load checked against the xAPI schema, for staging to weigh.

Every record this run loads (never the history) is checked with
`pipelines/statement_schema.py`, and each violation lands in the temporary table
`stg_schema_violations` (file, record, reason, the field the rules read or ""), which
`warehouse/staging/stg_batch_records.sql` merges with its own reasons.

Speed: parsing JSON costs as much as the validation itself, so the raw text is parsed
once, by msgspec (a parser in C, three times the standard library's speed), only
`is_valid` runs on a valid statement, and the violations are collected for the invalid
few. msgspec refuses everything the standard library's strict decoder refuses and reads
everything else to the same values (big integers too), but it also refuses a few texts
the decoder reads (a lone surrogate escape, a number too large for a float): those are
read again by the decoder, so the verdicts are the decoder's own.

A large batch is checked in spawned processes, one per core (no child inherits DuckDB's
threads or locks): this process streams the raw text out of DuckDB as Arrow, a slice at
a time, and hands the slices over, so at most a few slices are in memory at once. A
small batch is checked here, where starting processes would cost more than it saves.
"""

from __future__ import annotations

import json
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

import duckdb
import msgspec
import pyarrow

from pipelines import processes
from pipelines.statement_schema import score_order, validator, violations

SLICE = 10_000  # records a process checks at a time
PARALLEL_BYTES = 32 << 20  # new files at least this large are checked in other processes
CHECKING = "checking statements against the xAPI schema"
AHEAD = 2  # slices handed to each process before this one waits for the oldest

BATCH_RECORDS = """
    with file_starts as (
        select file_id, min(rowid) as first_rowid
        from raw_statements
        where batch_id = getvariable('batch_id')
        group by file_id
    )
    select r.file_id, r.rowid - s.first_rowid + 1 as record_no, r.raw
    from raw_statements as r
    inner join file_starts as s on s.file_id = r.file_id
    where r.batch_id = getvariable('batch_id') and r.is_json
"""
COLUMNS = {
    "file_id": pyarrow.int32(),
    "record_no": pyarrow.int64(),
    "reason": pyarrow.string(),
    "field": pyarrow.string(),
}


def refuse(name: str) -> None:
    raise ValueError(f"not strict JSON ({name})")


STRICT = json.JSONDecoder(parse_constant=refuse)  # NaN and Infinity are no JSON
FAST = msgspec.json.Decoder()


def parse(text: str | None) -> object:
    """The strict decoder's value of the text, or its error; msgspec reads it when it can."""
    try:
        return FAST.decode(text)
    except (msgspec.DecodeError, TypeError, ValueError):  # it refuses a few texts the decoder reads
        return STRICT.decode(text)


def check_texts(texts: list[str | None]) -> list[tuple[int, list[tuple[str, str]]]]:
    """(index, [(reason, field)]) for each text that breaks the schema. A text that is not
    strict JSON is left to staging, which names what is wrong with it."""
    is_valid = validator().is_valid
    found = []
    for index, text in enumerate(texts):
        try:
            statement = parse(text)
        except (TypeError, ValueError, RecursionError):
            continue
        if is_valid(statement) and ('"score"' not in text or not score_order(statement)):
            continue
        if defects := violations(statement):
            reasons = {v.reason(): v.field for v in defects}  # one reason once, in order
            found.append((index, list(reasons.items())))
    return found


def check_slice(texts: pyarrow.Array) -> list[tuple[int, list[tuple[str, str]]]]:
    """check_texts on a slice handed to another process."""
    return check_texts(texts.to_pylist())


def warm() -> None:
    """Compile the schema in a new process while this one loads the files."""
    validator()


class Checker:
    """Checks a batch's records; `start` before the load, so processes start meanwhile."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 1
        self.checked = 0
        self.seconds = 0.0

    def start(self, new_bytes: int) -> None:
        workers = processes.cores()
        if workers > 1 and new_bytes >= PARALLEL_BYTES:
            self.workers = workers
            self.pool = processes.spawned_pool(self.workers)
            for _ in range(self.workers):
                self.pool.submit(warm)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def check_batch(self, con: duckdb.DuckDBPyConnection) -> None:
        """This batch's violations into stg_schema_violations."""
        started = time.perf_counter()
        rows = {name: [] for name in COLUMNS}
        reader = con.sql(BATCH_RECORDS).to_arrow_reader(SLICE)

        def keep(piece: pyarrow.RecordBatch, found) -> None:
            file_ids, records = piece.column(0), piece.column(1)
            for index, defects in found:
                for reason, field in defects:
                    rows["file_id"].append(file_ids[index].as_py())
                    rows["record_no"].append(records[index].as_py())
                    rows["reason"].append(reason)
                    rows["field"].append(field)

        if self.pool is None:
            for piece in reader:
                self.checked += piece.num_rows
                keep(piece, check_texts(piece.column(2).to_pylist()))
        else:
            pending: deque[tuple[pyarrow.RecordBatch, Future]] = deque()
            limit = AHEAD * self.workers
            for piece in reader:
                self.checked += piece.num_rows
                pending.append((piece, self.pool.submit(check_slice, piece.column(2))))
                while len(pending) > limit or (pending and pending[0][1].done()):
                    keep(pending[0][0], processes.result(pending.popleft()[1], CHECKING))
            while pending:
                keep(pending[0][0], processes.result(pending.popleft()[1], CHECKING))
        table = pyarrow.table({name: pyarrow.array(rows[name], kind) for name, kind in COLUMNS.items()})
        con.register("schema_violations_found", table)
        try:
            con.execute(
                "create or replace temp table stg_schema_violations as "
                "select file_id, record_no, reason, field, row_number() over () as n from schema_violations_found"
            )
        finally:
            con.unregister("schema_violations_found")
        self.seconds += time.perf_counter() - started
