"""Writes malformed.json and valid.json: the statement corpora the quarantine tests read.

Kept as code so each case says in one line what is wrong with it; run it after editing:
`python tests/corpus/make_corpus.py`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACT = "https://training.example.org/courses/active-listening"
VERB = "http://adlnet.gov/expapi/verbs/completed"
BASE = {
    "id": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10",
    "actor": {"objectType": "Agent", "name": "Ann Peer", "mbox": "mailto:ann.peer@va.example.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
    "object": {"objectType": "Activity", "id": ACT},
    "timestamp": "2026-01-05T15:00:00Z",
    "stored": "2026-01-05T15:00:05Z",
    "version": "1.0.3",
}


def variant(n: int, **changes) -> dict:
    statement = copy.deepcopy(BASE)
    statement["id"] = f"6f0f4a4e-2f6c-4c39-9d84-{n:012d}"
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = statement
        for key in parents:
            target = target.setdefault(key, {})
        if value is DELETE:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return statement


DELETE = object()
AGENT = "actor"

MALFORMED = [
    ("no id", {"id": DELETE}, "missing id", None),
    ("an id that is not a UUID", {"id": "lms-export-000187"}, "id is not a UUID", None),
    ("a UUID in braces", {"id": "{6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10}"}, "id is not a UUID", None),
    ("a UUID one digit short", {"id": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f1"}, "id is not a UUID", None),
    ("no actor", {"actor": DELETE}, "missing actor", None),
    ("an agent with a name only", {"actor__mbox": DELETE}, "actor must have exactly one identifier (has 0)", None),
    (
        "an agent with two identifiers",
        {"actor__openid": "https://id.example.org/ann"},
        "actor must have exactly one identifier (has 2)",
        None,
    ),
    (
        "an agent with three identifiers",
        {"actor__openid": "https://id.example.org/ann", "actor__mbox_sha1sum": "a" * 40},
        "actor must have exactly one identifier (has 3)",
        None,
    ),
    ("an actor of an unknown type", {"actor__objectType": "Person"}, "actor objectType must be Agent or Group", None),
    ("an mbox without mailto:", {"actor__mbox": "ann.peer@va.example.gov"}, "actor mbox is not a mailto IRI", None),
    ("an mbox with no address", {"actor__mbox": "mailto:ann.peer"}, "actor mbox is not a mailto IRI", None),
    (
        "an mbox_sha1sum that is not hex",
        {"actor__mbox": DELETE, "actor__mbox_sha1sum": "z" * 40},
        "actor mbox_sha1sum is not a SHA1 hex digest",
        None,
    ),
    (
        "an mbox_sha1sum of the wrong length",
        {"actor__mbox": DELETE, "actor__mbox_sha1sum": "ab" * 19},
        "actor mbox_sha1sum is not a SHA1 hex digest",
        None,
    ),
    (
        "an openid that is no URI",
        {"actor__mbox": DELETE, "actor__openid": "ann peer"},
        "actor openid is not a URI",
        None,
    ),
    (
        "an account without homePage",
        {"actor__mbox": DELETE, "actor__account": {"name": "ann42"}},
        "actor account needs homePage and name",
        None,
    ),
    (
        "an account without name",
        {"actor__mbox": DELETE, "actor__account": {"homePage": "https://lms.example.org"}},
        "actor account needs homePage and name",
        None,
    ),
    (
        "a group with two identifiers",
        {"actor": {"objectType": "Group", "mbox": "mailto:g@example.org", "openid": "https://id.example.org/g"}},
        "group must have at most one identifier (has 2)",
        None,
    ),
    (
        "an anonymous group without members",
        {"actor": {"objectType": "Group", "name": "Cohort A"}},
        "anonymous group without members",
        None,
    ),
    ("no verb", {"verb": DELETE}, "missing verb id", None),
    ("a verb with a display but no id", {"verb": {"display": {"en-US": "completed"}}}, "missing verb id", None),
    ("a verb id that is a bare word", {"verb__id": "completed"}, "verb id is not an IRI", None),
    (
        "a verb id with a space",
        {"verb__id": "http://adlnet.gov/expapi/verbs/com pleted"},
        "verb id is not an IRI",
        None,
    ),
    ("no object", {"object": DELETE}, "missing object", None),
    ("an activity id that is no IRI", {"object__id": "active listening"}, "object id is not an IRI", None),
    ("an activity without id", {"object": {"objectType": "Activity"}}, "object id is not an IRI", None),
    ("an object of an unknown type", {"object__objectType": "Thing"}, "unknown object objectType Thing", None),
    (
        "a StatementRef to a non-UUID",
        {"object": {"objectType": "StatementRef", "id": "previous"}},
        "StatementRef id is not a UUID",
        None,
    ),
    (
        "a voiding statement aimed at an activity",
        {"verb__id": "http://adlnet.gov/expapi/verbs/voided"},
        "voiding statement must reference a StatementRef",
        None,
    ),
    ("a timestamp in words", {"timestamp": "yesterday"}, "timestamp is not an ISO 8601 date-time", None),
    ("a timestamp with a space", {"timestamp": "2026-01-05 15:00:00Z"}, "timestamp is not an ISO 8601 date-time", None),
    (
        "a timestamp on February 30",
        {"timestamp": "2026-02-30T15:00:00Z"},
        "timestamp is not an ISO 8601 date-time",
        None,
    ),
    ("a date without a time", {"timestamp": "2026-01-05"}, "timestamp is not an ISO 8601 date-time", None),
    ("a stored in words", {"stored": "now"}, "stored is not an ISO 8601 date-time", None),
    (
        "a timestamp far in the future",
        {"timestamp": "2031-01-05T15:00:00Z"},
        "timestamp is far in the future",
        None,
    ),
    (
        "a duration in words",
        {"result": {"duration": "90 minutes"}},
        "result.duration is not an ISO 8601 duration",
        None,
    ),
    ("a duration of P alone", {"result": {"duration": "P"}}, "result.duration is not an ISO 8601 duration", None),
    ("a duration ending in T", {"result": {"duration": "PT"}}, "result.duration is not an ISO 8601 duration", None),
    ("a duration without unit", {"result": {"duration": "PT1.5"}}, "result.duration is not an ISO 8601 duration", None),
    (
        "a duration in clock form",
        {"result": {"duration": "01:30:00"}},
        "result.duration is not an ISO 8601 duration",
        None,
    ),
    ("version 0.9", {"version": "0.9"}, "unsupported version 0.9", None),
    ("version 3.0.0", {"version": "3.0.0"}, "unsupported version 3.0.0", None),
    ("a scaled score above 1", {"result": {"score": {"scaled": 1.5}}}, "result.score.scaled outside -1..1", None),
    ("a scaled score below -1", {"result": {"score": {"scaled": -2}}}, "result.score.scaled outside -1..1", None),
    ("a min score above max", {"result": {"score": {"min": 10, "max": 5}}}, "result.score.min above max", None),
    (
        "a raw score above max",
        {"result": {"score": {"raw": 12, "min": 0, "max": 10}}},
        "result.score.raw outside min..max",
        None,
    ),
    (
        "no id and no verb: both reasons",
        {"id": DELETE, "verb": DELETE},
        "missing id; missing verb id",
        None,
    ),
    # hostile vendors: what passed staging and failed the quality gate, or was misread
    ("a verb id ending in U+00A0", {"verb__id": VERB + "\u00a0"}, "verb id is not an IRI", None),
    ("an activity id ending in a vertical tab", {"object__id": ACT + "\v"}, "object id is not an IRI", None),
    ("an activity id with U+2028 inside", {"object__id": ACT + "\u2028x"}, "object id is not an IRI", None),
    (
        "an openid ending in U+3000",
        {"actor__mbox": DELETE, "actor__openid": ACT + "\u3000"},
        "actor openid is not a URI",
        None,
    ),
    (
        "a timestamp in year 0001",
        {"timestamp": "0001-01-05T15:00:00Z"},
        "timestamp is outside the years 1001..9998",
        None,
    ),
    (
        "a stored in year 9999 once its offset applies",
        {"stored": "9998-12-31T23:00:00-05:00"},
        "stored is outside the years 1001..9998",
        None,
    ),
    (
        "timestamp and stored in year 0999",
        {"timestamp": "0999-06-01T00:00:00Z", "stored": "0999-06-01T00:00:00Z"},
        "timestamp is outside the years 1001..9998; stored is outside the years 1001..9998",
        None,
    ),
    (
        "an offset of +25:00",
        {"timestamp": "2026-01-05T15:00:00+25:00"},
        "timestamp has a zone offset outside -14:00..+14:00 or of -00:00",
        None,
    ),
    (
        "an offset of -00:00",
        {"stored": "2026-01-05T15:00:05-00:00"},
        "stored has a zone offset outside -14:00..+14:00 or of -00:00",
        None,
    ),
    (
        "an offset of +14:30",
        {"timestamp": "2026-01-05T15:00:00+1430"},
        "timestamp has a zone offset outside -14:00..+14:00 or of -00:00",
        None,
    ),
    (
        "a NaN score",
        {"result": {"score": {"raw": float("nan")}}},
        "not strict JSON (NaN, Infinity or a trailing comma)",
        None,
    ),
    (
        "an Infinity in an extension",
        {"result": {"extensions": {"https://x.example.org/ext": float("-inf")}}},
        "not strict JSON (NaN, Infinity or a trailing comma)",
        None,
    ),
    ("a trailing comma", None, "not strict JSON (NaN, Infinity or a trailing comma)", "TRAILING_COMMA"),
    ("the id twice", None, "a key appears twice in one object", "ID_TWICE"),
    ("the verb id twice", None, "a key appears twice in one object", "VERB_ID_TWICE"),
    # lines that are not statements at all (an NDJSON file must start with one that is)
    ("text that is not JSON", None, "not valid JSON", "this is not json"),
    ("a truncated object", None, "not valid JSON", '{"id": "6f0f4a4e-2f6c-4c39-9d84-000000000001", "actor":'),
    ("a JSON array on a line", None, "not a JSON object", "[1, 2, 3]"),
    ("a JSON string on a line", None, "not a JSON object", '"statement"'),
]


def valid() -> list[tuple[str, dict]]:
    group_member = {"objectType": "Agent", "mbox": "mailto:bob.peer@va.example.gov"}
    return [
        ("an mbox agent", variant(1001)),
        ("an mbox_sha1sum agent", variant(1002, actor__mbox=DELETE, actor__mbox_sha1sum="0" * 39 + "A")),
        ("an openid agent", variant(1003, actor__mbox=DELETE, actor__openid="https://id.example.org/ann")),
        (
            "an account agent",
            variant(1004, actor__mbox=DELETE, actor__account={"homePage": "https://lms.example.org", "name": "ann42"}),
        ),
        ("an actor with no objectType", variant(1005, actor={"mbox": "mailto:ann.peer@va.example.gov"})),
        ("an identified group", variant(1006, actor={"objectType": "Group", "mbox": "mailto:cohort@example.org"})),
        (
            "an anonymous group with members",
            variant(1007, actor={"objectType": "Group", "name": "Cohort", "member": [group_member]}),
        ),
        ("a StatementRef object", variant(1008, object={"objectType": "StatementRef", "id": BASE["id"]})),
        (
            "a SubStatement object",
            variant(
                1009,
                object={
                    "objectType": "SubStatement",
                    "actor": group_member,
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
                    "object": {"objectType": "Activity", "id": ACT},
                },
            ),
        ),
        ("an agent as object", variant(1010, object=group_member)),
        ("a duration of PT4.5S", variant(1011, result={"duration": "PT4.5S"})),
        ("a duration of P1DT2H", variant(1012, result={"duration": "P1DT2H"})),
        ("a duration of PT0S", variant(1013, result={"duration": "PT0S"})),
        ("a duration of P0DT2H", variant(1014, result={"duration": "P0DT2H"})),
        ("a duration of PT1H30M", variant(1015, result={"duration": "PT1H30M"})),
        ("a timestamp with an offset", variant(1016, timestamp="2026-01-05T10:00:00-05:00")),
        ("a timestamp with a fraction", variant(1017, timestamp="2026-01-05T15:00:00.123456Z")),
        ("a timestamp with offset and fraction", variant(1018, timestamp="2026-01-05T20:30:00.5+05:30")),
        ("a timestamp without seconds", variant(1019, timestamp="2026-01-05T15:00Z")),
        ("no timestamp, only stored", variant(1020, timestamp=DELETE)),
        ("no stored, only timestamp", variant(1021, stored=DELETE)),
        # xAPI lets senders omit both: the time celedger received it stands in (rule 4)
        ("neither timestamp nor stored", variant(1038, timestamp=DELETE, stored=DELETE)),
        (
            "language maps in en-US and es",
            variant(
                1022,
                verb={"id": BASE["verb"]["id"], "display": {"en-US": "completed", "es": "completó"}},
                object={
                    "objectType": "Activity",
                    "id": ACT,
                    "definition": {"name": {"en-US": "Active listening", "es": "Escucha activa"}},
                },
            ),
        ),
        ("no version", variant(1023, version=DELETE)),
        ("version 1.0.0", variant(1024, version="1.0.0")),
        ("version 2.0.0", variant(1025, version="2.0.0")),
        (
            "xAPI 2.0 contextAgents",
            variant(
                1026,
                version="2.0.0",
                context={"contextAgents": [{"objectType": "contextAgent", "agent": group_member}]},
            ),
        ),
        ("a score in range", variant(1027, result={"score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}})),
        (
            "a voiding statement",
            variant(
                1028,
                verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                object={"objectType": "StatementRef", "id": BASE["id"]},
            ),
        ),  # fmt: skip
        (
            "context activities as a single object",
            variant(1029, context={"contextActivities": {"parent": {"id": ACT}, "grouping": [{"id": ACT}]}}),
        ),
        ("an upper-case UUID", variant(1030, id="6F0F4A4E-2F6C-4C39-9D84-5B2F8E2B3F10")),
        ("an urn activity id", variant(1031, object={"objectType": "Activity", "id": "urn:uuid:12345678-aaaa"})),
        ("an offset of +14:00", variant(1032, timestamp="2026-01-06T05:00:00+14:00")),
        ("an offset of -12:00", variant(1033, timestamp="2026-01-05T03:00:00-12:00")),
        ("an offset of -00:30", variant(1034, timestamp="2026-01-05T14:30:00-00:30")),
        (
            "NaN, Infinity and commas in strings",
            variant(
                1035, result={"response": "NaN, Infinity, ]", "extensions": {"https://x.example.org/inf": "nan,}"}}
            ),
        ),
        ("an IRI with non-ASCII letters", variant(1036, object={"objectType": "Activity", "id": ACT + "/écoute-活动"})),
        (
            "the same key in two objects",
            variant(1037, result={"response": "x", "extensions": {"https://x.example.org/e": {"response": 2}}}),
        ),
    ]


def hostile_text(n: int, line: str) -> str:
    """Statements json.dumps cannot write: a trailing comma, a key twice."""
    text = json.dumps(variant(n), ensure_ascii=False)
    if line == "TRAILING_COMMA":
        return text[:-1] + ",}"
    if line == "ID_TWICE":
        return text[:-1] + ', "id": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10"}'
    if line == "VERB_ID_TWICE":
        return text.replace('"verb": {"id": ', '"verb": {"id": "https://evil.example.org/verb", "id": ', 1)
    return line


def main() -> None:
    malformed = []
    for n, (name, changes, reasons, line) in enumerate(MALFORMED, start=1):
        text = line if line is not None else json.dumps(variant(n, **changes), ensure_ascii=False)
        text = hostile_text(n, text)
        malformed.append({"name": name, "reasons": reasons, "line": text})
    (HERE / "malformed.json").write_text(json.dumps(malformed, indent=1, ensure_ascii=False) + "\n")
    cases = [{"name": name, "statement": statement} for name, statement in valid()]
    (HERE / "valid.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
