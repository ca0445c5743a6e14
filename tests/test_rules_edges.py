"""The rules' edges: each test here failed to pass once a rule was broken in a way
tests/test_rules.py did not notice (a mutation review of the SQL and the period code)."""

from decimal import Decimal

from tests.support import (
    ACT,
    ANN,
    ATTENDED,
    BOB,
    COMMENTED,
    COMPLETED,
    COURSE,
    HOMEWORK,
    MODULE,
    OUTSIDE,
    PASSED,
    REPLIED,
    ROSTER,
    WEBINAR,
    sid,
    statement,
    void,
)

RESPONDED = "http://adlnet.gov/expapi/verbs/responded"
REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
D = Decimal


# Rule 1: identity ---------------------------------------------------------------


def test_rule_01_a_group_earns_nothing_even_when_its_identifier_is_a_workers(program):
    group = {
        "objectType": "Group",
        "name": "Ann's cohort",
        "mbox": f"mailto:{ANN}",  # an identified group that shares Ann's address
        "member": [{"objectType": "Agent", "mbox": f"mailto:{BOB}"}],
    }
    program.add("s.ndjson", [statement("group", group, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    result = program.build()
    assert result.rows("select count(*) from ledger_book") == [(0,)]
    assert result.approved("W1", "FY2026") == D("0.00")
    assert result.rows("select actor_type, actor_value, statements from unmatched_actors") == [
        ("Group", f"mailto:{ANN}", 1)
    ]


# Rule 2: duplicates -------------------------------------------------------------


def test_rule_02_an_earlier_stored_copy_arriving_in_a_later_run_takes_over(program):
    later = statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT90M", stored="2026-01-06T16:00:00Z")
    first = statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT45M", stored="2026-01-05T16:00:00Z")
    program.add("a.ndjson", [later])
    assert program.build().approved("W1", "FY2026") == D("1.50")
    program.add("b.ndjson", [first])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.75")  # only the first stored copy stands
    assert result.rows("select statement_id::varchar, conflicting_stored::varchar from conflicts") == [
        (sid("a"), "2026-01-06 16:00:00+00")
    ]


def test_rule_02_a_copy_differing_only_in_version_is_not_a_conflict(program):
    first = statement("a", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", stored="2026-01-05T16:00:00Z")
    again = dict(first, version="2.0.0", stored="2026-02-01T00:00:00Z")
    program.add("a.ndjson", [first])
    program.add("b.ndjson", [again])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("3.00")
    assert result.rows("select count(*) from conflicts") == [(0,)]


# Rule 4: period -----------------------------------------------------------------


def test_rule_04_the_timestamp_not_stored_decides_the_period(program):
    # done on Sep 30 (FY2026), reached the LRS on Oct 2 (FY2027)
    program.add(
        "s.ndjson", [statement("a", ANN, COMPLETED, MODULE, "2026-09-30T15:00:00Z", stored="2026-10-02T15:00:00Z")]
    )
    assert program.build().rows("select period from ledger_book") == [("FY2026",)]


def test_rule_04_local_midnight_opens_the_new_period(program):
    program.add(
        "s.ndjson",
        [
            statement("midnight", ANN, COMPLETED, MODULE, "2026-10-01T00:00:00-04:00"),
            statement("just-before", BOB, COMPLETED, MODULE, "2026-09-30T23:59:59.999-04:00"),
        ],
    )
    assert program.build().rows("select worker_id, period from ledger_book order by worker_id") == [
        ("W1", "FY2027"),
        ("W2", "FY2026"),
    ]


# Rule 5: webinars ---------------------------------------------------------------


def test_rule_05_only_attended_statements_place_the_webinar_credit(program):
    program.add(
        "s.ndjson",
        [
            statement("signed-up", ANN, REGISTERED, WEBINAR, "2026-09-20T15:00:00Z"),  # FY2026, not attendance
            statement("watched", ANN, ATTENDED, WEBINAR, "2026-10-02T15:00:00Z", "PT90M"),  # FY2027
        ],
    )
    assert program.build().ledger("W1") == [("credit", WEBINAR, "FY2027", D("1.50"), "approved", sid("watched"))]


# Rule 7: forum homework ---------------------------------------------------------


def test_rule_07_grouping_alone_names_the_assignment(program):
    post = ACT + "forum/posts/"
    as_array = {"contextActivities": {"grouping": [{"id": ACT + "forum"}, {"id": HOMEWORK}]}}
    as_object = {"contextActivities": {"grouping": {"id": HOMEWORK}}}
    program.add(
        "s.ndjson",
        [
            statement("ann", ANN, REPLIED, post + "1", "2026-01-06T15:00:00Z", context=as_array),
            statement("bob", BOB, COMMENTED, post + "2", "2026-01-06T15:00:00Z", context=as_object),
        ],
    )
    result = program.build()
    assert result.ledger("W1") == [("credit", HOMEWORK, "FY2026", D("1.00"), "approved", sid("ann"))]
    assert result.ledger("W2") == [("credit", HOMEWORK, "FY2026", D("1.00"), "approved", sid("bob"))]


def test_rule_07_responded_earns_homework_credit(program):
    parent = {"contextActivities": {"parent": [{"id": HOMEWORK}]}}
    program.add(
        "s.ndjson",
        [
            statement("ann", ANN, RESPONDED, HOMEWORK, "2026-01-06T15:00:00Z"),
            statement("bob", BOB, RESPONDED, ACT + "forum/posts/7", "2026-01-06T15:00:00Z", context=parent),
        ],
    )
    result = program.build()
    assert (result.approved("W1", "FY2026"), result.approved("W2", "FY2026")) == (D("1.00"), D("1.00"))


# Rule 8: uncatalogued activities ------------------------------------------------


def test_rule_08_an_uncatalogued_page_of_a_catalogued_course_earns_nothing(program):
    grouping = {"contextActivities": {"grouping": [{"id": COURSE}]}}
    parent = {"contextActivities": {"parent": [{"id": MODULE}]}}
    program.add(
        "s.ndjson",
        [
            statement("page", ANN, COMPLETED, COURSE + "/lesson-1", "2026-01-05T15:00:00Z", context=grouping),
            statement("quiz", BOB, PASSED, MODULE + "/quiz", "2026-01-05T15:00:00Z", context=parent),
        ],
    )
    result = program.build()
    assert result.rows("select count(*) from ledger_book") == [(0,)]
    assert (result.approved("W1", "FY2026"), result.approved("W2", "FY2026")) == (D("0.00"), D("0.00"))


# Rule 9: approval ---------------------------------------------------------------


def test_rule_09_a_worker_without_a_supervisor_cannot_be_approved_by_anyone(program):
    # S1 has no supervisor on the roster, so S2's decision is someone else's: ignored and reported
    program.write_config(approvals=[("S1", OUTSIDE, "approved", "S2", "2026-02-01")])
    program.add("s.ndjson", [statement("a", "sam.super@va.example.gov", COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z")])
    result = program.build()
    row = result.worker("S1", "FY2026")
    assert (row["approved_hours"], row["pending_hours"]) == (D("0.00"), D("3.00"))
    assert result.rows("select worker_id, supervisor_id, own_supervisor_id from ignored_approvals") == [
        ("S1", "S2", None)
    ]


def test_rule_09_catalog_approved_credit_stays_approved_whatever_approvals_csv_says(program):
    program.write_config(approvals=[("W1", MODULE, "rejected", "S1", "2026-02-01")])
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    result = program.build()
    assert result.rows("select approval_state from ledger_book") == [("approved",)]
    assert result.approved("W1", "FY2026") == D("3.00")


# Rule 10: competencies ----------------------------------------------------------


def test_rule_10_coverage_leaves_out_voided_credit(program):
    program.add("a.ndjson", [statement("done", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert program.build().worker("W1", "FY2026")["competencies_covered"] == "C01"
    program.add("b.ndjson", [void("undo", ANN, "done", "2026-03-01T15:00:00Z")])
    assert program.build().worker("W1", "FY2026")["competencies_covered"] == ""


def test_rule_10_coverage_counts_only_credit_earned_by_the_as_of_day(program):
    program.add(
        "s.ndjson",
        [
            statement("course", ANN, COMPLETED, COURSE, "2025-11-01T15:00:00Z"),  # C07
            statement("module", ANN, COMPLETED, MODULE, "2026-04-01T15:00:00Z"),  # C01, after the as-of day
        ],
    )
    row = program.build(as_of="2026-03-31").worker("W1", "FY2026")
    assert (row["approved_hours"], row["competencies_covered"]) == (D("12.00"), "C07")


# Rule 11: requirement -----------------------------------------------------------


def test_rule_11_an_end_date_on_the_first_or_last_day_of_the_period_is_separated(program):
    base = ROSTER[2]
    program.write_config(
        roster=ROSTER[:2]
        + [
            ("W1", *base[1:7], "2020-01-01", "2026-09-30"),  # last day of FY2026
            ("W2", "B", "b@va.example.gov", *base[3:7], "2020-01-01", "2025-10-01"),  # first day of FY2026
        ]
    )
    program.add("s.ndjson", [statement("a", "sam.super@va.example.gov", COMPLETED, MODULE, "2025-11-01T15:00:00Z")])
    result = program.build()
    assert result.worker("W1", "FY2026")["status"] == "separated"
    assert result.worker("W2", "FY2026")["status"] == "separated"
    assert result.rows("select workers, separated from compliance_national where period = 'FY2026'") == [(4, 2)]


# Rule 12: status ----------------------------------------------------------------


def test_rule_12_the_as_of_day_ends_at_local_midnight(program):
    program.add(
        "s.ndjson",
        [
            statement("last-moment", ANN, COMPLETED, MODULE, "2025-12-31T23:59:59.999-05:00"),
            statement("next-day", BOB, COMPLETED, MODULE, "2026-01-01T00:00:00-05:00"),
        ],
    )
    result = program.build(as_of="2025-12-31")
    assert (result.approved("W1", "FY2026"), result.approved("W2", "FY2026")) == (D("3.00"), D("0.00"))


def test_rule_12_elapsed_time_counts_the_as_of_day_itself(program):
    # Bob has 3 h. Pace is 15 * days / 365 - 1, with days counted from Oct 1 through D inclusive.
    # Jan 5 is day 97: pace 2.99 h, on track. Jan 6 is day 98: pace 3.03 h, at risk.
    program.add("s.ndjson", [statement("a", BOB, COMPLETED, MODULE, "2025-10-15T15:00:00Z")])
    assert program.build(as_of="2026-01-05").worker("W2", "FY2026")["status"] == "on_track"
    assert program.build(as_of="2026-01-06").worker("W2", "FY2026")["status"] == "at_risk"


def test_rule_12_a_period_is_closed_only_after_its_last_day(program):
    program.add(
        "s.ndjson",
        [
            statement("course", ANN, COMPLETED, COURSE, "2025-11-01T15:00:00Z"),  # 12 h
            statement("webinar", ANN, ATTENDED, WEBINAR, "2025-12-01T15:00:00Z", "PT90M"),  # 1.5 h
            statement("homework", ANN, COMMENTED, HOMEWORK, "2026-01-05T15:00:00Z"),  # 1 h
            statement("module", BOB, COMPLETED, MODULE, "2025-10-15T15:00:00Z"),  # 3 h
        ],
    )
    last_day = program.build(as_of="2026-09-30")  # elapsed fraction 1: pace 15 - 1 = 14 h
    assert last_day.worker("W1", "FY2026")["status"] == "on_track"  # 14.5 h
    assert last_day.worker("W2", "FY2026")["status"] == "at_risk"
    closed = program.build(as_of="2026-10-01")
    assert closed.worker("W1", "FY2026")["status"] == "non_compliant"
    assert closed.worker("W2", "FY2026")["status"] == "non_compliant"


def test_rule_12_pace_runs_from_the_hire_date_for_new_hires(program):
    base = ROSTER[2]
    program.write_config(roster=ROSTER[:2] + [("W1", *base[1:7], "2026-03-15", "")])  # owes 7.50 h
    program.add("s.ndjson", [statement("hw", ANN, COMMENTED, HOMEWORK, "2026-04-01T15:00:00Z")])  # 1 h
    # Apr 14 is day 31 of W1's 200 days in FY2026: pace 7.5 * 31/200 - 1 = 0.16 h
    # (measured from Oct 1 it would be 7.5 * 196/365 - 1 = 3.03 h, at risk)
    row = program.build(as_of="2026-04-14").worker("W1", "FY2026")
    assert (row["required_hours"], row["approved_hours"], row["status"]) == (D("7.50"), D("1.00"), "on_track")
