"""Build small CE programs for tests: config files, xAPI statements, and a run of celedger."""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.run import build, run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"  # the bundled sample program (sample/README.md)

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
COMMENTED = "http://adlnet.gov/expapi/verbs/commented"
REPLIED = "http://id.tincanapi.com/verb/replied"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

ACT = "https://training.example.org/"
WEBINAR = ACT + "webinars/core-competencies-1"  # 1.5 h, C01;C09
COURSE = ACT + "courses/wellness-recovery"  # 12 h, C07
MODULE = ACT + "courses/active-listening"  # 3 h, C01
HOMEWORK = ACT + "homework/week-1"  # 1 h, C07
OUTSIDE = ACT + "courses/outside-mi-basics"  # 3 h, C02, needs approval
PRIVACY = ACT + "courses/privacy-refresher"  # 1 h, no competencies

# the mailboxes the tests' statements name Ann (W1, whose roster address is cased otherwise) and Bob (W2) by
ANN = "ann.peer@va.example.gov"
BOB = "bob.peer@va.example.gov"

ROSTER = [
    # worker_id, name, email, role, facility, region, supervisor_id, hire_date, end_date
    ("S1", "Sam Super", "sam.super@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("S2", "Sue Other", "sue.other@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("W1", "Ann Peer", "Ann.Peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2020-01-01", ""),
    ("W2", "Bob Peer", "bob.peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2020-01-01", ""),
]
CATALOG = [
    (WEBINAR, "Using Core Competencies 1", "webinar", "SAMHSA", "1.5", "C01;C09", "true"),
    (COURSE, "Wellness and Recovery Promotion", "course", "SAMHSA", "12", "C07", "true"),
    (MODULE, "Active Listening", "course", "HRS", "3", "C01", "true"),
    (HOMEWORK, "Week 1 homework", "homework", "SAMHSA", "1", "C07", "true"),
    (OUTSIDE, "Motivational Interviewing Basics", "course", "Vendor", "3", "C02", "false"),
    (PRIVACY, "Privacy refresher", "course", "VA", "1", "", "true"),
]
POLICY = "period:\n  kind: fiscal_year\n  start_month: 10\ntimezone: America/New_York\n"


def sid(label: str) -> str:
    """A stable statement id for a label, so tests can name statements."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "celedger-test:" + label))


def statement(
    label: str,
    who: str | dict,
    verb: str,
    activity: str,
    when: str | None,
    duration: str | None = None,
    stored: str | None = None,
    **extra,
) -> dict:
    actor = who if isinstance(who, dict) else {"objectType": "Agent", "mbox": f"mailto:{who}"}
    result = {"duration": duration} if duration else None
    body = {
        "id": sid(label),
        "actor": actor,
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": activity},
        "stored": stored or (when or "2026-01-01T00:00:00Z"),
        "version": "1.0.3",
    }
    if when is not None:
        body["timestamp"] = when
    if result:
        body["result"] = result
    body.update(extra)
    return body


def void(label: str, who: str, target_label: str, when: str) -> dict:
    body = statement(label, who, VOIDED, ACT, when)
    body["object"] = {"objectType": "StatementRef", "id": sid(target_label)}
    return body


@dataclass
class Result:
    run: object
    out: Path
    warehouse: Path

    def rows(self, query: str, *params) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(query, list(params)).fetchall()
        finally:
            con.close()

    def worker(self, worker_id: str, period: str) -> dict:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            cursor = con.execute(
                "select * from compliance_worker where worker_id = ? and period = ?", [worker_id, period]
            )
            names = [d[0] for d in cursor.description]
            found = cursor.fetchall()
        finally:
            con.close()
        return dict(zip(names, found[0], strict=True)) if found else {}

    def approved(self, worker_id: str, period: str) -> Decimal:
        return self.worker(worker_id, period)["approved_hours"]

    def ledger(self, worker_id: str) -> list[tuple]:
        return self.rows(
            "select entry_type, activity_id, period, credited_hours, approval_state, statement_ids "
            "from ledger_book where worker_id = ? order by credit_key, seq",
            worker_id,
        )


class Program:
    def __init__(self, root: Path):
        self.root = root
        self.config = root / "config"
        self.statements_dir = root / "statements"
        self.out = root / "out"
        self.config.mkdir()
        self.statements_dir.mkdir()
        self.write_config()

    def write_config(
        self, roster=ROSTER, catalog=CATALOG, policy=POLICY, identities=(), approvals=(), certifications=()
    ) -> None:
        """The config files; catalog rows with an eighth value get a `topics` column."""
        (self.config / "policy.yaml").write_text(policy)
        write_csv(
            self.config / "roster.csv",
            ["worker_id", "name", "email", "role", "facility", "region", "supervisor_id", "hire_date", "end_date"],
            roster,
        )
        catalog_columns = ["activity_id", "title", "kind", "provider", "ce_hours", "competencies", "approved"]
        if any(len(row) == 8 for row in catalog):
            catalog_columns.append("topics")
            catalog = [(*row, "")[:8] for row in catalog]
        write_csv(self.config / "catalog.csv", catalog_columns, catalog)
        if certifications:
            write_csv(
                self.config / "certifications.csv",
                ["worker_id", "credential", "certified_on", "expires_on"],
                certifications,
            )
        if identities:
            write_csv(self.config / "identities.csv", ["worker_id", "kind", "value"], identities)
        if approvals:
            write_csv(
                self.config / "approvals.csv",
                ["worker_id", "activity_id", "decision", "supervisor_id", "decided_at"],
                approvals,
            )

    def add(self, name: str, statements: list[dict], form: str = "ndjson") -> Path:
        path = self.statements_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if form == "ndjson":
            path.write_text("".join(json.dumps(s) + "\n" for s in statements))
        elif form == "array":
            path.write_text(json.dumps(statements, indent=1))
        else:
            (only,) = statements
            path.write_text(json.dumps(only, indent=2))
        return path

    def build(self, as_of: str = "2026-11-20", paths: list[Path] | None = None, **kwargs) -> Result:
        """The warehouse stages only (no quality gate, nothing published): what a rule decides."""
        warehouse = self.root / "warehouse.duckdb"
        result = build(self.config, paths or [self.statements_dir], date.fromisoformat(as_of), warehouse, **kwargs)
        return Result(result, self.out, warehouse)

    def run(self, as_of: str = "2026-11-20", paths: list[Path] | None = None, **kwargs) -> Result:
        warehouse = self.root / "warehouse.duckdb"
        result = run(
            self.config,
            paths or [self.statements_dir],
            date.fromisoformat(as_of),
            self.out,
            warehouse,
            **kwargs,
        )
        return Result(result, self.out, warehouse)


def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
