"""`celedger run`: config and statement files in, warehouse and published tables out.

The whole warehouse update is one DuckDB transaction: a run that fails for any reason
leaves the warehouse as it was (a warehouse this run created is removed again), and
the published files are replaced only after the transaction commits.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines import quality, warehouse
from pipelines.config import Config, load_config
from pipelines.errors import CeledgerError
from pipelines.export import export_tables
from pipelines.load import LoadError, fallback_mode, load_files, new_files
from pipelines.rejections import write_rejections
from pipelines.report import write_report
from pipelines.statement_files import discover


@dataclass
class RunResult:
    warehouse: Path
    out: Path
    report: Path
    files_loaded: int
    files_skipped: int
    records_loaded: int
    full_pass: bool
    ledger_entries_added: int
    timings: dict[str, float] = field(default_factory=dict)


def run(
    config_dir: Path,
    statement_paths: list[Path],
    as_of: date,
    out: Path,
    warehouse_path: Path | None = None,
    full: bool = False,
) -> RunResult:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    quality.preload()
    config = load_config(config_dir)
    files = discover(statement_paths)
    warehouse_path = Path(warehouse_path or out / "warehouse.duckdb")
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    timings["check inputs"] = time.perf_counter() - started
    created = not warehouse_path.exists()
    modes: dict[str, str] = {}
    while True:
        con = warehouse.connect(warehouse_path)
        try:
            result = update_warehouse(con, config, files, as_of, modes, full, timings, out)
            break
        except LoadError as err:
            con.close()
            try:
                modes[str(err.file.path)] = fallback_mode(err)
            except CeledgerError:
                discard(warehouse_path, created)
                raise
        except BaseException:
            con.close()
            discard(warehouse_path, created)
            raise
    step = time.perf_counter()
    export_tables(con, out)
    timings["export"] = time.perf_counter() - step
    step = time.perf_counter()
    report = write_report(con, out, as_of)
    write_rejections(con, out)
    timings["report"] = time.perf_counter() - step
    con.close()
    timings["total"] = time.perf_counter() - started
    return RunResult(warehouse_path, out, report, timings=timings, **result)


def update_warehouse(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    files: list,
    as_of: date,
    modes: dict[str, str],
    full: bool,
    timings: dict[str, float],
    out: Path,
) -> dict:
    con.execute("begin transaction")
    con.execute((warehouse.ROOT / "schemas" / "warehouse.sql").read_text())
    step = time.perf_counter()
    warehouse.load_config_tables(con, config)
    warehouse.define_policy(con, config)
    timings["config tables"] = time.perf_counter() - step

    step = time.perf_counter()
    batch_id = con.execute("select coalesce(max(batch_id), 0) + 1 from loaded_files").fetchone()[0]
    fresh = new_files(con, files)
    records = load_files(con, fresh, batch_id, modes, as_of)
    timings["load raw"] = time.perf_counter() - step

    fingerprint = run_fingerprint(config)
    previous = con.execute("select value from run_state where key = 'fingerprint'").fetchone()
    full_pass = full or previous is None or previous[0] != fingerprint
    warehouse.set_variables(con, batch_id=batch_id, full_pass=full_pass)
    warehouse.define_as_of(con, config, as_of)
    warehouse.run_models(con, "staging", timings)
    gate = quality.Gate(out / "data_docs")
    gate.audit_in_background(con, "raw_statements")  # the batch as sent, before it joins the warehouse
    warehouse.run_models(con, "intermediate", timings, last="005")  # the statement copies
    warehouse.define_periods(con, config, as_of)  # periods span the statements, new ones included
    warehouse.run_models(con, "intermediate", timings, first="010")
    periods = con.execute("select string_agg(period, ',' order by period) from cfg_periods").fetchone()[0]
    compliance_key = f"{fingerprint}|{as_of}|{periods}"
    previous = con.execute("select value from run_state where key = 'compliance'").fetchone()
    warehouse.set_variables(con, compliance_all=full_pass or previous is None or previous[0] != compliance_key)
    before = con.execute("select count(*) from ledger_book").fetchone()[0]
    warehouse.run_models(con, "marts", timings)
    added = con.execute("select count(*) from ledger_book").fetchone()[0] - before
    for suite in ("ledger", "compliance_worker", "compliance_rollup"):
        gate.audit(con, suite)
    gate.verdict()
    timings["quality gate"] = gate.seconds
    timings["quality gate, in the background"] = gate.background
    con.execute(
        "insert or replace into run_state values ('fingerprint', ?), ('compliance', ?)", [fingerprint, compliance_key]
    )
    step = time.perf_counter()
    con.execute("commit")
    timings["commit"] = time.perf_counter() - step
    return {
        "files_loaded": len(fresh),
        "files_skipped": len(files) - len(fresh),
        "records_loaded": records,
        "full_pass": full_pass,
        "ledger_entries_added": added,
    }


def run_fingerprint(config: Config) -> str:
    """Config and model code: when either changes, every worker's credit is recomputed."""
    digest = hashlib.sha256(config.fingerprint.encode())
    for path in sorted(warehouse.MODELS.rglob("*.sql")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def discard(path: Path, created: bool) -> None:
    if created:
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
