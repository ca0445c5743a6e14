"""Statement files in every form the rule book allows, and the files a folder skips."""

import pytest

from pipelines.errors import CeledgerError
from pipelines.statement_files import discover
from tests.support import ANN, COMPLETED, COURSE, MODULE, statement


def test_arrays_single_objects_and_ndjson_all_load(program):
    program.add("lms/array.json", [statement("a", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")], form="array")
    program.add("forum/one.json", [statement("b", ANN, COMPLETED, COURSE, "2026-01-06T15:00:00Z")], form="object")
    program.add(
        "webinars.ndjson", [statement("c", "bob.peer@va.example.gov", COMPLETED, MODULE, "2026-01-07T15:00:00Z")]
    )
    result = program.build()
    assert result.approved("W1", "FY2026") == 15
    assert result.approved("W2", "FY2026") == 3
    assert sorted(result.rows("select source, records from loaded_files")) == [
        ("forum", 1),
        ("lms", 1),
        ("webinars", 1),
    ]


def test_folders_skip_state_hidden_and_foreign_files(program):
    program.add("_state/watermark.json", [statement("x", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    program.add("_manifest.json", [statement("y", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    program.add(".partial.ndjson", [statement("z", ANN, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    (program.statements_dir / "readme.txt").write_text("not a statement file")
    program.add("real.ndjson", [statement("r", ANN, COMPLETED, COURSE, "2026-01-05T15:00:00Z")])
    assert [f.path.name for f in discover([program.statements_dir])] == ["real.ndjson"]


def test_an_array_element_that_is_not_an_object_is_quarantined(program):
    (program.statements_dir / "a.json").write_text('[42, {"id": 1}]')
    result = program.build()
    assert result.rows("select record, reasons from quarantine order by record") == [
        (1, "not a JSON object"),
        (2, "id is not a UUID; missing actor; missing verb id; missing object"),
    ]


def test_an_empty_file_loads_nothing_and_is_no_error(program):
    (program.statements_dir / "empty.ndjson").write_text("\n")
    assert program.build().run.records_loaded == 0


def test_a_named_file_that_is_not_json_is_refused_before_loading(program):
    path = program.statements_dir / "export.json"
    path.write_text("id,actor,verb\n1,2,3\n")
    with pytest.raises(CeledgerError, match="not a JSON statement file"):
        discover([path])
