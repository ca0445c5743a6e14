"""Pull N statements (20,000 by default) from a real Ralph LRS on 127.0.0.1, through
`celedger pull` and through a bare HTTP GET loop that follows `more`, in the same run.

Prints both throughputs and their ratio (target: celedger at 90% of the bare loop or
better). Each side runs several rounds, alternating, and the median counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.pull import pull  # noqa: E402
from tests.lrs_server import RalphLRS  # noqa: E402
from tests.support import COMPLETED, MODULE, sid  # noqa: E402


def statements(count: int) -> list[dict]:
    return [
        {
            "id": sid(f"bench-{n}"),
            "actor": {"objectType": "Agent", "name": f"Worker {n % 5000}", "mbox": f"mailto:w{n % 5000}@example.org"},
            "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": f"{MODULE}/{n % 40}", "definition": {"name": {"en-US": "M"}}},
            "result": {"completion": True, "duration": "PT1H2M"},
            "context": {"platform": "bench", "contextActivities": {"parent": [{"id": MODULE}]}},
        }
        for n in range(count)
    ]


def bare_loop(lrs: RalphLRS, page_size: int) -> int:
    session = requests.Session()
    session.auth = lrs.auth
    headers = {"X-Experience-API-Version": "1.0.3"}
    url, params, count = lrs.statements_url, {"limit": page_size}, 0
    while url:
        document = session.get(url, params=params, headers=headers, timeout=30).json()
        count += len(document["statements"])
        more = document.get("more")
        url, params = (lrs.base_url + more if more else None), None
    return count


def celedger_pull(lrs: RalphLRS, page_size: int, work: Path) -> int:
    config, landing = work / "config", work / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    config.mkdir(exist_ok=True)
    (config / "sources.yaml").write_text(
        "sources:\n  - name: bench\n    kind: lrs\n"
        f"    endpoint: {lrs.endpoint}\n    username_env: BENCH_LRS_USER\n    password_env: BENCH_LRS_PASSWORD\n"
        f"    page_size: {page_size}\n    since_field: timestamp\n"
    )
    os.environ.update(BENCH_LRS_USER=lrs.username, BENCH_LRS_PASSWORD=lrs.password)
    (result,) = pull(config, landing)
    if result.error:
        raise SystemExit(result.error)
    return result.statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        lrs = RalphLRS(work / "ralph", statements(args.statements), max_page_size=args.page_size)
        with lrs:
            timings: dict[str, list[float]] = {"bare GET loop": [], "celedger pull": []}
            for _ in range(args.rounds):
                for name, run in (
                    ("bare GET loop", lambda: bare_loop(lrs, args.page_size)),
                    ("celedger pull", lambda: celedger_pull(lrs, args.page_size, work)),
                ):
                    started = time.perf_counter()
                    got = run()
                    timings[name].append(time.perf_counter() - started)
                    if got != args.statements:
                        raise SystemExit(f"{name} got {got} statements, expected {args.statements}")
    print(f"{args.statements:,} statements from Ralph (fs backend) on 127.0.0.1, pages of {args.page_size}:")
    rates = {}
    for name, seconds in timings.items():
        median = statistics.median(seconds)
        rates[name] = args.statements / median
        rounds = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"  {name:14s} median {median:6.2f} s  {rates[name]:9,.0f} statements/s  (rounds: {rounds})")
    ratio = rates["celedger pull"] / rates["bare GET loop"]
    print(f"  celedger / bare loop: {100 * ratio:.1f}% of the bare loop's throughput (target >= 90%)")


if __name__ == "__main__":
    main()
