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

    run = program.build(paths=[landing])
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


# -- hostile inboxes -----------------------------------------------------------------------------


def one_completion(label="a"):
    return statement(label, "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")


def pull_lines(program, capsys):
    from pipelines.cli import main

    code = main(["pull", "--config", str(program.config), "--landing", str(program.root / "landing")])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def landed_bodies(landing, source="vendor-drop"):
    return sorted(p.read_bytes() for p in (landing / source).iterdir())


def test_symlinks_in_an_inbox_are_refused_never_followed(program, tmp_path, capsys):
    write_sources(program, SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    drop(inbox, "real.ndjson", [one_completion()])
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.json").write_text('{"root": "hunter2"}')
    (inbox / "link-to-file.json").symlink_to(secret / "passwords.json")
    (inbox / "link-to-dir.json").symlink_to(secret)
    (inbox / "dangling.ndjson").symlink_to(tmp_path / "nothing")
    code, out, err = pull_lines(program, capsys)

    assert code == 1 and len(err) == 1
    assert err[0].startswith("celedger: error: source vendor-drop: refused 3 file(s), moved to ")
    for name in ("link-to-file.json", "link-to-dir.json", "dangling.ndjson"):
        assert f"{name} (a symbolic link)" in err[0]
        assert (inbox / "_rejected" / name).is_symlink()
    assert landed_bodies(program.root / "landing") == [(inbox / "_taken" / "real.ndjson").read_bytes()]
    assert (secret / "passwords.json").exists() and sorted(p.name for p in secret.iterdir()) == ["passwords.json"]


def test_a_fifo_or_a_folder_named_like_a_statement_file_is_refused(program, capsys):
    import os

    write_sources(program, SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    drop(inbox, "real.ndjson", [one_completion()])
    os.mkfifo(inbox / "pipe.ndjson")
    (inbox / "folder.json").mkdir()
    code, out, err = pull_lines(program, capsys)
    assert code == 1 and len(err) == 1
    assert "pipe.ndjson (not a regular file)" in err[0] and "folder.json (not a regular file)" in err[0]
    assert len(landed_bodies(program.root / "landing")) == 1


def test_landed_files_are_not_world_readable(program):
    write_sources(program, SOURCES)
    drop(program.config / "inbox" / "vendor-drop", "a.ndjson", [one_completion()])
    landing = program.root / "landing"
    pull(program.config, landing)
    for path in [*(landing / "vendor-drop").iterdir(), *(landing / "_state").glob("*.json")]:
        assert path.stat().st_mode & 0o007 == 0, path


BROKEN = {
    "not-json.json": b"this is not JSON\n",
    "a-number.json": b"42\n",
    "latin-1.ndjson": b'{"id": "caf\xe9"}\n',
    "truncated.json": b'[{"id": "a"}',
}


def test_a_file_that_is_not_json_is_moved_aside_and_the_rest_of_the_inbox_is_taken(program, capsys):
    write_sources(program, SOURCES)
    inbox = program.config / "inbox" / "vendor-drop"
    drop(inbox, "good.ndjson", [one_completion()])
    (inbox / "one-broken-line.ndjson").write_text(json.dumps(one_completion("b")) + "\n{broken\n")
    (inbox / "array.json").write_text(json.dumps([one_completion("c")]))
    for name, body in BROKEN.items():
        (inbox / name).write_bytes(body)
    code, out, err = pull_lines(program, capsys)

    assert code == 1 and len(err) == 1
    assert f"refused {len(BROKEN)} file(s)" in err[0]
    for name, body in BROKEN.items():
        assert name in err[0]
        assert (inbox / "_rejected" / name).read_bytes() == body
    taken = sorted(p.name for p in (inbox / "_taken").iterdir())
    assert taken == ["array.json", "good.ndjson", "one-broken-line.ndjson"]

    run = program.run(paths=[program.root / "landing"])  # the broken line is quarantined; no poison pill
    assert run.approved("W1", "FY2026") == 3
    assert pull_lines(program, capsys)[0] == 0  # refused once, not on every pull
