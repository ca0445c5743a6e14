"""Publish the output tables as CSV and Parquet beside the HTML report.

Files are written to a scratch folder inside --out and moved into place only when
all of them are written, so a failed export never leaves a half-new set.

Paths never become SQL text: the files are written with DuckDB's relation API, which
takes the file name as a value, so any --out folder (an apostrophe, a crafted
`'; copy ... to '...`) is only ever a folder.

The CSVs are for spreadsheets, which run a cell beginning with = + - @ (or a tab or a
carriage return) as a formula. Text in the CSVs comes from vendors (actor names,
statement and activity ids) and from rosters and catalogs, so every text cell that
begins so is prefixed with a single quote, as OWASP recommends for CSV injection.
Number columns (hours, counts; reversals have negative hours) stay numbers, and the
Parquet files and the warehouse keep the true values.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

# table -> the order rows are written in, so two runs give byte-identical files
OUTPUTS = {
    # the book is appended in order (marts/ledger_book.sql): its storage order is the order
    "ledger_entries": "select * from ledger_entries",
    "compliance_worker": "select * from compliance_worker order by period, worker_id",
    "compliance_facility": "select * from compliance_facility order by period, region, facility",
    "compliance_region": "select * from compliance_region order by period, region",
    "compliance_national": "select * from compliance_national order by period",
    "quarantine": "select * from quarantine order by file, record",
    "statement_warnings": "select * from statement_warnings order by file, record",
    "unmatched_actors": "select * from unmatched_actors order by actor_type, actor_kind, actor_value",
    "uncatalogued_activities": "select * from uncatalogued_activities order by activity_id",
    "conflicts": (
        "select * from conflicts order by statement_id, conflicting_file, conflicting_stored, "
        "conflicting_source, conflicting_raw"
    ),
    "ignored_approvals": (
        "select * from ignored_approvals order by worker_id, activity_id, decided_at, supervisor_id, decision, reason"
    ),
    "rejections": "select * from rejections order by source, outcome, statements desc, reason",
    "compliance_track": "select * from compliance_track order by track, worker_id, cycle_start",
    "compliance_track_minimums": (
        "select m.* from compliance_track_minimums as m "
        "inner join cfg_track_minimums as c on c.track = m.track and c.minimum = m.minimum "
        "order by m.track, m.worker_id, m.cycle, c.position"
    ),
    "compliance_track_summary": (
        "select * from compliance_track_summary "
        "order by track, level = 'national' desc, region nulls first, facility nulls first"
    ),
}
FORMULA_START = "^[=+\\-@\t\r]"  # what a spreadsheet reads as the start of a formula (OWASP)


def export_tables(con: duckdb.DuckDBPyConnection, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    scratch = out / ".celedger-export"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    written = []
    for table, query in OUTPUTS.items():
        csv_path, parquet_path = scratch / f"{table}.csv", scratch / f"{table}.parquet"
        # sort once, write twice: insertion order is kept by both writers
        con.execute(f"create or replace temp table export_rows as {query}")
        rows = con.table("export_rows")
        rows.write_parquet(str(parquet_path), compression="snappy")
        rows.select(*spreadsheet_safe(rows)).write_csv(str(csv_path), header=True)
        written += [csv_path.name, parquet_path.name]
    con.execute("drop table if exists export_rows")
    for name in written:
        os.replace(scratch / name, out / name)
    scratch.rmdir()
    return [out / name for name in written]


def spreadsheet_safe(rows: duckdb.DuckDBPyRelation) -> list[duckdb.Expression]:
    """The relation's columns, with each text cell that would start a formula quoted away."""
    columns = []
    for name, kind in zip(rows.columns, rows.types, strict=True):
        column = duckdb.ColumnExpression(name)
        if str(kind) == "VARCHAR":
            neutral = duckdb.FunctionExpression("concat", duckdb.ConstantExpression("'"), column)
            risky = duckdb.FunctionExpression("regexp_matches", column, duckdb.ConstantExpression(FORMULA_START))
            column = duckdb.CaseExpression(risky, neutral).otherwise(column)
        columns.append(column.alias(name))
    return columns
