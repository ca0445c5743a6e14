"""The few lines `celedger run` prints: what was loaded, compliance, where to look."""

from __future__ import annotations

import duckdb


def print_summary(result) -> None:
    con = duckdb.connect(str(result.warehouse), read_only=True)
    try:
        for line in summary_lines(con, result):
            print(line)
    finally:
        con.close()


def summary_lines(con: duckdb.DuckDBPyConnection, result) -> list[str]:
    counts = dict(
        con.execute(
            """
            select 'statements', count(*) from int_statements
            union all select 'quarantined', count(*) from quarantine_records
            union all select 'unmatched', count(*) from unmatched_actors
            union all select 'uncatalogued', count(*) from uncatalogued_activities
            union all select 'conflicts', count(*) from conflicts
            union all select 'entries', count(*) from ledger_book
            """
        ).fetchall()
    )
    lines = [
        f"loaded {result.records_loaded} records from {result.files_loaded} new file(s)"
        f" ({result.files_skipped} already loaded); "
        f"{counts['statements']} distinct statements, {counts['quarantined']} quarantined, "
        f"{counts['conflicts']} conflicting copies",
        f"ledger: {counts['entries']} entries ({result.ledger_entries_added} new); "
        f"{counts['unmatched']} unmatched actors, {counts['uncatalogued']} uncatalogued activities",
        "",
        f"{'period':<8} {'workers':>7} {'compliant':>9} {'on_track':>8} {'at_risk':>7} "
        f"{'non_compl':>9} {'separated':>9} {'% compl':>7} {'mean h':>7}",
    ]
    for row in con.execute(
        "select period, workers, compliant, on_track, at_risk, non_compliant, separated, "
        "percent_compliant, mean_approved_hours from compliance_national order by period"
    ).fetchall():
        period, workers, compliant, on_track, at_risk, non_compliant, separated, percent, mean = row
        lines.append(
            f"{period:<8} {workers:>7} {compliant:>9} {on_track:>8} {at_risk:>7} {non_compliant:>9} "
            f"{separated:>9} {percent if percent is not None else '-':>7} {mean if mean is not None else '-':>7}"
        )
    lines += track_lines(con)
    lines += [
        "",
        f"report: {result.report}",
        f"site: {result.site}",
        f"tables: {result.out}/*.csv, *.parquet",
        f"warehouse: {result.warehouse}",
    ]
    return lines


def track_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The requirement tracks' holders by status in their current cycle; nothing without tracks."""
    rows = con.execute(
        "select track, holders, compliant, on_track, at_risk, non_compliant, separated, waived, percent_compliant "
        "from compliance_track_summary where level = 'national' order by track"
    ).fetchall()
    if not rows:
        return []
    lines = [
        "",
        f"{'track':<8} {'holders':>7} {'compliant':>9} {'on_track':>8} {'at_risk':>7} "
        f"{'non_compl':>9} {'separated':>9} {'waived':>6} {'% compl':>7}",
    ]
    for track, holders, compliant, on_track, at_risk, non_compliant, separated, waived, percent in rows:
        lines.append(
            f"{track:<8} {holders:>7} {compliant:>9} {on_track:>8} {at_risk:>7} {non_compliant:>9} "
            f"{separated:>9} {waived:>6} {percent if percent is not None else '-':>7}"
        )
    return lines
