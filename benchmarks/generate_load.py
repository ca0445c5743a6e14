"""Write a large synthetic program (config + NDJSON statements) for the benchmark.

Statements are formatted from string templates rather than json.dumps so that a
million of them take seconds, not minutes; the shapes match what LRSs send (about
700 bytes each, the size measured for real webinar and LMS statements).
"""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE = "https://bench.example.org/activities"
VERBS = {
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "commented": "http://adlnet.gov/expapi/verbs/commented",
}
FACILITIES = 40
REGIONS = 8
WEBINARS = 30
COURSES = 40
HOMEWORK = 24

TEMPLATE = (
    '{{"id":"{id}","actor":{{"objectType":"Agent","name":"Worker {w}",'
    '"mbox":"mailto:worker{w}@bench.example.gov"}},'
    '"verb":{{"id":"{verb}","display":{{"en-US":"{verb_name}"}}}},'
    '"object":{{"objectType":"Activity","id":"{obj}","definition":{{"name":{{"en-US":"Activity {obj_n}"}},'
    '"type":"http://adlnet.gov/expapi/activities/{atype}"}}}},'
    '"result":{{"completion":true,"duration":"{dur}"}},'
    '"context":{{"platform":"bench","language":"en-US","contextActivities":{{"parent":[{{"id":"{parent}"}}],'
    '"grouping":[{{"id":"{BASE}/programs/ce"}}]}}}},'
    '"timestamp":"{ts}","stored":"{stored}",'
    '"authority":{{"objectType":"Agent","name":"bench-lrs","account":{{"homePage":"https://lrs.bench.example.org","name":"bench"}}}},'
    '"version":"1.0.3"}}\n'
)


# Requirement tracks (rules 13-18) like three states' peer certifications; 30% of the
# workers hold one credential and 10% two (certifications.csv).
TRACKS = """tracks:
  - name: pa-cps
    credential: PA-CPS
    hours: 36
    cycle: {months: 24, anchor: certified_on}
    minimums:
      - {name: ethics, topics: [ethics], hours: 3}
      - {name: peer_recovery, topics: [peer_support, recovery], hours: 24}
  - name: ne-cpss
    credential: NE-CPSS
    hours: 20
    cycle: {months: 24, anchor: 2025-09-01}
    minimums:
      - {name: ethics, topics: [ethics], hours: 6}
    waive_if_certified_within_months: 12
  - name: tx-cps
    credential: TX-CPS
    hours: 20
    cycle: {months: 24, anchor: certified_on}
    approval: catalog
    caps:
      - {name: self_paced, kinds: [course], hours: 12}
"""
CREDENTIALS = ("PA-CPS", "NE-CPSS", "TX-CPS")
TOPICS = ("ethics", "peer_support", "recovery", "wellness", "crisis", "advocacy")


def credentials_of(w: int) -> list[str]:
    """None for 60% of the workers, one for 30%, two for 10%."""
    share = w % 10
    first = CREDENTIALS[w % 3]
    if share < 3:
        return [first]
    if share == 3:
        return [first, CREDENTIALS[(w + 1) % 3]]
    return []


def write_config(folder: Path, workers: int, tracks: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    policy = "period:\n  kind: fiscal_year\n  start_month: 10\ntimezone: America/New_York\n"
    (folder / "policy.yaml").write_text(policy + (TRACKS if tracks else ""))
    supervisors = max(1, workers // 10)
    with (folder / "roster.csv").open("w") as out:
        out.write("worker_id,name,email,role,facility,region,supervisor_id,hire_date,end_date\n")
        for w in range(workers):
            role = "supervisor" if w < supervisors else "peer_specialist"
            fac = w % FACILITIES
            sup = "" if w < supervisors else f"B{w % supervisors:06d}"
            hire = "2019-05-01" if w % 17 else "2026-03-15"
            end = "2026-06-30" if w % 101 == 0 else ""
            out.write(
                f"B{w:06d},Worker {w},worker{w}@bench.example.gov,{role},"
                f"Facility {fac:02d},Region {fac % REGIONS},{sup},{hire},{end}\n"
            )
    topics = (lambda i: f",{TOPICS[i % len(TOPICS)]}") if tracks else (lambda i: "")
    with (folder / "catalog.csv").open("w") as out:
        out.write(
            "activity_id,title,kind,provider,ce_hours,competencies,approved" + (",topics" if tracks else "") + "\n"
        )
        for i in range(WEBINARS):
            out.write(f"{BASE}/webinars/{i},Webinar {i},webinar,Bench,1.5,C0{1 + i % 9},true{topics(i)}\n")
        for i in range(COURSES):
            approved = "false" if i % 10 == 0 else "true"
            out.write(f"{BASE}/courses/{i},Course {i},course,Bench,2,C{1 + i % 12:02d};C05,{approved}{topics(i)}\n")
        for i in range(HOMEWORK):
            out.write(f"{BASE}/homework/{i},Homework {i},homework,Bench,1,C07,true{topics(i)}\n")
    if tracks:
        with (folder / "certifications.csv").open("w") as out:
            out.write("worker_id,credential,certified_on,expires_on\n")
            for w in range(workers):
                for n, credential in enumerate(credentials_of(w)):
                    certified = datetime(2018, 1, 1) + timedelta(days=(w * 37 + n * 101) % 3000)
                    out.write(f"B{w:06d},{credential},{certified:%Y-%m-%d},\n")


def write_statements(path: Path, count: int, workers: int, seed: int, start_worker: int = 0) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 10, 1, tzinfo=UTC)
    span = int(timedelta(days=410).total_seconds())
    with path.open("w") as out:
        for n in range(count):
            w = start_worker + rng.randrange(workers)
            pick = rng.random()
            if pick < 0.4:
                verb, obj, atype, parent = (
                    "attended",
                    f"{BASE}/webinars/{rng.randrange(WEBINARS)}",
                    "meeting",
                    f"{BASE}/series/core",
                )
                dur = f"PT{rng.randrange(20, 95)}M"
            elif pick < 0.75:
                verb = "completed" if rng.random() < 0.8 else "passed"
                obj, atype, parent = f"{BASE}/courses/{rng.randrange(COURSES)}", "course", f"{BASE}/curricula/core"
                dur = f"PT{rng.randrange(1, 5)}H{rng.randrange(60)}M"
            elif pick < 0.99:
                verb, atype = "commented", "cmi.interaction"
                obj = f"{BASE}/forum/posts/{rng.randrange(10**9)}"
                parent = f"{BASE}/homework/{rng.randrange(HOMEWORK)}"
                dur = f"PT{rng.randrange(5, 50)}M{rng.randrange(60)}.5S"
            else:
                verb, obj, atype, parent = (
                    "completed",
                    f"{BASE}/uncatalogued/{rng.randrange(50)}",
                    "course",
                    f"{BASE}/x",
                )
                dur = "PT1H"
            when = start + timedelta(seconds=rng.randrange(span))
            stored = when + timedelta(seconds=rng.randrange(1, 600))
            out.write(
                TEMPLATE.format(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    w=w,
                    verb=VERBS[verb],
                    verb_name=verb,
                    obj=obj,
                    obj_n=n % 997,
                    atype=atype,
                    dur=dur,
                    parent=parent,
                    BASE=BASE,
                    ts=when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    stored=stored.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--extra", type=int, default=10_000, help="statements in the incremental file")
    parser.add_argument("--no-tracks", action="store_true", help="no requirement tracks, certifications or topics")
    args = parser.parse_args()
    write_config(args.folder / "config", args.workers, tracks=not args.no_tracks)
    (args.folder / "statements").mkdir(parents=True, exist_ok=True)
    write_statements(args.folder / "statements" / "bulk.ndjson", args.statements, args.workers, seed=1)
    write_statements(args.folder / "extra.ndjson", args.extra, args.workers, seed=2)


if __name__ == "__main__":
    main()
