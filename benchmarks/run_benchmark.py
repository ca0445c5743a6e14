"""Time `celedger run` on a large synthetic program beside DuckDB's own flattening.

Prints, for N statements (1,000,000 by default) and a roster of 50,000 workers:
DuckDB's raw flatten of the same NDJSON into a table (the baseline), the full run stage
by stage with statements/s and its ratio to the baseline, the peak memory of the run's
process, and the cost of then adding 10,000 new statements to that warehouse.
Targets on a 2-core machine: full run within 3x the flatten, peak memory under 2 GB,
the 10,000-statement increment under 10% of the full run, the quality gate under 25%.
"""

from __future__ import annotations

import argparse
import json
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
import json, resource, sys
from datetime import date
from pathlib import Path
from pipelines.run import run
args = json.loads(sys.argv[1])
result = run(Path(args["config"]), [Path(p) for p in args["statements"]], date(2026, 11, 20),
             Path(args["out"]), Path(args["warehouse"]))
print(json.dumps({"timings": result.timings, "records": result.records_loaded,
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


def celedger_run(config: Path, statements: list[Path], out: Path, warehouse: Path) -> dict:
    paths = [str(s) for s in statements]
    payload = json.dumps({"config": str(config), "statements": paths, "out": str(out), "warehouse": str(warehouse)})
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, payload], cwd=ROOT, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall"] = time.perf_counter() - started
    return report


def print_stages(timings: dict[str, float]) -> None:
    print("  stages:")
    for stage, seconds in timings.items():
        if stage != "total" and seconds >= 0.01:
            print(f"    {stage:40s} {seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--extra", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/celedger-benchmark"))
    args = parser.parse_args()

    work = args.work
    bulk = work / "statements" / "bulk.ndjson"
    extra = work / "incoming" / "extra.ndjson"
    stamp = work / "generated.json"
    wanted = {"statements": args.statements, "workers": args.workers, "extra": args.extra}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        shutil.rmtree(work, ignore_errors=True)
        bulk.parent.mkdir(parents=True)
        extra.parent.mkdir(parents=True)
        started = time.perf_counter()
        write_config(work / "config", args.workers)
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

    out, warehouse = work / "out", work / "warehouse.duckdb"
    shutil.rmtree(out, ignore_errors=True)
    warehouse.unlink(missing_ok=True)
    full = celedger_run(work / "config", [bulk.parent], out, warehouse)
    total = full["timings"]["total"]
    print(f"celedger run (full):         {total:7.2f} s  ({args.statements / total:,.0f} statements/s)")
    print(f"  ratio to raw flatten:      {total / baseline:7.2f} x   (target <= 3)")
    site = full["timings"].get("site", 0.0)
    print(f"  without the report site:   {(total - site) / baseline:7.2f} x   (the site took {site:.2f} s)")
    print(f"  peak memory (RSS):         {full['peak_mb']:7.0f} MB  (target < 2048)")
    print(f"    (the site's second drawing process: {full['child_peak_mb']:.0f} MB, mostly shared with the first)")
    gate = full["timings"].get("quality gate", 0.0)
    print(f"  quality gate (GX):         {gate:7.2f} s  = {100 * gate / total:5.1f}% of the run (target < 25%)")
    overlapped = full["timings"].get("quality gate, in the background", 0.0)
    print(f"    (+ {overlapped:.2f} s of validation on a thread, overlapping DuckDB's models)")
    print(f"  ledger entries:            {full['entries']:,}")
    print_stages(full["timings"])

    increment = celedger_run(work / "config", [bulk.parent, extra], out, warehouse)
    inc_total = increment["timings"]["total"]
    published = sum(increment["timings"].get(k, 0) for k in ("export", "report", "site"))
    in_warehouse = inc_total - published
    print(f"\n+{args.extra:,} statements (incremental, full pass: {increment['full_pass']}):")
    print(f"  whole run:                 {inc_total:7.2f} s  = {100 * inc_total / total:5.1f}% of the full run")
    print(f"  warehouse update only:     {in_warehouse:7.2f} s  = {100 * in_warehouse / total:5.1f}% (target < 10%)")
    print(f"  peak memory (RSS):         {increment['peak_mb']:7.0f} MB")
    print_stages(increment["timings"])
    print(f"\nbenchmark process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
