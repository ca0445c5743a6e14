"""Time `celedger run` on a large synthetic program beside DuckDB's own flattening.

Prints, for N statements (1,000,000 by default) and a roster of 50,000 workers: DuckDB's
flatten of the same NDJSON into the fields the product extracts (the baseline), the full
run stage by stage (and the xAPI schema validation's statements/s), the cost of then adding
10,000 new statements to that warehouse, and the same 10,000 added to a warehouse of a tenth
of the statements (cost should grow with the increment, not the history). Every figure is
printed beside its target (issue 13):

  full run (site included) / flatten                      <= 8x
  warehouse commit (everything before publishing) / flatten  <= 4x
  +10,000 statements, whole run through publishing        <= 10% of the full run
  the same +10,000 into the small warehouse / into the big one   within 1.5x
  peak memory, every process of the run                   < 1.5 GB at 1M (< 2 GB at 3M)

`--profile` also runs the full run under cProfile (the functions costing most) and keeps
DuckDB's profile of every model (CELEDGER_QUERY_PROFILES), printing the operator trees,
as EXPLAIN ANALYZE does, of the three costliest models.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_load import write_config, write_statements  # noqa: E402

CHILD = """
import cProfile, io, json, pstats, resource, sys
from datetime import date
from pathlib import Path
from pipelines.run import run
args = json.loads(sys.argv[1])
profiler = cProfile.Profile() if args["profile"] else None
if profiler:
    profiler.enable()
result = run(Path(args["config"]), [Path(p) for p in args["statements"]], date(2026, 11, 20),
             Path(args["out"]), Path(args["warehouse"]))
if profiler:
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
    print(text.getvalue(), file=sys.stderr)
print(json.dumps({"timings": result.timings, "records": result.records_loaded,
                  "validated": result.statements_validated,
                  "entries": result.ledger_entries_added, "full_pass": result.full_pass,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def flatten_baseline(ndjson: Path, work: Path) -> float:
    """DuckDB alone: the fields a CE ledger needs, flattened from the NDJSON into a table file."""
    target = work / "flatten.duckdb"
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    started = time.perf_counter()
    con.execute(
        f"""
        create table flat as
        select id, actor.mbox as mbox, verb.id as verb_id, object.id as object_id, "timestamp", stored,
               result.duration as duration, context.contextActivities.parent as parent
        from read_json('{ndjson}', format = 'newline_delimited')
        """
    )
    con.close()
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def celedger_run(
    config: Path, statements: list[Path], out: Path, warehouse: Path, profiles: Path | None = None
) -> dict:
    paths = [str(s) for s in statements]
    payload = json.dumps(
        {
            "config": str(config),
            "statements": paths,
            "out": str(out),
            "warehouse": str(warehouse),
            "profile": profiles is not None,
        }
    )
    env = {**os.environ, **({"CELEDGER_QUERY_PROFILES": str(profiles)} if profiles else {})}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, payload], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    if profiles:
        print("\ncProfile of the full run (the functions costing most, by their own time):")
        print("\n".join(done.stderr.strip().splitlines()[:32]))
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall"] = time.perf_counter() - started
    return report


def print_stages(timings: dict[str, float]) -> None:
    print("  stages:")
    for stage, seconds in timings.items():
        if stage != "total" and seconds >= 0.01:
            print(f"    {stage:40s} {seconds:6.2f} s")


def print_validation(report: dict) -> None:
    """Statements checked against the xAPI schema per second (pipelines/validation.py: one
    process per core for a large load)."""
    seconds = report["timings"].get("schema validation", 0.0)
    rate = report["validated"] / seconds if seconds else 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"  xAPI schema validation:    {seconds:7.2f} s  ({rate:,.0f} statements/s, {cores} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--extra", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/celedger-benchmark"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the full run and print DuckDB's profile of its three costliest models",
    )
    parser.add_argument("--no-tracks", action="store_true", help="a program without requirement tracks")
    args = parser.parse_args()

    work = args.work
    bulk = work / "statements" / "bulk.ndjson"
    extra = work / "incoming" / "extra.ndjson"
    stamp = work / "generated.json"
    wanted = {"statements": args.statements, "workers": args.workers, "extra": args.extra, "tracks": not args.no_tracks}
    if not stamp.exists() or {k: v for k, v in json.loads(stamp.read_text()).items() if k != "small"} != wanted:
        shutil.rmtree(work, ignore_errors=True)
        bulk.parent.mkdir(parents=True)
        extra.parent.mkdir(parents=True)
        started = time.perf_counter()
        write_config(work / "config", args.workers, tracks=not args.no_tracks)
        write_statements(bulk, args.statements, args.workers, seed=1)
        write_statements(extra, args.extra, args.workers, seed=2)
        stamp.write_text(json.dumps(wanted))
        print(f"generated {args.statements:,} + {args.extra:,} statements in {time.perf_counter() - started:.1f} s")
    size_mb = bulk.stat().st_size / 1e6
    print(f"input: {args.statements:,} statements, {size_mb:,.0f} MB NDJSON, {args.workers:,} workers")

    with bulk.open("rb") as handle:  # both sides read the file from the page cache, not the disk
        while handle.read(1 << 24):
            pass
    baseline = flatten_baseline(bulk, work)
    print(f"\nDuckDB raw flatten:          {baseline:7.2f} s  ({args.statements / baseline:,.0f} statements/s)")

    profiles = work / "query-profiles" if args.profile else None
    if profiles:
        shutil.rmtree(profiles, ignore_errors=True)
        profiles.mkdir()
    out, warehouse = work / "out", work / "warehouse.duckdb"
    fresh(out, warehouse)
    full = celedger_run(work / "config", [bulk.parent], out, warehouse, profiles)
    total = full["timings"]["total"]
    committed = total - published_seconds(full)
    print(f"celedger run (full):         {total:7.2f} s  ({args.statements / total:,.0f} statements/s)")
    print(f"  full run / flatten:        {total / baseline:7.2f} x   (target <= 8)")
    print(f"  warehouse commit / flatten:{committed / baseline:7.2f} x   (target <= 4)")
    print(f"    ({committed:.2f} s before publishing)")
    peak = max(full["peak_mb"], full["child_peak_mb"])
    limit = 1536 if args.statements <= 1_000_000 else 2048
    print(f"  peak memory, any process:  {peak:7.0f} MB  (target < {limit}; run {full['peak_mb']:.0f} MB,")
    print(f"                                          its drawing processes {full['child_peak_mb']:.0f} MB)")
    gate = full["timings"].get("quality gate", 0.0)
    print(f"  quality gate (GX):         {gate:7.2f} s  = {100 * gate / total:5.1f}% of the run")
    print(f"  ledger entries:            {full['entries']:,}")
    print_validation(full)
    print_stages(full["timings"])
    tracks = sum(s for stage, s in full["timings"].items() if "track" in stage or "evidence" in stage)
    print(f"  requirement tracks' models: {tracks:6.2f} s  = {100 * tracks / total:5.1f}% of the run (target <= 10%)")
    if profiles:
        print_costliest_models(full["timings"], profiles)

    increment = celedger_run(work / "config", [bulk.parent, extra], out, warehouse)
    inc_total = increment["timings"]["total"]
    print(f"\n+{args.extra:,} statements (incremental, full pass: {increment['full_pass']}):")
    share = 100 * inc_total / total
    print(f"  whole run:                 {inc_total:7.2f} s  = {share:5.1f}% of the full run (target <= 10%)")
    print(f"  warehouse update only:     {inc_total - published_seconds(increment):7.2f} s")
    print(f"  peak memory (RSS):         {increment['peak_mb']:7.0f} MB")
    print_validation(increment)
    print_stages(increment["timings"])

    small = work / "small"
    small_bulk = small / "statements" / "bulk.ndjson"
    small_count = args.statements // 10
    if not small_bulk.exists() or json.loads(stamp.read_text()).get("small") != small_count:
        small_bulk.parent.mkdir(parents=True, exist_ok=True)
        with bulk.open("rb") as source, small_bulk.open("wb") as target:
            target.writelines(itertools.islice(source, small_count))
        stamp.write_text(json.dumps({**wanted, "small": small_count}))
    fresh(small / "out", small / "warehouse.duckdb")
    celedger_run(work / "config", [small_bulk.parent], small / "out", small / "warehouse.duckdb")
    small_increment = celedger_run(
        work / "config", [small_bulk.parent, extra], small / "out", small / "warehouse.duckdb"
    )
    small_total = small_increment["timings"]["total"]
    print(f"\nthe same +{args.extra:,} into a warehouse of {small_count:,} statements:")
    print(
        f"  whole run:                 {small_total:7.2f} s; into the big one / into the small one: "
        f"{inc_total / small_total:.2f} x (target <= 1.5)"
    )
    print(f"\nbenchmark process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def fresh(out: Path, warehouse: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    warehouse.unlink(missing_ok=True)


def published_seconds(report: dict) -> float:
    """The publishing stages' share of a run: what follows the warehouse commit."""
    return sum(report["timings"].get(stage, 0.0) for stage in ("export", "report", "site"))


def print_costliest_models(timings: dict[str, float], profiles: Path) -> None:
    """DuckDB's operator tree (EXPLAIN ANALYZE's figures) of the three costliest models."""
    models = sorted(
        ((seconds, stage.split("/", 1)[1]) for stage, seconds in timings.items() if "/" in stage), reverse=True
    )
    for seconds, model in models[:3]:
        path = profiles / f"{model}.json"
        if not path.exists():
            continue
        profile = json.loads(path.read_text())
        cpu = profile.get("query", {}).get("cpu_time", 0.0)
        print(f"\n  {model} ({seconds:.2f} s; DuckDB's CPU time {cpu:.2f} s), operators over 10 ms:")
        for depth, node in operators(profile.get("operator", [])):
            if node.get("timing", 0) >= 0.01:
                rows = node.get("intermediate_rows", 0)
                print(f"    {'  ' * depth}{node.get('type', '?'):<28s} {node['timing']:6.2f} s  {rows:>12,} rows")


def operators(children: list[dict], depth: int = 0):
    for node in children:
        yield depth, node
        yield from operators(node.get("children", []), depth + 1)


if __name__ == "__main__":
    main()
