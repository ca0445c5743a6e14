"""The program-office report: a static HTML site drawn from the published tables.

`write_site` writes `<out>/site/index.html` (national) and linked pages, national ->
region -> facility -> worker, with relative links so the folder can be copied or opened
from disk. The queries in warehouse/site/ give typed rows; every page is a Jinja2
template under pipelines/templates/site/ (rendered with the environment of
pipelines/pages.py, so every printed value is escaped), charts are inline SVG drawn by
template macros, and one stylesheet (`site.css`) is linked from every page: no
JavaScript, nothing from the network. The output depends only on the warehouse, the
as-of date and the time zone, so the same warehouse gives byte-identical files. A rerun
redraws only the worker pages whose digest (of everything the page shows) changed and
hard-links the others from the old site (pipelines/site_writer.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import re
import shutil
from collections import Counter, namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import jinja2
from markupsafe import Markup

from pipelines import pages, processes, resources, vocabulary, warehouse
from pipelines.errors import CeledgerError
from pipelines.site_writer import (
    connection,
    drawing_pool,
    read_manifest,
    read_only_file,
    reuse_pages,
    scratch_folder,
    swap_in,
    wait_for,
    write_manifest,
    write_page,
)
from pipelines.vocabulary import Period, hours, percent

SQL = resources.SITE_SQL
STYLESHEET = resources.TEMPLATES / "site" / "site.css"
PARALLEL_PAGES = 2_000  # from this many worker pages, other processes draw those that changed
SLICE_WORKERS = 4_000  # worker pages per job handed to a drawing process
SLICE_LINKS = 10_000  # unchanged pages per job of links

# The chart colours of each status: (fill, text on the fill).
STATUS_COLOURS = {
    "compliant": ("#2e7d32", "#ffffff"),
    "on_track": ("#1f6fb2", "#ffffff"),
    "at_risk": ("#f0b429", "#1f2933"),
    "non_compliant": ("#c0392b", "#ffffff"),
    "separated": ("#8a939d", "#ffffff"),
}
# (status, label, fill colour, text colour on the fill); the order of the stacks and legends.
STATUSES = [(s, vocabulary.status_label(s), *STATUS_COLOURS[s]) for s in vocabulary.STATUSES]
ATTENTION = {s: i for i, s in enumerate(["non_compliant", "at_risk", "on_track", "compliant", "separated"])}

# SAMHSA's twelve categories of core competencies for peer workers (the rule book's names).
COMPETENCIES = {
    "C01": "Engages peers in collaborative and caring relationships",
    "C02": "Provides support",
    "C03": "Shares lived experiences of recovery",
    "C04": "Personalizes peer support",
    "C05": "Supports recovery planning",
    "C06": "Links to resources, services, and supports",
    "C07": "Provides information about skills related to health, wellness, and recovery",
    "C08": "Helps peers to manage crises",
    "C09": "Values communication",
    "C10": "Supports collaboration and teamwork",
    "C11": "Promotes leadership and advocacy",
    "C12": "Promotes growth and development",
}

STATUS_DEFINITIONS = [
    ("compliant", "approved, qualifying hours are at least the hours owed for the period."),
    (
        "on_track",
        "not yet compliant, but keeping pace: approved hours are at least the hours owed times the "
        "elapsed share of the worker's time in the period, less the pace slack.",
    ),
    ("at_risk", "behind that pace while the period is still open."),
    ("non_compliant", "the period has ended without the hours owed."),
    ("separated", "left during the period; counted among workers but not in the rates."),
]

# A renewal cycle's statuses (rule 17): the annual ones and `waived`, in the tables' order.
TRACK_STATUS_LABEL = {**vocabulary.STATUS_LABELS, "waived": "Waived"}
TRACK_STATUS_DEFINITIONS = [
    ("compliant", "the hours counted after caps reach the track's hours and every minimum is met."),
    (
        "on_track",
        "keeping pace: the hours and every minimum are at least what is owed times the elapsed share of the "
        "cycle (from the later of its start and the certification), less the pace slack.",
    ),
    ("at_risk", "behind that pace while the cycle is still open."),
    ("non_compliant", "the cycle has ended without the hours or a minimum."),
    ("separated", "the worker left, or the credential expired, during the cycle."),
    ("waived", "the holder was certified too recently for this renewal to be owed."),
]

ROLLUP_COLUMNS = ["workers", *(s for s, *_ in STATUSES), "percent_compliant", "mean_approved_hours"]
Rollup = namedtuple("Rollup", ROLLUP_COLUMNS)
NO_ROLLUP = Rollup(0, 0, 0, 0, 0, 0, None, None)  # a scope without rows in a period


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True, order=True)
class Scope:
    """A node of the drill-down: the nation, a region, or a facility within a region."""

    level: str
    region: str | None = None
    facility: str | None = None

    @property
    def name(self) -> str:
        if self.level == "national":
            return "National"
        return text_or_none(self.facility if self.level == "facility" else self.region)


@dataclass
class Report:
    as_of: date
    timezone: str
    periods: list[Period]
    rollups: dict[Scope, dict[str, Rollup]]
    coverage: dict[tuple[Scope, str], dict[str, int]]
    workers: list[tuple]  # compliance rows (warehouse/site/workers.sql), by worker id and period
    by_scope: dict[tuple[Scope, str], list[tuple]]
    paths: dict[object, str] = field(default_factory=dict)  # Scope or worker id -> page path in the site
    # each track's status mix in its cycles under way (warehouse/site/track_mix.sql), by scope
    track_mix: dict[Scope, list[tuple]] = field(default_factory=dict)

    @property
    def current(self) -> Period:
        return self.periods[-1]

    @property
    def previous(self) -> Period | None:
        return self.periods[-2] if len(self.periods) > 1 else None

    def newest_first(self) -> list[Period]:
        return list(reversed(self.periods))

    def children(self, scope: Scope) -> list[Scope]:
        level = {"national": "region", "region": "facility"}.get(scope.level)
        found = {s for s in self.rollups if s.level == level and (level == "region" or s.region == scope.region)}
        return sorted(found, key=scope_sort_key)

    def workers_in(self, scope: Scope, period: str) -> list[tuple]:
        return self.by_scope.get((scope, period), [])

    def period_title(self, label: str) -> str:
        if label == self.current.label:
            return f"{label} · current"
        if self.previous and label == self.previous.label:
            return f"{label} · previous"
        return label


def by_scope(workers: list[tuple]) -> dict[tuple[Scope, str], list[tuple]]:
    """Each worker's compliance row under its nation, region and facility, per period."""
    index: dict[tuple[Scope, str], list[tuple]] = {}
    for w in workers:
        for scope in (Scope("national"), Scope("region", w.region), Scope("facility", w.region, w.facility)):
            index.setdefault((scope, w.period), []).append(w)
    return index


def scope_sort_key(scope: Scope) -> tuple:
    """Regions and facilities in natural order (VISN 2 before VISN 10), ties broken by the exact text."""
    return (scope.level, natural(scope.region), natural(scope.facility), scope.region or "", scope.facility or "")


def natural(text: str | None) -> tuple:
    parts = re.split(r"(\d+)", text or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p)


def site_sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text()


def typed_rows(cursor: duckdb.DuckDBPyConnection) -> tuple[type, Iterator[tuple]]:
    """A query's rows as named tuples (fields as the query names its columns), fetched in batches."""
    row = namedtuple("Row", [d[0] for d in cursor.description])

    def fetch() -> Iterator[tuple]:
        while batch := cursor.fetchmany(10_000):
            yield from map(row._make, batch)

    return row, fetch()


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    return list(typed_rows(execute(con, site_sql(name), params))[1])


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Run `sql` with those of `params` it names (DuckDB refuses a parameter the query lacks)."""
    return con.execute(sql, {key: value for key, value in (params or {}).items() if f"${key}" in sql})


def load_report(con: duckdb.DuckDBPyConnection, as_of: date, timezone: str) -> Report:
    periods = vocabulary.periods(con)
    rollups: dict[Scope, dict[str, Rollup]] = {}
    for row in query(con, "rollups"):
        figures = Rollup(*(getattr(row, column) for column in ROLLUP_COLUMNS))
        rollups.setdefault(Scope(row.level, row.region, row.facility), {})[row.period] = figures
    coverage: dict[tuple[Scope, str], dict[str, int]] = {}
    for row in query(con, "coverage"):
        coverage.setdefault((Scope(row.level, row.region, row.facility), row.period), {})[row.code] = row.workers
    workers = query(con, "workers", {"tz": timezone, "workers": None})
    report = Report(as_of, timezone, periods, rollups, coverage, workers, by_scope(workers))
    for row in query(con, "track_mix"):
        report.track_mix.setdefault(Scope(row.level, row.region, row.facility), []).append(row)
    return report


@dataclass(frozen=True)
class TrackCycle:
    """One cycle of a worker's renewal transcript: its compliance_track row, its minimums
    and the activities that count toward it (warehouse/site/track_*.sql)."""

    row: tuple
    minimums: tuple[tuple, ...]
    credits: tuple[tuple, ...]


def track_cycles(
    con: duckdb.DuckDBPyConnection, timezone: str, workers: list[str] | None = None
) -> dict[str, list[TrackCycle]]:
    """Each holder's renewal cycles, newest first per track; only the `workers` given (None:
    all). Holders are a share of the workers and cycles few, so they are read whole rather
    than streamed."""
    params = {"tz": timezone, "workers": workers}
    minimums: dict[tuple, list[tuple]] = {}
    for row in query(con, "track_minimums", params):
        minimums.setdefault((row.worker_id, row.track, row.cycle), []).append(row)
    credits: dict[tuple, list[tuple]] = {}
    for row in query(con, "track_credits", params):
        credits.setdefault((row.worker_id, row.track, row.cycle), []).append(row)
    cycles: dict[str, list[TrackCycle]] = {}
    for row in query(con, "track_cycles", params):
        key = (row.worker_id, row.track, row.cycle)
        cycles.setdefault(row.worker_id, []).append(
            TrackCycle(row, tuple(minimums.get(key, ())), tuple(credits.get(key, ())))
        )
    return cycles


def page_params(as_of: date, timezone: str, workers: list[str] | None = None) -> dict:
    """The parameters of the worker pages' queries: the zone, the first instant after the
    as-of day (entries earned from then on do not count yet) and the workers to read."""
    return {"tz": timezone, "as_of_end": warehouse.as_of_end(as_of, timezone), "workers": workers}


def ledger_entries(
    con: duckdb.DuckDBPyConnection, as_of: date, timezone: str, workers: list[str] | None = None
) -> Iterator[tuple]:
    """The book's entries as the worker pages show them, by worker and period, streamed;
    only the `workers` given (None: all)."""
    return typed_rows(execute(con, site_sql("ledger"), page_params(as_of, timezone, workers)))[1]


# The queries a worker page is drawn from, one or more rows per worker each.
PAGE_QUERIES = ("workers", "ledger", "track_cycles", "track_minimums", "track_credits")


def page_sums(con: duckdb.DuckDBPyConnection, as_of: date, timezone: str) -> dict[str, list[tuple]]:
    """Per worker, each page query's rows as DuckDB sees them: (query, row count, sum of the
    rows' hashes). Telling which pages changed then takes no row into Python: a page is a
    function of its rows (each carries the keys it is ordered by). DuckDB's row hash folds
    its last column in without mixing it, so two rows trading a flag could keep the sum;
    the row hash is hashed again, which mixes every bit, before it is added up."""
    params = page_params(as_of, timezone)
    sums: dict[str, list[tuple]] = {}
    for name in PAGE_QUERIES:
        rows = f"({site_sql(name)}) as page_rows"
        sql = f"select page_rows.worker_id, count(*), sum(hash(hash(page_rows))) from {rows} group by all"
        for worker_id, count, total in execute(con, sql, params).fetchall():
            sums.setdefault(worker_id, []).append((name, count, total))
    return sums


# ---------------------------------------------------------------------------- paths


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "page"


def unique_slugs(names: dict[object, str]) -> dict[object, str]:
    """A file-name slug per key; keys whose slug another key shares (letter case included,
    for case-insensitive disks) get a short hash of their own name appended."""
    plain = {key: slug(name) for key, name in names.items()}
    taken = Counter(plain.values())
    return {
        key: s if taken[s] == 1 else f"{s}-{hashlib.sha1(repr(key).encode()).hexdigest()[:8]}"
        for key, s in plain.items()
    }


def assign_paths(report: Report) -> None:
    report.paths[Scope("national")] = "index.html"
    regions = {s: s.name for s in report.rollups if s.level == "region"}
    facilities = {s: s.name for s in report.rollups if s.level == "facility"}
    workers = {w.worker_id: w.worker_id for w in report.workers}
    for folder, names in (("region", regions), ("facility", facilities), ("worker", workers)):
        for key, name in unique_slugs(names).items():
            report.paths[key] = f"{folder}/{name}.html"


def href(page: str, target: str) -> str:
    """A relative link between two site paths (`index.html`, `<folder>/<name>.html`)."""
    return relative_href(page.rpartition("/")[0], target)


@lru_cache(maxsize=1 << 16)
def relative_href(here: str, target: str) -> str:
    there, _, name = target.rpartition("/")
    if here == there:
        return name
    return "../" * (here.count("/") + 1 if here else 0) + target


@dataclass(frozen=True)
class PagePath:
    """The page being drawn, as its template sees it: links from it to other pages."""

    report: Report
    path: str

    def href(self, target: str) -> str:
        return href(self.path, target)

    def to(self, key: object) -> str | None:
        """The link to the page of a Scope or a worker id; None if it has no page."""
        target = self.report.paths.get(key)
        return None if target is None else href(self.path, target)


# ---------------------------------------------------------------------------- template filters


def text_or_none(value: str | None) -> str:
    return "(none)" if value is None or value == "" else value


def num(value: float) -> str:
    """SVG coordinates with one decimal, so the files do not depend on float printing."""
    return f"{value:.1f}".removesuffix(".0")


def role_label(role: str) -> str:
    return role.replace("_", " ").capitalize()


def shorten(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def codes(covered: str) -> list[str]:
    """The competency codes of a `competencies_covered` value ("C01;C09")."""
    return [c for c in covered.split(";") if c]


def coverage_detail(covered: list[str]) -> str:
    """The few categories covered, or the few missing when most are."""
    missing = [c for c in COMPETENCIES if c not in covered]
    return "all" if not missing else " ".join(covered) if len(covered) <= 6 else "missing " + " ".join(missing)


def competency_names(covered: list[str]) -> str:
    return "; ".join(f"{c} {COMPETENCIES.get(c, c)}" for c in covered)


def rated(row: Rollup) -> int:
    """Workers counted in the rates: separated ones left out."""
    return (row.workers or 0) - (row.separated or 0)


def status_counts(row: Rollup) -> str:
    """The statuses present, in words: "18 on track · 17 at risk"."""
    found = [f"{getattr(row, s)} {label.lower()}" for s, label, _, _ in STATUSES if getattr(row, s)]
    return " · ".join(found) or "no workers"


def status_label(status: str) -> str:
    return vocabulary.STATUS_LABELS.get(status, status)


def track_status_label(status: str) -> str:
    return TRACK_STATUS_LABEL.get(status, status)


def notes(entry: tuple) -> Markup:
    """What a worker page says of a ledger entry (warehouse/site/ledger.sql's row) beside
    its hours: fixed words, and the entry ids escaped. One call a row, where the template's
    own conditions cost a dozen."""
    said = []
    if entry.approval_state == "pending":
        said.append(Markup("awaits the supervisor's decision"))
    if entry.approval_state == "rejected":
        said.append(Markup("rejected by the supervisor: counts nowhere"))
    if not entry.qualifying:
        said.append(Markup("no core-competency category: does not count"))
    if entry.reverses_entry_id:
        said.append(Markup("reverses ") + entry.reverses_entry_id)
    if entry.reversed_by:
        said.append(Markup("reversed by ") + entry.reversed_by)
    if entry.after_as_of:
        said.append(Markup("earned after the as-of date"))
    return Markup("; ").join(said)


# The site's templates: pipelines/pages.py's environment (and its escaping) with the site's
# filters and names on top. Templates are read once per process (no stat of each file on
# every page).
ENVIRONMENT = pages.ENVIRONMENT.overlay(auto_reload=False)
ENVIRONMENT.filters = {
    **pages.ENVIRONMENT.filters,
    **{f.__name__: f for f in (hours, percent, num, shorten, codes, coverage_detail, competency_names, rated)},
    **{"role": role_label, "slug": slug, "status_counts": status_counts, "notes": notes, "text_or_none": text_or_none},
    **{"status_label": status_label, "track_status_label": track_status_label},
}
ENVIRONMENT.globals = {
    **pages.ENVIRONMENT.globals,
    "STATUSES": STATUSES,
    "STATUS_LABEL": vocabulary.STATUS_LABELS,
    "STATUS_DEFINITIONS": STATUS_DEFINITIONS,
    "TRACK_STATUS_LABEL": TRACK_STATUS_LABEL,
    "TRACK_STATUS_DEFINITIONS": TRACK_STATUS_DEFINITIONS,
    "COMPETENCIES": COMPETENCIES,
}


def render(template: str, **values: object) -> str:
    page = ENVIRONMENT.get_template(f"site/{template}").render(**values)
    return pages.as_html_escape_writes(page)


# ---------------------------------------------------------------------------- charts' figures


@dataclass(frozen=True)
class Bins:
    width: Decimal
    counts: list[int]
    open_ended: bool  # the last bin also holds everything beyond it


def bin_hours(values: list[Decimal], requirement: Decimal) -> Bins:
    width = Decimal(1) if requirement <= 30 else Decimal(math.ceil(requirement / 20))
    cap = 2 * requirement if requirement > 0 else max(values, default=Decimal(1))
    highest = min(max(values, default=Decimal(0)), cap)
    count = int(max(highest, requirement) // width) + 1
    counts = [0] * count
    for value in values:
        counts[max(0, min(int(value // width), count - 1))] += 1
    return Bins(width, counts, any(v >= count * width for v in values))


@dataclass(frozen=True)
class HoursChart:
    """The approved-hours chart: binned hours of the rated workers, the requirement most owe."""

    workers: int
    requirement: Decimal
    others: int  # workers who owe another amount
    bins: Bins


def hours_chart(rows: list[tuple]) -> HoursChart | None:
    rows = [w for w in rows if w.status != "separated"]
    if not rows:
        return None
    owed = Counter(w.required_hours for w in rows)
    requirement = max(owed, key=lambda h: (owed[h], h))
    bins = bin_hours([w.approved_hours for w in rows], requirement)
    return HoursChart(len(rows), requirement, len(rows) - owed[requirement], bins)


def coverage_shares(report: Report, scope: Scope) -> list[tuple[str, dict[str, float]]]:
    """Per period (the current and previous, those with rated workers): each category's share."""
    shares = []
    for period in report.newest_first()[:2]:
        total = rated(report.rollups.get(scope, {}).get(period.label, NO_ROLLUP))
        if total:
            counts = report.coverage.get((scope, period.label), {})
            shares.append((period.label, {code: counts.get(code, 0) / total for code in COMPETENCIES}))
    return shares


# ---------------------------------------------------------------------------- pages


def scope_trail(scope: Scope) -> list[tuple[object, str]]:
    trail: list[tuple[object, str]] = [(Scope("national"), "National")]
    if scope.level in ("region", "facility"):
        trail.append((Scope("region", scope.region), text_or_none(scope.region)))
    if scope.level == "facility":
        trail.append((scope, scope.name))
    return trail


def heading(page: PagePath, title: str, context: str, trail: list[tuple[object, str]]) -> dict:
    """What base.html shows above a page: its title, context line and breadcrumbs (the
    trail's pages, linked, then this page's name)."""
    crumbs = [(page.to(key), text) for key, text in trail[:-1]]
    return {
        "page": page,
        "report": page.report,
        "title": title,
        "context": context,
        "crumbs": crumbs,
        "here": trail[-1][1],
    }


def scope_context(report: Report, scope: Scope) -> str:
    where = {
        "national": "All regions and facilities",
        "region": f"Region · {len(report.children(scope))} facilities",
        "facility": f"Facility in {text_or_none(scope.region)}",
    }[scope.level]
    period = report.current
    return f"{where} · current period {period.label} ({period.start} to {period.end})"


def scope_page(report: Report, scope: Scope) -> str:
    rows = report.rollups.get(scope, {})
    current, previous = report.current.label, report.previous.label if report.previous else None
    children = [
        (c, report.rollups[c].get(current, NO_ROLLUP), report.rollups[c].get(previous, NO_ROLLUP))
        for c in report.children(scope)
    ]
    if scope.level == "facility":
        mix = [(p.label, rows[p.label]) for p in report.newest_first() if p.label in rows]
    else:
        mix = [(c.name, now) for c, now, _ in children if current in report.rollups[c]]
    lists = []
    if scope.level == "facility":
        for period in report.newest_first():
            workers = report.workers_in(scope, period.label)
            lists.append(
                (period, sorted(workers, key=lambda w: (ATTENTION.get(w.status, len(ATTENTION)), w.worker_id)))
            )
    page = PagePath(report, report.paths[scope])
    return render(
        "scope.html",
        **heading(page, scope.name, scope_context(report, scope), scope_trail(scope)),
        scope=scope,
        kind=scope.level,
        key="" if scope.level == "national" else scope.name,
        now=rows.get(current, NO_ROLLUP),
        before=rows.get(previous, NO_ROLLUP),
        periods=[(p, rows[p.label]) for p in report.newest_first() if p.label in rows],
        children=[
            (c, now, f"{percent(before.percent_compliant)} in {previous}" if previous else "")
            for c, now, before in children
        ],
        mix=mix,
        hours=hours_chart(report.workers_in(scope, current)),
        shares=coverage_shares(report, scope),
        lists=lists,
        track_mix=report.track_mix.get(scope, []),
    )


def worker_links(page: PagePath, w: tuple) -> dict[str, str | None]:
    """A worker page's links to its facility, region and supervisor (none without a page);
    with the page's own path, all a worker page shows of the other pages."""
    return {
        "facility": page.to(Scope("facility", w.region, w.facility)),
        "region": page.to(Scope("region", w.region)),
        "supervisor": page.to(w.supervisor_id) if w.supervisor_id else None,
    }


def worker_page(report: Report, rows: list[tuple], entries: list[tuple], tracks: list[TrackCycle] = ()) -> str:
    """A worker's page: `rows`, their compliance rows by period; `entries`, their ledger
    entries; `tracks`, their renewal cycles (the transcript, printed a cycle a page)."""
    w = rows[-1]
    facility = Scope("facility", w.region, w.facility)
    by_period = {r.period: r for r in rows}
    book = {period: list(group) for period, group in groupby(entries, key=attrgetter("period"))}
    page = PagePath(report, report.paths[w.worker_id])
    context = f"{role_label(w.role)} · {text_or_none(w.facility)}, {text_or_none(w.region)}"
    return render(
        "worker.html",
        **heading(page, w.name, context, [*scope_trail(facility), (w.worker_id, f"{w.name} ({w.worker_id})")]),
        kind="worker",
        key=w.worker_id,
        w=w,
        links=worker_links(page, w),
        periods=[
            (p, report.period_title(p.label), by_period.get(p.label), book.get(p.label, []))
            for p in report.newest_first()
            if p.label in by_period or p.label in book
        ],
        tracks=tracks,
    )


def worker_inputs(workers: list[tuple], entries: Iterator[tuple]) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """(compliance rows, ledger entries) of each worker in `workers` (compliance rows by
    worker id), merging the two streams (both by worker id)."""
    book = groupby(entries, key=attrgetter("worker_id"))
    pending = next(book, None)
    for worker_id, rows in groupby(workers, key=attrgetter("worker_id")):
        mine: list[tuple] = []
        while pending is not None and pending[0] <= worker_id:
            if pending[0] == worker_id:
                mine = list(pending[1])
            pending = next(book, None)
        yield list(rows), mine


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A digest of what turns a page's rows into its bytes: the site's code, queries and
    templates, the escaping and the vocabulary (labels, hours), and the versions of Jinja2,
    MarkupSafe (which escapes) and DuckDB (whose row hashes page_sums adds up)."""
    versions = [jinja2.__version__, importlib.metadata.version("markupsafe"), duckdb.__version__]
    digest = hashlib.sha256(" ".join(versions).encode())
    code = [Path(__file__), Path(__file__).with_name("site_writer.py"), Path(pages.__file__), Path(vocabulary.__file__)]
    folders = (resources.TEMPLATES / "site", SQL)
    for source in [*code, *sorted(p for folder in folders for p in folder.iterdir() if p.is_file())]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()


def page_digests(report: Report, sums: dict[str, list[tuple]]) -> dict[str, str]:
    """Each worker page's digest, by worker id, of everything it shows: its rows (`sums`, from
    page_sums), its path and links, the as-of date, time zone and periods, and the code
    drawing it."""
    latest = {w.worker_id: w for w in report.workers}  # rows by worker and period: the last stands
    common = hashlib.blake2b(
        code_digest() + repr((report.as_of, report.timezone, report.periods)).encode(), digest_size=16
    )
    digests = {}
    for w in latest.values():
        page = PagePath(report, report.paths[w.worker_id])
        digest = common.copy()
        digest.update(repr((page.path, worker_links(page, w), sums.get(w.worker_id))).encode())
        digests[w.worker_id] = digest.hexdigest()
    return digests


def draw_worker_pages(con: duckdb.DuckDBPyConnection, report: Report, folder: Path, workers: list[str] | None) -> int:
    """Write the pages of the `workers` given (None: every worker with a compliance row) into
    `folder`, reading only their rows; how many were written."""
    rows = query(con, "workers", {"tz": report.timezone, "workers": workers})
    tracks = track_cycles(con, report.timezone, workers)  # before the book's stream: a query ends the one before
    entries = ledger_entries(con, report.as_of, report.timezone, workers)
    written = 0
    for mine, book in worker_inputs(rows, entries):
        worker_id = mine[-1].worker_id
        write_page(folder, report.paths[worker_id], worker_page(report, mine, book, tracks.get(worker_id, [])))
        written += 1
    return written


def warm() -> None:
    """In a new drawing process: read the templates (importing this module) before the first job."""
    ENVIRONMENT.get_template("site/worker.html")


def draw_in_process(database: str, report: Report, folder: Path, workers: list[str]) -> int:
    """In a drawing process: draw_worker_pages from its own read-only connection."""
    return draw_worker_pages(connection(database), report, folder, workers)


# ---------------------------------------------------------------------------- writing


def write_site(
    con: duckdb.DuckDBPyConnection, out: Path, as_of: date, *, timezone: str | None = None, parallel: bool | None = None
) -> Path:
    """Write the site under `<out>/site/` and return its `index.html`.

    `timezone` (the policy's IANA zone) is the zone ledger times are shown in; without it,
    the one the warehouse records in `run_state` (key `timezone`), else UTC. The folder is
    built beside the old one and swapped in, so pages of workers who left the tables do
    not linger and a failure leaves the previous site whole; worker pages whose digest is
    the old manifest's are hard-linked from the old site instead of drawn, and only the
    others' rows are read. `parallel` (by default, for PARALLEL_PAGES worker pages or more
    on more than one core) has other processes draw the worker pages, each from its own
    read-only connection: `con` must have the warehouse file open read-only (else the
    pages are drawn here). The processes start first, so that their start-up overlaps
    reading the report.
    """
    timezone = timezone or recorded_timezone(con)
    ZoneInfo(timezone)  # an unknown zone fails here, before anything is written
    out.mkdir(parents=True, exist_ok=True)
    database = read_only_file(con)
    if parallel is None:
        parallel = processes.cores() > 0 and database is not None and worker_pages(con) >= PARALLEL_PAGES
    drawers = max(processes.cores(), 2) if parallel and database is not None else 0
    with no_progress_bar(con), scratch_folder(out) as scratch, drawing_pool(drawers) as pool:
        for _ in range(drawers):
            pool.submit(warm)  # each starts a process, which reads the templates meanwhile
        report = load_report(con, as_of, timezone)
        if not report.periods:
            raise CeledgerError("the warehouse has no periods (cfg_periods is empty): run celedger first")
        assign_paths(report)
        for folder in ("region", "facility", "worker"):
            (scratch / folder).mkdir()
        shutil.copyfile(STYLESHEET, scratch / "site.css")
        old_site = out / "site"
        previous = read_manifest(old_site)
        workers = list(dict.fromkeys(w.worker_id for w in report.workers))
        # Without an old manifest every page is drawn, and the digests wait until the drawing has started.
        digests = page_digests(report, page_sums(con, as_of, timezone)) if previous else {}
        stale = [w for w in workers if not previous or previous.get(report.paths[w]) != digests[w]]
        unchanged = set(workers).difference(stale)
        links = [(report.paths[w], w) for w in workers if w in unchanged]  # the pages to link from the old site
        jobs, linking = [], []
        if pool is not None:  # the drawing processes link the unchanged pages, then draw the others
            shares = [dict(links[i : i + SLICE_LINKS]) for i in range(0, len(links), SLICE_LINKS)]
            linking = [pool.submit(reuse_pages, old_site, scratch, share) for share in shares]
            shared = Report(as_of, timezone, report.periods, {}, {}, [], {}, report.paths)
            chunks = [stale[i : i + SLICE_WORKERS] for i in range(0, len(stale), SLICE_WORKERS)]
            jobs = [pool.submit(draw_in_process, database, shared, scratch, chunk) for chunk in chunks]
            stale = []
        else:
            stale += reuse_pages(old_site, scratch, dict(links))
        write_scope_pages(scratch, report)
        # an unchanged page the old site lacks (or on a disk without hard links) is drawn after all
        stale += [worker_id for failed in wait_for(linking) for worker_id in failed]
        if stale:
            draw_worker_pages(con, report, scratch, None if len(stale) == len(workers) else stale)
        digests = digests or page_digests(report, page_sums(con, as_of, timezone))
        wait_for(jobs)
        write_manifest(scratch, {report.paths[worker_id]: digest for worker_id, digest in digests.items()})
        swap_in(scratch, old_site)
    return out / "site" / "index.html"


def worker_pages(con: duckdb.DuckDBPyConnection) -> int:
    """How many worker pages the site has: one per worker with a compliance row."""
    return con.execute("select count(distinct worker_id) from compliance_worker").fetchone()[0]


def write_scope_pages(folder: Path, report: Report) -> None:
    for scope in sorted(report.rollups, key=scope_sort_key):
        write_page(folder, report.paths[scope], scope_page(report, scope))


def recorded_timezone(con: duckdb.DuckDBPyConnection) -> str:
    try:
        found = con.execute("select value from run_state where key = 'timezone'").fetchone()
    except duckdb.CatalogException:  # a warehouse without run_state
        found = None
    return found[0] if found else "UTC"


@contextmanager
def no_progress_bar(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Streaming the book of a large program takes long enough for DuckDB to draw its
    progress bar on stdout; keep the caller's output clean and its setting as it was."""
    (before,) = con.execute("select current_setting('enable_progress_bar')").fetchone()
    con.execute("set enable_progress_bar = false")
    try:
        yield
    finally:
        con.execute(f"set enable_progress_bar = {str(bool(before)).lower()}")
