"""Every malformed statement is quarantined with exactly the right reasons; every legal
form of a statement passes."""

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
MALFORMED = json.loads((CORPUS / "malformed.json").read_text())
VALID = json.loads((CORPUS / "valid.json").read_text())


def test_the_malformed_corpus_is_large_and_distinct():
    assert len(MALFORMED) >= 40
    assert len({case["line"] for case in MALFORMED}) == len(MALFORMED)


def test_each_malformed_statement_is_quarantined_with_its_reasons(program):
    (program.statements_dir / "malformed.ndjson").write_text("".join(case["line"] + "\n" for case in MALFORMED))
    result = program.run()
    quarantined = {
        record: (reasons, raw) for record, reasons, raw in result.rows("select record, reasons, raw from quarantine")
    }
    for record, case in enumerate(MALFORMED, start=1):
        assert quarantined.get(record, (None,))[0] == case["reasons"], case["name"]
        assert quarantined[record][1] == case["line"], case["name"]
    assert result.rows("select count(*) from int_statement_copies") == [(0,)]


def test_every_legal_form_of_a_statement_is_accepted(program):
    program.add("valid.ndjson", [case["statement"] for case in VALID])
    result = program.run()
    assert result.rows("select reasons from quarantine") == []
    assert result.rows("select count(*) from int_statement_copies") == [(len(VALID),)]
