"""The quality gate: Great Expectations suites (expectations/*.json) run on every load.

Write-audit-publish: the warehouse update is written inside its transaction, audited
here, and committed and published only when every suite passes. A failing suite rolls
the update back, so the last good warehouse and published tables stay as they were, and
the error names the expectation that failed (and, for a suite about sources, the source).
Validation results go to GX Data Docs in the output folder either way.

GX reads pandas DataFrames taken from DuckDB: its SQL data source cannot validate a
DuckDB table (every expectation fails in resolve_metric_bundle, a known upstream bug).
So each audit is a query (warehouse/audit/<suite>.sql) that profiles its tables down to a
few rows in DuckDB, taken when the audit is called, inside the transaction; GX validates
them all at the verdict. Importing GX takes seconds, so it starts on a thread while DuckDB
loads and builds the models, and the verdict is the first time anything waits for it.

Limits that come from the run (the policy's shares, the as-of day) are suite parameters:
an expectation names them as `{"$PARAMETER": name}` and `Gate.parameters` supplies them.

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
from pipelines.errors import CeledgerError

SUITES = resources.EXPECTATIONS
AUDITS = resources.AUDIT_SQL
_loading: threading.Thread | None = None


class QualityGateFailed(CeledgerError):
    """A suite failed: nothing was committed or published."""


def preload() -> None:
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True)
        _loading.start()


def skip_batch_fingerprints() -> None:
    """GX fingerprints every pandas batch it loads by hashing the frame whole, a batch
    marker that nothing here reads; for compliance_worker's row per worker and period
    that hash is most of the suite's time. Frames above GX's threshold are not
    fingerprinted, so setting the threshold to 0 only skips the marker, never a check."""
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
    """One GX context for a run; each audit's rows are taken when it is called and
    validated at the verdict."""

    docs: Path
    parameters: dict[str, object] = field(default_factory=dict)  # for {"$PARAMETER": name} in the suites
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0  # what the gate cost the run: its queries, its waits for GX, GX's work
    parts: dict[str, float] = field(default_factory=dict)  # where the time went: start, each suite, data docs

    _starting: threading.Thread | None = None
    _audits: list = field(default_factory=list)  # (suite, rows) taken, not yet validated
    _validations: dict = field(default_factory=dict)
    _start_error: BaseException | None = None

    def __post_init__(self) -> None:
        """Import GX and build its context on a thread: DuckDB's models run meanwhile, and
        nothing waits for GX before the verdict."""
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
            self._starting.join()
            self._starting = None
            self.seconds += time.perf_counter() - started
            self.parts["waiting for GX to start"] = time.perf_counter() - started
        if self._start_error is not None:
            raise self._start_error

    def audit(self, con: duckdb.DuckDBPyConnection, suite: str) -> None:
        """Take the rows warehouse/audit/<suite>.sql selects now, as the transaction has
        them; the verdict validates them against expectations/<suite>.json."""
        started = time.perf_counter()
        self._audits.append((suite, con.execute((AUDITS / f"{suite}.sql").read_text()).df()))
        self.seconds += time.perf_counter() - started
        self.parts[f"{suite} (rows)"] = time.perf_counter() - started

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
        """Validate rows against the suite now; a failed expectation is noted for the verdict.

        A suite whose rows are named by a column (its meta's `rows_named_by`, e.g. the
        source) has each failure say which rows broke it."""
        started = time.perf_counter()
        validation = self.validation(suite)
        named_by = (validation.suite.meta or {}).get("rows_named_by", [])
        outcome = validation.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=self.parameters,
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": 3,
                **({"unexpected_index_column_names": named_by} if named_by else {}),
            },
        )
        examples = sorted(frame["example_broken_entry"].dropna()) if "example_broken_entry" in frame else []
        self.failures += [
            describe(suite, check, examples, named_by, frame) for check in outcome.results if not check.success
        ]
        self.parts[suite] = time.perf_counter() - started

    def verdict(self) -> None:
        """Validate what the audits took, write the Data Docs, then stop the run if any
        expectation failed."""
        self.ready()
        started = time.perf_counter()
        for suite, frame in self._audits:
            self.validate(suite, frame)
        self._audits = []
        step = time.perf_counter()
        self.context.build_data_docs(site_names=["celedger"])
        self.parts["data docs"] = time.perf_counter() - step
        self.seconds += time.perf_counter() - started
        if self.failures:
            more = f" (and {len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
            raise QualityGateFailed(f"quality gate failed, nothing published: {self.failures[0]}{more}")


def describe(suite: str, check, example_entries: list[str] = (), named_by: list[str] = (), frame=None) -> str:
    """One line: the suite, the expectation, its rule, what broke it and where.

    Rows a suite names (`named_by`) are listed by name; an expectation whose meta names
    an `examples` column adds that column's values for those rows (a source's unknown
    verbs, say), so the operator sees what was sent without opening the Data Docs."""
    config = check.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k in ("column", "column_A", "column_B", "column_list")}
    target = ", ".join(", ".join(v) if isinstance(v, list) else str(v) for v in kwargs.values())
    meta = config.meta or {}
    rule = meta.get("rule")
    result = check.result or {}
    detail = f"{result.get('unexpected_count', '?')} unexpected"
    examples = [plain(value) for value in result.get("partial_unexpected_list") or []]
    if examples:
        detail += f", e.g. {examples[:3]}"
    rows = [row for row in result.get("partial_unexpected_index_list") or [] if isinstance(row, dict)]
    if named_by and rows:
        names = [", ".join(str(row.get(column)) for column in named_by) for row in rows]
        detail += f" ({', '.join(named_by)} {'; '.join(names)})"
        shown = meta.get("examples")
        if shown and frame is not None and named_by[0] in frame:
            keys = {row.get(named_by[0]) for row in rows}
            values = sorted({str(v) for v in frame.loc[frame[named_by[0]].isin(keys), shown].dropna()})
            if values:
                detail += f", {shown}: {'; '.join(values)}"
    if example_entries:
        detail += f" (see entry {', '.join(example_entries[:3])})"
    if check.exception_info and check.exception_info.get("raised_exception"):
        detail = "raised " + str(check.exception_info.get("exception_message", "")).split("\n")[0]
    return f"{suite}: {config.type}({target}){f' [{rule}]' if rule else ''}: {detail}"


def plain(value):
    """A value as Python writes it: numpy's numbers (a pair's (np.int32(3), np.int64(4))) as numbers."""
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value
