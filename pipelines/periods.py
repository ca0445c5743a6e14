"""Compliance periods (rule 4): fiscal years named by the year they end, or calendar years.

Periods are computed here, not in SQL: the warehouse receives their bounds as UTC
instants (see pipelines.warehouse.define_periods) and labels statements by comparing
instants, which keeps time-zone conversion off the million-row path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class PeriodScheme:
    kind: str  # fiscal_year or calendar_year
    start_month: int = 10

    @property
    def first_month(self) -> int:
        return self.start_month if self.kind == "fiscal_year" else 1

    def label_year(self, day: date) -> int:
        """The year that names the period containing `day` (its ending year)."""
        if self.first_month > 1 and day.month >= self.first_month:
            return day.year + 1
        return day.year

    def label(self, year: int) -> str:
        return f"FY{year}" if self.kind == "fiscal_year" else str(year)

    def bounds(self, year: int) -> tuple[date, date]:
        if self.first_month == 1:
            return date(year, 1, 1), date(year, 12, 31)
        start = date(year - 1, self.first_month, 1)
        return start, date(year, self.first_month, 1) - timedelta(days=1)

    def periods_between(self, first: date, last: date) -> list[tuple[str, date, date]]:
        """Every period from the one containing `first` to the one containing `last`."""
        years = range(self.label_year(min(first, last)), self.label_year(last) + 1)
        return [(self.label(y), *self.bounds(y)) for y in years]
