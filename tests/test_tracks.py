"""Rules 13-18, the requirement tracks: one or more tests per rule, each built so that
breaking the rule breaks the test. Credits come from small programs (tests/support.py)
run through the warehouse stages only."""

import json
from decimal import Decimal

import pytest

from tests.support import (
    ANN,
    ATTENDED,
    BOB,
    CATALOG,
    COMMENTED,
    COMPLETED,
    COURSE,
    HOMEWORK,
    MODULE,
    OUTSIDE,
    POLICY,
    PRIVACY,
    ROSTER,
    WEBINAR,
    sid,
    statement,
    void,
)

D = Decimal
CERTIFICATE = "http://id.tincanapi.com/attachment/certificate-of-completion"

# the default catalog with topics: the module is an ethics and peer-support course
TOPICS = {
    WEBINAR: "ethics",
    COURSE: "recovery",
    MODULE: "ethics;peer_support",
    HOMEWORK: "peer_support",
    OUTSIDE: "recovery",
    PRIVACY: "",
}
TOPICAL_CATALOG = [(*row, TOPICS[row[0]]) for row in CATALOG]


def track(name="t", credential="CRED", hours=20, months=24, anchor="certified_on", **keys) -> str:
    """One track of policy.yaml; keys are further YAML keys, written in flow style."""
    lines = [f"  - name: {name}", f"    credential: {credential}", f"    hours: {hours}",
             f"    cycle: {{months: {months}, anchor: {anchor}}}"]  # fmt: skip
    lines += [f"    {key}: {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def configure(program, *tracks: str, certifications, roster=ROSTER, approvals=()) -> None:
    program.write_config(
        roster=roster,
        catalog=TOPICAL_CATALOG,
        policy=POLICY + "tracks:\n" + "".join(tracks),
        certifications=certifications,
        approvals=approvals,
    )


def cycles(result, worker="W1", track_name="t") -> list[dict]:
    """A holder's rows of compliance_track, oldest cycle first, as dicts."""
    names = [row[0] for row in result.rows("select column_name from (describe compliance_track)")]
    found = result.rows(
        "select * from compliance_track where worker_id = ? and track = ? order by cycle_start", worker, track_name
    )
    return [dict(zip(names, row, strict=True)) for row in found]


def only_cycle(result, worker="W1", track_name="t") -> dict:
    (found,) = cycles(result, worker, track_name)
    return found


def done(label, who, activity, when, verb=COMPLETED, **extra):
    return statement(label, who, verb, activity, when, **extra)


# Rule 13: cycles ---------------------------------------------------------------------


def test_rule_13_adding_a_month_to_31_january_clamps_to_the_end_of_february(program):
    configure(program, track(months=1), certifications=[("W1", "CRED", "2025-01-31", "")])
    program.add("s.ndjson", [done("a", ANN, MODULE, "2025-01-31T15:00:00Z")])
    result = program.build(as_of="2025-04-10")
    # every start counted from the anchor: 31 March, not 28 March after a clamped February
    assert [c["cycle"] for c in cycles(result)] == [
        "2025-01-31/2025-02-27",
        "2025-02-28/2025-03-30",
        "2025-03-31/2025-04-29",
    ]


def test_rule_13_a_fixed_anchor_places_cycles_before_the_anchor_date_too(program):
    configure(
        program,
        track(anchor="2025-09-01"),
        certifications=[("W1", "CRED", "2022-05-10", ""), ("W2", "CRED", "2026-12-01", "")],
    )
    program.add("s.ndjson", [done("a", ANN, MODULE, "2022-06-01T15:00:00Z")])
    result = program.build(as_of="2026-11-20")
    assert cycles(result, "W2") == []  # certified after the as-of date, in its cycle: nothing owed yet
    assert [c["cycle"] for c in cycles(result)] == [
        "2021-09-01/2023-08-31",  # the cycle containing certified_on
        "2023-09-01/2025-08-31",
        "2025-09-01/2027-08-31",  # the cycle containing the as-of date
    ]


def test_rule_13_cycles_start_at_the_later_of_the_first_cycle_and_the_earliest_statement(program):
    configure(program, track(), certifications=[("W1", "CRED", "2010-01-01", "")])
    program.add("s.ndjson", [done("a", BOB, MODULE, "2025-11-01T15:00:00Z")])  # any actor's statement
    result = program.build(as_of="2026-11-20")
    assert [c["cycle"] for c in cycles(result)] == ["2024-01-01/2025-12-31", "2026-01-01/2027-12-31"]


def test_rule_13_cycles_after_expiry_or_separation_and_workers_not_yet_hired_are_left_out(program):
    late_hire = ("W3", "Cy Later", "cy.later@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1",
                 "2027-01-01", "")  # fmt: skip
    left = (*ROSTER[3][:8], "2024-05-01")  # W2 left on 1 May 2024
    configure(
        program,
        track(),
        roster=[*ROSTER[:3], left, late_hire],
        certifications=[("W1", "CRED", "2022-01-01", "2025-06-30"), ("W2", "CRED", "2022-01-01", ""),
                        ("W3", "CRED", "2022-01-01", "")],
    )  # fmt: skip
    program.add("s.ndjson", [done("a", ANN, MODULE, "2022-02-01T15:00:00Z")])
    result = program.build(as_of="2026-11-20")
    assert [(c["cycle"], c["status"]) for c in cycles(result, "W1")] == [
        ("2022-01-01/2023-12-31", "non_compliant"),
        ("2024-01-01/2025-12-31", "separated"),  # expires_on inside the cycle, before its last day
    ]
    assert [(c["cycle"], c["status"]) for c in cycles(result, "W2")] == [
        ("2022-01-01/2023-12-31", "non_compliant"),
        ("2024-01-01/2025-12-31", "separated"),  # end_date inside the cycle
    ]
    assert cycles(result, "W3") == []


def test_rule_13_a_cycle_is_counted_in_local_days(program):
    configure(program, track(hours=3), certifications=[("W1", "CRED", "2024-01-01", "")])
    # 03:00 UTC on 1 January 2026 is still 31 December 2025 in New York
    program.add("s.ndjson", [done("a", ANN, MODULE, "2026-01-01T03:00:00Z")])
    result = program.build(as_of="2026-11-20")
    assert [(c["cycle"], c["counted_hours"]) for c in cycles(result)] == [
        ("2024-01-01/2025-12-31", D("3.00")),
        ("2026-01-01/2027-12-31", D("0.00")),
    ]


# Rule 14: what counts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, expected",
    [
        (None, {"none": D("6.00"), "catalog": D("3.00"), "supervisor": D("3.00")}),
        ("approved", {"none": D("6.00"), "catalog": D("3.00"), "supervisor": D("6.00")}),
        ("rejected", {"none": D("6.00"), "catalog": D("3.00"), "supervisor": D("3.00")}),
    ],
    ids=["pending", "approved by the supervisor", "rejected"],
)
def test_rule_14_each_approval_mode_admits_its_credits(program, decision, expected):
    approvals = [("W1", OUTSIDE, decision, "S1", "2026-02-01T12:00:00Z")] if decision else ()
    configure(
        program,
        *(track(name=mode, approval=mode) for mode in ("none", "catalog", "supervisor")),
        certifications=[("W1", "CRED", "2025-06-01", "")],
        approvals=approvals,
    )
    program.add(
        "s.ndjson",
        [done("a", ANN, MODULE, "2026-01-05T15:00:00Z"), done("b", ANN, OUTSIDE, "2026-01-06T15:00:00Z")],
    )
    result = program.build()
    assert {mode: only_cycle(result, "W1", mode)["counted_hours"] for mode in expected} == expected


def test_rule_14_a_competency_aligned_track_counts_only_credits_with_competencies(program):
    configure(
        program,
        track(name="any"),
        track(name="aligned", competency_aligned="true"),
        certifications=[("W1", "CRED", "2025-06-01", "")],
    )
    program.add(
        "s.ndjson",
        [done("a", ANN, MODULE, "2026-01-05T15:00:00Z"), done("b", ANN, PRIVACY, "2026-01-06T15:00:00Z")],
    )
    result = program.build()
    assert only_cycle(result, "W1", "any")["counted_hours"] == D("4.00")
    assert only_cycle(result, "W1", "aligned")["counted_hours"] == D("3.00")  # the privacy refresher has none


def test_rule_14_one_activity_counts_once_per_cycle_across_two_fiscal_years(program):
    configure(program, track(), certifications=[("W1", "CRED", "2024-06-01", "")])
    # the annual rule grants the module once in FY2025 and once in FY2026
    program.add(
        "s.ndjson",
        [done("a", ANN, MODULE, "2025-03-03T15:00:00Z"), done("b", ANN, MODULE, "2025-11-03T15:00:00Z")],
    )
    result = program.build(as_of="2026-05-01")
    assert [row[2] for row in result.ledger("W1")] == ["FY2025", "FY2026"]
    assert only_cycle(result)["counted_hours"] == D("3.00")
    (counted,) = result.rows("select statement_ids from int_track_credits join ledger_book using (entry_id)")
    assert counted == (sid("a"),)  # the earliest admitted credit


def test_rule_14_voided_credit_and_credit_after_the_as_of_day_do_not_count(program):
    configure(program, track(), certifications=[("W1", "CRED", "2025-06-01", "")])
    program.add(
        "s.ndjson",
        [
            done("a", ANN, MODULE, "2026-01-05T15:00:00Z"),
            done("b", ANN, COURSE, "2026-02-05T15:00:00Z"),
            done("c", ANN, HOMEWORK, "2026-11-21T05:30:00Z", verb=COMMENTED),  # 21 November locally too
        ],
    )
    assert only_cycle(program.build(as_of="2026-11-20"))["counted_hours"] == D("15.00")
    program.add("void.ndjson", [void("v", ANN, "a", "2026-01-07T15:00:00Z")])
    result = program.build(as_of="2026-11-20")
    assert [row[0] for row in result.ledger("W1")] == ["credit", "reversal", "credit", "credit"]
    assert only_cycle(result)["counted_hours"] == D("12.00")


# Rule 15: caps -----------------------------------------------------------------------


def test_rule_15_a_credit_falls_under_the_first_matching_cap_only(program):
    caps = "[{name: home_study, kinds: [course], hours: 10}, {name: ethics_cap, topics: [ethics], hours: 2}]"
    configure(program, track(caps=caps), certifications=[("W1", "CRED", "2025-06-01", "")])
    program.add(
        "s.ndjson",
        [
            done("a", ANN, COURSE, "2026-01-05T15:00:00Z"),  # 12 h course
            done("b", ANN, MODULE, "2026-01-06T15:00:00Z"),  # 3 h course on ethics: home study, listed first
            statement("c", ANN, ATTENDED, WEBINAR, "2026-01-07T15:00:00Z", duration="PT1H30M"),  # 1.5 h ethics
        ],
    )
    found = only_cycle(program.build())
    # home study 15 h cut to 10, the ethics cap's 1.5 h under its 2
    assert (found["counted_hours"], found["capped_hours"]) == (D("11.50"), D("5.00"))


# Rule 16: minimums -------------------------------------------------------------------


def test_rule_16_minimums_count_full_hours_whatever_the_caps_and_one_credit_serves_several(program):
    minimums = (
        "[{name: ethics, topics: [ethics], hours: 4}, {name: peer, topics: [peer_support], hours: 3},"
        " {name: recovery, topics: [recovery, wellness], hours: 5}]"
    )
    caps = "[{name: home_study, kinds: [course], hours: 1}]"
    configure(program, track(minimums=minimums, caps=caps), certifications=[("W1", "CRED", "2025-06-01", "")])
    program.add(
        "s.ndjson",
        [
            done("a", ANN, MODULE, "2026-01-06T15:00:00Z"),  # 3 h: ethics and peer support
            statement("c", ANN, ATTENDED, WEBINAR, "2026-01-07T15:00:00Z", duration="PT1H30M"),  # 1.5 h ethics
        ],
    )
    result = program.build()
    assert result.rows(
        "select minimum, required_hours, counted_hours, hours_needed from compliance_track_minimums order by minimum"
    ) == [
        ("ethics", D("4.00"), D("4.50"), D("0.00")),
        ("peer", D("3.00"), D("3.00"), D("0.00")),
        ("recovery", D("5.00"), D("0.00"), D("5.00")),
    ]
    found = only_cycle(result)
    assert (found["counted_hours"], found["capped_hours"]) == (D("2.50"), D("2.00"))
    assert found["minimums_short"] == "recovery:5.00"


def test_rule_16_an_unmet_minimum_keeps_a_cycle_with_its_hours_from_compliance(program):
    minimums = "[{name: zeta, topics: [recovery], hours: 2}, {name: alpha, topics: [ethics], hours: 6}]"
    configure(program, track(hours=3, minimums=minimums), certifications=[("W1", "CRED", "2025-06-01", "")])
    program.add("s.ndjson", [done("a", ANN, MODULE, "2026-01-06T15:00:00Z")])
    found = only_cycle(program.build())
    assert (found["counted_hours"], found["hours_needed"]) == (D("3.00"), D("0.00"))
    assert found["status"] == "at_risk"  # zeta is behind pace: 0 h < 2 h x 538/730 - 1
    assert found["minimums_short"] == "zeta:2.00;alpha:3.00"  # in the track's order


# Rule 17: status ---------------------------------------------------------------------


def test_rule_17_new_holders_are_waived_for_the_cycle_ending_within_the_waiver(program):
    configure(
        program,
        track(anchor="2025-09-01", waive_if_certified_within_months=12),
        certifications=[("W1", "CRED", "2026-10-01", ""), ("W2", "CRED", "2026-08-15", "")],
    )
    program.add("s.ndjson", [done("a", ANN, MODULE, "2026-01-06T15:00:00Z")])
    result = program.build(as_of="2026-11-20")
    # the cycle 2025-09-01/2027-08-31 ends before 2027-10-01 for W1, not before 2027-08-15 for W2
    assert only_cycle(result, "W1")["status"] == "waived"
    assert only_cycle(result, "W2")["status"] == "at_risk"


def test_rule_17_pace_counts_from_the_later_of_the_cycle_start_and_certified_on(program):
    minimums = "[{name: ethics, topics: [ethics], hours: 6}]"
    configure(
        program,
        track(anchor="2025-09-01", minimums=minimums),
        # W1 and W2 were certified a year into the cycle; S1 held it all along
        certifications=[("W1", "CRED", "2026-09-01", ""), ("W2", "CRED", "2026-09-01", ""),
                        ("S1", "CRED", "2024-01-01", "")],
    )  # fmt: skip
    program.add(
        "s.ndjson",
        [
            done("a", ANN, MODULE, "2026-10-06T15:00:00Z"),  # 3 h, ethics
            done("b", ANN, HOMEWORK, "2026-10-07T15:00:00Z", verb=COMMENTED),  # 1 h
            done("c", BOB, COURSE, "2026-10-06T15:00:00Z"),  # 12 h, no ethics
            done("d", "sam.super@va.example.gov", MODULE, "2026-10-06T15:00:00Z"),
            done("e", "sam.super@va.example.gov", HOMEWORK, "2026-10-07T15:00:00Z", verb=COMMENTED),
        ],
    )
    result = program.build(as_of="2026-11-20")
    # f = 81/365 from certified_on: 4 h >= 20 f - 1 = 3.44 and ethics 3 h >= 6 f - 1 = 0.33
    assert only_cycle(result, "W1")["status"] == "on_track"
    # 13 h keeps pace, but no ethics hours is short of 0.33
    assert only_cycle(result, "W2")["status"] == "at_risk"
    # from the cycle's start f = 446/730: 4 h < 20 f - 1 = 11.2
    assert only_cycle(result, "S1")["status"] == "at_risk"


def test_rule_17_compliant_non_compliant_and_hours_needed(program):
    configure(program, track(hours=4, months=12), certifications=[("W1", "CRED", "2025-01-01", "")])
    program.add(
        "s.ndjson",
        [
            done("a", ANN, MODULE, "2025-01-06T15:00:00Z"),  # 3 h in 2025: short
            done("b", ANN, MODULE, "2026-01-06T15:00:00Z"),
            done("c", ANN, PRIVACY, "2026-01-07T15:00:00Z"),  # 4 h in 2026: met
        ],
    )
    found = cycles(program.build(as_of="2026-11-20"))
    assert [(c["cycle"], c["status"], c["hours_needed"], c["required_hours"]) for c in found] == [
        ("2025-01-01/2025-12-31", "non_compliant", D("1.00"), D("4.00")),
        ("2026-01-01/2026-12-31", "compliant", D("0.00"), D("4.00")),
    ]


def test_rule_17_the_summary_counts_each_holders_current_cycle(program):
    third = ("W3", "Cy Peer", "cy.peer@va.example.gov", "peer_specialist", "Providence VAMC", "VISN 1", "S1",
             "2020-01-01", "")  # fmt: skip
    configure(
        program,
        track(hours=3, anchor="2025-09-01", waive_if_certified_within_months=12),
        roster=[*ROSTER, third],
        certifications=[("W1", "CRED", "2024-01-01", ""), ("W2", "CRED", "2024-01-01", ""),
                        ("W3", "CRED", "2026-10-01", ""), ("S1", "CRED", "2024-01-01", "2026-03-01")],
    )  # fmt: skip
    # Bob's statement in 2024 brings the earlier cycle 2023-09-01/2025-08-31 in; it is not counted
    program.add(
        "s.ndjson", [done("a", ANN, MODULE, "2025-10-06T15:00:00Z"), done("b", BOB, MODULE, "2024-10-06T15:00:00Z")]
    )
    result = program.build(as_of="2026-11-20")
    assert len(cycles(result, "W1")) == 2
    assert result.rows(
        "select level, region, facility, holders, compliant, on_track, at_risk, non_compliant, separated, waived, "
        "percent_compliant from compliance_track_summary order by level, facility"
    ) == [
        # W1 compliant, W2 at risk with nothing, S1's credential expired inside the cycle
        ("facility", "VISN 1", "Boston VAMC", 3, 1, 0, 1, 0, 1, 0, D("50.0")),
        ("facility", "VISN 1", "Providence VAMC", 1, 0, 0, 0, 0, 0, 1, None),  # W3, certified a month ago
        ("national", None, None, 4, 1, 0, 1, 0, 1, 1, D("50.0")),
        ("region", "VISN 1", None, 4, 1, 0, 1, 0, 1, 1, D("50.0")),
    ]


# Rule 18: evidence -------------------------------------------------------------------


def attachment(usage: str, sha2: str) -> dict:
    return {"usageType": usage, "display": {"en-US": "certificate"}, "contentType": "application/pdf",
            "length": 1024, "sha2": sha2, "fileUrl": "https://lms.example.org/certificates/1.pdf"}  # fmt: skip


def test_rule_18_entries_list_the_sha2_of_their_certificates_sorted(program):
    program.add(
        "s.ndjson",
        [
            done("a", ANN, MODULE, "2026-01-05T15:00:00Z",
                 attachments=[attachment(CERTIFICATE, "f" * 64), attachment(CERTIFICATE, "a" * 64),
                              attachment("http://id.tincanapi.com/attachment/supporting_media", "b" * 64)]),
            done("b", ANN, COURSE, "2026-01-06T15:00:00Z"),
        ],
    )  # fmt: skip
    result = program.build()
    assert dict(result.rows("select activity_id, evidence from ledger_entries")) == {
        MODULE: "a" * 64 + ";" + "f" * 64,
        COURSE: "",
    }


def test_rule_18_a_certificate_is_found_however_the_sender_escapes_its_usage_type(program):
    """JSON may write a slash as \\/ and any letter as \\u0063: the same usageType."""
    plain = done("a", ANN, MODULE, "2026-01-05T15:00:00Z", attachments=[attachment(CERTIFICATE, "a" * 64)])
    escaped = done("b", ANN, COURSE, "2026-01-06T15:00:00Z", attachments=[attachment(CERTIFICATE, "b" * 64)])
    lines = [
        json.dumps(plain),
        json.dumps(escaped).replace("/", "\\/").replace("certificate-of", "\\u0063ertificate-of"),
    ]
    path = program.statements_dir / "s.ndjson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines))
    result = program.build()
    assert dict(result.rows("select activity_id, evidence from ledger_entries")) == {MODULE: "a" * 64, COURSE: "b" * 64}


# Reruns and incremental runs ---------------------------------------------------------

TRACK_TABLES = ("compliance_track", "compliance_track_minimums", "compliance_track_summary")


def tables(result) -> dict[str, list[tuple]]:
    """The track tables, and the evidence of the credits that stand (an incremental run
    books a reversal where a full one books nothing)."""
    found = {table: result.rows(f"select * from {table} order by all") for table in TRACK_TABLES}
    found["evidence"] = result.rows(
        "select c.entry_id, c.evidence from ledger_entries as c "
        "anti join ledger_entries as r on r.reverses_entry_id = c.entry_id "
        "where c.entry_type = 'credit' order by all"
    )
    return found


def test_track_tables_are_the_same_on_a_rerun_and_after_an_incremental_run_as_after_a_full_one(program, tmp_path):
    from tests.support import Program

    minimums = "[{name: ethics, topics: [ethics], hours: 3}]"
    caps = "[{name: home_study, kinds: [course], hours: 10}]"
    setup = dict(certifications=[("W1", "CRED", "2025-06-01", ""), ("W2", "CRED", "2024-02-29", "")])
    configure(program, track(minimums=minimums, caps=caps), **setup)
    program.add(
        "one.ndjson", [done("a", ANN, MODULE, "2026-01-05T15:00:00Z"), done("b", BOB, COURSE, "2025-01-05T15:00:00Z")]
    )
    first = tables(program.build())
    assert first == tables(program.build())  # nothing new: the same rows
    program.add(
        "two.ndjson",
        [done("c", ANN, COURSE, "2026-02-05T15:00:00Z", attachments=[attachment(CERTIFICATE, "c" * 64)]),
         void("v", BOB, "b", "2026-02-06T15:00:00Z")],
    )  # fmt: skip
    incremental = tables(program.build())
    (tmp_path / "fresh").mkdir()
    fresh = Program(tmp_path / "fresh")
    configure(fresh, track(minimums=minimums, caps=caps), **setup)
    for name in ("one.ndjson", "two.ndjson"):
        (fresh.statements_dir / name).write_bytes((program.statements_dir / name).read_bytes())
    assert incremental == tables(fresh.build(full=True))
    assert incremental != first
