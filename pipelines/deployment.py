"""Where a deployment keeps things, from the environment, with embedded defaults.

The Airflow DAGs and tasks read these; the defaults are the bundled sample program and
folders beside the checkout, so `airflow standalone` works with no settings at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

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
        try:
            zone = (yaml.safe_load((self.config / "policy.yaml").read_text()) or {}).get("timezone", "UTC")
            tz = ZoneInfo(zone)
        except Exception:  # the ledger task reports a broken policy; here any zone will do
            tz = ZoneInfo("UTC")
        return (run_after or datetime.now(tz)).astimezone(tz).date()
