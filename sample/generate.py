"""Deterministic generator for celedger's bundled sample program.

Usage::

    python sample/generate.py [TARGET]     # default: sample/, beside this file

``write_sample(target)`` writes ``target/config/`` (policy.yaml, roster.csv,
identities.csv, catalog.csv, approvals.csv, sources.yaml) and ``target/statements/`` (three
source systems in three file forms, plus a ``_notes.json`` the pipeline must skip).

Everything is derived from fixed seeds: no wall clock, no network, standard library
only. Every statement id comes from a random generator seeded by a label that is
unique to that statement, so ids do not move when other statements are added.
Running it twice produces byte-identical files.

The quirks planted in the data (identity variants, duplicates, voiding, unmatched
actors, uncatalogued activities, webinar arithmetic, fiscal-year boundaries, invalid
statements, approvals) and the hand-checked expected results are documented in
``sample/README.md``; keep the two in step when changing anything here. It lives beside
the sample it writes, not in the runtime package: celedger never needs it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SEED = "celedger-sample-program/v1"

XAPI_VERSION = "1.0.3"
TRAINING = "https://training.example.org"
LMS_HOME = "https://lms.example.org"
FORUM_BASE = f"{TRAINING}/forums/wellness-recovery-promotion"

VERBS = {
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "commented": "http://adlnet.gov/expapi/verbs/commented",
    "responded": "http://adlnet.gov/expapi/verbs/responded",
    "replied": "http://id.tincanapi.com/verb/replied",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}

ACTIVITY_TYPES = {
    "webinar": "http://id.tincanapi.com/activitytype/webinar",
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "homework": "http://adlnet.gov/expapi/activities/assessment",
    "curriculum": "http://id.tincanapi.com/activitytype/curriculum",
    "discussion": "http://id.tincanapi.com/activitytype/discussion",
    "forum-reply": "http://id.tincanapi.com/activitytype/forum-reply",
}

AUTHORITIES = {
    "webinar": {
        "objectType": "Agent",
        "name": "Webinar platform xAPI writer",
        "account": {"homePage": "https://webinars.example.com", "name": "xapi-writer"},
    },
    "lms": {
        "objectType": "Agent",
        "name": "LMS xAPI export",
        "account": {"homePage": LMS_HOME, "name": "xapi-export"},
    },
    "forum": {
        "objectType": "Agent",
        "name": "Course forum xAPI bridge",
        "account": {"homePage": "https://forum.example.org", "name": "xapi-bridge"},
    },
}

PLATFORMS = {
    "webinar": "Example Webinar Platform",
    "lms": "Example LMS",
    "forum": "Example Course Forum",
}

FY2026 = 2026
FY2027 = 2027
# Windows for ordinary (non-quirk) activity dates, well clear of the fiscal-year edge.
WINDOWS = {
    FY2026: (date(2025, 10, 6), date(2026, 9, 25)),
    FY2027: (date(2026, 10, 5), date(2026, 11, 16)),
}

# --------------------------------------------------------------------------- roster

# facility -> (region, standard UTC offset in hours of the facility's local time)
FACILITIES = {
    "Boston VAMC": ("VISN 1", -5),
    "Providence VAMC": ("VISN 1", -5),
    "White River Junction VAMC": ("VISN 1", -5),
    "Long Beach VAMC": ("VISN 22", -8),
    "San Diego VAMC": ("VISN 22", -8),
}

# worker_id, first, last, facility, supervisor_id (peer specialists only)
SUPERVISORS = [
    ("S01", "Patricia", "Nguyen", "Boston VAMC"),
    ("S02", "Marcus", "Bell", "Providence VAMC"),
    ("S03", "Linda", "Thornton", "White River Junction VAMC"),
    ("S04", "Roberto", "Alvarez", "Long Beach VAMC"),
    ("S05", "Grace", "Kim", "San Diego VAMC"),
    ("S06", "Daniel", "O'Connor", "Boston VAMC"),
]

PEERS = [
    ("W001", "James", "Carter", "Boston VAMC", "S01"),
    ("W002", "Aisha", "Rahman", "Boston VAMC", "S01"),
    ("W003", "Kevin", "Walsh", "Boston VAMC", "S01"),
    ("W004", "Maria", "Gonzalez", "Boston VAMC", "S06"),
    ("W005", "Tyrone", "Jackson", "Boston VAMC", "S06"),
    ("W006", "Emily", "Chen", "Boston VAMC", "S06"),
    ("W007", "Michael", "Souza", "Providence VAMC", "S02"),
    ("W008", "Sandra", "Pires", "Providence VAMC", "S02"),
    ("W009", "David", "Medeiros", "Providence VAMC", "S02"),
    ("W010", "Jennifer", "Lopes", "Providence VAMC", "S02"),
    ("W011", "Christopher", "Silva", "Providence VAMC", "S02"),
    ("W012", "Rachel", "Goldberg", "Providence VAMC", "S02"),
    ("W013", "Benjamin", "Tucker", "White River Junction VAMC", "S03"),
    ("W014", "Hannah", "Lindqvist", "White River Junction VAMC", "S03"),
    ("W015", "Samuel", "Dupont", "White River Junction VAMC", "S03"),
    ("W016", "Olivia", "Bergeron", "White River Junction VAMC", "S03"),
    ("W017", "Nathan", "Whitcomb", "White River Junction VAMC", "S03"),
    ("W018", "Abigail", "Fairbanks", "White River Junction VAMC", "S03"),
    ("W019", "Luis", "Hernandez", "Long Beach VAMC", "S04"),
    ("W020", "Tiffany", "Nguyen", "Long Beach VAMC", "S04"),
    ("W021", "Derrick", "Washington", "Long Beach VAMC", "S04"),
    ("W022", "Mei", "Chang", "Long Beach VAMC", "S04"),
    ("W023", "Anthony", "Russo", "Long Beach VAMC", "S04"),
    ("W024", "Keisha", "Robinson", "Long Beach VAMC", "S04"),
    ("W025", "Carlos", "Mendoza", "San Diego VAMC", "S05"),
    ("W026", "Jasmine", "Patel", "San Diego VAMC", "S05"),
    ("W027", "Ryan", "Murphy", "San Diego VAMC", "S05"),
    ("W028", "Vanessa", "Ortiz", "San Diego VAMC", "S05"),
    ("W029", "Andre", "Thompson", "San Diego VAMC", "S05"),
    ("W030", "Sofia", "Ramirez", "San Diego VAMC", "S05"),
]

FIXED_HIRES = {
    "W029": date(2026, 3, 15),  # new hire inside FY2026, mid-month: owes 6 months
    "W030": date(2026, 5, 1),  # new hire on the 1st: May counts, owes 5 months
}
END_DATES = {"W012": date(2026, 6, 30)}  # separated inside FY2026

# Extra identifiers used by the source systems (see identities.csv).
SECOND_MBOX = {"W008": "mailto:sandy.pires@example.com"}
OPENIDS = {"W011": "https://openid.example.org/csilva"}
LMS_BY_MBOX = {"W021"}  # LMS account not provisioned: LMS writes the roster mbox
WEBINAR_MBOX_CASE = {
    "W004": "mailto:Maria.Gonzalez@VA.Example.GOV",
    "W019": "mailto:Luis.Hernandez@va.example.gov",
    "S02": "mailto:MARCUS.BELL@VA.EXAMPLE.GOV",
}
FORUM_BY_SHA1 = {"White River Junction VAMC", "San Diego VAMC"}

# --------------------------------------------------------------------------- catalog

SERIES_TITLE = "Using Core Competencies to Support Peer Workers and Improve Services"
SERIES_IRI = f"{TRAINING}/webinars/core-competencies"

# code -> (session no, subtitle, scheduled hours, competencies, date, start hour in ET)
WEBINARS = {
    "S1": (
        1,
        "Introducing the Core Competencies for Peer Workers",
        1.5,
        "C01;C02;C09",
        date(2025, 11, 13),
        14,
    ),
    "S2": (
        2,
        "Using the Core Competencies in Supervision",
        1.5,
        "C10;C12",
        date(2026, 1, 15),
        14,
    ),
    "S3": (
        3,
        "Core Competencies in Hiring and Onboarding",
        1.0,
        "C10;C11",
        date(2026, 3, 12),
        14,
    ),
    "S4": (
        4,
        "Sharing Lived Experience with Purpose",
        1.0,
        "C03;C04",
        date(2026, 5, 14),
        14,
    ),
    "S5": (
        5,
        "Supporting Recovery Planning and Crisis Response",
        1.5,
        "C05;C08",
        date(2026, 7, 16),
        14,
    ),
    "S6": (
        6,
        "Linking Peers to Resources and Supports",
        1.0,
        "C06;C07",
        date(2026, 9, 10),
        14,
    ),
    "S7": (
        7,
        "Promoting Leadership and Advocacy",
        1.0,
        "C11;C12",
        date(2026, 10, 15),
        14,
    ),
    "S8": (
        8,
        "Communication and Collaboration in Team-Based Care",
        1.5,
        "C09;C10",
        date(2026, 11, 12),
        13,
    ),
}
# A session the webinar platform hosted but the program office never catalogued.
OFFICE_HOURS = (
    "OH",
    f"{SERIES_IRI}/office-hours-2026-04",
    "Core Competencies Office Hours (April 2026)",
    1.0,
    date(2026, 4, 9),
    15,
)

WELLNESS_IRI = f"{TRAINING}/courses/wellness-recovery-promotion"
WELLNESS_TITLE = "Wellness and Recovery Promotion in Behavioral Health Services"
HOMEWORK = {  # week -> (title, competencies)
    1: ("Homework Week 1: The Eight Dimensions of Wellness", "C07"),
    2: ("Homework Week 2: Strengths-Based Language and Self-Care", "C07;C12"),
    3: ("Homework Week 3: Building a Recovery and Wellness Plan", "C05"),
    4: ("Homework Week 4: A Personal Recovery Narrative", "C03;C11"),
}
# cohort -> (label, first Monday)
COHORTS = {
    "A": ("cohort-2026-02", date(2026, 2, 2)),
    "B": ("cohort-2026-06", date(2026, 6, 1)),
    "C": ("cohort-2026-10", date(2026, 10, 5)),
}

HRS_IRI = f"{TRAINING}/courses/helping-relationship-skills"
RTP_IRI = f"{TRAINING}/courses/recovery-to-practice"
# module code -> (curriculum, slug, title, hours, competencies)
MODULES = {
    "al": ("HRS", "active-listening", "Active Listening", 1.0, "C01;C09"),
    "rr": ("HRS", "reflective-responding", "Reflective Responding", 1.0, "C02;C09"),
    "oq": ("HRS", "open-ended-questions", "Asking Open-Ended Questions", 1.0, "C09"),
    "ev": ("HRS", "empathy-and-validation", "Empathy and Validation", 1.0, "C01;C02"),
    "sg": (
        "HRS",
        "summarizing-and-goal-setting",
        "Summarizing and Goal Setting",
        1.0,
        "C05;C09",
    ),
    "bd": (
        "HRS",
        "boundaries-in-peer-relationships",
        "Boundaries in Peer Relationships",
        1.5,
        "C01;C12",
    ),
    "ur": (
        "RTP",
        "understanding-recovery",
        "Understanding Recovery and Its Dimensions",
        2.0,
        "C07;C12",
    ),
    "pc": (
        "RTP",
        "person-centered-planning",
        "Person-Centered Recovery Planning",
        2.0,
        "C04;C05",
    ),
    "sd": ("RTP", "shared-decision-making", "Shared Decision Making", 1.5, "C04;C09"),
    "ti": (
        "RTP",
        "trauma-informed-peer-support",
        "Trauma-Informed Peer Support",
        1.5,
        "C02;C08",
    ),
    "cr": (
        "RTP",
        "crisis-and-relapse-prevention",
        "Supporting Crisis and Relapse Prevention",
        1.5,
        "C08",
    ),
    "ci": (
        "RTP",
        "community-inclusion-and-resources",
        "Community Inclusion and Resources",
        1.0,
        "C06",
    ),
    "sa": (
        "RTP",
        "self-advocacy-and-leadership",
        "Self-Advocacy and Leadership",
        1.0,
        "C03;C11",
    ),
}
CURRICULA = {
    "HRS": (HRS_IRI, "Helping Relationship Skills", "VHA Employee Education System"),
    "RTP": (RTP_IRI, "Recovery to Practice", "SAMHSA Recovery to Practice"),
}
# other courses: code -> (iri, title, provider, hours, competencies, approved)
OTHER_COURSES = {
    "MI": (
        f"{TRAINING}/external/motivational-interviewing-foundations",
        "Motivational Interviewing Foundations (outside provider)",
        "Community College Continuing Education",
        3.0,
        "C01;C09",
        False,
    ),
    "PRIV": (
        f"{TRAINING}/courses/va-privacy-hipaa-refresher",
        "VA Privacy and HIPAA Awareness (annual refresher)",
        "VA Talent Management System",
        1.0,
        "",
        True,
    ),
}

# catalog topics (rules 15-16: what the tracks' minimums and caps read), by webinar,
# homework week, module or course code
TOPICS = {
    "S1": "peer_support",
    "S2": "supervision",
    "S3": "workforce",
    "S4": "peer_support",
    "S5": "crisis;recovery",
    "S6": "recovery",
    "S7": "advocacy",
    "S8": "communication",
    "WELLNESS": "recovery;wellness",
    1: "wellness",
    2: "wellness",
    3: "recovery",
    4: "recovery",
    "al": "peer_support",
    "rr": "peer_support",
    "oq": "peer_support",
    "ev": "peer_support",
    "sg": "peer_support",
    "bd": "ethics;peer_support",
    "ur": "recovery",
    "pc": "recovery",
    "sd": "ethics;recovery",
    "ti": "recovery;trauma",
    "cr": "crisis;recovery",
    "ci": "recovery",
    "sa": "advocacy",
    "MI": "peer_support",
    "PRIV": "ethics;privacy",
}

# certifications.csv rows (rule 13): worker, credential, certified on, expires on. Three
# state-like credentials (the tracks in POLICY_YAML) and one that no track names.
CERTIFICATIONS = [
    ("W001", "PA-CPS", date(2024, 3, 15), None),  # two cycles: one ended in March 2026
    ("W001", "NE-CPSS", date(2019, 5, 20), None),  # and a second credential
    ("W004", "PA-CPS", date(2025, 1, 31), None),  # pending outside CE counts (approval none)
    ("W012", "PA-CPS", date(2023, 7, 1), None),  # left on 2026-06-30: separated
    ("W007", "NE-CPSS", date(2021, 4, 2), None),
    ("W022", "NE-CPSS", date(2023, 10, 9), date(2026, 6, 30)),  # lapsed inside the cycle
    ("W029", "NE-CPSS", date(2026, 10, 1), None),  # certified within 12 months of renewal: waived
    ("W014", "TX-CPS", date(2025, 2, 28), None),  # outside CE rejected, and not catalog-approved
    ("W020", "TX-CPS", date(2024, 12, 31), None),  # outside CE approved by S04, still not catalog-approved
    ("W026", "TX-CPS", date(2025, 6, 15), None),  # more self-paced courses than the cap takes
    ("W010", "CCAR-RC", date(2022, 6, 1), None),  # no track names it: listed, owes nothing
]

# LMS completions that carry a certificate of completion (rule 18): worker, module
CERTIFICATES = [("W001", "ti"), ("W007", "sa")]
CERTIFICATE_USAGE = "http://id.tincanapi.com/attachment/certificate-of-completion"

# approvals.csv rows: worker, activity code, decision, decided by, decided on
APPROVALS = [
    ("W002", "MI", "approved", "S01", date(2026, 4, 27)),
    ("W004", "MI", "approved", "S01", date(2026, 5, 12)),  # not W004's supervisor (S06)
    ("W005", "MI", "approved", "S06", date(2026, 5, 12)),
    ("W008", "MI", "approved", "S02", date(2026, 8, 3)),
    ("W014", "MI", "rejected", "S03", date(2026, 3, 20)),
    ("W020", "MI", "approved", "S04", date(2026, 11, 5)),
]  # W026 took MI too and has no decision: pending


# --------------------------------------------------------------------------- helpers


def _rng(label: str) -> random.Random:
    return random.Random(f"{SEED}:{label}")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def fiscal_year(d: date) -> int:
    return d.year + 1 if d.month >= 10 else d.year


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def utc_offset(d: date, std_hours: int) -> int:
    """US local offset (hours) on day d for a zone with the given standard offset."""
    dst = _nth_sunday(d.year, 3, 2) <= d < _nth_sunday(d.year, 11, 1)
    return std_hours + (1 if dst else 0)


def local_to_utc(d: date, hour: int, minute: int, std_hours: int, second: int = 0) -> datetime:
    naive = datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=UTC)
    return naive - timedelta(hours=utc_offset(d, std_hours))


def fmt_z(dt: datetime, millis: int | None = None) -> str:
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{millis:03d}Z" if millis is not None else f"{base}Z"


def fmt_local(dt_utc: datetime, std_hours: int) -> str:
    off = utc_offset(dt_utc.date(), std_hours)
    local = dt_utc + timedelta(hours=off)
    sign = "+" if off >= 0 else "-"
    return f"{local.strftime('%Y-%m-%dT%H:%M:%S')}{sign}{abs(off):02d}:00"


def parse_duration_ds(text: str) -> int:
    """ISO 8601 duration (the P[nD]T[nH][nM][nS] subset) -> tenths of a second."""
    assert text.startswith("P"), text
    total = 0
    num = ""
    in_time = False
    for ch in text[1:]:
        if ch == "T":
            in_time = True
        elif ch.isdigit() or ch == ".":
            num += ch
        else:
            unit = {
                ("D", False): 86400,
                ("H", True): 3600,
                ("M", True): 60,
                ("S", True): 1,
            }[(ch, in_time)]
            whole, _, frac = num.partition(".")
            total += int(whole) * unit * 10 + (int(frac[:1] or "0") * unit)
            num = ""
    return total


def fmt_duration(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
    return out if out != "PT" else "PT0S"


def webinar_credit(durations: list[str], scheduled_hours: float) -> float:
    """Rule 5 with the sample policy (ratio 0.5, 15-minute increments)."""
    total = sum(parse_duration_ds(d) for d in durations)
    scheduled = int(scheduled_hours * 36000)
    attended = min(total, scheduled)
    if attended * 2 < scheduled:
        return 0.0
    return (attended // 9000) * 15 / 60


def email_of(first: str, last: str) -> str:
    def clean(s: str) -> str:
        return "".join(c for c in s.lower() if "a" <= c <= "z")

    return f"{clean(first)}.{clean(last)}@va.example.gov"


def sha1_of_mbox(email: str) -> str:
    return hashlib.sha1(f"mailto:{email.lower()}".encode()).hexdigest()


def activity(iri: str, title: str, kind: str) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {"en-US": title}, "type": ACTIVITY_TYPES[kind]},
    }


def verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def random_weekday(rng: random.Random, lo: date, hi: date) -> date:
    while True:
        d = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
        if d.weekday() < 5:
            return d


# --------------------------------------------------------------------------- model


class Worker:
    def __init__(self, wid, first, last, role, facility, supervisor_id, hire, end):
        self.wid = wid
        self.first = first
        self.last = last
        self.name = f"{first} {last}"
        self.role = role
        self.facility = facility
        self.region, self.std = FACILITIES[facility]
        self.supervisor_id = supervisor_id
        self.hire = hire
        self.end = end
        self.email = email_of(first, last)
        r = _rng(f"handle:{wid}")
        letters = "".join(c for c in last.lower() if "a" <= c <= "z")
        self.handle = f"{first[0].lower()}{letters}{r.randrange(10, 100)}"

    def employed(self, d: date) -> bool:
        return self.hire <= d and (self.end is None or d <= self.end)

    # identifiers per source system
    def mbox(self) -> dict:
        return {"mbox": f"mailto:{self.email}"}

    def webinar_ifi(self) -> dict:
        if self.wid in SECOND_MBOX:
            return {"mbox": SECOND_MBOX[self.wid]}
        return {"mbox": WEBINAR_MBOX_CASE.get(self.wid, f"mailto:{self.email}")}

    def lms_ifi(self) -> dict:
        if self.role == "supervisor" or self.wid in LMS_BY_MBOX:
            return self.mbox()
        return {"account": {"homePage": LMS_HOME, "name": self.handle}}

    def forum_ifi(self) -> dict:
        if self.wid in OPENIDS:
            return {"openid": OPENIDS[self.wid]}
        if self.facility in FORUM_BY_SHA1:
            return {"mbox_sha1sum": sha1_of_mbox(self.email)}
        return self.mbox()

    def agent(self, ifi: dict) -> dict:
        return {"objectType": "Agent", "name": self.name, **ifi}


def build_roster() -> dict[str, Worker]:
    roster: dict[str, Worker] = {}
    for wid, first, last, facility in SUPERVISORS:
        r = _rng(f"hire:{wid}")
        hire = date(2008, 1, 1) + timedelta(days=r.randrange(365 * 10))
        roster[wid] = Worker(wid, first, last, "supervisor", facility, "", hire, None)
    for wid, first, last, facility, sup in PEERS:
        r = _rng(f"hire:{wid}")
        hire = FIXED_HIRES.get(wid) or date(2012, 1, 1) + timedelta(days=r.randrange(4900))
        roster[wid] = Worker(wid, first, last, "peer_specialist", facility, sup, hire, END_DATES.get(wid))
    return roster


class Sample:
    """Accumulates statements per source and the intended credit per worker and FY."""

    def __init__(self) -> None:
        self.roster = build_roster()
        self.files: dict[str, list[dict]] = {"webinar": [], "lms": [], "forum": []}
        self.late_post: dict | None = None
        self.labels: set[str] = set()
        self.notable: dict[str, str] = {}  # label -> statement id, for the README
        self.credit: dict[tuple[str, int], float] = {}
        self.used: dict[tuple[str, int], set[str]] = {}
        self.moves: list[tuple[str, str, str]] = []  # (source, id to move, put before id)

    # ---- bookkeeping
    def rng_for(self, label: str) -> random.Random:
        assert label not in self.labels, f"duplicate label {label}"
        self.labels.add(label)
        return _rng(label)

    def add_credit(self, wid: str, fy: int, hours: float) -> None:
        self.credit[(wid, fy)] = self.credit.get((wid, fy), 0.0) + hours

    def use(self, wid: str, fy: int, unit: str) -> None:
        self.used.setdefault((wid, fy), set()).add(unit)

    def is_used(self, wid: str, fy: int, unit: str) -> bool:
        return unit in self.used.get((wid, fy), set())

    def emit(self, source: str, stmt: dict, label: str | None = None) -> dict:
        self.files[source].append(stmt)
        if label:
            self.notable[label] = stmt["id"]
        return stmt

    # ---- webinar platform
    def webinar(
        self,
        wid: str,
        code: str,
        durations: list[str] | None = None,
        *,
        credit: bool = True,
        note: str | None = None,
    ) -> list[dict]:
        w = self.roster[wid]
        if code == "OH":
            _, iri, title, hours, day, hour = OFFICE_HOURS
        else:
            no, sub, hours, _, day, hour = WEBINARS[code]
            iri = f"{SERIES_IRI}/session-{no:02d}"
            title = f"{SERIES_TITLE}, Session {no}: {sub}"
        r = self.rng_for(f"web:{wid}:{code}")
        if durations is None:
            durations = [r.choice(GENERIC_DURATIONS[hours])]
        start = local_to_utc(day, hour, 0, -5)
        join = start + timedelta(seconds=r.randrange(-240, 300))
        out = []
        for i, dur in enumerate(durations):
            rr = self.rng_for(f"web:{wid}:{code}:{i}")
            leave = join + timedelta(seconds=parse_duration_ds(dur) // 10)
            stored = leave + timedelta(seconds=rr.randrange(2, 90))
            stmt = {
                "id": _uuid(rr),
                "actor": w.agent(w.webinar_ifi()),
                "verb": verb("attended"),
                "object": activity(iri, title, "webinar"),
                "result": {"duration": dur},
                "context": {
                    "platform": PLATFORMS["webinar"],
                    "language": "en-US",
                    "contextActivities": {"grouping": [activity(SERIES_IRI, SERIES_TITLE, "webinar")]},
                },
                "timestamp": fmt_z(join),
                "stored": fmt_z(stored, rr.randrange(1000)),
                "authority": AUTHORITIES["webinar"],
                "version": XAPI_VERSION,
            }
            out.append(self.emit("webinar", stmt, f"{note}:{i}" if note else None))
            join = leave + timedelta(seconds=rr.randrange(40, 200))
        fy = fiscal_year(day)
        self.use(wid, fy, code)
        if credit and code != "OH":
            self.add_credit(wid, fy, webinar_credit(durations, hours))
        return out

    # ---- LMS
    def lms(
        self,
        wid: str,
        code: str,
        day: date | None,
        *,
        verb_name: str = "completed",
        fy: int | None = None,
        credit: bool = True,
        note: str | None = None,
        timestamp: str | None = None,
        stored: str | None = None,
        seq: int = 0,
    ) -> dict:
        w = self.roster[wid]
        fy = fy or fiscal_year(day)
        r = self.rng_for(f"lms:{wid}:{code}:{fy}:{seq}")
        context_acts: dict = {}
        if code in MODULES:
            cur, slug, sub, hours, _ = MODULES[code]
            cur_iri, cur_title, _ = CURRICULA[cur]
            obj = activity(f"{cur_iri}/{slug}", f"{cur_title}: {sub}", "module")
            context_acts = {"grouping": [activity(cur_iri, cur_title, "curriculum")]}
        elif code == "WELLNESS":
            obj = activity(WELLNESS_IRI, WELLNESS_TITLE, "course")
            hours = 4.0
        else:
            iri, title, _, hours, _, _ = OTHER_COURSES[code]
            obj = activity(iri, title, "course")
        if day is None:
            day = random_weekday(r, *WINDOWS[fy])
        ts = local_to_utc(day, r.randrange(8, 18), r.randrange(60), w.std, r.randrange(60))
        spent = r.randrange(int(hours * 45), int(hours * 75) + 1) * 60 + r.randrange(60)
        if verb_name == "completed":
            result = {"completion": True, "duration": fmt_duration(spent)}
        else:
            raw = r.randrange(80, 101) if verb_name == "passed" else r.randrange(45, 70)
            result = {
                "score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100},
                "success": verb_name == "passed",
                "completion": True,
                "duration": fmt_duration(spent),
            }
        context = {
            "registration": _uuid(r),
            "platform": PLATFORMS["lms"],
            "language": "en-US",
        }
        if context_acts:
            context["contextActivities"] = context_acts
        stmt = {
            "id": _uuid(r),
            "actor": w.agent(w.lms_ifi()),
            "verb": verb(verb_name),
            "object": obj,
            "result": result,
            "context": context,
            "timestamp": timestamp or fmt_z(ts, r.randrange(1000)),
            "stored": stored or fmt_z(ts + timedelta(seconds=r.randrange(1, 40)), r.randrange(1000)),
            "authority": AUTHORITIES["lms"],
            "version": XAPI_VERSION,
        }
        if timestamp == "":
            del stmt["timestamp"]
        self.emit("lms", stmt, note)
        self.use(wid, fy, code)
        if code == "WELLNESS" and fy == FY2026:
            self.use(wid, fy, "cohort")
        if credit and verb_name in ("completed", "passed") and self.counts(wid, code):
            self.add_credit(wid, fy, hours)
        return stmt

    def counts(self, wid: str, code: str) -> bool:
        """Approved and qualifying (rules 9 and 10), as the sample's config says."""
        if code not in OTHER_COURSES:
            return True
        _, _, _, _, comps, approved = OTHER_COURSES[code]
        if not comps:
            return False
        if approved:
            return True
        own = self.roster[wid].supervisor_id
        return any(a[0] == wid and a[1] == code and a[2] == "approved" and a[3] == own for a in APPROVALS)

    # ---- course forum
    def forum_post(
        self,
        wid: str,
        cohort: str,
        week: int,
        n: int,
        verb_name: str,
        day: date | None = None,
        note: str | None = None,
    ) -> dict:
        w = self.roster[wid]
        label, first_monday = COHORTS[cohort]
        r = self.rng_for(f"forum:{wid}:{cohort}:{week}:{n}")
        if day is None:
            day = first_monday + timedelta(days=7 * (week - 1) + min(n, 2) + r.randrange(3))
        ts = local_to_utc(day, r.randrange(9, 21), r.randrange(60), w.std, r.randrange(60))
        hw_title, _ = HOMEWORK[week]
        hw = activity(f"{WELLNESS_IRI}/homework/week-{week}", hw_title, "homework")
        thread_iri = f"{FORUM_BASE}/{label}/week-{week}"
        thread = activity(thread_iri, f"{hw_title} ({label})", "discussion")
        post_no = r.randrange(10000, 100000)
        post = activity(f"{thread_iri}/posts/{post_no}", f"Re: {hw_title}", "forum-reply")
        course = activity(WELLNESS_IRI, WELLNESS_TITLE, "course")
        if cohort == "B":  # this forum release put the assignment in grouping
            acts = {"parent": [thread], "grouping": [hw, course]}
        else:
            acts = {"parent": [hw], "grouping": [course]}
        stmt = {
            "id": _uuid(r),
            "actor": w.agent(w.forum_ifi()),
            "verb": verb(verb_name),
            "object": post,
            "result": {"response": r.choice(RESPONSES[week if verb_name != "replied" else 0])},
            "context": {
                "platform": PLATFORMS["forum"],
                "language": "en-US",
                "contextActivities": acts,
            },
            "timestamp": fmt_local(ts, w.std),
            "stored": fmt_z(ts + timedelta(seconds=r.randrange(1, 30)), r.randrange(1000)),
            "authority": AUTHORITIES["forum"],
            "version": XAPI_VERSION,
        }
        return self.emit("forum", stmt, note)

    def homework(
        self,
        wid: str,
        cohort: str,
        week: int,
        verbs: list[str] | None = None,
        *,
        credit: bool = True,
    ) -> None:
        r = _rng(f"hwplan:{wid}:{cohort}:{week}")
        if verbs is None:
            first = "commented" if r.random() < 0.3 else "responded"
            verbs = [first] + ["replied"] * r.randrange(0, 3)
        for n, v in enumerate(verbs):
            self.forum_post(wid, cohort, week, n, v)
        fy = fiscal_year(COHORTS[cohort][1])
        self.use(wid, fy, f"hw{cohort}{week}")
        if fy == FY2026:  # cohorts A and B share the assignments: one cohort per worker
            self.use(wid, fy, "cohort")
        if credit:
            self.add_credit(wid, fy, 1.0)

    def cohort(self, wid: str, cohort: str, weeks=(1, 2, 3, 4), course: bool = True) -> None:
        for week in weeks:
            self.homework(wid, cohort, week)
        if course:
            r = _rng(f"cohortplan:{wid}:{cohort}")
            day = COHORTS[cohort][1] + timedelta(days=28 + r.randrange(5))
            self.lms(wid, "WELLNESS", day, verb_name=r.choice(["completed", "passed"]))

    # ---- statements that are not plain credit
    def void(self, source: str, wid: str, target: dict, when: datetime, label: str, ifi: dict) -> dict:
        """A voiding statement by the worker's own identity on that source."""
        w = self.roster[wid]
        r = self.rng_for(label)
        stmt = {
            "id": _uuid(r),
            "actor": w.agent(ifi),
            "verb": verb("voided"),
            "object": {"objectType": "StatementRef", "id": target["id"]},
            "timestamp": fmt_z(when),
            "stored": fmt_z(when + timedelta(seconds=r.randrange(1, 20)), r.randrange(1000)),
            "authority": AUTHORITIES[source],
            "version": XAPI_VERSION,
        }
        return self.emit(source, stmt, label)


GENERIC_DURATIONS = {
    1.5: [
        "PT1H30M",
        "PT1H30M",
        "PT1H31M",
        "PT1H33M",
        "PT1H34M12S",
        "PT1H28M",
        "PT1H30M5S",
    ],
    1.0: ["PT1H", "PT1H", "PT1H1M", "PT1H3M", "PT1H2M40S", "PT58M", "PT1H0M20S"],
}

RESPONSES = {
    0: [
        "Thank you for sharing this - your point about hope really stayed with me.",
        "I had a similar experience when I started; small steps made the difference.",
        "Great reflection. I like how you tied it back to the person's own goals.",
        "This is helpful. I am going to try that wording with the Veterans I support.",
    ],
    1: [
        "Spiritual and social wellness are where I put in the most work right now.",
        "Looking at all eight dimensions showed me I neglect physical wellness.",
        "Financial wellness is the dimension Veterans bring up with me most often.",
    ],
    2: [
        "Reframing 'non-compliant' as 'not yet engaged' changed how I write notes.",
        "Self-care for me means protecting my evenings and checking in with my sponsor.",
        "Strengths-based language keeps the focus on what is already working.",
    ],
    3: [
        "Writing concrete action steps made my goal feel manageable.",
        "Listing supports and community resources showed me I am not alone in this.",
        "Breaking the goal into small steps is what I will use with peers.",
    ],
    4: [
        "Her story shows the difference between being a diagnosis and being a person.",
        "The recovery-oriented approach treats the person as the expert in their life.",
        "Telling my own story with purpose is a skill I am still building.",
    ],
}


# --------------------------------------------------------------------------- plans

FY26_UNITS = ["S1", "S2", "S3", "S4", "S5", "S6", "cohort"] + list(MODULES)
FY27_UNITS = ["S7", "S8", "hwC1", "hwC2", "hwC3", "hwC4", "WELLNESS"] + list(MODULES)


def unit_day(unit: str) -> date | None:
    if unit in WEBINARS:
        return WEBINARS[unit][4]
    return None


def fill(s: Sample, wid: str, fy: int, target: float) -> None:
    """Add ordinary credit units (drawn from a per-worker shuffle) until target."""
    w = s.roster[wid]
    r = _rng(f"fill:{wid}:{fy}")
    units = list(FY26_UNITS if fy == FY2026 else FY27_UNITS)
    r.shuffle(units)
    lo, hi = WINDOWS[fy]
    lo = max(lo, w.hire + timedelta(days=3))
    hi = min(hi, w.end - timedelta(days=3)) if w.end else hi
    for unit in units:
        if s.credit.get((wid, fy), 0.0) >= target:
            break
        if s.is_used(wid, fy, unit):
            continue
        if unit in WEBINARS:
            if w.employed(WEBINARS[unit][4]):
                s.webinar(wid, unit)
        elif unit == "cohort":
            choices = [
                c for c in ("A", "B") if w.employed(COHORTS[c][1]) and w.employed(COHORTS[c][1] + timedelta(days=33))
            ]
            if choices:
                c = r.choice(choices)
                weeks = [1, 2, 3, 4]
                if r.random() < 0.25:
                    weeks.remove(r.choice(weeks))
                s.cohort(wid, c, weeks)
        elif unit.startswith("hwC"):
            s.homework(wid, "C", int(unit[-1]))
        elif unit == "WELLNESS":
            s.lms(wid, "WELLNESS", COHORTS["C"][1] + timedelta(days=28 + r.randrange(5)))
        else:
            s.lms(
                wid,
                unit,
                random_weekday(r, lo, hi),
                verb_name="passed" if r.random() < 0.3 else "completed",
            )


def fy27_generic(s: Sample, wid: str) -> None:
    r = _rng(f"fy27:{wid}")
    if r.random() < 0.55:
        fill(s, wid, FY2027, r.choice([1.5, 2.0, 2.5, 3.0, 4.0, 6.0]))
        return
    option = r.choice(["none", "S7", "module", "S7short", "hw1"])
    if option == "S7":
        s.webinar(wid, "S7", ["PT1H"])
    elif option == "S7short":
        s.webinar(wid, "S7", ["PT40M"])
    elif option == "module":
        s.lms(
            wid,
            r.choice(["al", "rr", "oq", "ev", "sg", "ci", "sa"]),
            random_weekday(r, *WINDOWS[FY2027]),
        )
    elif option == "hw1":
        s.homework(wid, "C", 1)


def day_for(wid: str, tag: str, fy: int = FY2026) -> date:
    w_rng = _rng(f"day:{wid}:{tag}")
    return random_weekday(w_rng, *WINDOWS[fy])


def plan_quirks(s: Sample) -> None:
    """Hand-designed workers: every quirk of the sample is planted here."""
    lms, web, hw = s.lms, s.webinar, s.homework

    # W001: webinar attendance split by a reconnect, 40 + 35 = 75 min of 90 -> 1.25 h
    web("W001", "S1", ["PT40M", "PT35M"], note="W001-S1-split")

    # W002: outside course approved by own supervisor; uncatalogued office hours
    lms("W002", "MI", date(2026, 4, 21), note="W002-MI")
    web("W002", "OH", ["PT55M"], note="W002-OH")

    # W003: odd duration forms, 65 min 34.5 s of 90 -> 60 min -> 1.00 h; non-compliant
    web("W003", "S1", ["PT1H5M30S", "PT4.5S"], note="W003-S1")
    web("W003", "S3", ["PT1H"])
    for code in ("al", "rr", "ur", "ti", "ci"):
        lms("W003", code, day_for("W003", code))
    s.cohort("W003", "A", weeks=(1, 2, 3), course=False)

    # W004 (representative): mbox case differs on the webinar platform; MI approved by
    # S01, who is not W004's supervisor (S06) -> decision ignored, credit pending
    web("W004", "S1", ["PT1H30M"], note="W004-S1")
    web("W004", "S4", ["PT1H"], note="W004-S4")
    s.cohort("W004", "A")
    lms("W004", "al", date(2025, 12, 9))
    lms("W004", "oq", date(2026, 1, 13), verb_name="passed")
    lms("W004", "pc", date(2026, 4, 7))
    lms("W004", "sd", date(2026, 6, 23))
    lms("W004", "MI", date(2026, 5, 5), note="W004-MI")  # pending: not counted
    lms("W004", "PRIV", date(2025, 10, 21))
    web("W004", "S7", ["PT1H"], note="W004-S7")
    lms("W004", "rr", date(2026, 10, 22))

    # W005: outside course approved by own supervisor S06; exact duplicate attendance
    lms("W005", "MI", date(2026, 4, 28), note="W005-MI")
    (dup,) = web("W005", "S3", ["PT40M"], note="W005-S3")
    copy = json.loads(json.dumps(dup))
    copy["stored"] = "2026-03-13T09:12:44.518Z"
    s.emit("webinar", copy)

    # W006: completion voided; then a statement voids that voiding statement (no effect)
    target = lms("W006", "ur", date(2026, 1, 27), note="W006-ur", credit=False)
    v1 = s.void(
        "lms",
        "W006",
        target,
        datetime(2026, 2, 3, 15, 4, 11, tzinfo=UTC),
        "void:W006-ur",
        ifi=s.roster["W006"].lms_ifi(),
    )
    s.void(
        "lms",
        "W006",
        v1,
        datetime(2026, 2, 10, 16, 30, 2, tzinfo=UTC),
        "void:W006-void",
        ifi=s.roster["W006"].lms_ifi(),
    )

    # W007: same course completed twice in FY2026 (one credit); office hours in 2 segments
    lms("W007", "al", date(2026, 1, 20), note="W007-al-1")
    lms("W007", "al", date(2026, 4, 22), note="W007-al-2", credit=False, seq=1)
    web("W007", "OH", ["PT20M", "PT30M"], note="W007-OH")
    web("W007", "S1", ["PT1H30M"])
    web("W007", "S2", ["PT1H31M"])
    web("W007", "S4", ["PT1H"])
    s.cohort("W007", "A")
    lms("W007", "ci", date(2026, 7, 14))
    lms("W007", "sa", date(2026, 8, 18))

    # W008: attends webinars with a personal address (second mbox in identities.csv)
    web("W008", "S1", ["PT1H30M"], note="W008-S1")
    web("W008", "S3", ["PT1H"], note="W008-S3")
    web("W008", "S5", ["PT1H30M"], note="W008-S5")
    lms("W008", "MI", date(2026, 7, 21), note="W008-MI")
    s.cohort("W008", "B")

    # W009 (representative): conflicting duplicate, first stored copy PT45M stands
    (orig,) = web("W009", "S3", ["PT45M"], note="W009-S3")
    conflict = json.loads(json.dumps(orig))
    conflict["result"]["duration"] = "PT1H"
    conflict["stored"] = "2026-03-14T11:02:17.204Z"
    s.emit("webinar", conflict)
    s.moves.append(("webinar", "conflict", orig["id"]))
    web("W009", "S1", ["PT1H32M"])
    web("W009", "S5", ["PT1H30M"])
    lms("W009", "al", date(2025, 11, 4))
    lms("W009", "rr", date(2025, 12, 2))
    lms("W009", "ev", date(2026, 2, 10), verb_name="passed")
    lms("W009", "bd", date(2026, 4, 14))
    lms("W009", "ur", date(2026, 5, 19))
    lms("W009", "ti", date(2026, 7, 7))
    lms("W009", "ci", date(2026, 8, 25))
    hw("W009", "B", 1)
    hw("W009", "B", 2)
    lms("W009", "PRIV", date(2025, 10, 28))

    # W010: 70 minutes of a 90-minute webinar rounds down to 60 -> 1.00 h; non-compliant
    web("W010", "S2", ["PT1H10M"], note="W010-S2")
    web("W010", "S4", ["PT1H"])
    web("W010", "S6", ["PT1H"])
    s.cohort("W010", "A")
    lms("W010", "oq", day_for("W010", "oq"))
    lms("W010", "sd", day_for("W010", "sd"))

    # W011: forum identifies W011 by openid (identities.csv)
    s.cohort("W011", "A")
    web("W011", "S2", ["PT1H30M"])
    web("W011", "S5", ["PT1H30M"])
    lms("W011", "al", day_for("W011", "al"))
    lms("W011", "pc", day_for("W011", "pc"))
    lms("W011", "ci", day_for("W011", "ci"))

    # W012: separated 2026-06-30
    web("W012", "S1", ["PT1H30M"])
    web("W012", "S2", ["PT1H30M"])
    s.cohort("W012", "A")
    lms("W012", "al", date(2026, 4, 16))
    lms("W012", "PRIV", date(2025, 11, 18))

    # W013 and W014 are members of the Group actor below: they must get nothing from it
    s.use("W013", FY2026, "S2")
    s.use("W014", FY2026, "S2")
    # W013: replied twice for week 2 of cohort A (one credit)
    for week in (1, 3, 4):
        hw("W013", "A", week)
    hw("W013", "A", 2, ["replied", "replied"])
    s.notable["W013-hwA2-replies"] = ",".join(st["id"] for st in s.files["forum"][-2:])
    lms("W013", "WELLNESS", date(2026, 3, 3))
    # W014: outside course rejected by own supervisor
    lms("W014", "MI", date(2026, 3, 10), note="W014-MI")  # rejected: not counted
    web("W014", "S1", ["PT1H30M"])
    web("W014", "S3", ["PT1H"])
    web("W014", "S4", ["PT1H"])
    s.cohort("W014", "A")
    lms("W014", "ur", day_for("W014", "ur"))
    lms("W014", "sd", day_for("W014", "sd"))

    # W015: 2 hours attended of a 1.5-hour webinar, capped
    web("W015", "S5", ["P0DT2H"], note="W015-S5")

    # W016: failed a module (nothing); non-compliant
    lms("W016", "cr", date(2026, 5, 6), verb_name="failed", note="W016-cr-failed")
    web("W016", "S1", ["PT1H30M"])
    web("W016", "S2", ["PT1H30M"])
    web("W016", "S3", ["PT1H"])
    s.cohort("W016", "B")
    lms("W016", "al", day_for("W016", "al"))
    lms("W016", "ti", day_for("W016", "ti"), verb_name="passed", note="W016-ti-passed")

    # W017 (representative): second attendance segment voided by a statement that
    # appears before it in the file; week-4 homework only in late-post.json
    seg = web("W017", "S1", ["PT25M", "PT50M"], note="W017-S1", credit=False)
    v = s.void(
        "webinar",
        "W017",
        seg[1],
        datetime(2025, 11, 14, 14, 5, 0, tzinfo=UTC),
        "void:W017-S1",
        ifi=s.roster["W017"].webinar_ifi(),
    )
    s.moves.append(("webinar", v["id"], seg[1]["id"]))
    web("W017", "S2", ["PT1H30M"])
    web("W017", "S5", ["PT1H35M"])
    for week in (1, 2, 3):
        hw("W017", "A", week)
    late = s.forum_post("W017", "A", 4, 0, "responded", day=date(2026, 3, 4), note="W017-late-post")
    s.files["forum"].remove(late)
    s.late_post = late
    s.add_credit("W017", FY2026, 1.0)
    lms("W017", "WELLNESS", date(2026, 3, 2))
    lms("W017", "ur", date(2026, 4, 9))
    lms("W017", "pc", date(2026, 6, 11), verb_name="passed")
    web("W017", "S7", ["PT1H"])

    # W018 (representative): completion at 2026-10-01T02:30:00Z = Sep 30 22:30 New York
    web("W018", "S2", ["PT1H30M"])
    web("W018", "S4", ["PT1H"])
    web("W018", "S5", ["PT1H30M"])
    for code, d in (
        ("al", date(2025, 10, 14)),
        ("rr", date(2025, 11, 18)),
        ("oq", date(2026, 1, 6)),
        ("ev", date(2026, 2, 17)),
    ):
        lms("W018", code, d)
    lms("W018", "sg", date(2026, 3, 24), verb_name="passed")
    lms("W018", "sd", date(2026, 5, 12))
    lms("W018", "ti", date(2026, 6, 16))
    lms("W018", "cr", date(2026, 8, 4))
    lms(
        "W018",
        "bd",
        None,
        fy=FY2026,
        note="W018-boundary",
        timestamp="2026-10-01T02:30:00Z",
        stored="2026-10-01T02:30:04.512Z",
    )
    web("W018", "S7", ["PT40M"], note="W018-S7")

    # W019: completion with no timestamp; stored 2026-10-01T03:15:27Z = Sep 30 New York
    web("W019", "S3", ["PT1H"])
    web("W019", "S4", ["PT1H"])
    s.cohort("W019", "B")
    lms("W019", "ur", day_for("W019", "ur"))
    lms("W019", "oq", day_for("W019", "oq"))
    lms("W019", "al", day_for("W019", "al"))
    lms(
        "W019",
        "sg",
        None,
        fy=FY2026,
        note="W019-no-timestamp",
        timestamp="",
        stored="2026-10-01T03:15:27.000Z",
    )
    lms("W019", "rr", date(2026, 10, 20))

    # W020: office hours; same module in FY2026 and FY2027 (a credit in each);
    # outside course in FY2027 approved by own supervisor
    web("W020", "OH", ["PT1H"], note="W020-OH")
    lms("W020", "ur", date(2026, 2, 24), note="W020-ur-fy26")
    lms("W020", "ur", date(2026, 10, 27), note="W020-ur-fy27")
    lms("W020", "MI", date(2026, 10, 20), note="W020-MI")

    # W022: 29 minutes of a 60-minute webinar: below half -> nothing; non-compliant
    web("W022", "S3", ["PT29M"], note="W022-S3")
    web("W022", "S1", ["PT1H30M"])
    web("W022", "S2", ["PT1H30M"])
    web("W022", "S5", ["PT1H30M"])
    web("W022", "S6", ["PT1H"])
    s.cohort("W022", "B", weeks=(1, 2, 3))
    lms("W022", "ev", day_for("W022", "ev"))
    lms("W022", "ci", day_for("W022", "ci"))

    # W024 (representative): 2026-09-30T23:30:00-07:00 = Oct 1 02:30 New York -> FY2027
    for code in ("S1", "S3", "S4", "S6"):
        web("W024", code, ["PT1H30M" if code == "S1" else "PT1H"])
    s.cohort("W024", "B")
    lms("W024", "ur", date(2026, 3, 17))
    lms("W024", "ci", date(2026, 8, 11))
    lms(
        "W024",
        "al",
        None,
        fy=FY2027,
        note="W024-boundary",
        timestamp="2026-09-30T23:30:00-07:00",
        stored="2026-10-01T06:30:03.100Z",
    )
    web("W024", "S7", ["PT1H"])

    # W026: outside course with no decision -> pending
    lms("W026", "MI", date(2026, 8, 11), note="W026-MI")

    # W029: hired 2026-03-15 (owes 7.50 h in FY2026)
    web("W029", "S4", ["PT1H"])
    web("W029", "S5", ["PT1H30M"])
    lms("W029", "al", date(2026, 4, 14))
    lms("W029", "rr", date(2026, 5, 20))
    lms("W029", "ur", date(2026, 6, 24))
    lms("W029", "sd", date(2026, 8, 19))

    # W030 (representative): hired 2026-05-01 (owes 6.25 h), earns 6.00 h
    web("W030", "S4", ["PT35M"], note="W030-S4")
    web("W030", "S5", ["PT1H30M"])
    web("W030", "S6", ["PT1H"])
    lms("W030", "al", date(2026, 5, 27))
    lms("W030", "rr", date(2026, 6, 30))
    lms("W030", "oq", date(2026, 8, 5), verb_name="passed")
    lms("W030", "PRIV", date(2026, 5, 13))
    hw("W030", "C", 1)
    hw("W030", "C", 2)

    # S03: supervisor, non-compliant
    web("S03", "S1", ["PT1H30M"])
    web("S03", "S2", ["PT1H30M"])
    web("S03", "S6", ["PT1H"])
    lms("S03", "WELLNESS", date(2026, 3, 4))
    lms("S03", "pc", day_for("S03", "pc"))
    lms("S03", "ti", day_for("S03", "ti"))
    lms("S03", "bd", day_for("S03", "bd"))

    plan_unmatched_and_invalid(s)


def plan_unmatched_and_invalid(s: Sample) -> None:
    # A guest presenter not in the roster
    guest = {
        "objectType": "Agent",
        "name": "Jordan Ellis (guest)",
        "mbox": "mailto:jordan.ellis@partner.example.org",
    }
    for code, dur in (("S1", "PT1H28M"), ("S2", "PT1H30M")):
        no, sub, _, _, day, hour = WEBINARS[code]
        r = s.rng_for(f"guest:{code}")
        start = local_to_utc(day, hour, 0, -5) - timedelta(minutes=10)
        s.emit(
            "webinar",
            {
                "id": _uuid(r),
                "actor": guest,
                "verb": verb("attended"),
                "object": activity(
                    f"{SERIES_IRI}/session-{no:02d}",
                    f"{SERIES_TITLE}, Session {no}: {sub}",
                    "webinar",
                ),
                "result": {"duration": dur},
                "context": {"platform": PLATFORMS["webinar"], "language": "en-US"},
                "timestamp": fmt_z(start),
                "stored": fmt_z(start + timedelta(seconds=parse_duration_ds(dur) // 10 + 7), 250),
                "authority": AUTHORITIES["webinar"],
                "version": XAPI_VERSION,
            },
            f"guest-{code}",
        )

    # A Group actor (a conference room) whose members are W013 and W014
    w13, w14 = s.roster["W013"], s.roster["W014"]
    no, sub, _, _, day, hour = WEBINARS["S2"]
    r = s.rng_for("group:S2")
    start = local_to_utc(day, hour, 0, -5) + timedelta(minutes=1)
    s.emit(
        "webinar",
        {
            "id": _uuid(r),
            "actor": {
                "objectType": "Group",
                "name": "White River Junction VAMC peer team (conference room)",
                "mbox": "mailto:wrj-peer-team@va.example.gov",
                "member": [w13.agent(w13.mbox()), w14.agent(w14.mbox())],
            },
            "verb": verb("attended"),
            "object": activity(
                f"{SERIES_IRI}/session-{no:02d}",
                f"{SERIES_TITLE}, Session {no}: {sub}",
                "webinar",
            ),
            "result": {"duration": "PT1H30M"},
            "context": {"platform": PLATFORMS["webinar"], "language": "en-US"},
            "timestamp": fmt_z(start),
            "stored": fmt_z(start + timedelta(minutes=90, seconds=12), 631),
            "authority": AUTHORITIES["webinar"],
            "version": XAPI_VERSION,
        },
        "group-S2",
    )

    # Invalid statements (quarantine). Their activities are blocked for the filler.
    bad = s.lms("W021", "rr", date(2026, 4, 8), credit=False, note="invalid-no-verb")
    del bad["verb"]
    bad = s.lms("W023", "sd", date(2026, 5, 19), credit=False, note="invalid-id")
    bad["id"] = "lms-export-000187"
    s.notable["invalid-id"] = bad["id"]
    bad = s.lms("W025", "ev", date(2026, 2, 18), credit=False, note="invalid-two-ifis")
    bad["actor"]["mbox"] = f"mailto:{s.roster['W025'].email}"
    (bad,) = s.webinar("W027", "S4", ["PT1H"], credit=False, note="invalid-timestamp")
    bad["timestamp"] = "05/14/2026 2:03 PM"


# FY2026 targets for the ordinary (filled) workers; everyone else is hand-planned.
FILLED_FY26 = [
    "S01",
    "S02",
    "S04",
    "S05",
    "S06",
    "W001",
    "W002",
    "W005",
    "W006",
    "W013",
    "W015",
    "W020",
    "W021",
    "W023",
    "W025",
    "W026",
    "W027",
    "W028",
]
HAND_FY26 = [
    "S03",
    "W003",
    "W004",
    "W007",
    "W008",
    "W009",
    "W010",
    "W011",
    "W012",
    "W014",
    "W016",
    "W017",
    "W018",
    "W019",
    "W022",
    "W024",
    "W029",
    "W030",
]
# FY2027 plans written out in plan_quirks (everyone else gets fy27_generic)
HAND_FY27 = {"W004", "W009", "W012", "W017", "W018", "W019", "W020", "W024", "W030"}


def build() -> Sample:
    s = Sample()
    assert sorted(FILLED_FY26 + HAND_FY26) == sorted(s.roster)
    plan_quirks(s)
    for wid in sorted(s.roster):
        w = s.roster[wid]
        if wid in FILLED_FY26:
            target = _rng(f"target:{wid}").choice([15.0, 15.5, 16.0, 16.5, 17.0, 18.0, 19.0])
            fill(s, wid, FY2026, target)
        if not s.is_used(wid, FY2026, "PRIV"):
            lo, hi = WINDOWS[FY2026]
            lo = max(lo, w.hire + timedelta(days=3))
            hi = min(hi, w.end) if w.end else hi
            s.lms(wid, "PRIV", random_weekday(_rng(f"priv:{wid}"), lo, hi), credit=False)
        if wid not in HAND_FY27:
            fy27_generic(s, wid)
    return s


# --------------------------------------------------------------------------- writing


def _dump(stmt: dict) -> str:
    return json.dumps(stmt, separators=(",", ":"), ensure_ascii=False)


def _ordered(s: Sample, source: str) -> list[dict]:
    stmts = sorted(s.files[source], key=lambda st: (st["stored"], str(st["id"])))
    for src, move_id, before_id in s.moves:
        if src != source:
            continue
        if move_id == "conflict":  # the later-stored conflicting copy goes first
            idx = [i for i, st in enumerate(stmts) if st["id"] == before_id]
            moving = stmts.pop(idx[1])
            stmts.insert(idx[0], moving)
            continue
        moving = next(st for st in stmts if st["id"] == move_id)
        stmts.remove(moving)
        pos = next(i for i, st in enumerate(stmts) if st["id"] == before_id)
        stmts.insert(pos, moving)
    return stmts


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


POLICY_YAML = """\
# celedger sample program policy (generated by sample/generate.py)
period:
  kind: fiscal_year
  start_month: 10
timezone: America/New_York
requirements:
  peer_specialist: 15
  supervisor: 15
proration: monthly
webinar:
  min_attendance_ratio: 0.5
  increment_minutes: 15
pace_slack_hours: 1.0
# Requirement tracks (rules 13-18), modelled on three states' peer certifications
tracks:
  - name: pa-cps                 # Pennsylvania-like: 36 h in each two years from certification
    credential: PA-CPS
    hours: 36
    cycle: {months: 24, anchor: certified_on}
    approval: none
    minimums:
      - {name: ethics, topics: [ethics], hours: 3}
      - {name: peer_recovery, topics: [peer_support, recovery], hours: 24}
  - name: ne-cpss                # Nebraska-like: fixed biennial periods ending 31 August of odd years
    credential: NE-CPSS
    hours: 20
    cycle: {months: 24, anchor: 2025-09-01}
    approval: none
    minimums:
      - {name: ethics, topics: [ethics], hours: 6}
    waive_if_certified_within_months: 12
  - name: tx-cps                 # Texas-like: 20 h of approved trainings in 24 months from issue
    credential: TX-CPS
    hours: 20
    cycle: {months: 24, anchor: certified_on}
    approval: catalog
    caps:
      - {name: self_paced, kinds: [course], hours: 12}
"""

# The sample as a deployment: one source per sample system plus a vendor inbox. The
# embedded deployment (scripts/airflow-standalone.sh, pipelines/deployment.py) copies
# this config folder to $AIRFLOW_HOME/config and seeds the sources from statements/.
SOURCES_YAML = """\
# celedger sample program sources (generated by sample/generate.py)
#
# The embedded deployment (scripts/airflow-standalone.sh) copies this folder to
# $AIRFLOW_HOME/config and, on its first start, seeds each source from sample/statements.
# Inbox paths are relative to the config folder: $AIRFLOW_HOME/inbox/<name>.
# webinar-platform is a Ralph LRS on 127.0.0.1 that the script starts; its address and a
# password generated at each start are in AIRFLOW_CONN_SAMPLE_WEBINAR_LRS, set by the script.
sources:
  - name: webinar-platform
    kind: lrs
    description: Webinar platform, read over xAPI from its LRS (Ralph)
    conn_id: sample_webinar_lrs
    since_field: timestamp          # Ralph's fs backend filters `since` on timestamp
    carries: [webinar]
    schedule: "*/5 * * * *"
  - name: lms
    kind: inbox
    description: LMS completions export (one JSON array)
    path: ../inbox/lms
    carries: [course]
    schedule: "@hourly"
  - name: course-forum
    kind: inbox
    description: Course forum bridge exports (homework posts)
    path: ../inbox/course-forum
    carries: [homework]
    schedule: "@hourly"
  - name: vendor-drop
    kind: inbox
    description: Where a vendor drops statement files; taken every minute
    path: ../inbox/vendor-drop
    carries: [webinar, course, homework]
    schedule: "* * * * *"
"""

NOTES = {
    "about": "Notes for people, not statements. celedger skips files whose names begin "
    "with '_' or '.'; if this file were read it would be quarantined.",
    "exports": {
        "webinar-platform.ndjson": "webinar platform LRS export, one statement per line",
        "lms-completions.json": "LMS export, one JSON array",
        "course-forum/": "course forum bridge: NDJSON plus one late single-object file",
    },
    "generated_by": "sample/generate.py",
}


def catalog_rows() -> list[list[str]]:
    rows = []
    for code, (no, sub, hours, comps, _, _) in WEBINARS.items():
        rows.append(
            [
                f"{SERIES_IRI}/session-{no:02d}",
                f"{SERIES_TITLE}, Session {no}: {sub}",
                "webinar",
                "SAMHSA BRSS TACS",
                f"{hours:.1f}",
                comps,
                "true",
                TOPICS[code],
            ]
        )
    rows.append(
        [
            WELLNESS_IRI,
            WELLNESS_TITLE,
            "course",
            "Co-Occurring Collaborative Serving Maine",
            "4.0",
            "C05;C07;C12",
            "true",
            TOPICS["WELLNESS"],
        ]
    )
    for week, (title, comps) in HOMEWORK.items():
        rows.append(
            [
                f"{WELLNESS_IRI}/homework/week-{week}",
                f"{title} (Wellness and Recovery Promotion)",
                "homework",
                "Co-Occurring Collaborative Serving Maine",
                "1.0",
                comps,
                "true",
                TOPICS[week],
            ]
        )
    for code, (cur, slug, sub, hours, comps) in MODULES.items():
        cur_iri, cur_title, provider = CURRICULA[cur]
        rows.append(
            [
                f"{cur_iri}/{slug}",
                f"{cur_title}: {sub}",
                "course",
                provider,
                f"{hours:.1f}",
                comps,
                "true",
                TOPICS[code],
            ]
        )
    for code, (iri, title, provider, hours, comps, approved) in OTHER_COURSES.items():
        rows.append(
            [
                iri,
                title,
                "course",
                provider,
                f"{hours:.1f}",
                comps,
                "true" if approved else "false",
                TOPICS[code],
            ]
        )
    return rows


def attach_certificates(s: Sample) -> None:
    """Rule 18: the LMS sends a certificate of completion with a few completions, as an
    attachment whose sha2 is the certificate's (here, of a made-up PDF's text)."""
    for wid, code in CERTIFICATES:
        w = s.roster[wid]
        cur, slug, sub, _, _ = MODULES[code]
        iri = f"{CURRICULA[cur][0]}/{slug}"
        (stmt,) = [
            st
            for st in s.files["lms"]
            if st["actor"] == w.agent(w.lms_ifi())
            and st["object"]["id"] == iri
            and st["verb"]["id"] == VERBS["completed"]
        ]
        pdf = f"Certificate of completion: {w.name}, {sub}, {stmt['timestamp'][:10]}".encode()
        stmt["attachments"] = [
            {
                "usageType": CERTIFICATE_USAGE,
                "display": {"en-US": f"Certificate of completion: {sub}"},
                "contentType": "application/pdf",
                "length": len(pdf),
                "sha2": hashlib.sha256(pdf).hexdigest(),
                "fileUrl": f"{LMS_HOME}/certificates/{stmt['id']}.pdf",
            }
        ]


def write_sample(target: Path) -> None:
    """Write the whole sample program (config/ and statements/) into target."""
    target = Path(target)
    s = build()
    attach_certificates(s)
    cfg = target / "config"
    _write_text(cfg / "policy.yaml", POLICY_YAML)
    _write_csv(
        cfg / "roster.csv",
        [
            "worker_id",
            "name",
            "email",
            "role",
            "facility",
            "region",
            "supervisor_id",
            "hire_date",
            "end_date",
        ],
        [
            [
                w.wid,
                w.name,
                w.email,
                w.role,
                w.facility,
                w.region,
                w.supervisor_id,
                w.hire.isoformat(),
                w.end.isoformat() if w.end else "",
            ]
            for w in s.roster.values()
        ],
    )
    ident = []
    for w in s.roster.values():
        if w.role == "peer_specialist" and w.wid not in LMS_BY_MBOX:
            ident.append([w.wid, "account", f"{LMS_HOME}|{w.handle}"])
    ident += [[wid, "mbox", v] for wid, v in SECOND_MBOX.items()]
    ident += [[wid, "openid", v] for wid, v in OPENIDS.items()]
    _write_csv(cfg / "identities.csv", ["worker_id", "kind", "value"], ident)
    _write_csv(
        cfg / "catalog.csv",
        [
            "activity_id",
            "title",
            "kind",
            "provider",
            "ce_hours",
            "competencies",
            "approved",
            "topics",
        ],
        catalog_rows(),
    )
    _write_csv(
        cfg / "certifications.csv",
        ["worker_id", "credential", "certified_on", "expires_on"],
        [[wid, cred, on.isoformat(), end.isoformat() if end else ""] for wid, cred, on, end in CERTIFICATIONS],
    )
    _write_csv(
        cfg / "approvals.csv",
        ["worker_id", "activity_id", "decision", "supervisor_id", "decided_at"],
        [[wid, OTHER_COURSES[code][0], decision, sup, d.isoformat()] for wid, code, decision, sup, d in APPROVALS],
    )
    _write_text(cfg / "sources.yaml", SOURCES_YAML)

    st = target / "statements"
    _write_text(
        st / "webinar-platform.ndjson",
        "".join(_dump(x) + "\n" for x in _ordered(s, "webinar")),
    )
    _write_text(
        st / "lms-completions.json",
        "[\n" + ",\n".join(_dump(x) for x in _ordered(s, "lms")) + "\n]\n",
    )
    _write_text(
        st / "course-forum" / "forum-posts.ndjson",
        "".join(_dump(x) + "\n" for x in _ordered(s, "forum")),
    )
    _write_text(
        st / "course-forum" / "late-post.json",
        json.dumps(s.late_post, indent=2, ensure_ascii=False) + "\n",
    )
    _write_text(st / "_notes.json", json.dumps(NOTES, indent=2) + "\n")


if __name__ == "__main__":
    default = Path(__file__).resolve().parent
    write_sample(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
