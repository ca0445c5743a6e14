"""Land statement files in raw_statements: one row per record, raw text kept as it came.

Parsing and flattening stay in DuckDB (no per-statement Python). A file is read the
fast way for its form; when DuckDB refuses it, the caller rolls back, asks
`fallback_mode` how to read that file, and runs again: NDJSON with a few broken lines
is read line by line so the broken lines are quarantined, and a file that is not
JSON at all stops the run with a one-line error. NDJSON with lines that are not UTF-8
(which DuckDB cannot read as text at all) is decoded line by line in Python: those
lines are quarantined with their bad bytes shown as \\xNN, the others load as usual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow

from pipelines.errors import CeledgerError
from pipelines.landing import STATE
from pipelines.statement_files import StatementFile

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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
    # records whose bytes are not UTF-8, for staging to name the reason (warehouse/staging)
    con.execute("create or replace temp table undecodable_records (file_id integer, record_no bigint)")
    records = 0
    manifests: dict[Path, dict[str, str]] = {}
    for file in files:
        file_id = con.execute("select coalesce(max(file_id), 0) + 1 from loaded_files").fetchall()[0][0]
        mode = modes.get(str(file.path), "ndjson" if file.form == "objects" else file.form)
        count = 0
        if mode == "bytes":
            count = load_decoded_lines(con, file, batch_id, file_id)
        elif mode != "empty":
            try:
                con.execute(
                    f"insert into raw_statements select ?, ?, is_json, raw from ({READERS[mode]})",
                    [batch_id, file_id, str(file.path)],
                )
            except duckdb.Error as err:
                raise LoadError(file, str(err).split("\n")[0]) from None
            count = con.execute("select count(*) from raw_statements where file_id = ?", [file_id]).fetchone()[0]
        con.execute(
            "insert into loaded_files values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [file_id, str(file.path), file.source, file.size_bytes, file.mtime_ns, count, batch_id, as_of]
            + [received_at(file, manifests)],
        )
        records += count
    return records


def received_at(file: StatementFile, manifests: dict[Path, dict[str, str]]) -> datetime:
    """When celedger received the file's statements, as an LRS sets `stored` (rule 4): the
    landing time its pull or inbox manifest records (`<landing>/_state/<source>.json`,
    `pulled_at`, pipelines/landing.py), else the file's modification time. Both are facts
    about the file, not the clock, so a rerun on the same input gives the same instant."""
    state = file.path.parent.parent / STATE / f"{file.path.parent.name}.json"
    if state not in manifests:
        manifests[state] = landing_times(state)
    landed = manifests[state].get(file.path.name)
    if landed is not None:
        try:
            instant = datetime.fromisoformat(landed.replace("Z", "+00:00"))
            return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        except ValueError:
            pass
    return EPOCH + timedelta(microseconds=file.mtime_ns // 1000)


def landing_times(state: Path) -> dict[str, str]:
    """Segment file name -> landing time, from a landing zone's state file ({} if none)."""
    try:
        manifest = json.loads(state.read_bytes()).get("manifest", [])
        return {e["file"]: e["pulled_at"] for e in manifest if isinstance(e.get("pulled_at"), str)}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}


def load_decoded_lines(con: duckdb.DuckDBPyConnection, file: StatementFile, batch_id: int, file_id: int) -> int:
    """The lines READERS['lines'] would read, each decoded on its own; one that is not
    UTF-8 is kept with its bad bytes as \\xNN (nothing read is dropped) and noted."""
    texts, decoded = [], []
    for line in file.path.read_bytes().split(b"\n"):
        line = line.rstrip(b"\r")
        if not line.strip(b" "):
            continue
        try:
            texts.append(line.decode("utf-8"))
            decoded.append(True)
        except UnicodeDecodeError:
            texts.append(line.decode("utf-8", "backslashreplace"))
            decoded.append(False)
    lines = pyarrow.table({"raw": pyarrow.array(texts, pyarrow.string()), "decoded": decoded})
    con.register("decoded_lines", lines)
    try:
        con.execute(
            "insert into raw_statements select ?, ?, decoded and json_valid(raw), raw from decoded_lines",
            [batch_id, file_id],
        )
    finally:
        con.unregister("decoded_lines")
    con.executemany(
        "insert into undecodable_records values (?, ?)",
        [[file_id, n] for n, ok in enumerate(decoded, start=1) if not ok],
    )
    return len(texts)


def fallback_mode(error: LoadError) -> str:
    """How to read a file DuckDB refused, decided on a scratch connection."""
    path = str(error.file.path)
    scratch = duckdb.connect()
    if error.file.form == "objects":
        try:
            scratch.execute(f"select count(*) from ({READERS['unstructured']})", [path]).fetchall()
            return "unstructured"
        except duckdb.Error:
            pass
        # Read line by line only when the file is NDJSON at heart: named so, or its first
        # line alone is a JSON object. Otherwise the lines of a broken pretty-printed
        # object would be quarantined as if they were statements.
        if error.file.path.suffix == ".ndjson" or first_line_is_an_object(scratch, error.file):
            try:
                scratch.execute(f"select count(*) from ({READERS['lines']})", [path]).fetchall()
                return "lines"
            except duckdb.Error:  # not UTF-8 text throughout
                return "bytes"
    reason = error.message.removeprefix("Invalid Input Error: ")
    if "invalid UTF-8" in reason or "UTF-8" in reason:
        raise CeledgerError(f"{path}: not valid JSON (not UTF-8 text)")
    raise CeledgerError(f"{path}: not valid JSON ({reason})")


def first_line_is_an_object(scratch: duckdb.DuckDBPyConnection, file: StatementFile) -> bool:
    """Whether the first line that is not blank is a JSON object on its own."""
    with file.path.open("rb") as handle:
        first = next((line for line in handle if line.strip(b" \t\r\n")), b"")
    try:
        text = first.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return False
    return text.startswith("{") and scratch.execute("select json_valid(?)", [text]).fetchall()[0][0]
