"""Weekly digests for supervisors, sent over SMTP and archived as .eml files.

Supervisors approve outside CE (rule 9) and are the ones who can get a worker who is
falling behind into a webinar in time, so each digest covers one supervisor's direct
reports and nobody else's: who needs attention first, everyone's hours against the
requirement, and the credit that waits for the supervisor's decision, with the exact
approvals.csv line that records it.

The digest reads the warehouse as the last `celedger run` left it and never writes to it.
Every digest is archived before any is sent (see `send_digests`).
"""

from __future__ import annotations

import csv
import dataclasses
import email.policy
import hashlib
import io
import os
import smtplib
import ssl
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import duckdb

from pipelines import resources
from pipelines.config import one_line, policy_timezone, read_yaml, schema_violation
from pipelines.connections import airflow_connection
from pipelines.errors import CeledgerError
from pipelines.files import atomic_write
from pipelines.pages import render
from pipelines.vocabulary import NEED_ATTENTION, Period, hours, period_containing, status_words

SQL = resources.DIGEST_SQL
DEFAULT_SUBJECT = "CE compliance digest for {supervisor_name}, as of {as_of}"
SUBJECT_FIELDS = "supervisor_name, supervisor_id, as_of, period, at_risk, pending"
TIMEOUT_SECONDS = 30


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSettings:
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    sender: str | None = None
    starttls: bool = False
    username_env: str | None = None
    password_env: str | None = None
    conn_id: str | None = None
    subject: str = DEFAULT_SUBJECT
    path: Path | None = None  # the digest.yaml these came from, named in error messages


def load_settings(config_dir: Path) -> DigestSettings:
    """digest.yaml is optional, so a program can preview and archive digests before it has
    a mail relay; only sending needs a sender. Secrets are not read here but when sending."""
    path = Path(config_dir) / "digest.yaml"
    if not path.is_file():
        return DigestSettings(path=path)
    data = read_yaml(path)
    if violation := schema_violation(path, data, "digest.schema.json"):
        raise CeledgerError(violation)
    if "conn_id" in data and "username_env" in data:
        raise CeledgerError(f"{path}: give either conn_id or username_env/password_env, not both")
    if "sender" in data:
        check_sender(path, data["sender"])
    check_subject(path, data.get("subject", DEFAULT_SUBJECT))
    return DigestSettings(path=path, **data)


def check_sender(path: Path, sender: str) -> None:
    address = parseaddr(sender)[1]
    if address.count("@") != 1 or " " in address or not all(address.split("@")):
        raise CeledgerError(f"{path}: sender: {sender!r} is not an address like ce@example.org or Name <ce@...>")


def check_subject(path: Path, subject: str) -> None:
    """A misspelt placeholder would otherwise surface only at the first send, mid-run."""
    try:
        subject_line(subject, supervisor_name="x", supervisor_id="x", as_of=date(2027, 1, 1), period="x")
    except (KeyError, IndexError, ValueError) as err:
        raise CeledgerError(f"{path}: subject: bad placeholder {one_line(err)} (known: {SUBJECT_FIELDS})") from None


def subject_line(template: str, at_risk: int = 0, pending: int = 0, **fields: object) -> str:
    return one_line_text(template.format(at_risk=at_risk, pending=pending, **fields))


def one_line_text(text: str) -> str:
    """Text for a mail header or a table cell: a roster name or title with a line break, a
    tab or a control character must not split a header (forging a Bcc:) nor a table row,
    so every such character becomes a space and runs of spaces one."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(cleaned.split())


def require_sender(settings: DigestSettings) -> str:
    if not settings.sender:
        raise CeledgerError(f"{settings.path}: sender is required to send digests")
    return settings.sender


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp_server(settings: DigestSettings) -> SmtpServer:
    """Credentials are looked up only to send, so building and previewing digests needs no secrets."""
    if settings.conn_id:
        return connection_server(settings)
    if settings.username_env:
        missing = [v for v in (settings.username_env, settings.password_env) if not os.environ.get(v)]
        if missing:
            raise CeledgerError(f"{settings.path}: environment variable {missing[0]} is not set")
        username, password = os.environ[settings.username_env], os.environ[settings.password_env]
        return SmtpServer(settings.smtp_host, settings.smtp_port, username, password)
    return SmtpServer(settings.smtp_host, settings.smtp_port)


def connection_server(settings: DigestSettings) -> SmtpServer:
    """The connection's host, port and login; digest.yaml's smtp_port fills a missing port."""
    where = f"{settings.path}: conn_id {settings.conn_id!r}"
    connection = airflow_connection(settings.conn_id, where, "smtp://user:password@host:port")
    return SmtpServer(
        connection.host or settings.smtp_host,
        connection.port or settings.smtp_port,
        connection.login or None,
        connection.password or None,
    )


# --- building digests -------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    worker_id: str
    name: str
    role: str
    facility: str
    hire_date: date
    end_date: date | None
    status: str | None  # None: not employed in the period (left before it, or not started)
    required_hours: Decimal | None
    approved_hours: Decimal | None
    hours_needed: Decimal | None
    days_left: int


@dataclass(frozen=True)
class PendingCredit:
    worker_id: str
    name: str
    period: str
    activity_id: str
    title: str
    hours: Decimal
    earned_on: date  # the local day, in the policy's time zone
    counts: bool  # False: the activity has no competency category (rule 10)
    approval_line: str  # the approvals.csv line that approves it


@dataclass(frozen=True)
class Renewal:
    """A report's renewal cycle (rules 13-17) that ends soon, and what it still needs."""

    worker_id: str
    name: str
    credential: str
    track: str
    cycle_end: date
    days_left: int
    hours_needed: Decimal
    minimums_short: str  # "ethics:0.50;peer_recovery:4.00", empty when every minimum is met
    status: str


RENEWAL_DAYS = 90  # how far ahead the digest looks for renewal cycles that end


@dataclass(frozen=True)
class Digest:
    supervisor_id: str
    supervisor_name: str
    recipient: str | None  # None: the supervisor has no email in the roster; reported, not sent
    subject: str
    text: str
    html: str
    as_of: date
    period: Period
    staff: tuple[StaffMember, ...] = ()  # employed in the period and not separated
    at_risk: tuple[StaffMember, ...] = ()  # the staff who need attention, most hours needed first
    separated: tuple[StaffMember, ...] = ()  # left during the period
    not_in_period: tuple[StaffMember, ...] = ()  # on the roster, but left before the period or not started
    pending: tuple[PendingCredit, ...] = ()
    renewals: tuple[Renewal, ...] | None = None  # None: the program has no requirement tracks

    @property
    def reports(self) -> set[str]:
        """Every direct report the digest accounts for."""
        return {m.worker_id for m in (*self.staff, *self.separated, *self.not_in_period)}


def build_digests(
    con: duckdb.DuckDBPyConnection, as_of: date, *, subject: str = DEFAULT_SUBJECT, timezone: str = "UTC"
) -> list[Digest]:
    """One digest per supervisor. A supervisor without an email still gets one, with
    recipient None, so the caller reports it instead of the digest vanishing.

    `timezone` is the policy's: the day a credit was earned is the local day (rule 12).
    """
    period = current_period(con, as_of)
    staff = group(fetch(con, "staff.sql", {"as_of": as_of}))
    pending = group(fetch(con, "pending.sql"))
    has_tracks = con.execute("select count(*) > 0 from cfg_tracks").fetchone()[0]
    renewals = group(fetch(con, "renewals.sql", {"as_of": as_of, "days": RENEWAL_DAYS}))
    supervisors = con.execute(
        "select worker_id, coalesce(name, worker_id), email from cfg_roster "
        "where worker_id in (select supervisor_id from cfg_roster) order by worker_id"
    ).fetchall()
    zone = ZoneInfo(timezone)
    digests = []
    for supervisor_id, name, address in supervisors:
        name = one_line_text(name)
        members = [staff_member(row, period, as_of) for row in staff.get(supervisor_id, [])]
        credits = [pending_credit(row, supervisor_id, as_of, zone) for row in pending.get(supervisor_id, [])]
        credits = [c for c in credits if c.earned_on <= as_of]  # the digest tells the as-of day's story
        due = [renewal(row, as_of) for row in renewals.get(supervisor_id, [])] if has_tracks else None
        digests.append(compose(supervisor_id, name, address, as_of, period, members, credits, subject, due))
    return digests


def current_period(con: duckdb.DuckDBPyConnection, as_of: date) -> Period:
    """Statuses are computed for the warehouse's as-of date; a digest for another date
    would mix that day's statuses with this day's countdown."""
    computed = con.execute("select min(as_of), max(as_of) from compliance_worker").fetchone()
    if computed[1] is None:
        raise CeledgerError("the warehouse has no compliance yet: run `celedger run` first")
    if computed != (as_of, as_of):
        raise CeledgerError(
            f"the warehouse's compliance is as of {computed[1]}, not {as_of}: run `celedger run --as-of {as_of}` first"
        )
    period = period_containing(con, as_of)
    if period is None:
        raise CeledgerError(f"the warehouse has no period containing {as_of}")
    return period


def fetch(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    cursor = con.execute((SQL / name).read_text(), params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def group(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["supervisor_id"], []).append(row)
    return grouped


def staff_member(row: dict, period: Period, as_of: date) -> StaffMember:
    return StaffMember(
        worker_id=row["worker_id"],
        name=one_line_text(row["name"] or row["worker_id"]),
        role=row["role"],
        facility=one_line_text(row["facility"] or ""),
        hire_date=row["hire_date"],
        end_date=row["end_date"],
        status=row["status"],
        required_hours=row["required_hours"],
        approved_hours=row["approved_hours"],
        hours_needed=row["hours_needed"],
        days_left=max((period.end - as_of).days, 0),
    )


def pending_credit(row: dict, supervisor_id: str, as_of: date, zone: ZoneInfo) -> PendingCredit:
    return PendingCredit(
        worker_id=row["worker_id"],
        name=one_line_text(row["name"] or row["worker_id"]),
        period=row["period"],
        activity_id=row["activity_id"],
        title=one_line_text(row["title"] or row["activity_id"]),
        hours=row["credited_hours"],
        earned_on=row["earned_at"].astimezone(zone).date(),
        counts=row["qualifying"],
        approval_line=csv_line([row["worker_id"], row["activity_id"], "approved", supervisor_id, as_of.isoformat()]),
    )


def renewal(row: dict, as_of: date) -> Renewal:
    return Renewal(
        worker_id=row["worker_id"],
        name=one_line_text(row["name"] or row["worker_id"]),
        credential=one_line_text(row["credential"]),
        track=row["track"],
        cycle_end=row["cycle_end"],
        days_left=(row["cycle_end"] - as_of).days,
        hours_needed=row["hours_needed"],
        minimums_short=row["minimums_short"],
        status=row["status"],
    )


def csv_line(values: list[str]) -> str:
    """Quoted as approvals.csv needs it: an activity IRI may hold a comma."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def compose(
    supervisor_id: str,
    name: str,
    address: str | None,
    as_of: date,
    period: Period,
    members: list[StaffMember],
    credits: list[PendingCredit],
    subject: str,
    renewals: list[Renewal] | None = None,
) -> Digest:
    attention = [m for m in members if m.status in NEED_ATTENTION]
    attention.sort(key=lambda m: (-m.hours_needed, m.name, m.worker_id))
    digest = Digest(
        supervisor_id=supervisor_id,
        supervisor_name=name,
        recipient=address or None,
        subject=subject_line(
            subject,
            supervisor_name=name,
            supervisor_id=supervisor_id,
            as_of=as_of,
            period=period.label,
            at_risk=len(attention),
            pending=len(credits),
        ),
        text="",
        html="",
        as_of=as_of,
        period=period,
        staff=tuple(m for m in members if m.status not in (None, "separated")),
        at_risk=tuple(attention),
        separated=tuple(m for m in members if m.status == "separated"),
        not_in_period=tuple(m for m in members if m.status is None),
        pending=tuple(credits),
        renewals=None if renewals is None else tuple(renewals),
    )
    return dataclasses.replace(digest, text=render_text(digest), html=render_html(digest))


# --- rendering: the same sections as plain text and as one self-contained HTML page ---


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str  # said instead of an empty table
    note: str = ""
    block: tuple[str, ...] = ()  # lines to copy as they are (approvals.csv lines)
    block_note: str = ""  # said before the block


RIGHT = {"Approved h", "Required h", "Needed h", "Hours", "Days left"}  # numbers, aligned right


def sections(d: Digest) -> list[Section]:
    renewals = [] if d.renewals is None else [renewals_section(d)]
    return [attention_section(d), staff_section(d), *renewals, pending_section(d), separated_section(d)]


def renewals_section(d: Digest) -> Section:
    return Section(
        f"Certification renewals due in the next {RENEWAL_DAYS} days ({len(d.renewals)})",
        ("Name", "ID", "Credential", "Cycle ends", "Days left", "Needed h", "Minimums still needed", "Status"),
        [
            (
                r.name,
                r.worker_id,
                r.credential,
                r.cycle_end.isoformat(),
                str(r.days_left),
                hours(r.hours_needed),
                minimums_words(r.minimums_short),
                status_words(r.status),
            )
            for r in d.renewals
        ],
        f"No renewal cycle of your staff ends in the next {RENEWAL_DAYS} days.",
        "Each credential's renewal cycle that ends soon, soonest first, with the hours and the topic "
        "minimums it still needs (hours counted after the track's caps).",
    )


def minimums_words(short: str) -> str:
    """compliance_track's `ethics:0.50;peer_recovery:4.00` as a person reads it."""
    if not short:
        return "none"
    return ", ".join(f"{name} {needed} h" for name, needed in (item.split(":") for item in short.split(";")))


def attention_section(d: Digest) -> Section:
    return Section(
        f"Needs attention first ({len(d.at_risk)})",
        ("Name", "ID", "Facility", "Needed h", "Approved h", "Required h", "Status"),
        [
            (
                m.name,
                m.worker_id,
                m.facility,
                hours(m.hours_needed),
                hours(m.approved_hours),
                hours(m.required_hours),
                status_words(m.status),
            )
            for m in d.at_risk
        ],
        "Nobody is at risk: every one of your staff is on track or compliant.",
        "Behind the pace the requirement sets for this point of the period, most hours needed first.",
    )


def staff_section(d: Digest) -> Section:
    return Section(
        f"Your staff in {d.period.label} ({len(d.staff)})",
        ("Name", "ID", "Role", "Facility", "Approved h", "Required h", "Needed h", "Status", "Days left"),
        [
            (
                m.name,
                m.worker_id,
                m.role.replace("_", " "),
                m.facility,
                hours(m.approved_hours),
                hours(m.required_hours),
                hours(m.hours_needed),
                status_words(m.status),
                str(m.days_left),
            )
            for m in d.staff
        ],
        "No direct reports are employed in this period.",
    )


def pending_section(d: Digest) -> Section:
    return Section(
        f"Credit awaiting your approval ({len(d.pending)})",
        ("Name", "ID", "Activity", "Hours", "Earned", "Period"),
        [
            (
                c.name,
                c.worker_id,
                c.title + ("" if c.counts else " (no competency category: will not count)"),
                hours(c.hours),
                c.earned_on.isoformat(),
                c.period,
            )
            for c in d.pending
        ],
        "No credit is waiting for your decision.",
        "Credit for activities outside the approved catalog counts only once you approve it (rule 9).",
        block=tuple(c.approval_line for c in d.pending),
        block_note="To approve, add these lines to approvals.csv (write rejected instead of approved to decline; "
        "the date is the day you decide). They count from the next celedger run.",
    )


def separated_section(d: Digest) -> Section:
    rows = [(m.name, m.worker_id, m.facility, f"left {m.end_date}", hours(m.approved_hours)) for m in d.separated]
    rows += [(m.name, m.worker_id, m.facility, not_employed(m, d.period), "") for m in d.not_in_period]
    return Section(
        f"Separated and not employed in {d.period.label} ({len(rows)})",
        ("Name", "ID", "Facility", "When", "Approved h"),
        rows,
        "None.",
        "On your roster but not counted in the compliance rates.",
    )


def not_employed(m: StaffMember, period: Period) -> str:
    if m.end_date is not None and m.end_date < period.start:
        return f"left {m.end_date}"
    return f"starts {m.hire_date}"


def heading(d: Digest) -> list[str]:
    days = max((d.period.end - d.as_of).days, 0)
    return [
        f"CE compliance digest for {d.supervisor_name} ({d.supervisor_id})",
        f"Period {d.period.label}, {d.period.start} to {d.period.end}: as of {d.as_of}, {days} days left.",
        f"Your direct reports: {len(d.staff)} in the period, {len(d.at_risk)} needing attention, "
        f"{len(d.pending)} credit(s) awaiting your approval.",
    ]


FOOTER = (
    "Hours are approved CE hours in competency-bearing activities earned on or before the as-of date, "
    "from the celedger ledger. This digest lists only the staff who report to you directly in the roster."
)


def render_text(d: Digest) -> str:
    lines = heading(d)
    for s in sections(d):
        lines += ["", s.title.upper()]
        if not s.rows:
            lines.append(s.empty)
            continue
        if s.note:
            lines.append(s.note)
        lines += text_table(s.headers, s.rows)
        if s.block:
            lines += ["", s.block_note, ""] + [f"    {line}" for line in s.block]
    lines += ["", FOOTER]
    return "\n".join(lines) + "\n"


def text_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in (headers, *rows)) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        padded = [c.rjust(w) if h in RIGHT else c.ljust(w) for c, w, h in zip(cells, widths, headers, strict=True)]
        return "  " + "  ".join(padded).rstrip()

    return [line(headers), "  " + "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def render_html(d: Digest) -> str:
    """The same sections as the text, as one self-contained page (templates/digest.html)."""
    return render(
        "digest.html", subject=d.subject, heading=heading(d), sections=sections(d), right=RIGHT, footer=FOOTER
    )


# --- archiving and sending --------------------------------------------------------------


class DigestSendError(CeledgerError):
    """Some digests were not sent (or, for a preview, not archived); `failures` has one line each."""

    def __init__(self, failures: list[str], archived: list[Path], sent: list[str], total: int, action: str = "sent"):
        self.failures = failures
        self.archived = archived
        self.sent = sent
        where = archived[0].parent if archived else "-"
        super().__init__(
            f"{len(failures)} of {total} digest(s) not {action} ({len(archived)} archived under {where}): "
            + "; ".join(failures)
        )


def email_message(digest: Digest, sender: str | None) -> EmailMessage:
    """text/plain and text/html as multipart/alternative; the headers name the supervisor
    and the as-of date so an archived message can be found and resent by hand."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    if sender:
        message["From"] = sender
    if digest.recipient:
        message["To"] = formataddr((digest.supervisor_name, digest.recipient))
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender or "")[1].rpartition("@")[2] or "celedger.invalid"
    message["Message-ID"] = make_msgid("celedger-digest", domain=domain)
    message["X-Celedger-Supervisor"] = one_line_text(digest.supervisor_id)
    message["X-Celedger-As-Of"] = digest.as_of.isoformat()
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def archive_path(archive_dir: Path, digest: Digest) -> Path:
    return Path(archive_dir) / (file_name(digest.supervisor_id) + ".eml")


def file_name(supervisor_id: str) -> str:
    """A roster id as one file name, distinct for distinct ids: every character but ASCII
    letters, digits, _ and - is percent-encoded, so an id holds no path separator and no
    dot-dot (`team/lead` is `team%2Flead`, `..` is `%2E%2E`). An id too long for a file
    name keeps its start and gains a hash of the whole."""
    name = quote(supervisor_id, safe="").replace(".", "%2E").replace("~", "%7E")
    if len(name) > 120:
        name = name[:80] + "~" + hashlib.sha256(supervisor_id.encode()).hexdigest()[:32]
    return name


def write_archive(message: EmailMessage, path: Path) -> Path:
    """Written whole or not at all, so a crash never leaves half a message to resend; with
    CRLF line ends, as the message goes over the wire (and as RFC 5322 .eml files are)."""
    atomic_write(path, message.as_bytes(policy=email.policy.SMTP))
    return path


def archive_digests(digests: list[Digest], settings: DigestSettings, archive_dir: Path) -> list[Path]:
    """Archive without sending: a preview, or a run with no mail relay yet."""
    paths, messages, failures = archive_each(digests, settings.sender, archive_dir)
    if failures:
        raise DigestSendError(failures, paths, [], len(digests), action="archived")
    return paths


def archive_each(
    digests: list[Digest], sender: str | None, archive_dir: Path
) -> tuple[list[Path], list[tuple[Digest, EmailMessage]], list[str]]:
    """Archive each digest on its own: one that cannot be written is a failure line, and
    the others are archived all the same."""
    paths, messages, failures = [], [], []
    for digest in digests:
        try:
            message = email_message(digest, sender)
            paths.append(write_archive(message, archive_path(archive_dir, digest)))
        except Exception as err:  # one supervisor's failure must not stop the rest
            failures.append(f"{who(digest)}: not archived: {one_line(err) or type(err).__name__}")
        else:
            messages.append((digest, message))
    return paths, messages, failures


def send_digests(digests: list[Digest], settings: DigestSettings, archive_dir: Path) -> list[Path]:
    """Archive every digest, then send each one.

    Archiving comes first and does not depend on delivery: the archive is what each
    supervisor was meant to read (the exact message, same Message-ID), and a digest whose
    sending failed can be forwarded from it by hand. One failure (a refused recipient, a
    supervisor without email, a server that cannot be reached, an archive that cannot be
    written) does not stop the others; the failures are raised together at the end, one
    line each. A supervisor already mailed for this date (a mark in _sent/) is not mailed
    again, so a retry after any failure mails only those still waiting.
    """
    sender = require_sender(settings)
    marks = archive_dir / "_sent"
    done = [d for d in digests if (marks / file_name(d.supervisor_id)).is_file()]
    sent = [d.supervisor_id for d in done]
    todo = [d for d in digests if d not in done]
    paths, messages, failures = archive_each(todo, sender, archive_dir)
    paths += [archive_path(archive_dir, d) for d in done]
    server = smtp_server(settings)
    with Mailer(server, settings.starttls) as mailer:
        for digest, message in messages:
            if digest.recipient is None:
                failures.append(f"{who(digest)}: no email address in the roster, not sent")
                continue
            try:
                mailer.send(message)
            except Exception as err:  # one supervisor's failure must not stop the rest
                failures.append(f"{who(digest)}: not sent to {digest.recipient}: {describe(err, server)}")
                continue
            sent.append(digest.supervisor_id)
            try:
                mark_sent(marks, digest, message)
            except OSError as err:
                failures.append(
                    f"{who(digest)}: sent, but not marked as sent ({one_line(err)}): a retry mails it again"
                )
    if failures:
        raise DigestSendError(failures, paths, sent, len(digests))
    return paths


def mark_sent(marks: Path, digest: Digest, message: EmailMessage) -> None:
    marks.mkdir(parents=True, exist_ok=True)
    (marks / file_name(digest.supervisor_id)).write_text(str(message["Message-ID"]) + "\n")


def who(digest: Digest) -> str:
    return f"{one_line_text(digest.supervisor_id)} ({digest.supervisor_name})"


def describe(err: Exception, server: SmtpServer) -> str:
    if isinstance(err, smtplib.SMTPRecipientsRefused) and err.recipients:
        code, reply = next(iter(err.recipients.values()))
        return f"recipient refused: {code} {one_line(reply.decode(errors='replace'))}"
    if isinstance(err, smtplib.SMTPResponseException):
        reply = err.smtp_error.decode(errors="replace") if isinstance(err.smtp_error, bytes) else err.smtp_error
        return f"{server.host}:{server.port} answered {err.smtp_code} {one_line(reply)}"
    return f"{server.host}:{server.port}: {one_line(err) or type(err).__name__}"


class Mailer:
    """One SMTP session reused across digests. After any error it is dropped, and the next
    digest opens a fresh one: a broken session must not fail the digests after it."""

    def __init__(self, server: SmtpServer, starttls: bool):
        self.server = server
        self.starttls = starttls
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self.smtp is None:
                self.smtp = self.connect()
            self.smtp.send_message(message)
        except BaseException:
            self.drop()
            raise

    def connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.server.host, self.server.port, timeout=TIMEOUT_SECONDS)
        try:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.server.username:
                smtp.login(self.server.username, self.server.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


# --- the job ----------------------------------------------------------------------------


@dataclass
class DigestResult:
    as_of: date
    archive_dir: Path
    digests: list[Digest]
    archived: list[Path]
    sent: list[str]  # supervisor ids whose digest the SMTP server accepted
    unaddressed: list[str]  # supervisor ids with no email in the roster (never sent)


def run_digest(config_dir: Path, warehouse: Path, as_of: date, out: Path, send: bool = True) -> DigestResult:
    """Build every supervisor's digest from the warehouse, archive them under
    <out>/digests/<as_of>/ and, when `send`, mail them. Raises DigestSendError (a
    CeledgerError) after trying them all if any could not be sent."""
    settings = load_settings(config_dir)
    if send:  # config problems stop the job before anything is written; delivery problems do not
        require_sender(settings)
        smtp_server(settings)
    timezone = policy_timezone(Path(config_dir)).key
    con = open_warehouse(Path(warehouse))
    try:
        digests = build_digests(con, as_of, subject=settings.subject, timezone=timezone)
    except duckdb.CatalogException as err:
        raise CeledgerError(f"{warehouse}: not a celedger warehouse ({one_line(err)})") from None
    finally:
        con.close()
    archive_dir = Path(out) / "digests" / as_of.isoformat()
    deliver = send_digests if send else archive_digests
    archived = deliver(digests, settings, archive_dir)
    return DigestResult(
        as_of=as_of,
        archive_dir=archive_dir,
        digests=digests,
        archived=archived,
        sent=[d.supervisor_id for d in digests] if send else [],
        unaddressed=[d.supervisor_id for d in digests if d.recipient is None],
    )


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only: a digest never changes the warehouse, and can run beside readers."""
    if not path.is_file():
        raise CeledgerError(f"{path}: no warehouse here; run `celedger run` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise CeledgerError(f"{path}: cannot open the warehouse read-only ({one_line(err)})") from None
    con.execute("set TimeZone = 'UTC'")
    return con
