"""The program-office report: a static HTML site drawn from the published tables.

`write_site` writes `<out>/site/index.html` (national) and linked pages, national ->
region -> facility -> worker, with relative links so the folder can be copied or opened
from disk. Charts are inline SVG drawn here: no JavaScript, no external assets. The
output depends only on the warehouse, the as-of date and the time zone, so the same
warehouse gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines import resources
from pipelines.errors import CeledgerError
from pipelines.site_writer import BackgroundRows, ForkedDrawer, PageWriter

SQL = resources.SITE_SQL
PARALLEL_ROWS = 5_000  # compliance rows from which a second process draws pages too

# (status, label, fill colour, text colour on the fill); the order of the stacks and legends.
STATUSES = [
    ("compliant", "Compliant", "#2e7d32", "#ffffff"),
    ("on_track", "On track", "#1f6fb2", "#ffffff"),
    ("at_risk", "At risk", "#f0b429", "#1f2933"),
    ("non_compliant", "Non-compliant", "#c0392b", "#ffffff"),
    ("separated", "Separated", "#8a939d", "#ffffff"),
]
STATUS_LABEL = {s: label for s, label, _, _ in STATUSES}
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


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


@dataclass
class Report:
    as_of: date
    timezone: str
    periods: list[Period]
    rollups: dict[Scope, dict[str, dict]]
    coverage: dict[tuple[Scope, str], dict[str, int]]
    workers: list[dict]
    by_scope: dict[tuple[Scope, str], list[dict]]
    paths: dict[object, str] = field(default_factory=dict)  # Scope or worker id -> page path in the site

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

    def workers_in(self, scope: Scope, period: str) -> list[dict]:
        return self.by_scope.get((scope, period), [])


def by_scope(workers: list[dict]) -> dict[tuple[Scope, str], list[dict]]:
    """Each worker's compliance row under its nation, region and facility, per period."""
    index: dict[tuple[Scope, str], list[dict]] = {}
    for w in workers:
        for scope in (Scope("national"), Scope("region", w["region"]), Scope("facility", w["region"], w["facility"])):
            index.setdefault((scope, w["period"]), []).append(w)
    return index


def scope_sort_key(scope: Scope) -> tuple:
    """Regions and facilities in natural order (VISN 2 before VISN 10), ties broken by the exact text."""
    return (scope.level, natural(scope.region), natural(scope.facility), scope.region or "", scope.facility or "")


def natural(text: str | None) -> tuple:
    parts = re.split(r"(\d+)", text or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p)


def records(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict]:
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def site_sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text()


def load_report(con: duckdb.DuckDBPyConnection, as_of: date, timezone: str) -> Report:
    periods = [Period(*row) for row in con.execute("select * from cfg_periods order by start_date").fetchall()]
    rollups: dict[Scope, dict[str, dict]] = {}
    for row in records(con, site_sql("rollups")):
        rollups.setdefault(Scope(row["level"], row["region"], row["facility"]), {})[row["period"]] = row
    coverage: dict[tuple[Scope, str], dict[str, int]] = {}
    for row in records(con, site_sql("coverage")):
        key = (Scope(row["level"], row["region"], row["facility"]), row["period"])
        coverage.setdefault(key, {})[row["code"]] = row["workers"]
    workers = records(con, site_sql("workers"), {"tz": timezone})
    return Report(as_of, timezone, periods, rollups, coverage, workers, by_scope(workers))


def ledger_rows(
    con: duckdb.DuckDBPyConnection, as_of: date, timezone: str, slice_workers: int = 5_000
) -> BackgroundRows:
    """(worker id, period, the ledger table's rows as HTML, their digest), in worker order.
    SQL draws the rows, the bulk of the site, on a thread while Python lays out the report
    and its pages, a slice of workers at a time so a large book is never held at once."""
    as_of_end = datetime.combine(as_of + timedelta(days=1), time(0), ZoneInfo(timezone)).astimezone(UTC)
    ids = [row[0] for row in con.execute("select distinct worker_id from compliance_worker order by 1").fetchall()]
    starts = ids[::slice_workers] or [""]
    slices = [
        {"tz": timezone, "as_of_end": as_of_end, "first": first, "next": following}
        for first, following in zip(starts, [*starts[1:], None], strict=True)
    ]
    slices[0]["first"] = ""  # entries of workers before the first with a compliance row
    return BackgroundRows(con, site_sql("ledger"), slices)


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
    workers = {w["worker_id"]: w["worker_id"] for w in report.workers}
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


# ---------------------------------------------------------------------------- formatting


def esc(value: object) -> str:
    if value is None:
        return ""
    return escape_text(value) if isinstance(value, str) else html.escape(str(value), quote=True)


@lru_cache(maxsize=1 << 16)
def escape_text(text: str) -> str:
    """Names, statuses and labels recur on thousands of pages: escape each once.
    (Only text is cached: Decimal('1.5') == Decimal('1.50'), yet they print apart.)"""
    return html.escape(text, quote=True)


def text_or_none(value: str | None) -> str:
    return "(none)" if value is None or value == "" else value


def hours(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def num(value: float) -> str:
    """SVG coordinates with one decimal, so the files do not depend on float printing."""
    return f"{value:.1f}".removesuffix(".0")


def badge(status: str) -> str:
    return f'<span class="badge {esc(status)}">{esc(STATUS_LABEL.get(status, status))}</span>'


def role_label(role: str) -> str:
    return role.replace("_", " ").capitalize()


def competency_name(code: str) -> str:
    return COMPETENCIES.get(code, code)


def period_title(report: Report, label: str) -> str:
    if label == report.current.label:
        return f"{label} · current"
    if report.previous and label == report.previous.label:
        return f"{label} · previous"
    return label


def link(page: str, report: Report, key: object, text: str) -> str:
    target = report.paths.get(key)
    return esc(text) if target is None else f'<a href="{esc(href(page, target))}">{esc(text)}</a>'


# ---------------------------------------------------------------------------- page shell

CSS = """
:root { --ink: #1f2933; --muted: #5d6b7a; --rule: #d8dee6; --band: #f3f5f8; --accent: #1d3f6e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 1.5rem; }
header.top { background: var(--accent); color: #fff; padding: 1rem 0 0.9rem; }
header.top .kicker { font-size: 0.78rem; letter-spacing: 0.08em; text-transform: uppercase; opacity: 0.85; }
header.top h1 { margin: 0.15rem 0 0.1rem; font-size: 1.75rem; line-height: 1.2; }
header.top .context { font-size: 0.92rem; opacity: 0.9; }
nav.crumbs { margin-top: 0.5rem; font-size: 0.88rem; }
nav.crumbs a { color: #fff; }
nav.crumbs span.sep { opacity: 0.6; margin: 0 0.35rem; }
main { padding: 1.25rem 1.5rem 2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.02rem; margin: 1.4rem 0 0.4rem; }
a { color: #1a5aa6; }
p.note, figcaption, .muted { color: var(--muted); font-size: 0.86rem; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.8rem; margin-top: 0.4rem; }
.card { border: 1px solid var(--rule); border-left: 5px solid var(--accent); border-radius: 6px;
  padding: 0.6rem 0.85rem; }
.card .value { font-size: 1.85rem; font-weight: 650; line-height: 1.15; font-variant-numeric: tabular-nums; }
.card .label { font-size: 0.84rem; color: var(--muted); }
.card .detail { font-size: 0.8rem; color: var(--muted); margin-top: 0.15rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.87rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.34rem 0.45rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; border-bottom: 1px solid #b9c2cd; font-size: 0.82rem;
  white-space: nowrap; }
th.num, td.num { text-align: right; }
td.num { white-space: nowrap; }
tr.current td { font-weight: 600; }
td.when, td.role { white-space: nowrap; }
td .sub { font-size: 0.78rem; color: var(--muted); margin-top: 0.1rem; }
td.notes { font-size: 0.8rem; color: #8a4b00; }
table.ledger tr.reversal td { background: #fdf2f0; }
.hours-key { font-size: 0.78rem; color: var(--muted); }
td.id, span.id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.8rem; color: var(--muted); }
.swatch { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 2px; margin-right: 0.3rem;
  vertical-align: -0.05rem; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.76rem;
  font-weight: 600; white-space: nowrap; }
.codes { font-size: 0.8rem; color: var(--muted); }
figure { margin: 0.6rem 0 1.2rem; }
figure svg { display: block; width: 100%; max-width: 760px; height: auto; }
figure svg text { font-family: inherit; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.4rem 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.period-summary { display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem; align-items: center; margin: 0.3rem 0 0.6rem; }
.period-summary svg { width: 320px; height: auto; }
footer { color: var(--muted); font-size: 0.8rem; padding-bottom: 2rem; }
footer p { border-top: 1px solid var(--rule); margin: 1rem 0 0; padding-top: 0.7rem; }
@media screen and (max-width: 760px) { .cards { grid-template-columns: repeat(2, 1fr); } }
@media print {
  @page { size: letter portrait; margin: 0.5in; }
  body { font-size: 10pt; }
  .wrap, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
  header.top { background: none; color: var(--ink); padding: 0 0 0.4rem; border-bottom: 2px solid var(--ink); }
  nav, .screen-only { display: none !important; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, .cards, .card, tr, dl.facts, .period-summary { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  figure svg { max-width: 6.4in; }
  figure.coverage svg { max-width: 5.6in; }
  section.page { break-before: page; page-break-before: always; }
  .badge, .swatch, .card, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer p { border-top: 1px solid var(--ink); }
}
""" + "".join(f".badge.{s} {{ background: {fill}; color: {ink}; }}\n" for s, _, fill, ink in STATUSES)


def crumbs(page: str, report: Report, trail: list[tuple[object, str]]) -> str:
    if len(trail) == 1:
        return ""
    parts = [link(page, report, key, text) for key, text in trail[:-1]]
    parts.append(f'<span aria-current="page">{esc(trail[-1][1])}</span>')
    joined = '<span class="sep">›</span>'.join(parts)
    return f'<nav class="crumbs" aria-label="Breadcrumb">{joined}</nav>'


def document(page: str, report: Report, head: dict, body: list[str]) -> str:
    """`head`: title, context line, breadcrumb trail, and the page's kind and key for tests and tools."""
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(head['title'])} · CE compliance as of {report.as_of}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            f'<body data-page="{esc(head["kind"])}" data-key="{esc(head["key"])}">',
            '<header class="top"><div class="wrap">',
            f'<div class="kicker">Peer-support continuing education · compliance as of {report.as_of}</div>',
            f"<h1>{esc(head['title'])}</h1>",
            f'<div class="context">{esc(head["context"])}</div>',
            crumbs(page, report, head["trail"]),
            "</div></header>",
            '<main class="wrap">',
            *body,
            "</main>",
            footer(report),
            "</body>",
            "</html>",
            "",
        ]
    )


def footer(report: Report) -> str:
    return (
        '<footer class="wrap"><p>Built by celedger from the published tables (compliance_national, compliance_region, '
        f"compliance_facility, compliance_worker, ledger_entries) as of {report.as_of}; times are in "
        f"{esc(report.timezone)}. Hours are approved, qualifying CE hours (credit with at least one core-competency "
        "category) earned on or before the as-of date.</p></footer>"
    )


# ---------------------------------------------------------------------------- summaries and tables


def card(value: str, label: str, detail: str = "") -> str:
    extra = f'<div class="detail">{esc(detail)}</div>' if detail else ""
    return f'<div class="card"><div class="value">{esc(value)}</div><div class="label">{esc(label)}</div>{extra}</div>'


def summary_cards(report: Report, scope: Scope) -> str:
    rows = report.rollups.get(scope, {})
    now = rows.get(report.current.label, {})
    before = rows.get(report.previous.label, {}) if report.previous else {}
    cards = [
        card(
            percent(now.get("percent_compliant")),
            f"compliant, {report.current.label}",
            f"{now.get('compliant', 0)} of {rated(now)} workers; separated excluded",
        ),
        card(str(now.get("workers", 0)), f"workers, {report.current.label}", status_counts(now)),
        card(
            hours(now.get("mean_approved_hours")),
            f"mean approved hours, {report.current.label}",
            f"period {report.current.start} to {report.current.end}",
        ),
    ]
    if report.previous:
        cards.append(
            card(percent(before.get("percent_compliant")), f"compliant, {report.previous.label}", status_counts(before))
        )
    return '<div class="cards">' + "".join(cards) + "</div>"


def status_counts(row: dict) -> str:
    """The statuses present, in words: "18 on track · 17 at risk"."""
    found = [f"{row[s]} {label.lower()}" for s, label, _, _ in STATUSES if row.get(s)]
    return " · ".join(found) or "no workers"


def rated(row: dict) -> int:
    return (row.get("workers") or 0) - (row.get("separated") or 0)


def status_header() -> str:
    return "".join(
        f'<th class="num"><span class="swatch" style="background:{fill}"></span>{esc(label)}</th>'
        for _, label, fill, _ in STATUSES
    )


def rollup_cells(row: dict, percent_note: str = "") -> str:
    counts = "".join(f'<td class="num" data-col="{s}">{row.get(s, 0)}</td>' for s, *_ in STATUSES)
    note = f'<div class="sub">{esc(percent_note)}</div>' if percent_note else ""
    return (
        f'<td class="num" data-col="workers">{row.get("workers", 0)}</td>{counts}'
        f'<td class="num" data-col="percent_compliant">{percent(row.get("percent_compliant"))}{note}</td>'
        f'<td class="num" data-col="mean_approved_hours">{hours(row.get("mean_approved_hours"))}</td>'
    )


def period_table(report: Report, scope: Scope) -> str:
    rows = report.rollups.get(scope, {})
    head = f'<tr><th>Period</th><th class="num">Workers</th>{status_header()}'
    head += '<th class="num">% compliant</th><th class="num">Mean approved h</th></tr>'
    body = []
    for period in report.newest_first():
        if period.label in rows:
            mark = ' class="current"' if period == report.current else ""
            body.append(
                f'<tr{mark} data-period="{esc(period.label)}"><td>{esc(period_title(report, period.label))}</td>'
                f"{rollup_cells(rows[period.label])}</tr>"
            )
    return table("Compliance by period", head, body, "period-table")


def table(caption: str, head: str, body: list[str], css_id: str) -> str:
    if not body:
        return f'<h2>{esc(caption)}</h2><p class="note">No workers.</p>'
    return (
        f'<h2>{esc(caption)}</h2><table id="{css_id}"><thead>{head}</thead><tbody>'
        + "\n".join(body)
        + "</tbody></table>"
    )


def children_table(page: str, report: Report, scope: Scope) -> str:
    kind = "Region" if scope.level == "national" else "Facility"
    previous = report.previous.label if report.previous else None
    head = f'<tr><th>{kind}</th><th class="num">Workers</th>{status_header()}'
    head += '<th class="num">% compliant</th><th class="num">Mean approved h</th></tr>'
    body = []
    for child in report.children(scope):
        rows = report.rollups[child]
        note = f"{percent(rows.get(previous, {}).get('percent_compliant'))} in {previous}" if previous else ""
        cells = rollup_cells(rows.get(report.current.label, {}), note)
        body.append(f'<tr data-key="{esc(child.name)}"><td>{link(page, report, child, child.name)}</td>{cells}</tr>')
    plural = "Regions" if kind == "Region" else "Facilities"
    return table(f"{plural}, {report.current.label}", head, body, "children-table")


def definitions() -> str:
    items = "".join(f"<dt>{badge(s)}</dt><dd>{esc(text)}</dd>" for s, text in STATUS_DEFINITIONS)
    return f'<h2>What the statuses mean</h2><dl class="facts">{items}</dl>'


# ---------------------------------------------------------------------------- charts


def svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "", tip: str = "") -> str:
    shape = f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{fill}"{extra}'
    return f"{shape}><title>{esc(tip)}</title></rect>" if tip else f"{shape}/>"


def text(x: float, y: float, content: str, extra: str = "") -> str:
    return f'<text x="{num(x)}" y="{num(y)}"{extra}>{esc(content)}</text>'


def legend(items: list[tuple[str, str]], y: float = 12) -> list[str]:
    parts, x = [], 0.0
    for label, fill in items:
        parts += [rect(x, y - 9, 11, 11, fill, ' rx="2"'), text(x + 15, y, label, ' font-size="12" fill="#1f2933"')]
        x += 15 + 7.2 * len(label) + 18
    return parts


def figure(chart: str, caption: str, kind: str) -> str:
    return f'<figure class="{kind}">{chart}<figcaption>{esc(caption)}</figcaption></figure>'


def shorten(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def status_mix_svg(rows: list[tuple[str, dict]], title: str) -> str:
    """One 100 % stacked bar per row (a region, facility or period), counts printed in the segments."""
    label_w, bar_w, top, step = 190, 470, 30, 32
    parts = legend([(label, fill) for _, label, fill, _ in STATUSES])
    for i, (label, row) in enumerate(rows):
        y = top + i * step
        total = row.get("workers") or 0
        parts.append(text(label_w - 10, y + 15, shorten(label), ' font-size="13" text-anchor="end" fill="#1f2933"'))
        parts += stacked_bar(row, total, label_w, y, bar_w)
        parts.append(text(label_w + bar_w + 8, y + 15, f"{total} workers", ' font-size="12" fill="#5d6b7a"'))
    return svg(label_w + bar_w + 110, top + len(rows) * step, title, parts)


def stacked_bar(row: dict, total: int, x: float, y: float, width: float) -> list[str]:
    if not total:
        return [rect(x, y, width, 22, "#eef1f4")]
    parts = []
    for status, label, fill, ink in STATUSES:
        count = row.get(status) or 0
        w = width * count / total
        if count:
            parts.append(rect(x, y, w, 22, fill, tip=f"{label}: {count}"))
        if w >= 22:
            parts.append(text(x + w / 2, y + 15.5, str(count), f' font-size="12" text-anchor="middle" fill="{ink}"'))
        x += w
    return parts


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


def histogram_svg(values: list[Decimal], requirement: Decimal, title: str) -> str:
    """Workers per band of approved hours; bands at or above the requirement in green, the requirement marked."""
    bins = bin_hours(values, requirement)
    left, top, plot_w, plot_h = 46, 24, 640, 190
    peak = max(max(bins.counts), 1)
    step = max(1, math.ceil(peak / 5))
    ymax = step * math.ceil(peak / step)
    bar = plot_w / len(bins.counts)
    parts = y_axis(left, top, plot_w, plot_h, ymax, step)
    for i, count in enumerate(bins.counts):
        fill = "#2e7d32" if i * bins.width >= requirement else "#7a93ad"
        h = plot_h * count / ymax
        parts.append(rect(left + i * bar + 1, top + plot_h - h, bar - 2, h, fill, tip=f"{count} workers"))
        if count:
            parts.append(
                text(
                    left + (i + 0.5) * bar,
                    top + plot_h - h - 4,
                    str(count),
                    ' font-size="11" text-anchor="middle" fill="#1f2933"',
                )
            )
    parts += x_axis(bins, left, top + plot_h, bar)
    parts += requirement_mark(
        left + float(requirement / bins.width) * bar, top, plot_h, requirement, left + plot_w + 20
    )
    return svg(left + plot_w + 20, top + plot_h + 44, title, parts)


def y_axis(left: float, top: float, width: float, height: float, ymax: int, step: int) -> list[str]:
    parts = []
    for tick in range(0, ymax + 1, step):
        y = top + height - height * tick / ymax
        parts.append(f'<line x1="{left}" x2="{num(left + width)}" y1="{num(y)}" y2="{num(y)}" stroke="#e3e8ee"/>')
        parts.append(text(left - 6, y + 4, str(tick), ' font-size="11" text-anchor="end" fill="#5d6b7a"'))
    parts.append(
        text(
            12,
            top + height / 2,
            "workers",
            f' font-size="11" fill="#5d6b7a" transform="rotate(-90 12 {num(top + height / 2)})" text-anchor="middle"',
        )
    )
    return parts


def x_axis(bins: Bins, left: float, base: float, bar: float) -> list[str]:
    parts = [
        f'<line x1="{left}" x2="{num(left + bar * len(bins.counts))}" y1="{num(base)}" y2="{num(base)}" '
        'stroke="#5d6b7a"/>'
    ]
    every = max(1, math.ceil(len(bins.counts) / 16))
    for i in range(0, len(bins.counts) + 1, every):
        label = f"{i * bins.width}"
        if bins.open_ended and i == len(bins.counts):
            continue
        parts.append(text(left + i * bar, base + 15, label, ' font-size="11" text-anchor="middle" fill="#5d6b7a"'))
    if bins.open_ended:
        parts.append(
            text(
                left + (len(bins.counts) - 0.5) * bar,
                base + 15,
                "more",
                ' font-size="11" text-anchor="middle" fill="#5d6b7a"',
            )
        )
    parts.append(
        text(
            left + bar * len(bins.counts) / 2,
            base + 34,
            "approved hours",
            ' font-size="12" text-anchor="middle" fill="#5d6b7a"',
        )
    )
    return parts


def requirement_mark(x: float, top: float, height: float, requirement: Decimal, right: float) -> list[str]:
    label = f"required {hours(requirement)} h"
    anchor, dx = ("end", -5) if x + 7.5 * len(label) > right else ("start", 5)
    return [
        f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(top - 6)}" y2="{num(top + height)}" stroke="#c0392b" '
        'stroke-width="2" stroke-dasharray="5 3"/>',
        text(x + dx, top + 2, label, f' font-size="12" font-weight="600" fill="#c0392b" text-anchor="{anchor}"'),
    ]


def coverage_svg(shares: list[tuple[str, dict[str, float]]], title: str) -> str:
    """Share of workers covering each category; one bar per period given (newest first, darkest)."""
    fills = ["#1d3f6e", "#9fb4cc", "#d5dee8"]
    bar_w, bar_h, gap = 560, 9, 2
    row_h = 17 + len(shares) * (bar_h + gap) + 7
    parts = legend([(label, fills[i]) for i, (label, _) in enumerate(shares)])
    for r, code in enumerate(COMPETENCIES):
        y = 28 + r * row_h
        parts.append(text(0, y + 12, f"{code}  {competency_name(code)}", ' font-size="12.5" fill="#1f2933"'))
        for i, (_, share) in enumerate(shares):
            by = y + 17 + i * (bar_h + gap)
            value = share.get(code, 0.0)
            parts.append(rect(0, by, bar_w, bar_h, "#eef1f4"))
            parts.append(rect(0, by, bar_w * value, bar_h, fills[i]))
            parts.append(text(bar_w + 8, by + bar_h, f"{value * 100:.0f}%", ' font-size="11" fill="#1f2933"'))
    return svg(bar_w + 60, 28 + len(COMPETENCIES) * row_h, title, parts)


HOURS_KEY = (
    '<div class="hours-key"><span class="swatch" style="background:#2e7d32"></span>approved '
    '<span class="swatch" style="background:#f0b429"></span>pending '
    '<span class="swatch" style="background:#c0392b;width:3px"></span>owed</div>'
)


def worker_hours_svg(row: dict) -> str:
    """A worker's approved and pending hours against what is owed."""
    required, approved, pending = row["required_hours"], row["approved_hours"], row["pending_hours"]
    scale = max(required, approved + pending, Decimal(1))
    width, x0 = 300, 0
    a = float(approved / scale) * width
    p = float(pending / scale) * width
    r = float(required / scale) * width
    parts = [rect(x0, 6, width, 16, "#eef1f4"), rect(x0, 6, a, 16, "#2e7d32"), rect(x0 + a, 6, p, 16, "#f0b429")]
    parts.append(f'<line x1="{num(r)}" x2="{num(r)}" y1="1" y2="27" stroke="#c0392b" stroke-width="2"/>')
    title = f"{hours(approved)} h approved, {hours(pending)} h pending of {hours(required)} h owed"
    return svg(width + 4, 28, title, parts)


# ---------------------------------------------------------------------------- chart sections


def chart_sections(report: Report, scope: Scope) -> list[str]:
    return [status_mix_section(report, scope), hours_section(report, scope), coverage_section(report, scope)]


def status_mix_section(report: Report, scope: Scope) -> str:
    period = report.current.label
    if scope.level == "facility":
        rows = [
            (p.label, report.rollups[scope][p.label]) for p in report.newest_first() if p.label in report.rollups[scope]
        ]
        heading, caption = (
            "Status mix by period",
            "Workers by status in each period, as a share of the facility's workers.",
        )
    else:
        kids = report.children(scope)
        rows = [(c.name, report.rollups[c][period]) for c in kids if period in report.rollups[c]]
        per = "region" if scope.level == "national" else "facility"
        heading = f"Status mix by {per}, {period}"
        caption = f"Workers by status in {period} as of {report.as_of}, as a share of each {per}'s workers."
    if not rows:
        return f'<h2>{esc(heading)}</h2><p class="note">No workers.</p>'
    return f"<h2>{esc(heading)}</h2>" + figure(status_mix_svg(rows, heading), caption, "status-mix")


def hours_section(report: Report, scope: Scope) -> str:
    period = report.current.label
    rows = [w for w in report.workers_in(scope, period) if w["status"] != "separated"]
    heading = f"Approved hours, {period}"
    if not rows:
        return f'<h2>{esc(heading)}</h2><p class="note">No workers.</p>'
    owed = Counter(w["required_hours"] for w in rows)
    requirement = max(owed, key=lambda h: (owed[h], h))
    others = len(rows) - owed[requirement]
    caption = (
        f"Approved, qualifying hours of {len(rows)} workers in {period} as of {report.as_of} (separated workers "
        f"excluded), in bands of {bin_hours([], requirement).width} h. The dashed line marks the "
        f"{hours(requirement)} h most workers owe"
        + (f"; {others} owe another amount (prorated hires or other roles)." if others else ".")
    )
    chart = histogram_svg([w["approved_hours"] for w in rows], requirement, heading)
    return f"<h2>{esc(heading)}</h2>" + figure(chart, caption, "hours")


def coverage_section(report: Report, scope: Scope) -> str:
    periods = [p for p in report.newest_first()[:2] if rated(report.rollups.get(scope, {}).get(p.label, {}))]
    heading = "Competency coverage"
    if not periods:
        return f'<h2>{heading}</h2><p class="note">No workers.</p>'
    shares = [(p.label, coverage_shares(report, scope, p.label)) for p in periods]
    caption = (
        "Share of workers (separated excluded) with approved, qualifying credit in each of SAMHSA's twelve "
        "categories of core competencies for peer workers, by period."
    )
    return f"<h2>{heading}</h2>" + figure(coverage_svg(shares, heading), caption, "coverage")


def coverage_shares(report: Report, scope: Scope, period: str) -> dict[str, float]:
    total = rated(report.rollups[scope][period])
    counts = report.coverage.get((scope, period), {})
    return {code: counts.get(code, 0) / total for code in COMPETENCIES}


# ---------------------------------------------------------------------------- level pages


def scope_trail(report: Report, scope: Scope) -> list[tuple[object, str]]:
    trail: list[tuple[object, str]] = [(Scope("national"), "National")]
    if scope.level in ("region", "facility"):
        trail.append((Scope("region", scope.region), text_or_none(scope.region)))
    if scope.level == "facility":
        trail.append((scope, scope.name))
    return trail


def scope_context(report: Report, scope: Scope) -> str:
    where = {
        "national": "All regions and facilities",
        "region": f"Region · {len(report.children(scope))} facilities",
        "facility": f"Facility in {text_or_none(scope.region)}",
    }[scope.level]
    period = report.current
    return f"{where} · current period {period.label} ({period.start} to {period.end})"


def scope_page(report: Report, scope: Scope) -> str:
    page = report.paths[scope]
    mix, hours_chart, coverage = chart_sections(report, scope)
    body = [summary_cards(report, scope), period_table(report, scope)]
    if scope.level == "facility":  # the current period's workers first, the earlier periods' after the charts
        lists = [worker_list(page, report, scope, p) for p in report.newest_first()]
        body += [lists[0], mix, hours_chart, coverage, *lists[1:]]
    else:
        body += [mix, children_table(page, report, scope), hours_chart, coverage]
    body.append(definitions())
    head = {
        "title": scope.name,
        "context": scope_context(report, scope),
        "trail": scope_trail(report, scope),
        "kind": scope.level,
        "key": "" if scope.level == "national" else scope.name,
    }
    return document(page, report, head, body)


def worker_list(page: str, report: Report, scope: Scope, period: Period) -> str:
    rows = sorted(
        report.workers_in(scope, period.label),
        key=lambda w: (ATTENTION.get(w["status"], len(ATTENTION)), w["worker_id"]),
    )
    if not rows:
        return ""
    head = (
        '<tr><th>Worker</th><th>Role</th><th class="num">Required h</th><th class="num">Approved h</th>'
        '<th class="num">Pending h</th><th class="num">Needed h</th><th>Status</th><th>Competencies covered</th></tr>'
    )
    body = [worker_row(page, report, w) for w in rows]
    return (
        f'<section class="page" data-period="{esc(period.label)}">'
        + table(f"Workers, {period_title(report, period.label)}", head, body, f"workers-{slug(period.label)}")
        + "</section>"
    )


def worker_row(page: str, report: Report, w: dict) -> str:
    figures = "".join(
        f'<td class="num" data-col="{col}">{hours(w[col])}</td>'
        for col in ("required_hours", "approved_hours", "pending_hours", "hours_needed")
    )
    return (
        f'<tr data-worker="{esc(w["worker_id"])}"><td>{link(page, report, w["worker_id"], w["name"])} '
        f'<span class="id">{esc(w["worker_id"])}</span></td><td class="role">{esc(role_label(w["role"]))}</td>'
        f'{figures}<td data-col="status">{badge(w["status"])}</td>'
        f"<td>{coverage_cell(w['competencies_covered'])}</td></tr>"
    )


def coverage_cell(covered: str) -> str:
    """How many of the twelve categories; the few covered, or the few missing when most are."""
    codes = [c for c in covered.split(";") if c]
    if not codes:
        return "none"
    missing = [c for c in COMPETENCIES if c not in codes]
    detail = "all" if not missing else " ".join(codes) if len(codes) <= 6 else "missing " + " ".join(missing)
    return f'{len(codes)} of 12 <span class="codes">{esc(detail)}</span>'


# ---------------------------------------------------------------------------- worker pages


def worker_page(report: Report, rows: list[dict], entries: dict[str, str]) -> str:
    """`entries`: the ledger table rows (HTML) of each period the worker has entries in."""
    latest = rows[-1]
    worker_id = latest["worker_id"]
    page = report.paths[worker_id]
    facility = Scope("facility", latest["region"], latest["facility"])
    trail = scope_trail(report, facility) + [(worker_id, f"{latest['name']} ({worker_id})")]
    context = f"{role_label(latest['role'])} · {text_or_none(latest['facility'])}, {text_or_none(latest['region'])}"
    body = [worker_facts(page, report, latest)]
    by_period = {r["period"]: r for r in rows}
    for period in report.newest_first():
        mine = entries.get(period.label)
        if period.label in by_period or mine:
            body.append(worker_period(report, period, by_period.get(period.label), mine))
    head = {"title": latest["name"], "context": context, "trail": trail, "kind": "worker", "key": worker_id}
    return document(page, report, head, body)


def worker_facts(page: str, report: Report, w: dict) -> str:
    supervisor = "—"
    if w["supervisor_id"]:
        name = f"{w['supervisor_name'] or w['supervisor_id']} ({w['supervisor_id']})"
        supervisor = link(page, report, w["supervisor_id"], name)
    facts = [
        ("Worker id", esc(w["worker_id"])),
        ("Role", esc(role_label(w["role"]))),
        ("Facility", link(page, report, Scope("facility", w["region"], w["facility"]), text_or_none(w["facility"]))),
        ("Region", link(page, report, Scope("region", w["region"]), text_or_none(w["region"]))),
        ("Supervisor", supervisor),
        ("Hired", esc(w["hire_date"] or "—")),
        ("Left", esc(w["end_date"] or "—")),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def worker_period(report: Report, period: Period, row: dict | None, entries: str | None) -> str:
    parts = [f'<section data-period="{esc(period.label)}"><h2>{esc(period_title(report, period.label))}</h2>']
    if row is None:
        parts.append('<p class="note">Not employed in this period as of the report date; no compliance row.</p>')
    else:
        parts.append(period_summary(row))
    parts.append(ledger_table(report, entries))
    parts.append("</section>")
    return "".join(parts)


def period_summary(row: dict) -> str:
    codes = [c for c in row["competencies_covered"].split(";") if c]
    facts = [
        ("Status", badge(row["status"])),
        ("Required", hours(row["required_hours"]) + " h"),
        ("Approved", hours(row["approved_hours"]) + " h"),
        ("Pending", hours(row["pending_hours"]) + " h"),
        ("Still needed", hours(row["hours_needed"]) + " h"),
        ("Last activity", esc(row["last_activity"] or "—")),
    ]
    items = "".join(f'<div><span class="muted">{k}</span> <strong>{v}</strong></div>' for k, v in facts)
    covered = "; ".join(f"{c} {competency_name(c)}" for c in codes) or "none yet"
    return (
        f'<div class="period-summary" data-worker-summary>{items}<div>{worker_hours_svg(row)}{HOURS_KEY}</div></div>'
        f'<p class="note">Competencies covered ({len(codes)} of 12): {esc(covered)}</p>'
    )


def ledger_table(report: Report, rows_html: str | None) -> str:
    """The period's entries; warehouse/site/ledger.sql draws their rows."""
    if not rows_html:
        return '<p class="note">No ledger entries in this period.</p>'
    head = (
        f"<tr><th>Earned ({esc(report.timezone)})</th><th>Activity</th><th>Entry</th>"
        '<th class="num">Hours</th><th>Approval</th><th>Competencies</th><th>Notes</th></tr>'
    )
    return f'<table class="ledger"><thead>{head}</thead><tbody>' + rows_html + "</tbody></table>"


# ---------------------------------------------------------------------------- writing


@dataclass
class Page:
    """A page to write: a summary page (`scope`) or a worker's (`rows`, `entries`). A worker
    page's fingerprint names everything it is drawn from, so an unchanged one can be kept."""

    path: str
    scope: Scope | None = None
    rows: list[dict] = field(default_factory=list)
    entries: dict[str, str] = field(default_factory=dict)
    fingerprint: str | None = None


def draw_page(report: Report, page: Page) -> str:
    return scope_page(report, page.scope) if page.scope is not None else worker_page(report, page.rows, page.entries)


def pages(report: Report, ledger: Iterable[tuple[str, str, str, str]]) -> Iterator[Page]:
    """The summary pages, which need no ledger rows (they draw while SQL draws those), then
    the worker pages."""
    yield Page(report.paths[Scope("national")], scope=Scope("national"))
    for scope in sorted((s for s in report.rollups if s.level != "national"), key=scope_sort_key):
        yield Page(report.paths[scope], scope=scope)
    edition = report_edition(report)
    for rows, entries, digests in workers_with_entries(report.workers, ledger):
        fingerprint = worker_fingerprint(edition, report, rows, digests)
        yield Page(report.paths[rows[0]["worker_id"]], rows=rows, entries=entries, fingerprint=fingerprint)


def report_edition(report: Report) -> bytes:
    """What every worker page shares: dates, zone, periods, and the code that draws it."""
    code = b"".join(path.read_bytes() for path in (Path(__file__), SQL / "ledger.sql", SQL / "workers.sql"))
    facts = repr((report.as_of, report.timezone, report.periods)).encode()
    return hashlib.sha256(code + facts).digest()


def worker_fingerprint(edition: bytes, report: Report, rows: list[dict], entry_digests: dict[str, str]) -> str:
    """The page's inputs: the shared edition, the worker's rows and ledger tables (digests
    drawn by SQL) and the pages it links to."""
    latest = rows[-1]
    links = [
        report.paths.get(key)
        for key in (
            latest["worker_id"],
            latest["supervisor_id"],
            Scope("facility", latest["region"], latest["facility"]),
            Scope("region", latest["region"]),
        )
    ]
    facts = repr(([r["digest"] for r in rows], links, sorted(entry_digests.items())))
    return hashlib.sha256(edition + facts.encode()).hexdigest()


def workers_with_entries(
    workers: list[dict], ledger: Iterable[tuple[str, str, str, str]]
) -> Iterator[tuple[list[dict], dict[str, str], dict[str, str]]]:
    """Merge the compliance rows and the book's tables, both ordered by worker id: each
    worker's rows, ledger table per period, and those tables' digests."""
    entries = iter(ledger)
    pending = next(entries, None)
    by_worker: dict[str, list[dict]] = {}
    for row in workers:
        by_worker.setdefault(row["worker_id"], []).append(row)
    for worker_id in sorted(by_worker):
        tables, digests = {}, {}
        while pending is not None and pending[0] <= worker_id:
            if pending[0] == worker_id:
                tables[pending[1]], digests[pending[1]] = pending[2], pending[3]
            pending = next(entries, None)
        yield by_worker[worker_id], tables, digests


def write_site(
    con: duckdb.DuckDBPyConnection, out: Path, as_of: date, *, timezone: str | None = None, parallel: bool | None = None
) -> Path:
    """Write the site under `<out>/site/` and return its `index.html`.

    `timezone` (the policy's IANA zone) is the zone ledger times are shown in; without it,
    the one the warehouse records in `run_state` (key `timezone`), else UTC. The folder is
    built beside the old one and swapped in, so pages of workers who left the tables do
    not linger and a failure leaves the previous site whole. `parallel` (by default, from
    PARALLEL_ROWS compliance rows on a machine that can fork) draws a share of the pages in a
    second process as well.
    """
    timezone = timezone or recorded_timezone(con)
    ZoneInfo(timezone)  # an unknown zone fails here, before anything is written
    with no_progress_bar(con):
        ledger = ledger_rows(con, as_of, timezone)  # starts at once, beside the report's queries
        writer = drawer = scratch = None
        try:
            report = load_report(con, as_of, timezone)
            if not report.periods:
                raise CeledgerError("the warehouse has no periods (cfg_periods is empty): run celedger first")
            assign_paths(report)
            out.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=out))
            for folder in ("region", "facility", "worker"):
                (scratch / folder).mkdir()
            if parallel is None:
                parallel = len(report.workers) >= PARALLEL_ROWS and ForkedDrawer.available()
            if parallel:
                drawer = ForkedDrawer(partial(draw_page, report), scratch)
            writer = PageWriter(scratch, out / "site")
            for page in pages(report, ledger):
                if page.fingerprint is not None and writer.unchanged(page.path, page.fingerprint):
                    continue
                if drawer is None or not drawer.offer(page.path, page):
                    writer.write(page.path, draw_page(report, page))
            if drawer is not None:
                drawer.close()
            writer.close()
            swap_in(scratch, out / "site")
        except BaseException:
            for part in (drawer, writer):
                if part is not None:
                    part.abandon()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise
        finally:
            ledger.close()
    return out / "site" / "index.html"


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


def swap_in(scratch: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        target.rename(old / "site")
    scratch.chmod(0o755)
    scratch.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
