"""pipelines/validation.py and staging's severity rule: every new statement is checked against
the xAPI schema in the load; a defect in a field the rules read quarantines the statement with
every reason, any other leaves it accepted and listed in statement_warnings, and
`validation: strict` quarantines every statement with a defect. The corpus runs through the
warehouse stages, not only through the schema."""

import csv
import json
from functools import cache
from pathlib import Path

import duckdb
import pytest

from pipelines import processes, validation
from pipelines.errors import CeledgerError
from pipelines.statement_schema import violations
from pipelines.warehouse import MODELS, shared_macros
from tests.corpus.make_xapi_corpus import BASE
from tests.support import POLICY, Program

CORPUS = Path(__file__).resolve().parent / "corpus"
VALID = json.loads((CORPUS / "xapi_valid.json").read_text(encoding="utf-8"))
INVALID = json.loads((CORPUS / "xapi_invalid.json").read_text(encoding="utf-8"))
# xAPI lets a sender leave the id to the LRS; celedger needs one to tell copies apart (rule 2)
WITHOUT_ID = {case["name"] for case in VALID if "id" not in case["statement"]}


def corpus_run(root: Path, cases: list[dict], policy: str = POLICY) -> dict[int, tuple[str | None, str | None]]:
    """The cases as one NDJSON file through the warehouse stages: for each record (1-based), its
    quarantine reasons and its warnings (None when it has none)."""
    root.mkdir(exist_ok=True)
    program = Program(root)
    program.write_config(policy=policy)
    program.add("corpus.ndjson", [case["statement"] for case in cases])
    result = program.build()
    quarantined = dict(result.rows("select record, reasons from quarantine"))
    warned = dict(result.rows("select record, reasons from statement_warnings"))
    assert not set(quarantined) & set(warned)
    return {n: (quarantined.get(n), warned.get(n)) for n in range(1, len(cases) + 1)}


@pytest.fixture(scope="module")
def lenient(tmp_path_factory):
    return corpus_run(tmp_path_factory.mktemp("lenient"), INVALID)


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    return corpus_run(tmp_path_factory.mktemp("strict"), INVALID, POLICY + "validation: strict\n")


@cache
def macros() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(shared_macros())
    con.execute((MODELS / "macros.sql").read_text())
    return con


def staging_said_it(reasons: str, defect) -> bool:
    """Staging gave its own reason about the defect's field, so the schema's is left out."""
    fields = macros().execute("select list_transform(?::varchar[], lambda r: reason_field(r))", [reasons.split("; ")])
    return defect.field in fields.fetchone()[0]


@pytest.mark.parametrize("number", range(len(INVALID)), ids=[c["name"] for c in INVALID])
def test_each_invalid_statement_is_quarantined_or_warned_at_its_pointer(lenient, number):
    case = INVALID[number]
    found = violations(case["statement"])
    at = [v for v in found if v.pointer == case["pointer"]]
    quarantined, warned = lenient[number + 1]
    if any(v.field for v in found):  # a defect in a field the rules read
        assert quarantined is not None and warned is None
        assert any(v.reason() in quarantined or staging_said_it(quarantined, v) for v in at), quarantined
    else:
        assert quarantined is None, quarantined
        assert any(v.reason() in warned for v in at), warned


@pytest.mark.parametrize("number", range(len(INVALID)), ids=[c["name"] for c in INVALID])
def test_in_strict_mode_each_invalid_statement_is_quarantined(strict, number):
    quarantined, warned = strict[number + 1]
    assert quarantined is not None and warned is None


def test_no_valid_statement_is_quarantined_or_warned(tmp_path):
    outcome = corpus_run(tmp_path, VALID, POLICY + "validation: strict\n")
    for number, case in enumerate(VALID, start=1):
        expected = ("missing id", None) if case["name"] in WITHOUT_ID else (None, None)
        assert outcome[number] == expected, case["name"]
    assert len(WITHOUT_ID) == 2


def edited(changes: dict) -> dict:
    statement = json.loads(json.dumps(BASE))
    for path, value in changes.items():
        *parents, leaf = path.strip("/").split("/")
        target = statement
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[leaf] = value
    return statement


HOME_PAGE = {"/actor": {"objectType": "Agent", "account": {"homePage": "lms.example.org", "name": "ann"}}}
MEMBER = {"/actor": {"objectType": "Group", "member": {"mbox": "mailto:a@b.example"}}}
DISPLAY = {"/verb/display": {"en_US": "completed"}}
DEFINITION = {"/object/definition": {"name": {"en-US": "Course"}, "type": 5}}
TEAM = {"/context": {"team": {"objectType": "Agent", "mbox": "mailto:a@b.example"}}}
IRI = '(An absolute IRI: a scheme and a colon, then no white space, control characters or < > " { } | \\ ^ `)'

# what the issue found celedger let through, and harmless defects: the reasons as listed
CASES = [
    (
        "an account homePage that is no IRI",
        HOME_PAGE,
        '/actor/account/homePage: account homePage: "lms.example.org" is not of the required form ' + IRI,
        None,
    ),
    (
        "a score of the wrong type",
        {"/result": {"score": {"raw": "5"}}},
        '/result/score/raw: score raw: "5" is of the wrong type (A number)',
        None,
    ),
    (
        "a timestamp offset of -00:00",
        {"/timestamp": "2026-01-05T15:00:00-00:00"},
        "timestamp has a zone offset outside -14:00..+14:00 or of -00:00",  # staging says it, once
        None,
    ),
    ("a duration P4W1", {"/result": {"duration": "P4W1"}}, "result.duration is not an ISO 8601 duration", None),
    (
        "a Group member that is an object",
        MEMBER,
        '/actor/member: Group member: {"mbox": "mailto:a@b.example"} is of the wrong type',
        None,
    ),
    (
        "an activity id with a <",
        {"/object/id": "https://x.example.org/<a>"},
        '/object/id: activity id: "https://x.example.org/<a>" is not of the required form ' + IRI,
        None,
    ),
    ("a mis-cased Timestamp key", {"/TimeStamp": "2026-01-05T15:00:00Z"}, "/TimeStamp: statement: unknown key", None),
    (
        "a verb display key that is no language tag",
        DISPLAY,
        None,
        '/verb/display/en_US: language map: the key "en_US" is not allowed',
    ),
    ("an activity type that is no IRI", DEFINITION, None, "/object/definition/type: activity type: 5 is of"),
    ("a context team that is an Agent", TEAM, None, '/context/team/objectType: Group objectType: "Agent" is not'),
    ("an unknown key", {"/x-vendor": 1}, None, '/x-vendor: statement: unknown key "x-vendor"'),
]


@pytest.mark.parametrize(("name", "changes", "quarantined", "warned"), CASES, ids=[c[0] for c in CASES])
def test_severity_follows_the_field(program, name, changes, quarantined, warned):
    program.add("s.ndjson", [edited(changes)])
    result = program.build()
    reasons = result.rows("select reasons from quarantine")
    warnings = result.rows("select reasons from statement_warnings")
    if quarantined:
        assert warnings == [] and len(reasons) == 1 and reasons[0][0].startswith(quarantined), reasons
    else:
        assert reasons == [] and len(warnings) == 1 and warnings[0][0].startswith(warned), warnings
        assert result.rows("select count(*) from int_statement_copies") == [(1,)]  # and credited as usual


def test_staging_and_the_schema_never_say_one_thing_twice(program):
    """Staging's reason about a field stands; the schema's about the same field are left out,
    those about other fields added; the harmless ones listed too, since it is quarantined."""
    bad = edited({"/version": "3.0.0", "/result": {"score": {"raw": "5"}}} | DISPLAY)
    program.add("s.ndjson", [bad])
    (reasons,) = program.build().rows("select reasons from quarantine")[0]
    assert reasons.split("; ") == [
        "unsupported version 3.0.0",
        '/result/score/raw: score raw: "5" is of the wrong type (A number)',
        '/verb/display/en_US: language map: the key "en_US" is not allowed (An RFC 5646 language tag, such as en-US)',
    ]


def test_strict_mode_quarantines_a_harmless_defect(program):
    program.write_config(policy=POLICY + "validation: strict\n")
    program.add("s.ndjson", [edited(DISPLAY)])
    result = program.build()
    assert result.rows("select reasons from quarantine") == [
        ('/verb/display/en_US: language map: the key "en_US" is not allowed (An RFC 5646 language tag, such as en-US)',)
    ]
    assert result.rows("select count(*) from statement_warnings") == [(0,)]


@pytest.mark.parametrize(("before", "after"), [("lenient", "strict"), ("strict", "lenient")])
def test_a_changed_validation_mode_stops_the_run_before_statements_judged_otherwise_mix(program, before, after):
    program.write_config(policy=POLICY + f"validation: {before}\n")
    program.add("a.ndjson", [edited(DISPLAY)])
    judged = (
        program.build().rows("select count(*) from quarantine"),
        program.build().rows("select count(*) from statement_warnings"),
    )
    program.write_config(policy=POLICY + f"validation: {after}\n")
    program.add("b.ndjson", [edited({})])
    with pytest.raises(
        CeledgerError, match=f"policy.yaml: validation: {after}, but this warehouse's statements were judged {before}: "
    ):
        program.build()
    program.write_config(policy=POLICY + f"validation: {before}\n")
    assert (
        program.build().rows("select count(*) from quarantine"),
        program.build().rows("select count(*) from statement_warnings"),
    ) == judged


def test_the_policy_names_only_known_validation_modes(program):
    program.write_config(policy=POLICY + "validation: loose\n")
    program.add("s.ndjson", [edited({})])
    with pytest.raises(Exception, match=r"policy.yaml: validation: 'loose' is not one of \['lenient', 'strict'\]"):
        program.build()


def test_only_the_new_files_are_checked(program):
    program.add("a.ndjson", [edited(DISPLAY)])
    assert program.build().run.statements_validated == 1
    program.add("b.ndjson", [edited({"/id": "6f0f4a4e-2f6c-4c39-9d84-000000000002"}), edited({})])
    result = program.build()
    assert result.run.statements_validated == 2
    assert result.rows("select file, record from statement_warnings") == [(str(program.statements_dir / "a.ndjson"), 1)]


def test_other_processes_find_what_this_one_finds(tmp_path, monkeypatch):
    """A batch large enough is checked in spawned processes, a slice at a time; every slice's
    findings land at their own records."""
    cases = INVALID[:60] + VALID[:40]
    here = corpus_run(tmp_path / "here", cases)
    monkeypatch.setattr(validation, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(validation, "SLICE", 7)
    monkeypatch.setattr(processes, "cores", lambda: 2)  # even on a one-core machine
    assert corpus_run(tmp_path / "there", cases) == here


def test_warnings_are_published_escaped_beside_the_rejections(program):
    warned = edited({"/verb/display": {"<script>alert(1)</script>": "completed"}})
    rejected = edited({"/id": "not-a-uuid"})
    program.add("=vendor.ndjson", [warned, rejected])  # the file's name is the source's
    out = program.run().out
    (row,) = list(csv.DictReader((out / "statement_warnings.csv").open(newline="")))
    assert (row["statement_id"], row["source"], row["record"]) == (BASE["id"], "'=vendor", "1")  # no formula
    assert row["reasons"] == (
        '/verb/display/<script>alert(1)<~1script>: language map: the key "<script>alert(1)</script>" is not '
        "allowed (An RFC 5646 language tag, such as en-US)"
    )
    rejections = list(csv.DictReader((out / "rejections.csv").open(newline="")))
    assert [(r["source"], r["outcome"], r["reason"][:15]) for r in rejections] == [
        ("'=vendor", "quarantined", "id is not a UUI"),
        ("'=vendor", "warning", "/verb/display/<"),
    ]
    page = (out / "rejections.html").read_text()
    assert "=vendor: 1 rejection(s), 1 warning(s)</h2>" in page
    assert "<h3>Accepted with warnings: 1 warning(s)</h3>" in page
    assert "<td>/verb/display/&lt;script&gt;alert(1)&lt;~1script&gt;: language map" in page
    assert "<script" not in page


# Texts msgspec reads differently from the standard library's strict decoder, or not at all.
TRICKY = [
    '{"a": "\\ud800"}',  # a lone surrogate escape: msgspec refuses it, the decoder reads it
    '{"a": "\\udc00\\ud83d\\ude00"}',
    '{"a": 1e400}',  # too large for a float: msgspec refuses it, the decoder reads inf
    '{"a": 18446744073709551617, "b": -9223372036854775809}',  # beyond 64 bits: both read the integer
    '{"a": 1, "a": 2}',  # the last of a key twice (staging quarantines it)
    '{"a": NaN}',
    '{"a": -Infinity}',
    '{"a": [1,]}',
    '{"a": 1,}',
    '{"a": "tab\there"}',
    '{"a": 01}',
    "\ufeff{}",
    "",
    None,
]


@pytest.mark.parametrize("text", TRICKY)
def test_statements_are_read_as_the_strict_standard_decoder_reads_them(text):
    try:
        expected = repr(validation.STRICT.decode(text))
    except (TypeError, ValueError) as err:
        with pytest.raises(type(err)):
            validation.parse(text)
    else:
        assert repr(validation.parse(text)) == expected


def test_a_statement_only_the_standard_decoder_reads_is_still_checked(program):
    """A number too large for a float, which msgspec refuses, in a statement with a harmless defect:
    the schema's warning still reaches it."""
    statement = edited({**DISPLAY, "/result": {"extensions": {"https://x.example/big": 0}}})
    text = json.dumps(statement).replace('"https://x.example/big": 0', '"https://x.example/big": 1e400')
    (program.statements_dir / "s.ndjson").write_text(text + "\n", encoding="utf-8")
    result = program.build()
    ((record, reason),) = result.rows("select record, reasons from statement_warnings")
    assert (record, reason[:53]) == (1, '/verb/display/en_US: language map: the key "en_US" is')
