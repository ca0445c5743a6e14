"""Land statement files in raw_statements: one row per record, raw text kept as it came.

Parsing and flattening stay in DuckDB (no per-statement Python). A file is read the
fast way for its form; when DuckDB refuses it, the caller rolls back, asks
`fallback_mode` how to read that file, and runs again: NDJSON with a few broken lines
is read line by line so the broken lines are quarantined, and a file that is not
JSON at all stops the run with a one-line error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.errors import CeledgerError
from pipelines.statement_files import StatementFile

READERS = {
    "array": "select json::varchar as raw, true as is_json from read_json_objects(?, format = 'array')",
    "ndjson": "select json::varchar as raw, true as is_json from read_json_objects(?, format = 'newline_delimited')",
    "unstructured": "select json::varchar as raw, true as is_json from read_json_objects(?, format = 'unstructured')",
    "lines": """
        select line as raw, json_valid(line) as is_json
        from (
            select rtrim(unnest(string_split(content, chr(10))), chr(13)) as line
            from read_text(?)
        )
        where trim(line) <> ''""",
}


@dataclass
class LoadError(Exception):
    """DuckDB refused a file; the transaction is lost and must be rolled back."""

    file: StatementFile
    message: str


def new_files(con: duckdb.DuckDBPyConnection, files: list[StatementFile]) -> list[StatementFile]:
    """Files not loaded before with the same size and modification time."""
    seen = set(con.execute("select path, size_bytes, mtime_ns from loaded_files").fetchall())
    return [f for f in files if (str(f.path), f.size_bytes, f.mtime_ns) not in seen]


def load_files(
    con: duckdb.DuckDBPyConnection, files: list[StatementFile], batch_id: int, modes: dict[str, str], as_of: date
) -> int:
    records = 0
    for file in files:
        file_id = con.execute("select coalesce(max(file_id), 0) + 1 from loaded_files").fetchone()[0]
        mode = modes.get(str(file.path), "ndjson" if file.form == "objects" else file.form)
        count = 0
        if mode != "empty":
            try:
                con.execute(
                    f"insert into raw_statements select ?, ?, is_json, raw from ({READERS[mode]})",
                    [batch_id, file_id, str(file.path)],
                )
            except duckdb.Error as err:
                raise LoadError(file, str(err).split("\n")[0]) from None
            count = con.execute("select count(*) from raw_statements where file_id = ?", [file_id]).fetchone()[0]
        con.execute(
            "insert into loaded_files values (?, ?, ?, ?, ?, ?, ?, ?)",
            [file_id, str(file.path), file.source, file.size_bytes, file.mtime_ns, count, batch_id, as_of],
        )
        records += count
    return records


def fallback_mode(error: LoadError) -> str:
    """How to read a file DuckDB refused, decided on a scratch connection."""
    path = str(error.file.path)
    scratch = duckdb.connect()
    if error.file.form == "objects":
        try:
            scratch.execute(f"select count(*) from ({READERS['unstructured']})", [path])
            return "unstructured"
        except duckdb.Error:
            pass
        # Read line by line only when the file is NDJSON at heart: its first line alone
        # is a JSON object. Otherwise the lines of a broken pretty-printed object would
        # be quarantined as if they were statements.
        first = scratch.execute(f"select is_json from ({READERS['lines']}) limit 1", [path]).fetchone()
        if first and first[0]:
            return "lines"
    raise CeledgerError(f"{path}: not valid JSON ({error.message.removeprefix('Invalid Input Error: ')})")
