"""A hostile vendor's statements are quarantined with their reasons; they never stop the run.

Each test sends what an attacker (or a broken LRS) would, and checks that the other
vendors' statements still reach the ledger: staging and the published statement schema
agree about the IRIs and timestamps both check, and a few hostile statements are too few
for the quality gate to judge a feed by.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

import jsonschema_rs
import pytest

from pipelines import warehouse
from pipelines.quality import QualityGateFailed
from tests.support import COMPLETED, COURSE, MODULE, POLICY, statement

ANN, BOB = "ann.peer@va.example.gov", "bob.peer@va.example.gov"
ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "xapi-statement.schema.json").read_text(encoding="utf-8"))


def schema_accepts(form: str, values: list[str]) -> list[bool]:
    """What the published statement schema (`celedger check`'s validator) says of a value
    given as one of its forms ($defs/iri, $defs/timestamp)."""
    validator = jsonschema_rs.validator_for({"$ref": f"#/$defs/{form}", "$defs": SCHEMA["$defs"]})
    return [validator.is_valid(v) for v in values]


def staging_accepts(tmp_path, macro: str, values: list[str]) -> list[bool]:
    con = warehouse.connect(tmp_path / "patterns.duckdb")
    try:
        found = con.execute(
            f"select list(regexp_full_match(v, {macro}()) order by n) from "
            "(select unnest(?::varchar[]) as v, unnest(range(len(?::varchar[]))) as n)",
            [values, values],
        ).fetchone()[0]
    finally:
        con.close()
    return found


def a_vendor_and_a_hostile_vendor(program, *hostile: dict | str) -> None:
    program.add("good/feed.ndjson", [statement("good", BOB, COMPLETED, COURSE, "2026-01-06T15:00:00Z")])
    lines = [line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in hostile]
    (program.statements_dir / "hostile").mkdir()
    (program.statements_dir / "hostile" / "feed.ndjson").write_text("".join(f"{line}\n" for line in lines), "utf-8")


def one_of_each_kind() -> list:
    return [
        statement("nbsp", ANN, COMPLETED + "\u00a0", MODULE, "2026-01-05T15:00:00Z"),
        statement("vtab", ANN, COMPLETED, MODULE + "\v", "2026-01-05T15:00:00Z"),
        statement("year-1", ANN, COMPLETED, MODULE, "0001-01-05T15:00:00Z"),
        statement("year-9999", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", stored="9999-01-05T15:00:00Z"),
        statement("offset", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00+25:00", stored="2026-01-05T15:00:00Z"),
        with_key_twice(statement("twice", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z"), "verb", "id", COURSE),
        json.dumps(statement("nan", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", result={"score": {"raw": 0}}))
        .replace('"raw": 0', '"raw": NaN'),
    ]  # fmt: skip


def test_the_quality_gate_passes_with_every_kind_of_hostile_statement_quarantined(program):
    """The tests below check each kind on the warehouse stages; this one runs them all
    through the whole run, gate included: none of them stops the good vendor publishing,
    since seven records are too few to judge a feed by (the policy's quality.min_batch_records)."""
    a_vendor_and_a_hostile_vendor(program, *one_of_each_kind())
    result = program.run()
    assert result.rows("select count(*) from quarantine where source = 'hostile'") == [(len(one_of_each_kind()),)]
    assert result.approved("W2", "FY2026") == 12
    assert (result.out / "compliance_worker.csv").exists()


def test_a_feed_of_hostile_statements_stops_the_load_once_the_gate_judges_it(program):
    """The same seven, judged as a feed: all of it quarantined is more than the share allowed."""
    program.write_config(policy=POLICY + "quality:\n  min_batch_records: 7\n")
    a_vendor_and_a_hostile_vendor(program, *one_of_each_kind())
    with pytest.raises(QualityGateFailed, match=r"\(quarantined_share\).*e\.g\. \[1\.0\] \(source hostile\)"):
        program.run()
    assert not (program.root / "warehouse.duckdb").exists()


WHITE_SPACE_AND_CONTROLS = [
    chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() or unicodedata.category(chr(c)) == "Cc"
]

TRICKY_IRIS = [
    COMPLETED,
    "urn:uuid:12345678-aaaa",
    MODULE + "/écoute-活动",
    MODULE + "?q=a+b&c=%20",
    "mailto:",
    "completed",
    "http:",
    "1http://x",
    MODULE + "\n",
    *(MODULE + c for c in WHITE_SPACE_AND_CONTROLS),
    *(MODULE + c + "x" for c in "\u00a0\u2028\u3000\v\x85\x1f\x7f\u200b\ufeff"),
]

TRICKY_TIMESTAMPS = [
    "2026-01-05T15:00:00Z",
    "2026-01-05T15:00Z",
    "2026-01-05T15:00:00.123456+05:30",
    "2026-01-05T15:00:00+0530",
    "2026-01-05T15:00:00+05",
    "2026-01-05T15:00:00+14:00",
    "2026-01-05T15:00:00-14:00",
    "2026-01-05T15:00:00+14:01",
    "2026-01-05T15:00:00+25:00",
    "2026-01-05T15:00:00-00:00",
    "2026-01-05T15:00:00-0000",
    "2026-01-05T15:00:00-00",
    "2026-01-05T15:00:00-00:30",
    "2026-01-05T15:00:00+00:00",
    "2026-01-05T15:00:00+05:60",
    "2026-01-05T15:00:00Z\n",
    "2026-01-05 15:00:00Z",
    "２０２６-01-05T15:00:00Z",
    "٢٠٢٦-01-05T15:00:00Z",
    "2026-01-05T15:00:00Z\u00a0",
]


@pytest.mark.parametrize(
    "macro, form, values",
    [("iri_pattern", "iri", TRICKY_IRIS), ("timestamp_pattern", "timestamp", TRICKY_TIMESTAMPS)],
)
def test_staging_and_the_statement_schema_agree_on_every_tricky_string(tmp_path, macro, form, values):
    """A value staging quarantines for is one the schema refuses, and the other way round,
    so what `celedger check` tells a vendor is what a load does."""
    verdicts = zip(values, staging_accepts(tmp_path, macro, values), schema_accepts(form, values), strict=True)
    assert [(v, s, c) for v, s, c in verdicts if s != c] == []


def test_every_unicode_white_space_or_control_character_makes_an_iri_unusable(tmp_path):
    iris = [MODULE + c for c in WHITE_SPACE_AND_CONTROLS]
    assert not any(staging_accepts(tmp_path, "iri_pattern", iris))
    assert not any(schema_accepts("iri", iris))


@pytest.mark.parametrize(
    "where, text",
    [("verb", "\u00a0"), ("verb", "\v"), ("activity", "\u00a0"), ("activity", "\v"), ("activity", "\u2029")],
)
def test_unicode_white_space_after_an_id_is_quarantined_and_the_other_vendor_publishes(program, where, text):
    verb, activity = (COMPLETED + text, MODULE) if where == "verb" else (COMPLETED, MODULE + text)
    a_vendor_and_a_hostile_vendor(program, statement("hostile", ANN, verb, activity, "2026-01-05T15:00:00Z"))
    result = program.build()
    reason = "verb id is not an IRI" if where == "verb" else "object id is not an IRI"
    assert result.rows("select source, reasons from quarantine") == [("hostile", reason)]
    assert result.approved("W2", "FY2026") == 12


@pytest.mark.parametrize(
    "timestamp, stored, reason",
    [
        ("0001-01-05T15:00:00Z", "2026-01-05T15:00:00Z", "timestamp is outside the years 1001..9998"),
        ("0999-12-31T23:00:00Z", "0999-12-31T23:00:00Z", "timestamp is outside the years 1001..9998; "
         "stored is outside the years 1001..9998"),
        ("2026-01-05T15:00:00Z", "9999-01-05T15:00:00Z", "stored is outside the years 1001..9998"),
        ("9999-12-31T23:00:00Z", "9999-12-31T23:00:00Z", "timestamp is outside the years 1001..9998; "
         "stored is outside the years 1001..9998"),
        ("9998-12-31T23:00:00-05:00", "9998-12-31T23:00:00-05:00", "timestamp is outside the years 1001..9998; "
         "stored is outside the years 1001..9998"),
    ],
)  # fmt: skip
def test_timestamps_in_years_the_warehouse_cannot_hold_are_quarantined(program, timestamp, stored, reason):
    a_vendor_and_a_hostile_vendor(program, statement("hostile", ANN, COMPLETED, MODULE, timestamp, stored=stored))
    result = program.build()
    assert result.rows("select source, reasons from quarantine") == [("hostile", reason)]
    assert result.approved("W2", "FY2026") == 12


@pytest.mark.parametrize(
    "kind, zone, when, period",
    [
        ("calendar_year", "America/New_York", "1001-01-01T00:00:00Z", "1000"),
        ("fiscal_year", "Pacific/Kiritimati", "9998-12-31T23:59:59Z", "FY9999"),
    ],
)
def test_the_first_and_last_usable_instants_are_booked_in_every_zone(program, kind, zone, when, period):
    program.write_config(policy=f"period:\n  kind: {kind}\ntimezone: {zone}\n")
    program.add("feed.ndjson", [statement("edge", ANN, COMPLETED, MODULE, when)])
    result = program.build(as_of=when[:10])
    assert result.rows("select reasons from quarantine") == []
    assert [(e[1], e[2], e[3]) for e in result.ledger("W1")] == [(MODULE, period, 3)]


@pytest.mark.parametrize("offset", ["+25:00", "+14:30", "-15:00", "-00:00", "+05:60"])
def test_a_zone_offset_xapi_forbids_is_quarantined_not_applied(program, offset):
    hostile = statement(
        "hostile", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00" + offset, stored="2026-01-05T15:00:00Z"
    )
    a_vendor_and_a_hostile_vendor(program, hostile)
    result = program.build()
    reason = "timestamp has a zone offset outside -14:00..+14:00 or of -00:00"
    assert result.rows("select source, reasons from quarantine") == [("hostile", reason)]
    assert result.approved("W1", "FY2026") == 0


def with_key_twice(body: dict, container: str, key: str, value: str) -> str:
    """JSON text with `key` a second time in the object at `container` ('' for the statement)."""
    text = json.dumps(body)
    if not container:
        return text[:-1] + f", {json.dumps(key)}: {json.dumps(value)}" + "}"
    opening = f'"{container}": {{'
    return text.replace(opening, opening + f"{json.dumps(key)}: {json.dumps(value)}, ", 1)


@pytest.mark.parametrize(
    "container, key, value",
    [
        ("", "timestamp", "2026-03-05T15:00:00Z"),
        ("", "id", "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10"),
        ("actor", "mbox", "mailto:bob.peer@va.example.gov"),
        ("verb", "id", "http://adlnet.gov/expapi/verbs/passed"),
        ("object", "id", COURSE),
    ],
)
def test_a_key_twice_in_one_object_is_quarantined(program, container, key, value):
    hostile = with_key_twice(
        statement("hostile", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z"), container, key, value
    )
    a_vendor_and_a_hostile_vendor(program, hostile)
    result = program.build()
    assert result.rows("select source, reasons, raw from quarantine") == [
        ("hostile", "a key appears twice in one object", hostile)
    ]
    assert result.approved("W1", "FY2026") == 0


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "nan", "inf"])
def test_nan_and_infinity_are_not_json_and_are_quarantined(program, literal):
    body = statement("hostile", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z", result={"score": {"raw": 0}})
    hostile = json.dumps(body).replace('"raw": 0', f'"raw": {literal}')
    a_vendor_and_a_hostile_vendor(program, hostile)
    result = program.build()
    reasons = result.rows("select reasons from quarantine")
    assert len(reasons) == 1 and re.match(r"not strict JSON \(NaN, Infinity or a trailing comma\)", reasons[0][0])
    assert result.approved("W2", "FY2026") == 12
