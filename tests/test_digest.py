"""Supervisor digests: each supervisor hears about their own direct reports and nobody
else's, and the messages reach a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import csv
import datetime as dt
import email
import html
import ipaddress
import re
import shutil
import sys
from datetime import date
from email import policy
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from pipelines.digest import DigestSendError, SmtpServer, build_digests, load_settings, run_digest, smtp_server
from pipelines.errors import CeledgerError
from tests.lrs_server import free_port
from tests.support import (
    CATALOG,
    COMMENTED,
    COMPLETED,
    COURSE,
    HOMEWORK,
    MODULE,
    OUTSIDE,
    POLICY,
    Program,
    statement,
    void,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"
AS_OF = date(2026, 11, 20)
SENDER = "CE Program Office <ce-program@va.example.gov>"


# --- a real SMTP server ------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts and refuses the recipients in `refuse`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.logins: list[tuple[bytes, bytes]] = []
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def by_supervisor(self) -> dict[str, email.message.EmailMessage]:
        return {m["X-Celedger-Supervisor"]: m for m in self.messages}


def start_server(request, inbox: Inbox, **smtp_options) -> Inbox:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    request.addfinalizer(controller.stop)
    inbox.port = controller.port
    return inbox


@pytest.fixture
def smtp(request) -> Inbox:
    return start_server(request, Inbox())


def authenticator(inbox: Inbox, password: bytes):
    def check(server, session, envelope, mechanism, auth_data):
        inbox.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == password, handled=False)  # False: the server answers 535

    return check


# --- the sample program, and a small program where the test decides who is behind -------


def config_with(tmp_path: Path, source: Path, digest_yaml: str | None) -> Path:
    config = tmp_path / "config"
    shutil.copytree(source, config)
    if digest_yaml is not None:
        (config / "digest.yaml").write_text(digest_yaml)
    return config


def to_server(inbox: Inbox, extra: str = "") -> str:
    return f"smtp_host: 127.0.0.1\nsmtp_port: {inbox.port}\nsender: {SENDER}\n{extra}"


def roster_reports(config: Path) -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    """Direct reports per supervisor, read from roster.csv itself, not through the warehouse."""
    with (config / "roster.csv").open(newline="") as handle:
        roster = {row["worker_id"]: row for row in csv.DictReader(handle)}
    reports: dict[str, set[str]] = {}
    for worker_id, row in roster.items():
        if row["supervisor_id"]:
            reports.setdefault(row["supervisor_id"], set()).add(worker_id)
    return reports, roster


def bodies(message: email.message.EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    page = message.get_body(preferencelist=("html",)).get_content()
    return text, page


def named_workers(body: str, roster: dict[str, dict[str, str]]) -> set[str]:
    """Every roster worker a body names, by id or by full name."""
    named = set()
    for worker_id, row in roster.items():
        if re.search(rf"\b{re.escape(worker_id)}\b", body) or row["name"] in body:
            named.add(worker_id)
    return named


# Hand-built program: S1 supervises S2, Ann, Bob, Cleo, Dan (separated in FY2027), Eve (not
# started) and Fay (left before FY2027); S2 (no email) supervises Gus. Direct reports only:
# Gus must not reach S1.
OUTSIDE_TITLE = "Motivational Interviewing Basics"
ROSTER = [
    ("S1", "Sam Super", "sam.super@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("S2", "Sue Other", "", "supervisor", "Boston VAMC", "VISN 1", "S1", "2018-01-01", ""),
    ("W1", "Ann Peer", "ann.peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2020-01-01", ""),
    ("W2", "Bob Peer", "bob.peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2020-01-01", ""),
    ("W3", "Gus Far", "gus.far@va.example.gov", "peer_specialist", "Bedford VAMC", "VISN 1", "S2", "2020-01-01", ""),
    ("W4", "Dan Gone", "dan.gone@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2020-01-01",
     "2026-11-01"),
    ("W5", "Eve New", "eve.new@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2027-01-04", ""),
    ("W6", "Fay Left", "fay.left@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1", "2019-01-01",
     "2026-06-30"),
    ("W7", "Cleo O'Hara & <Lee>", "cleo@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S1",
     "2020-01-01", ""),
]  # fmt: skip
STATEMENTS = [
    statement("ann-course", "ann.peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z"),  # 12 h
    # 21:30 on 2 November in New York: earned on the 2nd, the policy's local day
    statement("ann-outside", "ann.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-11-03T02:30:00Z"),
    statement("bob-homework", "bob.peer@va.example.gov", COMMENTED, HOMEWORK, "2026-10-15T15:00:00Z"),  # 1 h
    statement("bob-outside", "bob.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-10-20T15:00:00Z"),
    statement("gus-outside", "gus.far@va.example.gov", COMPLETED, OUTSIDE, "2026-10-12T15:00:00Z"),
    statement("sue-module", "sue.other@va.example.gov", COMPLETED, MODULE, "2026-10-05T15:00:00Z"),  # 3 h
]
# S2 decides on Ann's outside course, but Ann is S1's: ignored, the credit stays pending for S1
APPROVALS = [("W1", OUTSIDE, "approved", "S2", "2026-11-05")]
IDENTITIES = [("S2", "mbox", "mailto:sue.other@va.example.gov")]


@pytest.fixture(scope="module")
def program(tmp_path_factory) -> Program:
    built = Program(tmp_path_factory.mktemp("program"))
    built.write_config(roster=ROSTER, catalog=CATALOG, identities=IDENTITIES, approvals=APPROVALS)
    built.add("statements.ndjson", STATEMENTS)
    built.build(as_of=AS_OF.isoformat())
    # a later batch voids Bob's outside course: its pending credit gets a reversal and stops standing
    built.add("later.ndjson", [void("bob-void", "bob.peer@va.example.gov", "bob-outside", "2026-10-21T15:00:00Z")])
    built.last = built.build(as_of=AS_OF.isoformat())
    return built


def digests_of(warehouse: Path) -> dict[str, object]:
    """The digests build_digests makes of a warehouse, by supervisor id."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {d.supervisor_id: d for d in build_digests(con, AS_OF, timezone="America/New_York")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def program_digests(program) -> dict:
    return digests_of(program.root / "warehouse.duckdb")


# --- who hears about whom ----------------------------------------------------------------


def test_every_sample_supervisor_gets_one_message_about_their_direct_reports_only(sample_warehouse, smtp, tmp_path):
    config = config_with(tmp_path, SAMPLE / "config", to_server(smtp))
    result = run_digest(config, sample_warehouse, AS_OF, tmp_path / "out")
    reports, roster = roster_reports(config)

    received = smtp.by_supervisor()
    assert sorted(received) == sorted(reports) == ["S01", "S02", "S03", "S04", "S05", "S06"]
    assert len(smtp.messages) == 6 and result.sent == sorted(reports)
    for supervisor_id, message in received.items():
        assert message["To"].addresses[0].addr_spec == roster[supervisor_id]["email"]
        assert message.get_content_type() == "multipart/alternative"
        text, page = bodies(message)
        for body in (text, html.unescape(page)):
            named = named_workers(body, roster)
            assert named - {supervisor_id} <= reports[supervisor_id], supervisor_id  # nobody else's staff
            assert reports[supervisor_id] <= named, supervisor_id  # every direct report appears
    # W012 left in FY2026: still accounted for, in Marcus Bell's separate list
    assert "Rachel Goldberg  W012  Providence VAMC  left 2026-06-30" in bodies(received["S02"])[0]


def test_direct_reports_only_not_their_reports_reports(program_digests):
    s1, s2 = program_digests["S1"], program_digests["S2"]
    assert {m.worker_id for m in s1.staff} == {"S2", "W1", "W2", "W7"}
    assert [m.worker_id for m in s1.separated] == ["W4"]
    assert {m.worker_id: m.end_date or m.hire_date for m in s1.not_in_period} == {
        "W5": date(2027, 1, 4),
        "W6": date(2026, 6, 30),
    }
    assert s1.reports == {"S2", "W1", "W2", "W4", "W5", "W6", "W7"}
    assert "W3" not in s1.text and "Gus Far" not in s1.text and "Gus Far" not in s1.html
    assert s2.reports == {"W3"}
    assert "starts 2027-01-04" in s1.text and "left 2026-06-30" in s1.text and "left 2026-11-01" in s1.text


# --- what the sections say ---------------------------------------------------------------


def test_at_risk_section_lists_whom_the_warehouse_says_is_at_risk_most_hours_needed_first(sample_warehouse, tmp_path):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        digests = build_digests(con, AS_OF, timezone="America/New_York")
        expected = con.execute(
            "select r.supervisor_id, c.worker_id, c.hours_needed from compliance_worker as c "
            "inner join cfg_roster as r using (worker_id) where c.period = 'FY2027' and c.status = 'at_risk'"
        ).fetchall()
    finally:
        con.close()
    for digest in digests:
        mine = {(w, h) for s, w, h in expected if s == digest.supervisor_id}
        assert {(m.worker_id, m.hours_needed) for m in digest.at_risk} == mine, digest.supervisor_id
        needed = [m.hours_needed for m in digest.at_risk]
        assert needed == sorted(needed, reverse=True)
    s02 = next(d for d in digests if d.supervisor_id == "S02")
    assert [(m.worker_id, str(m.hours_needed)) for m in s02.at_risk] == [
        ("W009", "15.00"),
        ("W008", "14.50"),
        ("W011", "14.00"),
    ]
    attention = s02.text.split("NEEDS ATTENTION FIRST (3)")[1].split("YOUR STAFF")[0]
    assert re.search(r"David Medeiros\s+W009\s+Providence VAMC\s+15\.00\s+0\.00\s+15\.00\s+at risk", attention)
    assert all(m.days_left == 314 for m in s02.staff)  # 2027-09-30 - 2026-11-20


def test_sample_pending_credit_goes_to_the_workers_own_supervisor(sample_warehouse):
    digests = digests_of(sample_warehouse)
    mi = "https://training.example.org/external/motivational-interviewing-foundations"
    # W004's decision came from S01, not W004's supervisor S06: it waits for S06 (sample quirk 35)
    assert [(c.worker_id, str(c.hours), c.period) for c in digests["S06"].pending] == [("W004", "3.00", "FY2026")]
    assert digests["S06"].pending[0].approval_line == f"W004,{mi},approved,S06,2026-11-20"
    assert [(c.worker_id, c.earned_on) for c in digests["S05"].pending] == [("W026", date(2026, 8, 11))]
    assert all(not d.pending for s, d in digests.items() if s not in ("S05", "S06"))
    assert f"W026,{mi},approved,S05,2026-11-20" in digests["S05"].text
    assert "No credit is waiting for your decision." in digests["S01"].text


def test_sample_renewals_due_in_90_days_go_to_the_holders_supervisor(sample_warehouse):
    digests = digests_of(sample_warehouse)
    due = {s: [(r.worker_id, r.credential, str(r.cycle_end), r.days_left, str(r.hours_needed), r.minimums_short,
                r.status) for r in d.renewals] for s, d in digests.items()}  # fmt: skip
    assert due == {
        "S01": [],
        "S02": [],
        "S03": [],  # W014's tx-cps cycle ends 2027-02-27, 99 days away
        "S04": [("W020", "TX-CPS", "2026-12-30", 40, "2.00", "", "on_track")],
        "S05": [],
        "S06": [("W004", "PA-CPS", "2027-01-30", 71, "14.00", "ethics:0.50;peer_recovery:6.00", "at_risk")],
    }
    assert re.search(
        r"Maria Gonzalez\s+W004\s+PA-CPS\s+2027-01-30\s+71\s+14\.00\s+ethics 0\.50 h, peer_recovery 6\.00 h\s+at risk",
        digests["S06"].text,
    )
    assert "No renewal cycle of your staff ends in the next 90 days." in digests["S03"].text
    assert "Certification renewals due in the next 90 days (1)" in digests["S04"].html


def test_renewals_are_listed_soonest_first_and_only_when_the_program_has_tracks(tmp_path, program_digests):
    assert all(d.renewals is None and "RENEWALS" not in d.text for d in program_digests.values())
    built = Program(tmp_path)
    track = (
        "tracks:\n  - {name: c, credential: C, hours: 20, cycle: {months: 24}}\n"
        "  - {name: d, credential: D, hours: 20, cycle: {months: 24}}\n"
    )
    certifications = [
        ("W1", "C", "2025-02-10", ""),  # ends 2027-02-09: 81 days
        ("W2", "C", "2025-01-05", ""),  # ends 2027-01-04: 45 days
        ("W2", "D", "2025-03-01", ""),  # ends 2027-02-28: 100 days, not yet
    ]
    built.write_config(catalog=CATALOG, policy=POLICY + track, certifications=certifications)
    built.add("s.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-10-20T15:00:00Z")])
    built.build(as_of=AS_OF.isoformat())
    digest = digests_of(built.root / "warehouse.duckdb")["S1"]
    assert [(r.worker_id, r.days_left, str(r.hours_needed)) for r in digest.renewals] == [
        ("W2", 45, "20.00"),
        ("W1", 81, "17.00"),  # approval none: the pending outside course counts
    ]


def test_a_supervisor_of_themselves_is_not_asked_to_approve_their_own_credit(tmp_path):
    """Rule 9: nobody approves their own outside CE, so it is not in their digest to approve
    (the roster check already warns that nobody can)."""
    own = Program(tmp_path)
    roster = [
        ("S9", "Sol Self", "sol@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "S9", "2018-01-01", ""),
        ("W8", "Ana Peer", "ana@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S9", "2020-01-01", ""),
    ]  # fmt: skip
    own.write_config(roster=roster, catalog=CATALOG)
    own.add("s.ndjson", [statement(who, f"{who}@va.example.gov", COMPLETED, OUTSIDE, "2026-10-20T15:00:00Z")
                         for who in ("sol", "ana")])  # fmt: skip
    own.build(as_of=AS_OF.isoformat())
    (digest,) = digests_of(own.root / "warehouse.duckdb").values()
    assert [c.worker_id for c in digest.pending] == ["W8"]


def test_program_sections_carry_the_right_workers_and_hours(program, program_digests):
    s1, s2 = program_digests["S1"], program_digests["S2"]
    # Cleo has nothing (15 h needed), Bob 1 h of homework (14 h); Ann's 12 h and Sue's 3 h are on track
    assert [(m.worker_id, str(m.hours_needed), m.status) for m in s1.at_risk] == [
        ("W7", "15.00", "at_risk"),
        ("W2", "14.00", "at_risk"),
    ]
    assert {m.worker_id: m.status for m in s1.staff} == {
        "S2": "on_track",
        "W1": "on_track",
        "W2": "at_risk",
        "W7": "at_risk",
    }
    # Ann's outside course waits for S1 (S2's decision does not count); Bob's was voided after it was booked
    bob = program.last.rows(
        "select entry_type, approval_state from ledger_book where worker_id = 'W2' and activity_id = ?", OUTSIDE
    )
    assert sorted(bob) == [("credit", "pending"), ("reversal", "pending")]
    (ann,) = s1.pending
    assert (ann.worker_id, ann.title, str(ann.hours), ann.earned_on) == ("W1", OUTSIDE_TITLE, "3.00", date(2026, 11, 2))
    assert ann.approval_line == f"W1,{OUTSIDE},approved,S1,2026-11-20"
    assert f"    W1,{OUTSIDE},approved,S1,2026-11-20" in s1.text
    assert [(c.worker_id, str(c.hours)) for c in s2.pending] == [("W3", "3.00")]
    assert [m.worker_id for m in s2.at_risk] == ["W3"]


def test_html_is_escaped_and_self_contained(program_digests):
    page = program_digests["S1"].html
    assert "Cleo O&#x27;Hara &amp; &lt;Lee&gt;" in page and "<Lee>" not in page
    for external in ("src=", "href=", "url(", "<script", "<link", "@import"):
        assert external not in page


PAYLOAD = "<script>alert(1)</script>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;"


def test_names_facilities_and_titles_with_markup_and_quotes_are_escaped_in_the_html(tmp_path):
    built = Program(tmp_path)
    roster = [
        ("S1", "Sam " + PAYLOAD, "sam@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
        ("W1", "Ann " + PAYLOAD, "ann.peer@va.example.gov", "peer_specialist", PAYLOAD, "VISN 1", "S1", "2020-01-01",
         ""),
    ]  # fmt: skip
    catalog = [(row[0], PAYLOAD, *row[2:]) if row[0] == OUTSIDE else row for row in CATALOG]  # the outside course
    built.write_config(roster=roster, catalog=catalog)
    outside = statement("ann", "ann.peer@va.example.gov", COMPLETED, OUTSIDE, "2026-10-10T15:00:00Z")
    built.add("statements.ndjson", [outside])
    built.build(as_of=AS_OF.isoformat())
    (digest,) = digests_of(built.root / "warehouse.duckdb").values()
    page = digest.html
    assert f"<title>CE compliance digest for Sam {ESCAPED}, as of 2026-11-20</title>" in page
    assert f"<h1>CE compliance digest for Sam {ESCAPED} (S1)</h1>" in page
    assert f"<td>Ann {ESCAPED}</td><td>W1</td><td>{ESCAPED}</td>" in page  # name, id, facility
    assert f"<td>{ESCAPED}</td><td class='n'>3.00</td>" in page  # the pending activity's title
    assert "<script" not in page and "alert(1)</script>" not in page


# --- delivery, archives and failures -----------------------------------------------------


def test_messages_arrive_with_text_and_html_and_match_their_archives(program, smtp, tmp_path):
    subject = "subject: 'CE {period}: {at_risk} need attention ({supervisor_name})'\n"
    config = config_with(tmp_path, program.config, to_server(smtp, subject))
    with pytest.raises(DigestSendError) as raised:  # S2 has no email: reported, see below
        run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    (message,) = smtp.messages
    assert smtp.envelopes == [("ce-program@va.example.gov", ["sam.super@va.example.gov"])]
    assert message["Subject"] == "CE FY2027: 2 need attention (Sam Super)"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text, page = bodies(message)
    assert "NEEDS ATTENTION FIRST (2)" in text and "<h2 class='attention'>Needs attention first (2)</h2>" in page

    archive = tmp_path / "out" / "digests" / "2026-11-20"
    assert sorted(p.name for p in archive.glob("*.eml")) == ["S1.eml", "S2.eml"]
    assert raised.value.archived == [archive / "S1.eml", archive / "S2.eml"]
    archived = email.message_from_bytes((archive / "S1.eml").read_bytes(), policy=policy.default)
    assert archived["Message-ID"] == message["Message-ID"]
    assert bodies(archived) == (text, page)


def test_a_retry_for_the_same_date_mails_nobody_twice(program, smtp, tmp_path):
    config = config_with(tmp_path, program.config, to_server(smtp))
    for _ in range(2):  # as an Airflow retry would
        with pytest.raises(DigestSendError) as raised:  # S2 has no email, both times
            run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    assert len(smtp.messages) == 1
    assert raised.value.sent == ["S1"]


def test_a_supervisor_without_email_is_reported_not_dropped(program, smtp, tmp_path):
    config = config_with(tmp_path, program.config, to_server(smtp))
    with pytest.raises(DigestSendError) as raised:
        run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    assert raised.value.failures == ["S2 (Sue Other): no email address in the roster, not sent"]
    assert raised.value.sent == ["S1"] and len(smtp.messages) == 1
    assert "\n" not in str(raised.value) and str(raised.value).startswith("1 of 2 digest(s) not sent")

    preview = run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "preview", send=False)
    assert preview.unaddressed == ["S2"] and preview.sent == []
    assert (tmp_path / "preview" / "digests" / "2026-11-20" / "S2.eml").is_file()
    assert len(smtp.messages) == 1  # the preview sent nothing


def test_an_unreachable_server_fails_each_message_on_one_line_and_tries_them_all(sample_warehouse, tmp_path):
    closed = free_port()  # nothing listens there
    config = config_with(tmp_path, SAMPLE / "config", f"smtp_port: {closed}\nsender: {SENDER}\n")
    with pytest.raises(DigestSendError) as raised:
        run_digest(config, sample_warehouse, AS_OF, tmp_path / "out")
    failures = raised.value.failures
    assert [line.split()[0] for line in failures] == ["S01", "S02", "S03", "S04", "S05", "S06"]
    for line in failures:
        assert "\n" not in line and f"127.0.0.1:{closed}" in line and "refused" in line.lower()
    assert len(list((tmp_path / "out" / "digests" / "2026-11-20").glob("*.eml"))) == 6


def test_a_refused_recipient_does_not_stop_the_digests_after_it(sample_warehouse, smtp, tmp_path):
    smtp.refuse = {"linda.thornton@va.example.gov"}  # S03, third of six
    config = config_with(tmp_path, SAMPLE / "config", to_server(smtp))
    with pytest.raises(DigestSendError) as raised:
        run_digest(config, sample_warehouse, AS_OF, tmp_path / "out")
    (failure,) = raised.value.failures
    assert failure.startswith("S03 (Linda Thornton): not sent to linda.thornton@va.example.gov: recipient refused: 550")
    assert sorted(smtp.by_supervisor()) == ["S01", "S02", "S04", "S05", "S06"]


def test_login_with_credentials_from_an_airflow_connection_variable(program, request, tmp_path, monkeypatch):
    inbox = Inbox()
    start_server(request, inbox, authenticator=authenticator(inbox, b"s3cret"), auth_require_tls=False)
    monkeypatch.setenv("AIRFLOW_CONN_CE_MAIL", f"smtp://digest%40bot:s3cret@127.0.0.1:{inbox.port}")
    config = config_with(tmp_path, program.config, f"conn_id: ce_mail\nsender: {SENDER}\nsmtp_port: 1\n")
    with pytest.raises(DigestSendError):  # S2 has no email
        run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    assert inbox.logins == [(b"digest@bot", b"s3cret")]
    assert len(inbox.messages) == 1

    monkeypatch.setenv("AIRFLOW_CONN_CE_MAIL", f"smtp://digest%40bot:wrong@127.0.0.1:{inbox.port}")
    with pytest.raises(DigestSendError) as raised:
        run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "elsewhere")
    assert "answered 535" in raised.value.failures[0] and len(inbox.messages) == 1


def test_starttls_then_login_with_credentials_from_the_environment(program, request, tmp_path, monkeypatch):
    context, ca_file = tls_context(tmp_path)
    inbox = Inbox()
    start_server(request, inbox, tls_context=context, require_starttls=True, authenticator=authenticator(inbox, b"pw"))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # the client trusts the test's own certificate
    monkeypatch.setenv("DIGEST_SMTP_USER", "digest-bot")
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "pw")
    extra = "starttls: true\nusername_env: DIGEST_SMTP_USER\npassword_env: DIGEST_SMTP_PASSWORD\n"
    config = config_with(tmp_path, program.config, to_server(inbox, extra))
    with pytest.raises(DigestSendError):  # S2 has no email
        run_digest(config, program.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    assert inbox.logins == [(b"digest-bot", b"pw")] and len(inbox.messages) == 1


def tls_context(tmp_path: Path):
    """A self-signed certificate for 127.0.0.1, and a server context that presents it."""
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


# --- unusable settings and inputs --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("smtp_port: twenty-five\n", "smtp_port: 'twenty-five' is not of type 'integer'"),
        ("smtp_port: 70000\n", "smtp_port: 70000 is greater than the maximum of 65535"),
        ("smtp_host: mail.example.org\nsmtp_pot: 25\n", "Additional properties are not allowed ('smtp_pot'"),
        ("sender: [ce@va.example.gov\n", "not valid YAML"),
        ("sender: ce-program\n", "sender: 'ce-program' does not match"),
        ("sender: 'Office <ce@>'\n", "sender: 'Office <ce@>' is not an address"),
        ("starttls: sometimes\n", "starttls: 'sometimes' is not of type 'boolean'"),
        ("subject: 'Digest for {name}'\n", "subject: bad placeholder 'name'"),
        ("subject: 'Digest for {'\n", "subject: bad placeholder"),
        ("username_env: SMTP_USER\n", "top level: 'password_env' is a dependency of 'username_env'"),
        ("conn_id: ce_mail\nusername_env: U\npassword_env: P\n", "either conn_id or username_env/password_env"),
        ("- smtp_host\n", "top level: ['smtp_host'] is not of type 'object'"),
    ],
)
def test_bad_digest_yaml_is_one_line(tmp_path, text, expected):
    (tmp_path / "digest.yaml").write_text(text)
    with pytest.raises(CeledgerError) as raised:
        load_settings(tmp_path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{tmp_path / 'digest.yaml'}: ")
    assert expected in message


def test_settings_default_without_digest_yaml_but_sending_needs_a_sender(sample_warehouse, tmp_path):
    settings = load_settings(tmp_path)
    defaults = (settings.smtp_host, settings.smtp_port, settings.starttls, settings.sender, settings.subject)
    assert defaults == ("127.0.0.1", 25, False, None, "CE compliance digest for {supervisor_name}, as of {as_of}")
    config = config_with(tmp_path, SAMPLE / "config", None)
    with pytest.raises(CeledgerError, match=r"digest\.yaml: sender is required to send digests$"):
        run_digest(config, sample_warehouse, AS_OF, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # refused before anything was written


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("conn_id: nowhere\n", "conn_id 'nowhere': "),  # then Airflow's "not defined", or "is not set" without it
        (
            "username_env: NO_SUCH_USER\npassword_env: NO_SUCH_PASSWORD\n",
            "environment variable NO_SUCH_USER is not set",
        ),
    ],
)
def test_missing_smtp_credentials_are_one_line_before_anything_is_written(
    sample_warehouse, tmp_path, settings, expected
):
    config = config_with(tmp_path, SAMPLE / "config", f"sender: {SENDER}\n{settings}")
    with pytest.raises(CeledgerError) as raised:
        run_digest(config, sample_warehouse, AS_OF, tmp_path / "out")
    assert expected in str(raised.value) and "\n" not in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_without_airflow_a_connection_comes_from_its_variable_as_a_uri_or_json(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "airflow.sdk", None)  # `import` fails as if Airflow were not installed
    monkeypatch.delenv("AIRFLOW_CONN_CE_MAIL", raising=False)
    (tmp_path / "digest.yaml").write_text("conn_id: ce_mail\n")
    settings = load_settings(tmp_path)
    with pytest.raises(CeledgerError, match="AIRFLOW_CONN_CE_MAIL is not set and Airflow is not installed$"):
        smtp_server(settings)
    monkeypatch.setenv("AIRFLOW_CONN_CE_MAIL", "smtp://bot:p%40ss@mail.example.org")
    assert smtp_server(settings) == SmtpServer("mail.example.org", 25, "bot", "p@ss")
    monkeypatch.setenv("AIRFLOW_CONN_CE_MAIL", '{"conn_type": "smtp", "host": "relay", "port": 587, "login": "b"}')
    assert smtp_server(settings) == SmtpServer("relay", 587, "b", None)
    monkeypatch.setenv("AIRFLOW_CONN_CE_MAIL", "mail.example.org:25")
    with pytest.raises(CeledgerError, match="^AIRFLOW_CONN_CE_MAIL is not a connection URI like smtp://"):
        smtp_server(settings)


def test_a_warehouse_computed_for_another_day_is_refused(sample_warehouse, tmp_path):
    config = config_with(tmp_path, SAMPLE / "config", None)
    with pytest.raises(CeledgerError, match=r"compliance is as of 2026-11-20, not 2026-11-27"):
        run_digest(config, sample_warehouse, date(2026, 11, 27), tmp_path / "out", send=False)
    with pytest.raises(CeledgerError, match="no warehouse here"):
        run_digest(config, tmp_path / "missing.duckdb", AS_OF, tmp_path / "out", send=False)


# --- hostile rosters -----------------------------------------------------------------------

# supervisor ids that are not file names, and names that would break a mail header
HOSTILE_ROSTER = [
    ("../../outside", "Ella Out", "ella@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("team/lead", "Tom Slash", "tom@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("team_lead", "Tia Underscore", "tia@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "", "2018-01-01", ""),
    ("S9", "Nina\nBcc: everyone@evil.example\x07", "nina@va.example.gov", "supervisor", "Boston VAMC", "VISN 1", "",
     "2018-01-01", ""),
    ("W1", "Ann Peer", "ann.peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "../../outside",
     "2020-01-01", ""),
    ("W2", "Bob\r\nPeer", "bob.peer@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "team/lead",
     "2020-01-01", ""),
    ("W3", "Cleo Peer", "cleo@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "team_lead", "2020-01-01",
     ""),
    ("W4", "Dan Peer", "dan@va.example.gov", "peer_specialist", "Boston VAMC", "VISN 1", "S9", "2020-01-01", ""),
]  # fmt: skip
HOSTILE_IDS = ["../../outside", "S9", "team/lead", "team_lead"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Program:
    built = Program(tmp_path_factory.mktemp("hostile"))
    built.write_config(roster=HOSTILE_ROSTER, catalog=CATALOG)
    built.add(
        "statements.ndjson", [statement("ann", "ann.peer@va.example.gov", COMPLETED, COURSE, "2026-10-10T15:00:00Z")]
    )
    built.build(as_of=AS_OF.isoformat())
    return built


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_supervisor_ids_that_are_no_file_names_are_all_mailed_and_archived_inside(hostile, smtp, tmp_path):
    config = config_with(tmp_path, hostile.config, to_server(smtp))
    out = tmp_path / "out"
    result = run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, out)
    assert sorted(smtp.by_supervisor()) == HOSTILE_IDS and sorted(result.sent) == HOSTILE_IDS
    archive = out / "digests" / "2026-11-20"
    assert files_under(out) <= files_under(archive)  # nothing written outside the date's archive
    emls = sorted(p.name for p in archive.glob("*.eml"))
    assert emls == ["%2E%2E%2F%2E%2E%2Foutside.eml", "S9.eml", "team%2Flead.eml", "team_lead.eml"]  # one each
    tom = email.message_from_bytes((archive / "team%2Flead.eml").read_bytes(), policy=policy.default)
    assert tom["X-Celedger-Supervisor"] == "team/lead" and "Tom Slash" in bodies(tom)[0]

    again = run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, out)  # a retry, as Airflow would
    assert len(smtp.messages) == 4 and sorted(again.sent) == HOSTILE_IDS


def test_line_breaks_and_control_characters_in_names_cannot_forge_headers(hostile, smtp, tmp_path):
    config = config_with(tmp_path, hostile.config, to_server(smtp))
    preview = run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, tmp_path / "preview", send=False)
    assert len(preview.archived) == 4
    run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    nina = smtp.by_supervisor()["S9"]
    assert nina["Bcc"] is None
    assert [a.addr_spec for a in nina["To"].addresses] == ["nina@va.example.gov"]
    assert nina["To"].addresses[0].display_name == "Nina Bcc: everyone@evil.example"
    assert nina["Subject"].strip() == "CE compliance digest for Nina Bcc: everyone@evil.example, as of 2026-11-20"
    assert [rcpt for _, rcpt in smtp.envelopes if "nina@va.example.gov" in rcpt] == [["nina@va.example.gov"]]
    assert all(rcpt != ["everyone@evil.example"] for _, rcpt in smtp.envelopes)
    tom_text = bodies(smtp.by_supervisor()["team/lead"])[0]
    assert "Bob Peer" in tom_text  # the report's name on one line in the tables


def test_a_digest_that_cannot_be_archived_fails_alone_and_a_retry_mails_only_it(hostile, smtp, tmp_path):
    config = config_with(tmp_path, hostile.config, to_server(smtp))
    archive = tmp_path / "out" / "digests" / "2026-11-20"
    (archive / "S9.eml").mkdir(parents=True)  # something already stands where Nina's archive goes
    with pytest.raises(DigestSendError) as raised:
        run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    (failure,) = raised.value.failures
    assert failure.startswith("S9 (Nina Bcc: everyone@evil.example): not archived: ") and "\n" not in failure
    assert sorted(smtp.by_supervisor()) == ["../../outside", "team/lead", "team_lead"]

    (archive / "S9.eml").rmdir()
    again = run_digest(config, hostile.root / "warehouse.duckdb", AS_OF, tmp_path / "out")
    assert [m["X-Celedger-Supervisor"] for m in smtp.messages[3:]] == ["S9"]  # the others are not mailed twice
    assert sorted(again.sent) == HOSTILE_IDS
