"""One or more tests per rule of the rule book (shared/spec/ce-rules.md), each built so
that breaking the rule breaks the test."""

import os
from datetime import UTC, datetime
from decimal import Decimal

from tests.support import (
    ACT,
    ANN,
    ATTENDED,
    BOB,
    COMMENTED,
    COMPLETED,
    COURSE,
    FAILED,
    HOMEWORK,
    MODULE,
    OUTSIDE,
    PASSED,
    PRIVACY,
    REPLIED,
    ROSTER,
    WEBINAR,
    sid,
    statement,
    void,
)

D = Decimal


# Rule 1: identity ---------------------------------------------------------------


def test_rule_01_mbox_is_compared_case_insensitively(program):
    program.add("s.ndjson", [statement("a", "ANN.PEER@VA.EXAMPLE.GOV", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert program.build().approved("W1", "FY2026") == D("3.00")


def test_rule_01_roster_email_also_gives_the_sha1_sum_in_any_hex_case(program):
    import hashlib

    digest = hashlib.sha1(b"mailto:bob.peer@va.example.gov").hexdigest().upper()
    actor = {"objectType": "Agent", "mbox_sha1sum": digest}
    program.add("s.ndjson", [statement("a", actor, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert program.build().approved("W2", "FY2026") == D("3.00")


def test_rule_01_a_mixed_case_roster_email_matches_its_hash_as_written_and_lower_cased(program):
    import hashlib

    # the roster spells W1's address Ann.Peer@va.example.gov; senders hash whichever form they hold
    as_written = hashlib.sha1(b"mailto:Ann.Peer@va.example.gov").hexdigest()
    lower_cased = hashlib.sha1(b"mailto:ann.peer@va.example.gov").hexdigest()
    program.add(
        "s.ndjson",
        [
            statement(
                "a", {"objectType": "Agent", "mbox_sha1sum": as_written}, COMPLETED, MODULE, "2026-01-05T15:00:00Z"
            ),
            statement(
                "b", {"objectType": "Agent", "mbox_sha1sum": lower_cased}, COMPLETED, PRIVACY, "2026-01-05T15:00:00Z"
            ),
        ],
    )
    result = program.build()
    assert [row[1] for row in result.ledger("W1")] == [MODULE, PRIVACY]
    assert result.rows("select count(*) from unmatched_actors") == [(0,)]


def test_rule_01_accounts_and_openids_resolve_through_identities_csv(program):
    program.write_config(
        identities=[("W1", "account", "https://lms.example.org|ann42"), ("W2", "openid", "https://id.example.org/bob")]
    )
    account = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "ann42"}}
    wrong_case = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "ANN42"}}
    openid = {"objectType": "Agent", "openid": "https://id.example.org/bob"}
    program.add(
        "s.ndjson",
        [
            statement("a", account, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
            statement("b", wrong_case, COMPLETED, COURSE, "2026-01-05T15:00:00Z"),
            statement("c", openid, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("3.00")  # account names are exact: ANN42 is someone else
    assert result.approved("W2", "FY2026") == D("3.00")
    assert result.rows("select actor_value from unmatched_actors") == [("https://lms.example.org|ANN42",)]


def test_rule_01_unresolved_actors_and_groups_earn_nothing_and_are_reported(program):
    group = {
        "objectType": "Group",
        "name": "Cohort A",
        "member": [{"objectType": "Agent", "mbox": f"mailto:{ANN}"}],
    }
    program.add(
        "s.ndjson",
        [
            statement("guest", "guest@example.org", COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
            statement("guest2", "guest@example.org", COMPLETED, COURSE, "2026-01-06T15:00:00Z"),
            statement("group", group, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.rows("select count(*) from ledger_book") == [(0,)]
    assert result.rows("select actor_type, actor_value, statements from unmatched_actors order by actor_type") == [
        ("Agent", "mailto:guest@example.org", 2),
        ("Group", None, 1),
    ]


def test_rule_01_a_rebuild_credits_actors_the_roster_later_resolves(program):
    program.add("s.ndjson", [statement("a", "ann.home@example.org", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert program.build().approved("W1", "FY2026") == D("0.00")
    program.write_config(identities=[("W1", "mbox", "mailto:Ann.Home@example.org")])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("3.00")
    assert result.rows("select count(*) from unmatched_actors") == [(0,)]


# Rule 2: duplicates -------------------------------------------------------------


def test_rule_02_an_identical_copy_changes_nothing(program):
    first = statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT45M", stored="2026-01-05T16:00:00Z")
    again = dict(first, stored="2026-02-01T00:00:00Z", authority={"objectType": "Agent", "mbox": "mailto:lrs@x.org"})
    program.add("a.ndjson", [first])
    program.add("b.ndjson", [again])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.75")  # 45 minutes, not 90
    assert result.rows("select count(*) from conflicts") == [(0,)]


def test_rule_02_a_conflicting_copy_loses_to_the_first_stored_and_is_reported(program):
    kept = statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT45M", stored="2026-01-05T16:00:00Z")
    later = statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT90M", stored="2026-01-06T16:00:00Z")
    program.add("a.ndjson", [later, kept])  # the later-stored copy comes first in the file
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.75")
    assert result.rows("select statement_id::varchar, conflicting_stored::varchar from conflicts") == [
        (sid("a"), "2026-01-06 16:00:00+00")
    ]


def test_rule_02_with_equal_stored_the_copy_in_the_file_given_first_stands(program):
    stored = "2026-01-05T16:00:00Z"
    second = program.add("a.ndjson", [statement("x", ANN, COMPLETED, COURSE, "2026-01-05T15:00:00Z", stored=stored)])
    first = program.add("b.ndjson", [statement("x", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", stored=stored)])
    result = program.build(paths=[first, second])
    assert [row[1] for row in result.ledger("W1")] == [MODULE]
    assert result.rows("select kept_file, conflicting_file from conflicts") == [(str(first), str(second))]


def test_rule_02_a_folders_files_are_read_in_name_order_sub_folders_included(program):
    copy = statement("x", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", stored="2026-01-05T16:00:00Z")
    program.add("b.ndjson", [dict(copy, object={"objectType": "Activity", "id": COURSE})])
    program.add("a/late.ndjson", [copy])  # a/late.ndjson comes before b.ndjson by name
    result = program.build()
    assert [row[1] for row in result.ledger("W1")] == [MODULE]


def test_rule_02_a_quarantined_copy_takes_no_part(program):
    broken = statement("x", ANN, COMPLETED, COURSE, "2026-01-05T15:00:00Z", "1 hour", stored="2026-01-05T15:00:01Z")
    valid = statement("x", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", stored="2026-01-05T16:00:00Z")
    program.add("s.ndjson", [broken, valid])
    result = program.build()
    assert [row[1] for row in result.ledger("W1")] == [MODULE]
    assert result.rows("select count(*) from conflicts") == [(0,)]
    assert result.rows("select reasons from quarantine") == [("result.duration is not an ISO 8601 duration",)]


# Rule 3: voiding ----------------------------------------------------------------


def test_rule_03_a_voided_completion_earns_nothing(program):
    program.add(
        "s.ndjson",
        [
            statement("done", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
            void("undo", ANN, "done", "2026-01-06T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.00")
    assert result.ledger("W1") == []


def test_rule_03_a_void_that_arrives_before_its_target_still_voids_it(program):
    program.add("a.ndjson", [void("undo", ANN, "done", "2026-01-06T15:00:00Z")])
    program.build()
    program.add("b.ndjson", [statement("done", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.00")
    assert result.ledger("W1") == []


def test_rule_03_voiding_granted_credit_records_a_reversal(program):
    program.add("a.ndjson", [statement("done", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert program.build().approved("W1", "FY2026") == D("3.00")
    program.add("b.ndjson", [void("undo", ANN, "done", "2026-03-01T15:00:00Z")])
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.00")
    credit, reversal = result.rows(
        "select entry_id, entry_type, credited_hours, reverses_entry_id, statement_ids from ledger_book order by seq"
    )
    assert credit[1:3] == ("credit", D("3.00"))
    assert reversal[1:4] == ("reversal", D("-3.00"), credit[0])
    assert sid("undo") in reversal[4] and sid("done") in reversal[4]


def test_rule_03_voiding_a_voiding_statement_has_no_effect(program):
    program.add(
        "s.ndjson",
        [
            statement("done", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
            void("undo", ANN, "done", "2026-01-06T15:00:00Z"),
            void("undo-the-undo", ANN, "undo", "2026-01-07T15:00:00Z"),
        ],
    )
    assert program.build().approved("W1", "FY2026") == D("0.00")


# Rule 4: period -----------------------------------------------------------------


def test_rule_04_periods_follow_the_local_calendar_of_the_policy_time_zone(program):
    program.add(
        "s.ndjson",
        [
            # 02:30 UTC on Oct 1 is 22:30 on Sep 30 in New York: still FY2026
            statement("late", ANN, COMPLETED, MODULE, "2026-10-01T02:30:00Z"),
            # 23:30 on Sep 30 in Los Angeles is 02:30 on Oct 1 in New York: FY2027
            statement("west", BOB, COMPLETED, MODULE, "2026-09-30T23:30:00-07:00"),
        ],
    )
    result = program.build()
    assert result.rows("select worker_id, period from ledger_book order by worker_id") == [
        ("W1", "FY2026"),
        ("W2", "FY2027"),
    ]


def test_rule_04_stored_stands_in_for_a_missing_timestamp(program):
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, MODULE, None, stored="2026-10-01T03:15:00Z")])
    assert program.build().rows("select period from ledger_book") == [("FY2026",)]


def test_rule_04_calendar_years_are_labelled_by_the_year(program):
    program.write_config(policy="period:\n  kind: calendar_year\ntimezone: UTC\n")
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, MODULE, "2025-12-31T23:59:59Z")])
    result = program.build(as_of="2026-02-01")
    assert result.rows("select period from ledger_book") == [("2025",)]
    assert result.rows("select distinct period from compliance_worker order by 1") == [("2025",), ("2026",)]


def test_rule_04_a_timestamp_more_than_a_day_after_stored_is_quarantined(program):
    program.add(
        "s.ndjson",
        [
            statement("skewed", ANN, COMPLETED, MODULE, "2026-01-06T15:59:59Z", stored="2026-01-05T16:00:00Z"),
            statement("ahead", BOB, COMPLETED, MODULE, "2026-01-06T16:00:01Z", stored="2026-01-05T16:00:00Z"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("3.00")  # within the day's grace for clock skew
    assert result.rows("select statement_id::varchar, reasons from quarantine") == [
        (sid("ahead"), "timestamp is far in the future")
    ]


def test_rule_04_without_stored_the_time_celedger_received_it_stands_in_not_the_as_of_day(program):
    undated = [
        statement("this-week", ANN, COMPLETED, MODULE, "2026-12-01T15:00:00Z"),
        statement("next-year", BOB, COMPLETED, MODULE, "2027-12-01T15:00:00Z"),
    ]
    feed = program.add("s.ndjson", [{k: v for k, v in s.items() if k != "stored"} for s in undated])
    received = datetime(2026, 12, 1, 16, 0, tzinfo=UTC).timestamp()
    os.utime(feed, (received, received))
    result = program.build(as_of="2026-11-20")
    assert result.rows("select statement_id::varchar, reasons from quarantine") == [
        (sid("next-year"), "timestamp is far in the future")
    ]
    assert result.approved("W1", "FY2027") == D("0.00")  # taken, but earned after the as-of day (rule 12)
    assert program.build(as_of="2026-12-02").approved("W1", "FY2027") == D("3.00")


# Rule 5: webinars ---------------------------------------------------------------


def test_rule_05_attendance_segments_add_up_and_round_down_to_the_increment(program):
    program.add(
        "s.ndjson",
        [
            statement("part1", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT40M"),
            statement("part2", ANN, ATTENDED, WEBINAR, "2026-01-05T15:45:00Z", "PT34M59S"),
        ],
    )
    result = program.build()
    assert result.ledger("W1") == [
        ("credit", WEBINAR, "FY2026", D("1.00"), "approved", ";".join(sorted([sid("part1"), sid("part2")])))
    ]


def test_rule_05_attendance_is_capped_at_the_scheduled_length(program):
    program.add("s.ndjson", [statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "P0DT2H")])
    assert program.build().approved("W1", "FY2026") == D("1.50")


def test_rule_05_attendance_below_the_minimum_ratio_earns_nothing(program):
    program.add(
        "s.ndjson",
        [
            statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT44M59S"),  # just under half of 90
            statement("b", BOB, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT45M"),  # exactly half
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.00")
    assert result.approved("W2", "FY2026") == D("0.75")


def test_rule_05_one_credit_per_webinar_in_the_period_of_the_earliest_attendance(program):
    program.add(
        "s.ndjson",
        [
            statement("recording", ANN, ATTENDED, WEBINAR, "2026-10-02T15:00:00Z", "PT30M"),
            statement("live", ANN, ATTENDED, WEBINAR, "2026-09-28T15:00:00Z", "PT4.5S"),
            statement("voided-part", ANN, ATTENDED, WEBINAR, "2026-09-29T15:00:00Z", "PT60M"),
            void("undo", ANN, "voided-part", "2026-09-29T16:00:00Z"),
        ],
    )
    result = program.build()
    # 30 min + 4.5 s (the voided hour does not count) is below half of 90 minutes
    assert result.ledger("W1") == []
    program.add("more.ndjson", [statement("rest", ANN, ATTENDED, WEBINAR, "2026-10-03T15:00:00Z", "PT20M")])
    result = program.build()
    assert result.rows("select period, credited_hours from ledger_book where worker_id = 'W1'") == [
        ("FY2026", D("0.75"))  # 50 min 4.5 s rounds down to 45; earliest attendance is in FY2026
    ]


def test_rule_05_a_duration_may_carry_a_decimal_comma_in_its_last_number(program):
    program.add(
        "s.ndjson",
        [
            # 29 min 59.5 s + 15 min 0.5 s is exactly half of 90 minutes: the fractions count
            statement("part1", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT29M59,5S"),
            statement("part2", ANN, ATTENDED, WEBINAR, "2026-01-05T15:45:00Z", "PT15M0,5S"),
            statement("hours", BOB, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT1,25H"),
            statement("misplaced", BOB, ATTENDED, WEBINAR, "2026-01-06T15:00:00Z", "PT0,5H1M"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.75")
    assert result.approved("W2", "FY2026") == D("1.25")
    assert result.rows("select statement_id::varchar, reasons from quarantine") == [
        (sid("misplaced"), "result.duration is not an ISO 8601 duration")
    ]


def test_rule_05_policy_sets_ratio_and_increment(program):
    policy = "timezone: UTC\nwebinar:\n  min_attendance_ratio: 0.25\n  increment_minutes: 30\n"
    program.write_config(policy=policy)
    program.add("s.ndjson", [statement("a", ANN, ATTENDED, WEBINAR, "2026-01-05T15:00:00Z", "PT59M")])
    assert program.build().approved("W1", "FY2026") == D("0.50")


# Rule 6: courses ----------------------------------------------------------------


def test_rule_06_a_course_credits_catalog_hours_once_per_period(program):
    program.add(
        "s.ndjson",
        [
            statement("first", ANN, COMPLETED, COURSE, "2026-01-05T15:00:00Z", "PT2H"),
            statement("again", ANN, PASSED, COURSE, "2026-02-05T15:00:00Z"),
            statement("next-year", ANN, COMPLETED, COURSE, "2026-10-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.rows("select period, credited_hours, statement_ids from ledger_book order by period") == [
        ("FY2026", D("12.00"), sid("first")),
        ("FY2027", D("12.00"), sid("next-year")),
    ]


def test_rule_06_cmi5_satisfied_counts_like_completed_and_waived_never_earns(program):
    satisfied = "https://w3id.org/xapi/adl/verbs/satisfied"
    waived = "https://w3id.org/xapi/adl/verbs/waived"
    program.add(
        "s.ndjson",
        [
            statement("satisfied", ANN, satisfied, MODULE, "2026-01-05T15:00:00Z"),
            statement("waived", BOB, waived, MODULE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("3.00")
    assert result.ledger("W2") == []


def test_rule_06_failed_earns_nothing_and_passed_earns_credit(program):
    program.add(
        "s.ndjson",
        [
            statement("fail", ANN, FAILED, MODULE, "2026-01-05T15:00:00Z"),
            statement("pass", BOB, PASSED, MODULE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == D("0.00")
    assert result.approved("W2", "FY2026") == D("3.00")


# Rule 7: forum homework ---------------------------------------------------------


def test_rule_07_homework_counts_as_object_parent_or_grouping_once_per_period(program):
    post = ACT + "forum/posts/"
    parent = {"contextActivities": {"parent": [{"id": HOMEWORK}]}}
    grouping = {"contextActivities": {"grouping": {"id": HOMEWORK}}}  # a single object, as 1.0 senders do
    program.add(
        "s.ndjson",
        [
            statement("p1", ANN, COMMENTED, post + "1", "2026-01-05T15:00:00Z", context=parent),
            statement("p2", ANN, REPLIED, post + "2", "2026-01-06T15:00:00Z", context=grouping),
            statement("p3", ANN, COMMENTED, HOMEWORK, "2026-10-06T15:00:00Z"),
            statement("attend", BOB, ATTENDED, post + "3", "2026-01-06T15:00:00Z", context=parent),
        ],
    )
    result = program.build()
    assert result.rows("select period, credited_hours, statement_ids from ledger_book order by period") == [
        ("FY2026", D("1.00"), sid("p1")),
        ("FY2027", D("1.00"), sid("p3")),
    ]


# Rule 8: uncatalogued activities ------------------------------------------------


def test_rule_08_uncatalogued_activities_earn_nothing_and_are_reported(program):
    office_hours = ACT + "webinars/office-hours"
    program.add(
        "s.ndjson",
        [
            statement("a", ANN, ATTENDED, office_hours, "2026-01-05T15:00:00Z", "PT60M"),
            statement("b", ANN, ATTENDED, office_hours, "2026-01-12T15:00:00Z", "PT60M"),
            statement("c", BOB, ATTENDED, office_hours, "2026-01-05T15:00:00Z", "PT60M"),
            statement("d", "guest@example.org", ATTENDED, office_hours, "2026-01-05T15:00:00Z", "PT60M"),
        ],
    )
    result = program.build()
    assert result.rows("select count(*) from ledger_book") == [(0,)]
    assert result.rows("select activity_id, statements, workers, actors from uncatalogued_activities") == [
        (office_hours, 4, 2, 3)
    ]


# Rule 9: approval ---------------------------------------------------------------


def test_rule_09_unapproved_activities_wait_for_the_own_supervisors_decision(program):
    program.write_config(
        roster=ROSTER + [("W3", "Cy Peer", "cy.peer@va.example.gov", *ROSTER[2][3:])],
        approvals=[
            ("W1", OUTSIDE, "approved", "S1", "2026-02-01"),
            ("W2", OUTSIDE, "rejected", "S1", "2026-02-01T10:00:00Z"),
            ("W3", OUTSIDE, "approved", "S2", "2026-02-01"),  # S2 is not W3's supervisor
        ],
    )
    program.add(
        "s.ndjson",
        [statement(w, f"{w}@va.example.gov", COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z") for w in ("ann.peer",)]
        + [statement("bob", BOB, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z")]
        + [statement("cy", "cy.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z")],
    )
    result = program.build()
    assert (result.approved("W1", "FY2026"), result.worker("W1", "FY2026")["pending_hours"]) == (D("3"), D("0"))
    assert (result.approved("W2", "FY2026"), result.worker("W2", "FY2026")["pending_hours"]) == (D("0"), D("0"))
    assert (result.approved("W3", "FY2026"), result.worker("W3", "FY2026")["pending_hours"]) == (D("0"), D("3"))
    assert result.rows("select approval_state from ledger_book order by worker_id") == [
        ("approved",),
        ("rejected",),
        ("pending",),
    ]
    assert result.rows("select worker_id, supervisor_id, own_supervisor_id from ignored_approvals") == [
        ("W3", "S2", "S1")
    ]


def test_rule_09_a_later_decision_reverses_the_pending_credit_and_grants_it_approved(program):
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z")])
    assert program.build().worker("W1", "FY2026")["pending_hours"] == D("3.00")
    program.write_config(approvals=[("W1", OUTSIDE, "approved", "S1", "2026-02-01")])
    result = program.build()
    assert result.ledger("W1") == [
        ("credit", OUTSIDE, "FY2026", D("3.00"), "pending", sid("a")),
        ("reversal", OUTSIDE, "FY2026", D("-3.00"), "pending", sid("a")),
        ("credit", OUTSIDE, "FY2026", D("3.00"), "approved", sid("a")),
    ]
    assert (result.approved("W1", "FY2026"), result.worker("W1", "FY2026")["pending_hours"]) == (D("3"), D("0"))


def test_rule_09_a_decision_by_someone_not_on_the_roster_is_ignored_and_reported(program):
    program.write_config(approvals=[("W1", OUTSIDE, "approved", "S99", "2026-02-01")])
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z")])
    result = program.build()
    assert result.worker("W1", "FY2026")["pending_hours"] == D("3.00")
    assert result.rows("select worker_id, supervisor_id, own_supervisor_id, reason from ignored_approvals") == [
        ("W1", "S99", "S1", "decided by someone not on the roster")
    ]


def test_rule_09_a_worker_is_never_their_own_approver(program):
    own = ("W1", *ROSTER[2][1:6], "W1", *ROSTER[2][7:])  # the roster makes W1 their own supervisor
    program.write_config(
        roster=[*ROSTER[:2], own, ROSTER[3]],
        approvals=[("W1", OUTSIDE, "approved", "W1", "2026-02-01"), ("W2", OUTSIDE, "approved", "W2", "2026-02-01")],
    )
    program.add(
        "s.ndjson",
        [
            statement("a", ANN, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z"),
            statement("b", BOB, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert [result.worker(w, "FY2026")["pending_hours"] for w in ("W1", "W2")] == [D("3.00"), D("3.00")]
    assert result.rows("select worker_id, reason from ignored_approvals order by worker_id") == [
        ("W1", "a worker never approves their own credit"),
        ("W2", "a worker never approves their own credit"),
    ]
    assert result.run.warnings == [
        f"{program.config / 'roster.csv'}: W1 is their own supervisor, so nobody can approve their outside CE"
    ]


def test_rule_09_between_decisions_at_the_same_instant_the_later_line_wins(program):
    program.write_config(
        roster=ROSTER + [("W3", "Cy Peer", "cy.peer@va.example.gov", *ROSTER[2][3:])],
        approvals=[
            ("W1", OUTSIDE, "rejected", "S1", "2026-02-01T10:00:00Z"),
            ("W1", OUTSIDE, "approved", "S1", "2026-02-01T05:00:00-05:00"),  # the same instant, a later line
            ("W3", OUTSIDE, "approved", "S1", "2026-02-01T10:00:00Z"),
            ("W3", OUTSIDE, "rejected", "S1", "2026-02-01T10:00:00Z"),
        ],
    )
    program.add(
        "s.ndjson",
        [
            statement("a", ANN, COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z"),
            statement("c", "cy.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.rows("select worker_id, approval_state from ledger_book order by worker_id") == [
        ("W1", "approved"),
        ("W3", "rejected"),
    ]


# Rule 10: competencies ----------------------------------------------------------


def test_rule_10_only_credit_with_competencies_counts_and_coverage_is_reported(program):
    program.add(
        "s.ndjson",
        [
            statement("privacy", ANN, COMPLETED, PRIVACY, "2026-01-05T15:00:00Z"),
            statement("module", ANN, COMPLETED, MODULE, "2026-01-06T15:00:00Z"),
            statement("webinar", ANN, ATTENDED, WEBINAR, "2026-01-07T15:00:00Z", "PT90M"),
        ],
    )
    result = program.build()
    row = result.worker("W1", "FY2026")
    assert (row["approved_hours"], row["competencies_covered"]) == (D("4.50"), "C01;C09")
    assert result.rows("select qualifying from ledger_book where activity_id = ?", PRIVACY) == [(False,)]


# Rule 11: requirement -----------------------------------------------------------


def test_rule_11_new_hires_owe_whole_remaining_months_rounded_up_to_a_quarter_hour(program):
    base = ROSTER[2]
    program.write_config(
        roster=ROSTER[:2]
        + [
            ("W1", *base[1:7], "2026-03-15", ""),  # Apr..Sep: 6 months -> 7.50
            ("W2", "B", "b@va.example.gov", *base[3:7], "2026-03-01", ""),  # Mar..Sep: 7 months -> 8.75
            ("W3", "C", "c@va.example.gov", *base[3:7], "2026-09-20", ""),  # no whole month -> 0
            ("W4", "D", "d@va.example.gov", *base[3:7], "2025-12-02", ""),  # Jan..Sep: 9 -> 11.25
            ("W5", "E", "e@va.example.gov", *base[3:7], "2025-11-10", ""),  # Dec..Sep: 10 -> 12.5
        ],
        policy="timezone: UTC\nrequirements:\n  peer_specialist: 15\n  supervisor: 10\n",
    )
    program.add("s.ndjson", [statement("a", "sam.super@va.example.gov", COMPLETED, MODULE, "2025-11-01T15:00:00Z")])
    result = program.build()
    required = dict(result.rows("select worker_id, required_hours from compliance_worker where period = 'FY2026'"))
    assert required == {
        "S1": D("10.00"),
        "S2": D("10.00"),
        "W1": D("7.50"),
        "W2": D("8.75"),
        "W3": D("0.00"),
        "W4": D("11.25"),
        "W5": D("12.50"),
    }


def test_rule_11_monthly_proration_rounds_up_to_a_quarter_hour(program):
    base = ROSTER[2]
    # 20 h a year, 5 months: 8.333 -> 8.50
    program.write_config(
        roster=ROSTER[:2] + [("W1", *base[1:7], "2026-04-02", "")], policy="requirements:\n  peer_specialist: 20\n"
    )
    program.add("s.ndjson", [statement("a", "sam.super@va.example.gov", COMPLETED, MODULE, "2025-11-01T15:00:00Z")])
    assert program.build().worker("W1", "FY2026")["required_hours"] == D("8.50")


def test_rule_11_without_proration_new_hires_owe_the_full_hours(program):
    base = ROSTER[2]
    program.write_config(roster=ROSTER[:2] + [("W1", *base[1:7], "2026-03-15", "")], policy="proration: none\n")
    program.add("s.ndjson", [statement("a", "sam.super@va.example.gov", COMPLETED, MODULE, "2025-11-01T15:00:00Z")])
    assert program.build().worker("W1", "FY2026")["required_hours"] == D("15.00")


def test_rule_11_separated_workers_are_reported_and_left_out_of_the_rates(program):
    base = ROSTER[2]
    program.write_config(
        roster=ROSTER[:2]
        + [
            ("W1", *base[1:7], "2020-01-01", "2026-06-30"),
            ("W2", "B", "b@va.example.gov", *base[3:7], "2020-01-01", ""),
        ]
    )
    program.add(
        "s.ndjson",
        [
            statement("a", "b@va.example.gov", COMPLETED, COURSE, "2026-01-05T15:00:00Z"),
            statement("b", "b@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z"),
        ],
    )
    result = program.build()
    assert result.worker("W1", "FY2026")["status"] == "separated"
    assert result.worker("W1", "FY2027") == {}  # no longer employed
    assert result.rows(
        "select workers, separated, compliant, percent_compliant, mean_approved_hours "
        "from compliance_national where period = 'FY2026'"
    ) == [(4, 1, 1, D("33.3"), D("5.00"))]  # W2 compliant; S1, S2 not; W1 separated


# Rule 12: status ----------------------------------------------------------------


def test_rule_12_status_as_of_a_date(program):
    program.add(
        "s.ndjson",
        [
            statement("ann-course", ANN, COMPLETED, COURSE, "2025-11-01T15:00:00Z"),
            statement("ann-module", ANN, COMPLETED, MODULE, "2026-04-01T15:00:00Z"),
            statement("bob-module", BOB, COMPLETED, MODULE, "2025-10-15T15:00:00Z"),
        ],
    )
    # Dec 31: 92 of 365 days elapsed -> pace 15 * 92/365 - 1 = 2.78 h
    early = program.build(as_of="2025-12-31")
    assert early.worker("W1", "FY2026")["status"] == "on_track"  # 12 h
    assert early.worker("W2", "FY2026")["status"] == "on_track"  # 3 h
    assert early.worker("S1", "FY2026")["status"] == "at_risk"  # 0 h
    # Mar 31: 182 days -> pace 6.48 h; Ann's April module does not count yet
    spring = program.build(as_of="2026-03-31")
    assert (spring.approved("W1", "FY2026"), spring.worker("W1", "FY2026")["status"]) == (D("12.00"), "on_track")
    assert spring.worker("W2", "FY2026")["status"] == "at_risk"
    # after the period: 15 h is compliant, anything less is not
    late = program.build(as_of="2026-11-20")
    assert late.worker("W1", "FY2026")["status"] == "compliant"
    assert late.worker("W1", "FY2026")["hours_needed"] == D("0.00")
    assert late.worker("W2", "FY2026")["status"] == "non_compliant"
    assert late.worker("W2", "FY2026")["hours_needed"] == D("12.00")


def test_rule_12_credit_counts_from_its_local_day(program):
    # 2026-01-01T03:00Z is still Dec 31 in New York
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, MODULE, "2026-01-01T03:00:00Z")])
    assert program.build(as_of="2025-12-31").approved("W1", "FY2026") == D("3.00")
    program.add("t.ndjson", [statement("b", BOB, COMPLETED, MODULE, "2026-01-01T06:00:00Z")])
    assert program.build(as_of="2025-12-31").approved("W2", "FY2026") == D("0.00")


def test_rule_12_rows_for_every_period_from_the_earliest_statement_to_the_as_of_date(program):
    program.add("s.ndjson", [statement("a", ANN, COMPLETED, MODULE, "2024-05-01T15:00:00Z")])
    result = program.build(as_of="2026-11-20")
    assert result.rows("select distinct period from compliance_worker order by 1") == [
        ("FY2024",),
        ("FY2025",),
        ("FY2026",),
        ("FY2027",),
    ]
    assert result.rows("select count(*) from compliance_worker where period = 'FY2025'") == [(4,)]
