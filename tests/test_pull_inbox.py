"""Vendor drops: new files are landed once and moved aside; a failing source stops no other."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.pull import pull
from tests.support import COMPLETED, MODULE, statement

ROOT = Path(__file__).resolve().parent.parent


def write_sources(program, body: str) -> None:
    (program.config / "sources.yaml").write_text(body)


def drop(folder, name, statements):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(s) + "\n" for s in statements))


SOURCES = """
sources:
  - name: vendor-drop
    kind: inbox
    path: inbox/vendor-drop
    carries: [course]
"""


def test_new_inbox_files_land_once_and_are_moved_aside(program):
    write_sources(program, SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    completion = statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")
    drop(inbox, "2026-01-05.ndjson", [completion])
    landing = program.root / "landing"
    (result,) = pull(program.config, landing)
    assert (result.error, result.segments, result.statements) == (None, 1, 1)
    assert not (inbox / "2026-01-05.ndjson").exists()
    assert (inbox / "_taken" / "2026-01-05.ndjson").exists()
    assert pull(program.config, landing)[0].segments == 0

    run = program.run(paths=[landing])
    assert run.approved("W1", "FY2026") == 3
    assert run.rows("select source from loaded_files") == [("vendor-drop",)]


def test_a_file_landed_but_not_moved_aside_is_not_landed_again(program):
    write_sources(program, SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    drop(inbox, "batch.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    landing = program.root / "landing"
    pull(program.config, landing)
    shutil.copy(inbox / "_taken" / "batch.ndjson", inbox / "batch.ndjson")  # as if the move never happened
    (again,) = pull(program.config, landing)
    assert again.segments == 0
    assert sorted(p.name for p in (landing / "vendor-drop").iterdir()) == ["000001.ndjson"]
    assert not (inbox / "batch.ndjson").exists()


def test_one_failing_source_does_not_stop_the_others(program):
    write_sources(
        program,
        SOURCES
        + """
  - name: missing-drop
    kind: inbox
    path: inbox/nowhere
  - name: webinars
    kind: lrs
    endpoint: http://127.0.0.1:9/xAPI/
    username_env: CELEDGER_TEST_UNSET_USER
    password_env: CELEDGER_TEST_UNSET_PASSWORD
""",
    )
    drop(program.config / "inbox" / "vendor-drop", "a.ndjson", [statement("a", "x@y.org", COMPLETED, MODULE, None)])
    results = {r.source: r for r in pull(program.config, program.root / "landing")}
    assert results["vendor-drop"].error is None and results["vendor-drop"].segments == 1
    assert "inbox folder" in results["missing-drop"].error and "does not exist" in results["missing-drop"].error
    assert results["webinars"].error == "source webinars: environment variable CELEDGER_TEST_UNSET_USER is not set"


def test_an_unusable_sources_yaml_is_a_one_line_error_before_any_pull(program):
    write_sources(program, "sources:\n  - name: vendor-drop\n    kind: inbox\n")
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "pull", "--config", str(program.config),
         "--landing", str(program.root / "landing")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert completed.stderr.endswith("sources.yaml: sources.0: 'path' is a required property\n")
    assert completed.stderr.count("\n") == 1
    assert not (program.root / "landing").exists()
