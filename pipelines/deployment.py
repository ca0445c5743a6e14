"""Where a deployment keeps things, from the environment, with embedded defaults.

The Airflow DAGs and tasks read these; the defaults are the bundled sample program and
folders beside the checkout, so `airflow standalone` works with no settings at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from pipelines.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Deployment:
    config: Path
    landing: Path
    out: Path
    warehouse: Path

    @classmethod
    def from_environment(cls) -> Deployment:
        out = Path(os.environ.get("CELEDGER_OUT", ROOT / "out"))
        return cls(
            config=Path(os.environ.get("CELEDGER_CONFIG", ROOT / "sample" / "config")),
            landing=Path(os.environ.get("CELEDGER_LANDING", ROOT / "landing")),
            out=out,
            warehouse=Path(os.environ.get("CELEDGER_WAREHOUSE", out / "warehouse.duckdb")),
        )

    def source_names(self) -> list[tuple[str, str]]:
        """(name, schedule) of each configured source: a plain read of sources.yaml, no checks.

        DAG files call this while Airflow parses them, so it must be cheap and must not
        fail: a broken sources.yaml is reported by the pull task, not by the parser.
        """
        path = self.config / "sources.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            return [(str(s["name"]), str(s.get("schedule", "@hourly"))) for s in data.get("sources", [])]
        except (OSError, yaml.YAMLError, TypeError, KeyError, AttributeError):
            return []

    def as_of(self, requested: str | None, run_after: datetime | None) -> date:
        """The as-of date: the one asked for, else the day the run was due in the policy's time zone."""
        if requested:
            return date.fromisoformat(requested)
        from pipelines.config import policy_timezone
        from pipelines.errors import CeledgerError

        try:
            tz = policy_timezone(self.config)
        except CeledgerError:  # the ledger task reports a broken policy; here any zone will do
            tz = ZoneInfo("UTC")
        return (run_after or datetime.now(tz)).astimezone(tz).date()


# --------------------------------------------------------------------------- the embedded sample

SAMPLE = ROOT / "sample"
LRS_SOURCE = "webinar-platform"  # the sample system served by a Ralph LRS (sample/config/sources.yaml)
LRS_FILE = "fs_lrs.jsonl"  # what Ralph's fs backend serves, one statement a line, in file order
KEPT_FROM_LRS = "webinar-platform-not-served-by-ralph.ndjson"
SEEDED = ".celedger-sample-seeded"
INBOXES = {"lms": ["lms-completions.json"], "course-forum": ["course-forum"]}


def prepare_sample(
    home: Path, sample: Path = SAMPLE, smtp_port: int | None = None, smtp_host: str = "127.0.0.1"
) -> list[str]:
    """The sample program as a deployment under `home` (the embedded $AIRFLOW_HOME, or the
    compose file's deploy/): its config copied to home/config (every start, so a changed
    sample config is picked up), a digest.yaml for a local SMTP catcher when `smtp_port` is
    given, and, on the first start only (a marker file), the sources seeded from the
    sample's statements. Returns what was done, a line each."""
    home, sample = Path(home), Path(sample)
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    for path in sorted((sample / "config").iterdir()):
        if path.is_file() and not path.name.startswith("."):
            write_seeded(config / path.name, path.read_bytes())
    done = [f"config: {sample / 'config'} -> {config}"]
    if smtp_port:
        digest = (
            "# the sample deployment's SMTP catcher (written at each start)\n"
            f"smtp_host: {smtp_host}\nsmtp_port: {smtp_port}\nsender: celedger-digest@localhost\n"
        )
        write_seeded(config / "digest.yaml", digest.encode())
        done.append(f"digests: sent to the SMTP catcher on {smtp_host}:{smtp_port}")
    marker = home / SEEDED
    if marker.exists():
        return [*done, f"sources: seeded before ({marker}); nothing copied again"]
    done += seed_sources(home, sample / "statements")
    write_seeded(marker, b"seeded from " + str(sample / "statements").encode() + b"\n")
    return done


def seed_sources(home: Path, statements: Path) -> list[str]:
    """The webinar platform's statements into Ralph's store (those Ralph can serve as they
    are), the LMS and forum exports into their inboxes, the rest of the webinar platform's
    into the vendor inbox."""
    lines = (statements / "webinar-platform.ndjson").read_text(encoding="utf-8").splitlines(keepends=True)
    served, kept = split_for_ralph(lines)
    store = home / "ralph" / "data" / LRS_FILE
    write_seeded(store, "".join(served).encode())
    done = [f"{LRS_SOURCE}: {len(served)} statements into Ralph's store {store}"]
    vendor = home / "inbox" / "vendor-drop"
    vendor.mkdir(parents=True, exist_ok=True)
    if kept:
        write_seeded(vendor / KEPT_FROM_LRS, "".join(kept).encode())
        done.append(f"{LRS_SOURCE}: {len(kept)} statements Ralph cannot serve as they are into {vendor}")
    for inbox, names in INBOXES.items():
        folder = home / "inbox" / inbox
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            source = statements / name
            files = sorted(source.glob("*.*json")) if source.is_dir() else [source]
            for path in files:
                if not path.name.startswith(("_", ".")):
                    write_seeded(folder / path.name, path.read_bytes())
                    done.append(f"{inbox}: {path.name} into {folder}")
    return done


def split_for_ralph(lines: list[str]) -> tuple[list[str], list[str]]:
    """(lines Ralph's fs backend serves unchanged, lines to keep out of it).

    Ralph pages on the last statement's id (`search_after`), so an id on two lines makes
    `more` skip or repeat, and celedger's pull rightly lands one copy of an id, so a
    duplicate or a conflicting copy would never reach the rules. And Ralph answers every
    `since` query with a 500 when a stored timestamp is not ISO 8601 with an offset. Such
    lines, and any that is not a JSON object with a string id, land through an inbox whole.
    """
    ids: dict[str, int] = {}
    parsed = []
    for line in lines:
        try:
            statement = json.loads(line)
        except ValueError:
            statement = None
        parsed.append(statement)
        if isinstance(statement, dict) and isinstance(statement.get("id"), str):
            ids[statement["id"]] = ids.get(statement["id"], 0) + 1
    served, kept = [], []
    for line, statement in zip(lines, parsed, strict=True):
        ok = isinstance(statement, dict) and ids.get(statement.get("id")) == 1 and offset_timestamp(statement)
        (served if ok else kept).append(line if line.endswith("\n") else line + "\n")
    return served, kept


def offset_timestamp(statement: dict) -> bool:
    value = statement.get("timestamp")
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def write_seeded(path: Path, data: bytes) -> None:
    """Whole or not at all, and readable by other accounts: Ralph's container reads them
    in docker-compose.yml."""
    atomic_write(path, data, mode=0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.deployment",
        description="Prepare the sample program as a deployment: config copy, then seed its sources once.",
    )
    parser.add_argument("home", type=Path, help="the deployment folder ($AIRFLOW_HOME, or deploy/ for compose)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the sample program (default: %(default)s)")
    parser.add_argument("--smtp-port", type=int, help="write a digest.yaml for an SMTP catcher on this port")
    parser.add_argument("--smtp-host", default="127.0.0.1", help="the SMTP catcher's host (default: %(default)s)")
    args = parser.parse_args(argv)
    for line in prepare_sample(args.home, args.sample, args.smtp_port, args.smtp_host):
        print(f"celedger sample: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
