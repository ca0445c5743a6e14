from datetime import date
from decimal import Decimal

import duckdb
import pytest

from pipelines import vocabulary
from pipelines.vocabulary import Period, hours, percent, status_label, status_words


def test_hours_are_shown_with_two_places_and_a_missing_figure_as_a_dash():
    assert hours(Decimal("1.5")) == "1.50"
    assert hours(Decimal("0")) == "0.00"
    assert hours(None) == "—"
    assert percent(Decimal("80")) == "80.0%"
    assert percent(None) == "—"


@pytest.mark.parametrize(
    ("status", "label", "words"),
    [
        ("compliant", "Compliant", "compliant"),
        ("on_track", "On track", "on track"),
        ("at_risk", "At risk", "at risk"),
        ("non_compliant", "Non-compliant", "non-compliant"),
        ("separated", "Separated", "separated"),
    ],
)
def test_a_status_reads_the_same_in_a_heading_and_in_a_sentence(status, label, words):
    assert status_label(status) == label
    assert status_words(status) == words


def test_every_status_of_rule_12_has_its_words_in_the_order_charts_stack_them():
    assert vocabulary.STATUSES == ["compliant", "on_track", "at_risk", "non_compliant", "separated"]


def test_the_periods_are_the_runs_own_oldest_first(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    found = vocabulary.periods(con)
    assert found == [
        Period("FY2026", date(2025, 10, 1), date(2026, 9, 30)),
        Period("FY2027", date(2026, 10, 1), date(2027, 9, 30)),
    ]
    assert vocabulary.period_containing(con, date(2026, 10, 1)).label == "FY2027"
    assert vocabulary.period_containing(con, date(2030, 1, 1)) is None
