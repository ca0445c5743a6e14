"""Read and check a config folder before anything is written.

Every problem is reported as one line naming the file, the line and what is wrong;
a config that fails here never reaches the warehouse.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml

from pipelines import resources
from pipelines.errors import CeledgerError
from pipelines.periods import PeriodScheme

SCHEMAS = resources.SCHEMAS
COMPETENCY = re.compile(r"C(0[1-9]|1[0-2])")
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
SHA1 = re.compile(r"[0-9A-Fa-f]{40}")

COLUMNS = {
    "roster.csv": [
        "worker_id",
        "name",
        "email",
        "role",
        "facility",
        "region",
        "supervisor_id",
        "hire_date",
        "end_date",
    ],
    "identities.csv": ["worker_id", "kind", "value"],
    "catalog.csv": ["activity_id", "title", "kind", "provider", "ce_hours", "competencies", "approved"],
    "approvals.csv": ["worker_id", "activity_id", "decision", "supervisor_id", "decided_at"],
    "certifications.csv": ["worker_id", "credential", "certified_on", "expires_on"],
}
# columns a file may leave out: catalog.csv's topics are read by the tracks' minimums and caps
OPTIONAL_COLUMNS = {"catalog.csv": ["topics"]}
TOPIC = re.compile(r"[a-z][a-z0-9_]*")
REQUIRED_FILES = ("policy.yaml", "roster.csv", "catalog.csv")


@dataclass(frozen=True)
class Minimum:
    name: str
    topics: tuple[str, ...]
    hours: Decimal


@dataclass(frozen=True)
class Cap:
    name: str
    kinds: tuple[str, ...]
    topics: tuple[str, ...]
    hours: Decimal


@dataclass(frozen=True)
class Track:
    """A credential's renewal rule (rules 13-18): hours owed per cycle and what counts."""

    name: str
    credential: str
    hours: Decimal
    months: int
    anchor: date | None  # None: each holder's certified_on
    approval: str
    competency_aligned: bool
    minimums: tuple[Minimum, ...]
    caps: tuple[Cap, ...]
    waive_months: int


@dataclass(frozen=True)
class Policy:
    periods: PeriodScheme
    timezone: str
    requirements: dict[str, Decimal]
    proration: str
    min_attendance_ratio: float
    increment_minutes: int
    pace_slack_hours: float
    # the quality gate's limits on each source's share of a load's batch (expectations/batch_sources.json)
    max_quarantined_share: float
    max_conflicting_share: float
    max_unknown_verb_share: float
    min_batch_records: int  # fewer records from a source in a batch are not judged by share
    tracks: tuple[Track, ...]
    # lenient: a statement whose only xAPI defects lie in fields no rule reads is accepted
    # with warnings; strict: every statement with a defect is quarantined
    validation: str


@dataclass
class Config:
    folder: Path
    policy: Policy
    csv_files: dict[str, Path]  # name -> path, for the files present
    csv_headers: dict[str, list[str]]
    fingerprint: str
    workers: int = 0
    activities: int = 0
    sources: Path | None = field(default=None)
    # approvals.csv's rows with their line numbers: between decisions made at the same
    # instant, the later line wins (rule 9)
    approvals: list[dict[str, str]] = field(default_factory=list)
    certifications: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # usable, but worth an operator's look


def load_config(folder: Path) -> Config:
    folder = Path(folder)
    if not folder.is_dir():
        raise CeledgerError(f"config folder {folder} does not exist")
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise CeledgerError(f"{folder / name}: missing config file")
    policy = read_policy(folder / "policy.yaml")
    tables = {}
    headers = {}
    for name in COLUMNS:
        path = folder / name
        if path.is_file():
            headers[name], tables[name] = read_csv(path, COLUMNS[name], OPTIONAL_COLUMNS.get(name, []))
    roster = check_roster(folder / "roster.csv", tables["roster.csv"], policy)
    check_identities(folder / "identities.csv", tables.get("identities.csv", []), roster)
    activities = check_catalog(folder / "catalog.csv", tables["catalog.csv"])
    check_approvals(folder / "approvals.csv", tables.get("approvals.csv", []), roster, activities)
    check_certifications(folder / "certifications.csv", tables.get("certifications.csv", []), roster)
    digest = hashlib.sha256()
    for name in ("policy.yaml", *COLUMNS):
        if (folder / name).is_file():
            digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return Config(
        folder=folder,
        policy=policy,
        csv_files={name: folder / name for name in tables},
        csv_headers=headers,
        fingerprint=digest.hexdigest(),
        workers=len(roster),
        activities=len(activities),
        sources=folder / "sources.yaml" if (folder / "sources.yaml").is_file() else None,
        approvals=tables.get("approvals.csv", []),
        certifications=tables.get("certifications.csv", []),
        warnings=[describe_cycle(folder / "roster.csv", cycle) for cycle in supervisor_cycles(roster)],
    )


class ConfigLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a date stays the text it was written as: a track's
    `anchor: 2025-09-01` is checked by the schema like any other string, and a day that
    does not exist (2025-02-30) is refused by our check, not by a crash in the loader."""


ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> object:
    """A YAML config file's data ({} when it is empty); one that is not YAML is one line."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as err:
        raise CeledgerError(f"{path}: not valid YAML ({one_line(err)})") from None
    return {} if data is None else data


def schema_violation(path: Path, data: object, schema_name: str, pick=None) -> str | None:
    """The violation of schemas/<schema_name> that best explains what is wrong with a
    config file, as the one line every config error reads like: `file: where: what`.
    `pick` may choose a more telling error than jsonschema's best match."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is None:
        return None
    error = pick(error) if pick else error
    where = ".".join(str(p) for p in error.absolute_path) or "top level"
    return f"{path}: {where}: {one_line(error.message)}"


def policy_timezone(config_dir: Path) -> ZoneInfo:
    """The program's time zone, policy.yaml's `timezone`: the one source of local days for
    --as-of's default, the digest and Airflow's run dates alike."""
    folder = Path(config_dir)
    if not folder.is_dir():
        raise CeledgerError(f"config folder {folder} does not exist")
    path = folder / "policy.yaml"
    if not path.is_file():
        raise CeledgerError(f"{path}: missing config file")
    return ZoneInfo(read_policy(path).timezone)


def today_in_policy_zone(config_dir: Path) -> date:
    """Today where the program is: the default as-of date."""
    return datetime.now(policy_timezone(config_dir)).date()


def read_policy(path: Path) -> Policy:
    data = read_yaml(path)
    for where, value in numbers(data):
        if not math.isfinite(value):  # YAML's .inf and .nan pass every minimum and maximum
            raise CeledgerError(f"{path}: {where}: not a finite number ({value})")
    if violation := schema_violation(path, data, "policy.schema.json"):
        raise CeledgerError(violation)
    timezone = data.get("timezone", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CeledgerError(f"{path}: timezone: unknown time zone {timezone!r}") from None
    period = data.get("period", {})
    webinar = data.get("webinar", {})
    quality = data.get("quality", {})
    requirements = {"peer_specialist": 15, "supervisor": 15}
    requirements.update(data.get("requirements", {}))
    return Policy(
        periods=PeriodScheme(period.get("kind", "fiscal_year"), period.get("start_month", 10)),
        timezone=timezone,
        requirements={role: Decimal(str(hours)) for role, hours in requirements.items()},
        proration=data.get("proration", "monthly"),
        min_attendance_ratio=float(webinar.get("min_attendance_ratio", 0.5)),
        increment_minutes=int(webinar.get("increment_minutes", 15)),
        pace_slack_hours=float(data.get("pace_slack_hours", 1.0)),
        max_quarantined_share=float(quality.get("max_quarantined_share", 0.5)),
        max_conflicting_share=float(quality.get("max_conflicting_share", 0.5)),
        max_unknown_verb_share=float(quality.get("max_unknown_verb_share", 0.5)),
        min_batch_records=int(quality.get("min_batch_records", 20)),
        tracks=read_tracks(path, data.get("tracks", [])),
        validation=data.get("validation", "lenient"),
    )


def read_tracks(path: Path, entries: list[dict]) -> tuple[Track, ...]:
    """policy.yaml's tracks, already shaped by the schema; what a schema cannot say
    (names given twice, a real calendar date as the anchor) is checked here."""
    tracks, names = [], set()
    for n, entry in enumerate(entries):
        where = f"{path}: tracks.{n}"
        if entry["name"] in names:
            raise CeledgerError(f"{where}.name: track {entry['name']!r} appears twice")
        names.add(entry["name"])
        for part in ("minimums", "caps"):
            seen = [item["name"] for item in entry.get(part, [])]
            if twice := sorted({name for name in seen if seen.count(name) > 1}):
                raise CeledgerError(f"{where}.{part}: {twice[0]!r} appears twice")
        cycle = entry.get("cycle", {})
        anchor = cycle.get("anchor", "certified_on")
        tracks.append(
            Track(
                name=entry["name"],
                credential=entry["credential"],
                hours=Decimal(str(entry["hours"])),
                months=cycle.get("months", 24),
                anchor=None if anchor == "certified_on" else parse_anchor(anchor, f"{where}.cycle.anchor"),
                approval=entry.get("approval", "none"),
                competency_aligned=entry.get("competency_aligned", False),
                minimums=tuple(
                    Minimum(m["name"], tuple(m["topics"]), Decimal(str(m["hours"]))) for m in entry.get("minimums", [])
                ),
                caps=tuple(
                    Cap(c["name"], tuple(c.get("kinds", [])), tuple(c.get("topics", [])), Decimal(str(c["hours"])))
                    for c in entry.get("caps", [])
                ),
                waive_months=entry.get("waive_if_certified_within_months", 0),
            )
        )
    return tuple(tracks)


def numbers(data: object, where: str = "") -> list[tuple[str, float]]:
    """Every float in parsed YAML, with its dotted path."""
    if isinstance(data, float):
        return [(where or "top level", data)]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in numbers(value, f"{where}.{key}".lstrip("."))]
    if isinstance(data, list):
        return [found for n, value in enumerate(data) for found in numbers(value, f"{where}.{n}".lstrip("."))]
    return []


def parse_anchor(text: str, where: str) -> date:
    """A fixed cycle anchor: a real calendar date in the years the warehouse holds."""
    anchor = parse_date(text, where)
    if not 1001 <= anchor.year <= 9998:
        raise CeledgerError(f"{where}: {text!r} is outside the years 1001..9998")
    return anchor


def read_csv(path: Path, expected: list[str], optional: list[str] = ()) -> tuple[list[str], list[dict[str, str]]]:
    """Rows as dicts with stripped values; the header must name exactly the expected columns,
    and may name the optional ones (a row's missing optional column reads as empty)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = [h.strip() for h in next(reader, [])]
            if not header:
                raise CeledgerError(f"{path}: empty file, expected columns {', '.join(expected)}")
            unknown = [h for h in header if h not in expected and h not in optional]
            if unknown:
                allowed = ", ".join([*expected, *(f"{h} (optional)" for h in optional)])
                raise CeledgerError(f"{path}: unknown column {unknown[0]!r} (expected {allowed})")
            missing = [h for h in expected if h not in header]
            if missing:
                raise CeledgerError(f"{path}: missing column {missing[0]!r}")
            if len(set(header)) != len(header):
                raise CeledgerError(f"{path}: a column appears twice")
            rows = []
            for values in reader:
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    raise CeledgerError(
                        f"{path}: line {reader.line_num} has {len(values)} fields, the header has {len(header)}"
                    )
                rows.append(
                    dict.fromkeys(optional, "")
                    | {"_line": str(reader.line_num)}
                    | dict(zip(header, (v.strip() for v in values), strict=False))
                )
    except csv.Error as err:
        raise CeledgerError(f"{path}: malformed CSV ({one_line(err)})") from None
    except UnicodeDecodeError:
        raise CeledgerError(f"{path}: not UTF-8 text") from None
    return header, rows


def check_roster(path: Path, rows: list[dict[str, str]], policy: Policy) -> dict[str, dict[str, str]]:
    roster: dict[str, dict[str, str]] = {}
    emails: dict[str, str] = {}
    for row in rows:
        where = f"{path}: line {row['_line']}"
        worker = require(row, "worker_id", where)
        if worker in roster:
            raise CeledgerError(f"{where}: worker_id {worker!r} appears twice")
        if row["role"] not in policy.requirements:
            known = ", ".join(sorted(policy.requirements))
            raise CeledgerError(f"{where}: unknown role {row['role']!r} (known: {known})")
        hire = parse_date(require(row, "hire_date", where), f"{where}: hire_date")
        if row["end_date"] and parse_date(row["end_date"], f"{where}: end_date") < hire:
            raise CeledgerError(f"{where}: end_date is before hire_date")
        email = row["email"].lower()
        if email:
            if "@" not in email or " " in email:
                raise CeledgerError(f"{where}: email {row['email']!r} is not an address")
            if email in emails:
                raise CeledgerError(f"{where}: email {row['email']!r} also belongs to {emails[email]}")
            emails[email] = worker
        roster[worker] = row
    for row in roster.values():
        if row["supervisor_id"] and row["supervisor_id"] not in roster:
            raise CeledgerError(
                f"{path}: line {row['_line']}: supervisor_id {row['supervisor_id']!r} is not in the roster"
            )
    return roster


def supervisor_cycles(roster: dict[str, dict[str, str]]) -> list[list[str]]:
    """Chains of supervisors that come back to where they started, each listed once.

    The roster may say so (rule 9 follows it), but then no one above them checks their
    outside CE: a worker who is their own supervisor has nobody to approve it, and two
    who supervise each other approve each other's.
    """
    cycles, settled = [], set()
    for start in sorted(roster):
        chain, worker = [], start
        while worker and worker not in settled and worker not in chain:
            chain.append(worker)
            worker = roster[worker]["supervisor_id"]
        if worker in chain:
            cycle = chain[chain.index(worker) :]
            first = cycle.index(min(cycle))
            cycles.append(cycle[first:] + cycle[:first])
        settled.update(chain)
    return cycles


def describe_cycle(path: Path, cycle: list[str]) -> str:
    if len(cycle) == 1:
        return f"{path}: {cycle[0]} is their own supervisor, so nobody can approve their outside CE"
    chain = " -> ".join([*cycle, cycle[0]])
    return f"{path}: supervisors form a cycle ({chain}), so they approve each other's outside CE"


def check_identities(path: Path, rows: list[dict[str, str]], roster: dict[str, dict[str, str]]) -> None:
    owners = {("mbox", "mailto:" + r["email"].lower()): w for w, r in roster.items() if r["email"]}
    for row in rows:
        where = f"{path}: line {row['_line']}"
        worker, kind, value = row["worker_id"], row["kind"], require(row, "value", where)
        if worker not in roster:
            raise CeledgerError(f"{where}: worker_id {worker!r} is not in the roster")
        if kind == "mbox":
            value = value.lower() if value.lower().startswith("mailto:") else "mailto:" + value.lower()
        elif kind == "mbox_sha1sum":
            if not SHA1.fullmatch(value):
                raise CeledgerError(f"{where}: mbox_sha1sum {value!r} is not a SHA1 hex digest")
            value = value.lower()
        elif kind == "account":
            if value.count("|") != 1 or not all(value.split("|")):
                raise CeledgerError(f"{where}: account must be written homePage|name, got {value!r}")
        elif kind != "openid":
            raise CeledgerError(f"{where}: unknown identifier kind {kind!r} (mbox, mbox_sha1sum, openid, account)")
        owner = owners.setdefault((kind, value), worker)
        if owner != worker:
            raise CeledgerError(f"{where}: {kind} {value!r} already belongs to {owner}")


def check_catalog(path: Path, rows: list[dict[str, str]]) -> set[str]:
    activities: set[str] = set()
    for row in rows:
        where = f"{path}: line {row['_line']}"
        activity = require(row, "activity_id", where)
        if not IRI.fullmatch(activity):
            raise CeledgerError(f"{where}: activity_id {activity!r} is not an IRI")
        if activity in activities:
            raise CeledgerError(f"{where}: activity_id {activity!r} appears twice")
        if row["kind"] not in ("webinar", "course", "homework"):
            raise CeledgerError(f"{where}: unknown kind {row['kind']!r} (webinar, course, homework)")
        try:
            hours = Decimal(row["ce_hours"])
        except InvalidOperation:
            raise CeledgerError(f"{where}: ce_hours {row['ce_hours']!r} is not a number") from None
        if not hours.is_finite() or hours < 0 or hours > 1000:
            raise CeledgerError(f"{where}: ce_hours {row['ce_hours']!r} is out of range")
        # the book keeps hundredths: 0.001 would be booked as a credit of 0.00 hours
        if hours != hours.quantize(Decimal("0.01")):
            raise CeledgerError(f"{where}: ce_hours {row['ce_hours']!r} has more than two decimals")
        if hours == 0:
            raise CeledgerError(
                f"{where}: ce_hours {row['ce_hours']!r} grants no credit; give the hours (0.01 to 1000) "
                "or leave the activity out of the catalog"
            )
        for code in filter(None, row["competencies"].split(";")):
            if not COMPETENCY.fullmatch(code.strip()):
                raise CeledgerError(f"{where}: unknown competency {code!r} (C01..C12)")
        for topic in filter(None, (t.strip() for t in row["topics"].split(";"))):
            if not TOPIC.fullmatch(topic):
                raise CeledgerError(f"{where}: topic {topic!r} is not a lowercase word (letters, digits, _)")
        if row["approved"].lower() not in ("true", "false"):
            raise CeledgerError(f"{where}: approved must be true or false, got {row['approved']!r}")
        activities.add(activity)
    return activities


def check_approvals(
    path: Path, rows: list[dict[str, str]], roster: dict[str, dict[str, str]], activities: set[str]
) -> None:
    for row in rows:
        where = f"{path}: line {row['_line']}"
        if row["worker_id"] not in roster:
            raise CeledgerError(f"{where}: worker_id {row['worker_id']!r} is not in the roster")
        if row["activity_id"] not in activities:
            raise CeledgerError(f"{where}: activity_id {row['activity_id']!r} is not in the catalog")
        if row["decision"] not in ("approved", "rejected"):
            raise CeledgerError(f"{where}: decision must be approved or rejected, got {row['decision']!r}")
        # a decision by someone other than the worker's own supervisor, on the roster or
        # not, is ignored and reported by the warehouse (rule 9), not a config error
        parse_datetime(require(row, "decided_at", where), f"{where}: decided_at")


def check_certifications(path: Path, rows: list[dict[str, str]], roster: dict[str, dict[str, str]]) -> None:
    """The credentials workers hold (rule 13). A credential no track names is allowed:
    it is listed and owes nothing."""
    held: set[tuple[str, str]] = set()
    for row in rows:
        where = f"{path}: line {row['_line']}"
        worker, credential = require(row, "worker_id", where), require(row, "credential", where)
        if worker not in roster:
            raise CeledgerError(f"{where}: worker_id {worker!r} is not in the roster")
        if (worker, credential) in held:
            raise CeledgerError(f"{where}: {worker} holds {credential!r} on an earlier line already")
        held.add((worker, credential))
        certified = parse_date(require(row, "certified_on", where), f"{where}: certified_on")
        if row["expires_on"] and parse_date(row["expires_on"], f"{where}: expires_on") < certified:
            raise CeledgerError(f"{where}: expires_on is before certified_on")


def require(row: dict[str, str], column: str, where: str) -> str:
    if not row[column]:
        raise CeledgerError(f"{where}: {column} is empty")
    return row[column]


def parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CeledgerError(f"{where}: {text!r} is not a YYYY-MM-DD date") from None


def parse_datetime(text: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CeledgerError(f"{where}: {text!r} is not an ISO 8601 date or date-time") from None


def one_line(err: object) -> str:
    return " ".join(str(err).split())
