from datetime import UTC, date, datetime

from pipelines.deployment import Deployment


def deployment(config):
    return Deployment(config, config / "landing", config / "out", config / "out" / "warehouse.duckdb")


def test_a_run_due_at_3am_utc_is_as_of_the_day_before_in_new_york(tmp_path):
    (tmp_path / "policy.yaml").write_text("timezone: America/New_York\n")
    due = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert deployment(tmp_path).as_of(None, due) == date(2026, 11, 19)


def test_an_as_of_asked_for_in_the_run_conf_wins(tmp_path):
    (tmp_path / "policy.yaml").write_text("timezone: America/New_York\n")
    assert deployment(tmp_path).as_of("2026-01-31", datetime(2026, 11, 20, tzinfo=UTC)) == date(2026, 1, 31)


def test_a_broken_policy_leaves_the_run_date_in_utc_for_the_ledger_task_to_report(tmp_path):
    (tmp_path / "policy.yaml").write_text("timezone: Mars/Olympus_Mons\n")
    due = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert deployment(tmp_path).as_of(None, due) == date(2026, 11, 20)
