"""The quality gate: Great Expectations suites (expectations/*.json) run on every load.

Write-audit-publish: the warehouse update is written inside its transaction, audited
here, and committed and published only when every suite passes. A failing suite rolls
the update back, so the last good warehouse and published tables stay as they were, and
the error names the expectation that failed. Validation results go to GX Data Docs in
the output folder either way.

GX reads pandas DataFrames taken from DuckDB: its SQL data source cannot validate a
DuckDB table (every expectation fails in resolve_metric_bundle, a known upstream bug).
Importing GX takes seconds, so `preload` starts it on a thread while DuckDB loads.

GX's Data Docs write unexpected values into the page as HTML, unescaped, and those
values come from vendors: an activity id carrying `<script>` would run in the page the
gate's error sends the operator to. So every value a result carries from the data is
escaped, and invisible characters spelt out, in the copy GX stores for its Data Docs
(`escape_stored_results`); the result the gate reads keeps the true values.
"""

from __future__ import annotations

import copy
import html
import importlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import resources
from pipelines.config import one_line
from pipelines.errors import CeledgerError

SUITES = resources.EXPECTATIONS
AUDITS = resources.AUDIT_SQL
_loading: threading.Thread | None = None
SLICE_ROWS = 250_000  # raw statements GX validates at a time (see Gate.audit_in_background)


class QualityGateFailed(CeledgerError):
    """A suite failed: nothing was committed or published."""


def preload() -> None:
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True)
        _loading.start()


def skip_batch_fingerprints() -> None:
    """GX fingerprints every pandas batch it loads by hashing the frame whole, a batch
    marker that nothing here reads; for a million raw statements that hash costs two
    seconds of each validation. Frames above GX's threshold are not fingerprinted, so
    setting the threshold to 0 only skips the marker, never a check."""
    engine = importlib.import_module("great_expectations.execution_engine.pandas_execution_engine")
    if hasattr(engine, "HASH_THRESHOLD"):
        engine.HASH_THRESHOLD = 0


def escape_stored_results(store) -> None:
    """Make the store keep, and so Data Docs render, an escaped copy of each validation
    result: GX's renderer pastes unexpected values into its HTML as they are."""
    store_results = store.store_validation_results

    def store_escaped(*args, suite_validation_result, **kwargs):
        return store_results(*args, suite_validation_result=escaped(suite_validation_result), **kwargs)

    store.store_validation_results = store_escaped


def escaped(outcome):
    """A copy of a suite's validation result with every value taken from the data inert."""
    outcome = copy.deepcopy(outcome)
    for check in outcome.results:
        check.result = inert(check.result)
        check.exception_info = inert(check.exception_info)
    return outcome


def inert(value):
    """Text as HTML shows it literally: markup escaped, and characters that would not show
    (U+00A0, a vertical tab, a control character) written as escapes like \\xa0, so the
    operator sees why a value failed."""
    if isinstance(value, str):
        shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value)
        return html.escape(shown)
    if isinstance(value, dict):
        return {key: inert(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(inert(item) for item in value)
    return value


@dataclass
class Gate:
    """One GX context for a run; suites are validated as their tables become ready."""

    docs: Path
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0  # what the gate cost the run: its work on the main thread and waits for the other
    background: float = 0.0  # validation time on the background thread, overlapping DuckDB's work
    validated: dict[str, int] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)  # where the time went: start, each suite, data docs
    _background: threading.Thread | None = None

    _starting: threading.Thread | None = None
    _validations: dict = field(default_factory=dict)
    _start_error: BaseException | None = None

    def __post_init__(self) -> None:
        """Import GX and build its context on a thread: DuckDB's models run meanwhile, and
        nothing waits for GX before the first suite is validated."""
        self._starting = threading.Thread(target=self._start, daemon=True)
        self._starting.start()

    def _start(self) -> None:
        started = time.perf_counter()
        try:
            preload()
            _loading.join()
            import great_expectations as gx

            logging.getLogger("great_expectations").setLevel(logging.ERROR)
            skip_batch_fingerprints()
            self.gx = gx
            self.context = gx.get_context(mode="ephemeral")
            self.context.variables.progress_bars = {"globally": False}
            self.docs.mkdir(parents=True, exist_ok=True)
            self.context.add_data_docs_site(
                "celedger",
                {
                    "class_name": "SiteBuilder",
                    # GX wants an absolute folder; --out may well be relative
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs.resolve()),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
            escape_stored_results(self.context.validation_results_store)
            self.source = self.context.data_sources.add_pandas("celedger")
        except BaseException as err:  # raised where GX is first needed
            self._start_error = err
        self.parts["start (GX import and context, on a thread)"] = time.perf_counter() - started

    def ready(self) -> None:
        """Wait, on the main thread, until GX can validate; the wait counts as the gate's."""
        if self._starting is not None:
            started = time.perf_counter()
            self._started()
            self._starting = None
            self.seconds += time.perf_counter() - started
            self.parts["waiting for GX to start"] = time.perf_counter() - started
        self._started()

    def _started(self) -> None:
        """Wait (on any thread) for GX to start; raise what stopped it."""
        starting = self._starting  # the main thread may clear it meanwhile
        if starting is not None:
            starting.join()
        if self._start_error is not None:
            raise self._start_error

    def audit(self, con: duckdb.DuckDBPyConnection, suite: str) -> None:
        """Validate the rows warehouse/audit/<suite>.sql selects against expectations/<suite>.json."""
        self.join()
        self.ready()
        started = time.perf_counter()
        frame = con.execute((AUDITS / f"{suite}.sql").read_text()).df()
        self.validate(suite, frame)
        self.seconds += time.perf_counter() - started
        self.parts[suite] = time.perf_counter() - started

    def audit_in_background(self, con: duckdb.DuckDBPyConnection, suite: str) -> None:
        """Take the suite's rows now, validate them on a thread while DuckDB goes on.

        GX's pandas work and DuckDB's models then share the machine's cores instead of
        queueing; `join` (called by the next audit and the verdict) waits for it. The rows
        are taken as Arrow, which is cheap, and validated a slice at a time, which keeps
        GX's copies of the frame small: the raw-statement suite, the one audited here,
        checks each statement on its own, so slices change no verdict.
        """
        self.join()
        started = time.perf_counter()
        rows = con.sql((AUDITS / f"{suite}.sql").read_text()).to_arrow_table()
        self.seconds += time.perf_counter() - started
        self.parts[f"{suite} (rows)"] = time.perf_counter() - started
        self._background = threading.Thread(target=self._validate_safely, args=(suite, rows, SLICE_ROWS))
        self._background.start()

    def _validate_safely(self, suite: str, rows, slice_rows: int) -> None:
        started = time.perf_counter()
        try:
            self._started()
            for first in range(0, max(rows.num_rows, 1), slice_rows):  # an empty batch is validated too
                self.validate(suite, rows.slice(first, slice_rows).to_pandas())
            self.validated[suite] = rows.num_rows
        except Exception as err:  # reported by the verdict, on the main thread
            self.failures.append(f"{suite}: the validation itself failed: {one_line(err)}")
        self.background += time.perf_counter() - started
        self.parts[f"{suite} (on a thread)"] = time.perf_counter() - started

    def join(self) -> None:
        if self._background is not None:
            started = time.perf_counter()
            self._background.join()
            self._background = None
            self.seconds += time.perf_counter() - started

    def validation(self, suite: str):
        """The suite's GX validation definition, made once per run."""
        if suite not in self._validations:
            definition = json.loads((SUITES / f"{suite}.json").read_text())
            gx = self.gx
            expectations = self.context.suites.add(gx.ExpectationSuite(**definition))
            batch = self.source.add_dataframe_asset(suite).add_batch_definition_whole_dataframe(suite)
            self._validations[suite] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite, data=batch, suite=expectations)
            )
        return self._validations[suite]

    def validate(self, suite: str, frame) -> None:
        outcome = self.validation(suite).run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 3},
        )
        examples = sorted(frame["example_broken_entry"].dropna()) if "example_broken_entry" in frame else []
        self.failures += [describe(suite, check, examples) for check in outcome.results if not check.success]
        self.validated[suite] = len(frame)

    def verdict(self) -> None:
        """Write the Data Docs, then stop the run if any expectation failed."""
        self.join()
        self.ready()
        started = time.perf_counter()
        self.context.build_data_docs(site_names=["celedger"])
        self.seconds += time.perf_counter() - started
        self.parts["data docs"] = time.perf_counter() - started
        if self.failures:
            more = f" (and {len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
            raise QualityGateFailed(f"quality gate failed, nothing published: {self.failures[0]}{more}")


def describe(suite: str, check, example_entries: list[str] = ()) -> str:
    config = check.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k in ("column", "column_A", "column_B", "column_list")}
    target = ", ".join(", ".join(v) if isinstance(v, list) else str(v) for v in kwargs.values())
    rule = (config.meta or {}).get("rule")
    result = check.result or {}
    detail = f"{result.get('unexpected_count', '?')} unexpected"
    examples = result.get("partial_unexpected_list") or []
    if examples:
        detail += f", e.g. {examples[:3]}"
    if example_entries:
        detail += f" (see entry {', '.join(example_entries[:3])})"
    if check.exception_info and check.exception_info.get("raised_exception"):
        detail = "raised " + str(check.exception_info.get("exception_message", "")).split("\n")[0]
    return f"{suite}: {config.type}({target}){f' [{rule}]' if rule else ''}: {detail}"
