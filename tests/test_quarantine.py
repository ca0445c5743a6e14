"""Every malformed statement is quarantined with exactly the right reasons; every legal
form of a statement passes."""

import json
from pathlib import Path

from tests.support import COMPLETED, MODULE, sid, statement

CORPUS = Path(__file__).resolve().parent / "corpus"
MALFORMED = json.loads((CORPUS / "malformed.json").read_text())
VALID = json.loads((CORPUS / "valid.json").read_text())


def test_the_malformed_corpus_is_large_and_distinct():
    assert len(MALFORMED) >= 40
    assert len({case["line"] for case in MALFORMED}) == len(MALFORMED)


def test_each_malformed_statement_is_quarantined_with_its_reasons(program):
    (program.statements_dir / "malformed.ndjson").write_text("".join(case["line"] + "\n" for case in MALFORMED))
    result = program.build()
    quarantined = {
        record: (reasons, raw) for record, reasons, raw in result.rows("select record, reasons, raw from quarantine")
    }
    for record, case in enumerate(MALFORMED, start=1):
        assert quarantined.get(record, (None,))[0] == case["reasons"], case["name"]
        assert quarantined[record][1] == case["line"], case["name"]
    assert result.rows("select count(*) from int_statement_copies") == [(0,)]


def test_every_legal_form_of_a_statement_is_accepted(program):
    program.add("valid.ndjson", [case["statement"] for case in VALID])
    result = program.build()
    assert result.rows("select reasons from quarantine") == []
    assert result.rows("select count(*) from int_statement_copies") == [(len(VALID),)]


def test_a_line_that_is_not_utf8_is_quarantined_with_its_bytes_shown_and_its_neighbours_load(program):
    good = [statement(label, "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-06T15:00:00Z") for label in "ab"]
    broken = json.dumps(good[0] | {"id": sid("latin")}).replace("ann.peer", "jos\u00e9").encode("latin-1")
    lines = [json.dumps(good[0]).encode(), broken, json.dumps(good[1]).encode()]
    (program.statements_dir / "mixed.ndjson").write_bytes(b"\n".join(lines) + b"\n")
    result = program.build()
    assert result.rows("select record, reasons from quarantine") == [
        (2, "not UTF-8 text (undecodable bytes shown as \\xNN)")
    ]
    assert "jos\\xe9" in result.rows("select raw from quarantine")[0][0]
    assert result.rows("select count(*) from int_statement_copies") == [(2,)]
