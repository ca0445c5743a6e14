"""The model graph: warehouse/models.yaml says which models each step of a run builds and
in what order; this module checks that order against the SQL and runs a step.

A model is `warehouse/<layer>/<table>.sql` and builds the table it is named for. The
tables a model reads are the model names its SQL mentions (comments aside), so the
order is declared once, in the manifest, and checked here: a model that reads one
listed after it, a file the manifest does not list, or a listed file that is missing
stops the run before any SQL runs, naming the model. Tables the warehouse keeps
between runs (created in schemas/warehouse.sql and appended to by their models) may be
read before their model runs, as the last run left them: int_scope_workers reads the
book that way.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from pipelines import resources

MODELS = resources.WAREHOUSE
LAYERS = ("staging", "intermediate", "marts")
STEPS = ("staging", "batch", "ledger")


class ModelGraphError(RuntimeError):
    """warehouse/models.yaml and the model files disagree: a defect of the code, not of the input."""


@dataclass(frozen=True)
class Model:
    name: str  # the table it builds
    path: Path
    reads: frozenset[str]  # the other models it reads


def sql_names(sql: str) -> set[str]:
    """The identifiers a SQL text mentions, outside `--` comments and string literals."""
    code = re.sub(r"--[^\n]*|'(?:[^']|'')*'", " ", sql)
    return set(re.findall(r"\b[a-z_][a-z0-9_]*\b", code.lower()))


@cache
def graph(root: Path, ddl_path: Path = resources.WAREHOUSE_DDL) -> dict[str, list[Model]]:
    """Each step's models in run order, checked against the files under root."""
    ddl = ddl_path.read_text().lower()
    manifest = yaml.safe_load((root / "models.yaml").read_text())
    if sorted(manifest) != sorted(STEPS):
        raise ModelGraphError(f"{root / 'models.yaml'}: the steps are {', '.join(STEPS)}, not {', '.join(manifest)}")
    listed = [entry for step in STEPS for entry in manifest[step]]
    files = {f"{layer}/{path.stem}" for layer in LAYERS for path in (root / layer).glob("*.sql")}
    if unlisted := sorted(files - set(listed)):
        raise ModelGraphError(f"{root / 'models.yaml'}: does not list {', '.join(unlisted)}")
    if missing := sorted(set(listed) - files):
        raise ModelGraphError(f"{root / 'models.yaml'}: lists {', '.join(missing)}, which has no .sql file")
    names = {entry.split("/")[1] for entry in listed}
    if len(names) != len(listed):
        raise ModelGraphError(f"{root / 'models.yaml'}: two models build one table")
    kept = {name for name in names if re.search(rf"create table if not exists {name}\b", ddl)}
    steps: dict[str, list[Model]] = {}
    done: set[str] = set()
    for step in STEPS:
        steps[step] = []
        for entry in manifest[step]:
            name = entry.split("/")[1]
            path = root / f"{entry}.sql"
            reads = frozenset(sql_names(path.read_text()) & names - {name})
            # a table the warehouse keeps between runs (schemas/warehouse.sql) may be read
            # before its model runs: that is reading it as the last run left it
            if later := sorted(reads - done - kept):
                raise ModelGraphError(f"{entry} reads {', '.join(later)}, which models.yaml runs after it")
            steps[step].append(Model(name, path, reads))
            done.add(name)
    return steps


def step_models(step: str) -> list[Model]:
    return graph(MODELS)[step]


def all_models() -> list[Model]:
    return [model for step in STEPS for model in step_models(step)]


def run_step(con: duckdb.DuckDBPyConnection, step: str, timings: dict[str, float] | None = None) -> None:
    """Run a step's models in the manifest's order, timing each.

    With CELEDGER_QUERY_PROFILES naming a folder, DuckDB writes each model's query plan
    with the time of every operator there as `<model>.json` (what `EXPLAIN ANALYZE`
    shows): benchmarks/run_benchmark.py --profile reads the costliest ones."""
    profiles = os.environ.get("CELEDGER_QUERY_PROFILES")
    for model in step_models(step):
        if profiles:
            con.execute("set enable_profiling = 'json'")
            con.execute("set profiling_output = ?", [str(Path(profiles) / f"{model.name}.json")])
        started = time.perf_counter()
        try:
            con.execute(model.path.read_text())
        finally:
            if profiles:
                con.execute("reset enable_profiling")
                con.execute("reset profiling_output")
        if timings is not None:
            timings[f"{model.path.parent.name}/{model.name}"] = time.perf_counter() - started
