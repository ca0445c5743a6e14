"""`celedger run`: config and statement files in, warehouse and published tables out.

The work has three stages, which the Airflow DAGs run as separate tasks and `run` runs
back to back: load (new files, staging, quarantine, the audit of the batch per source), ledger
(credits, the book, compliance, their audits) and publish (CSV, Parquet, HTML). Each
warehouse stage is one DuckDB transaction that commits only when its quality suites
pass; `run` puts load and ledger in a single transaction. A stage that fails for any
reason leaves the warehouse as it was (a warehouse it created is removed again), and
published files are replaced only after a commit.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines import models, quality, validation, warehouse
from pipelines.config import Config, load_config, one_line
from pipelines.errors import CeledgerError, RunBlocked
from pipelines.export import export_tables
from pipelines.load import LoadError, fallback_mode, load_files, new_files
from pipelines.rejections import write_rejections
from pipelines.report import write_report
from pipelines.site import write_site
from pipelines.sources import load_sources
from pipelines.statement_files import StatementFile, discover


@dataclass
class RunResult:
    warehouse: Path
    out: Path
    report: Path | None = None
    site: Path | None = None
    files_loaded: int = 0
    files_skipped: int = 0
    records_loaded: int = 0
    full_pass: bool = False
    ledger_entries_added: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    statements_validated: int = 0  # records checked against the xAPI schema, in timings' "schema validation"


def run(
    config_dir: Path,
    statement_paths: list[Path],
    as_of: date,
    out: Path,
    warehouse_path: Path | None = None,
    full: bool = False,
    on_stage: Callable[[str], None] = lambda stage: None,
) -> RunResult:
    """Load, build the ledger and publish, with load and ledger in one transaction.

    `on_stage` hears the name of each stage as it begins (the command line's progress).
    """
    check_as_of(as_of)
    on_stage("check inputs")
    result = in_transaction(
        config_dir, statement_paths, as_of, out, warehouse_path, load_and_ledger(as_of, full, on_stage)
    )
    on_stage("publish")
    publish_stage(result, as_of)
    return result


def load(config_dir: Path, statement_paths: list[Path], as_of: date, out: Path, warehouse_path: Path) -> RunResult:
    """The load stage alone: new files into the warehouse, audited (the load-and-validate DAG)."""
    check_as_of(as_of)
    return in_transaction(
        config_dir,
        statement_paths,
        as_of,
        out,
        warehouse_path,
        lambda con, config, files, modes, result, gate: load_stage(con, config, files, as_of, modes, result, gate),
    )


def build_ledger(config_dir: Path, as_of: date, out: Path, warehouse_path: Path, full: bool = False) -> RunResult:
    """The ledger stage alone, for everything loaded since the last one (the ledger DAG)."""
    check_as_of(as_of)
    return in_transaction(
        config_dir,
        [],
        as_of,
        out,
        warehouse_path,
        lambda con, config, files, modes, result, gate: ledger_stage(con, config, as_of, full, result, gate),
    )


def build(
    config_dir: Path, statement_paths: list[Path], as_of: date, warehouse_path: Path, full: bool = False
) -> RunResult:
    """The warehouse stages of `run` alone, without the quality gate and without publishing.

    What the rules decide lives in the models, so the fast test tier checks each rule on
    these tables without paying for Great Expectations and the pages on every scenario;
    `run` is the same stages with the gate and the publishing around them.
    """
    check_as_of(as_of)
    return in_transaction(
        config_dir,
        statement_paths,
        as_of,
        Path(warehouse_path).parent,
        warehouse_path,
        load_and_ledger(as_of, full),
        audited=False,
    )


def publish(as_of: date, out: Path, warehouse_path: Path) -> RunResult:
    """The publish stage alone: the committed tables out as files (the publish DAG)."""
    check_as_of(as_of)
    result = RunResult(Path(warehouse_path), Path(out))
    publish_stage(result, as_of)
    return result


Stage = Callable[[duckdb.DuckDBPyConnection, Config, list[StatementFile], dict[str, str], RunResult, object], None]


def load_and_ledger(as_of: date, full: bool, on_stage: Callable[[str], None] = lambda stage: None) -> Stage:
    """Both warehouse stages in one transaction, as `run` and `build` do them."""

    def both(con: duckdb.DuckDBPyConnection, config: Config, files, modes, result: RunResult, gate) -> None:
        on_stage("load")
        load_stage(con, config, files, as_of, modes, result, gate)
        on_stage("models")
        ledger_stage(con, config, as_of, full, result, gate)
        on_stage("gate")  # the audits still running, their verdict, the commit

    return both


def in_transaction(
    config_dir: Path,
    statement_paths: list[Path],
    as_of: date,
    out: Path,
    warehouse_path: Path | None,
    stage: Stage,
    audited: bool = True,
) -> RunResult:
    started = time.perf_counter()
    if audited:
        quality.preload()
    config = load_config(config_dir)
    sources = load_sources(config_dir) if config.sources else []  # for the gate's silence check
    files = discover(statement_paths) if statement_paths else []
    result = RunResult(Path(warehouse_path or Path(out) / "warehouse.duckdb"), Path(out), warnings=config.warnings)
    check_writable(result.warehouse.parent)
    check_writable(result.out)
    result.timings["check inputs"] = time.perf_counter() - started
    created = not result.warehouse.exists()
    modes: dict[str, str] = {}  # files DuckDB refused, and how to read them on the next try
    try:
        while True:
            con = warehouse.connect(result.warehouse)
            try:
                con.execute("begin transaction")
                step = time.perf_counter()
                warehouse.load_config_tables(con, config)  # once a run, for every stage in it
                warehouse.load_sources_table(con, sources)
                warehouse.define_policy(con, config)
                warehouse.define_as_of(con, config, as_of)
                result.timings["config tables"] = time.perf_counter() - step
                gate = quality.Gate(result.out / "data_docs", gate_parameters(config)) if audited else None
                stage(con, config, files, modes, result, gate)
                if gate is not None:
                    gate.verdict()
                    result.timings["quality gate"] = gate.seconds
                    result.timings.update({f"  gate: {part}": seconds for part, seconds in gate.parts.items()})
                step = time.perf_counter()
                con.execute("commit")
                result.timings["commit"] = time.perf_counter() - step
                con.close()
                break
            except LoadError as err:
                con.close()
                modes[str(err.file.path)] = fallback_mode(err)
            except BaseException:
                con.close()
                raise
    except BaseException as err:
        discard(result.warehouse, created)
        drop_empty_wal(result.warehouse)
        blocked = machine_failure(err, f"{result.warehouse}: nothing changed")
        if blocked is None:
            raise
        raise blocked from None
    result.timings["total"] = time.perf_counter() - started
    return result


def gate_parameters(config: Config) -> dict[str, object]:
    """The limits the suites take from the run ({"$PARAMETER": name} in expectations/): the
    policy's shares."""
    policy = config.policy
    return {
        "max_quarantined_share": policy.max_quarantined_share,
        "max_conflicting_share": policy.max_conflicting_share,
        "max_unknown_verb_share": policy.max_unknown_verb_share,
    }


def check_as_of(as_of: date) -> None:
    """An as-of date whose periods the warehouse can hold (years 1001..9998, as statements)."""
    if not warehouse.FIRST_USABLE_DAY <= as_of <= warehouse.LAST_USABLE_DAY:
        first, last = warehouse.FIRST_USABLE_DAY.year, warehouse.LAST_USABLE_DAY.year
        raise CeledgerError(f"--as-of {as_of.isoformat()}: outside the years {first}..{last} the warehouse can hold")


def check_writable(folder: Path) -> None:
    """Stop before the warehouse is touched when a folder the run writes to is not writable,
    rather than after the commit, with the warehouse updated and nothing published."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise RunBlocked(f"{folder}: cannot write there ({err.strerror or one_line(err)}); nothing changed") from None


def machine_failure(err: BaseException, outcome: str) -> RunBlocked | None:
    """A full or read-only disk, a lost lock, memory: one line saying what happened and
    what it left (`outcome`); None for anything else, which keeps its own message."""
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return RunBlocked(f"{outcome}: {where}{err.strerror or one_line(err)}")
    machine = duckdb.IOException | duckdb.OutOfMemoryException | duckdb.FatalException | duckdb.TransactionException
    if isinstance(err, machine):  # a commit fails with a TransactionException when the disk is full
        return RunBlocked(f"{outcome}: {one_line(err)}")
    return None


def load_stage(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    files: list[StatementFile],
    as_of: date,
    modes: dict[str, str],
    result: RunResult,
    gate: quality.Gate | None,
) -> None:
    timings = result.timings
    step = time.perf_counter()
    check_validation_mode(con, config)
    batch_id = con.execute("select coalesce(max(batch_id), 0) + 1 from loaded_files").fetchone()[0]
    fresh = new_files(con, files)
    checker = validation.Checker()
    try:
        checker.start(sum(f.size_bytes for f in fresh))
        result.records_loaded = load_files(con, fresh, batch_id, modes, as_of)
        result.files_loaded, result.files_skipped = len(fresh), len(files) - len(fresh)
        timings["load raw"] = time.perf_counter() - step
        warehouse.set_variables(con, batch_id=batch_id)
        checker.check_batch(con)  # the new statements against the xAPI schema, for staging to weigh
    finally:
        checker.close()
    timings["schema validation"] = checker.seconds
    result.statements_validated = checker.checked
    models.run_step(con, "staging", timings)
    if gate is not None:
        gate.audit(con, "batch_sources")  # the batch per source, before it joins the warehouse
    models.run_step(con, "batch", timings)  # the batch joins the statement copies


def check_validation_mode(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Statements are judged once, as they are loaded (validation: lenient or strict): a
    warehouse whose statements were judged under the other mode would mix both verdicts,
    and its outputs would depend on its history rather than on the config. So a changed
    mode stops the run before anything is written, saying how to re-judge; the mode is
    recorded with every load."""
    wanted = config.policy.validation
    judged = state(con, "validation")
    if judged is None and con.execute("select count(*) from loaded_files").fetchone()[0]:
        judged = "lenient"  # loaded before the mode was recorded: staging's rule-read checks only
    if judged is not None and judged != wanted:
        raise CeledgerError(
            f"policy.yaml: validation: {wanted}, but this warehouse's statements were judged {judged}: "
            f"set it back, or rebuild the warehouse (a new --warehouse over the same statement files) to re-judge them"
        )
    con.execute("insert or replace into run_state values ('validation', ?)", [wanted])


def ledger_stage(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    as_of: date,
    full: bool,
    result: RunResult,
    gate: quality.Gate | None,
) -> None:
    """Credit, the book and compliance for the batches loaded since the last ledger stage."""
    timings = result.timings
    fingerprint = run_fingerprint(config)
    previous = state(con, "fingerprint")
    result.full_pass = full or previous != fingerprint
    done = int(state(con, "ledger_through_batch") or 0)
    newest = con.execute("select coalesce(max(batch_id), 0) from loaded_files").fetchone()[0]
    warehouse.set_variables(con, first_batch=done + 1, full_pass=result.full_pass)
    warehouse.define_periods(con, config, as_of)  # periods span the statements, new ones included
    periods = con.execute("select string_agg(period, ',' order by period) from cfg_periods").fetchone()[0]
    compliance_key = f"{fingerprint}|{as_of}|{periods}"
    warehouse.set_variables(con, compliance_all=result.full_pass or state(con, "compliance") != compliance_key)
    before = con.execute("select count(*) from ledger_book").fetchone()[0]
    models.run_step(con, "ledger", timings)
    result.ledger_entries_added = con.execute("select count(*) from ledger_book").fetchone()[0] - before
    for suite in ("ledger", "compliance_worker", "compliance_rollup", "compliance_track"):
        if gate is not None:
            gate.audit(con, suite)
    con.execute(
        "insert or replace into run_state values "
        "('fingerprint', ?), ('compliance', ?), ('ledger_through_batch', ?), ('timezone', ?)",
        [fingerprint, compliance_key, str(newest), config.policy.timezone],
    )


def publish_stage(result: RunResult, as_of: date) -> None:
    """Committed tables out as files; a failure here leaves the warehouse up to date and
    the published files as they were, and the next run (or `publish`) publishes again."""
    try:
        con = duckdb.connect(str(result.warehouse), read_only=True)
        try:
            con.execute("set TimeZone = 'UTC'")
            step = time.perf_counter()
            export_tables(con, result.out)
            result.timings["export"] = time.perf_counter() - step
            step = time.perf_counter()
            result.report = write_report(con, result.out, as_of)
            write_rejections(con, result.out)
            result.timings["report"] = time.perf_counter() - step
            step = time.perf_counter()
            result.site = write_site(con, result.out, as_of)
            result.timings["site"] = time.perf_counter() - step
        finally:
            con.close()
    except BaseException as err:
        outcome = f"{result.out}: not published, the warehouse is up to date; run again to publish"
        blocked = machine_failure(err, outcome)
        if blocked is None:
            raise
        raise blocked from None
    published = result.timings["export"] + result.timings["report"] + result.timings["site"]
    result.timings["total"] = result.timings.get("total", 0) + published


def state(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    found = con.execute("select value from run_state where key = ?", [key]).fetchone()
    return found[0] if found else None


def run_fingerprint(config: Config) -> str:
    """Config and model code: when either changes, every worker's credit is recomputed."""
    digest = hashlib.sha256(config.fingerprint.encode())
    code = [warehouse.MODELS / "macros.sql", warehouse.MODELS / "models.yaml", *(m.path for m in models.all_models())]
    for path in code:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def drop_empty_wal(path: Path) -> None:
    """A commit that could not write (a full disk) leaves an empty write-ahead log behind:
    nothing to replay, so it goes, and the warehouse folder is as it was."""
    wal = path.with_name(path.name + ".wal")
    try:
        if wal.stat().st_size == 0:
            wal.unlink()
    except OSError:
        pass


def discard(path: Path, created: bool) -> None:
    if created:
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
