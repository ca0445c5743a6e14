"""The command line: unusable input stops with one line and exit 2, touching nothing."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import COMPLETED, MODULE, statement

ROOT = Path(__file__).resolve().parent.parent


def celedger(program, *statements: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(program.config),
         "--statements", *(str(s) for s in statements or [program.statements_dir]),
         "--as-of", "2026-11-20", "--out", str(program.out), "--warehouse", str(program.root / "wh.duckdb")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def published(program):
    """A program that has run once, so there is a warehouse and outputs to protect."""
    program.add("good.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert celedger(program).returncode == 0
    return program


def break_roster_role(program):
    text = (program.config / "roster.csv").read_text().replace("peer_specialist", "peer_specalist", 1)
    (program.config / "roster.csv").write_text(text)


def break_csv_quoting(program):
    with (program.config / "catalog.csv").open("a") as handle:
        handle.write('https://x.example.org/a,"unterminated title,course,V,1,C01,true\n')


def add_unknown_column(program):
    lines = (program.config / "roster.csv").read_text().splitlines()
    lines = [lines[0] + ",shoe_size"] + [line + ",42" for line in lines[1:]]
    (program.config / "roster.csv").write_text("\n".join(lines) + "\n")


def add_text_statement_file(program):
    (program.statements_dir / "notes.json").write_text("These are not statements.\n")


def add_truncated_statement_file(program):
    (program.statements_dir / "cut.json").write_text('[{"id": "a", "actor": {"mbox": "mailto:x@y.org"}')


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: (p.config / "catalog.csv").unlink(), "catalog.csv: missing config file"),
        (break_csv_quoting, "catalog.csv: malformed CSV"),
        (break_roster_role, "unknown role 'peer_specalist'"),
        (add_unknown_column, "roster.csv: unknown column 'shoe_size'"),
        (lambda p: (p.config / "policy.yaml").write_text("proration: weekly\n"), "policy.yaml: proration"),
        (lambda p: (p.config / "policy.yaml").write_text("timezone: Mars/Olympus\n"), "unknown time zone"),
        (add_text_statement_file, "notes.json: not a JSON statement file"),
        (add_truncated_statement_file, "cut.json: not valid JSON"),
    ],
    ids=["missing file", "malformed csv", "unknown role", "unknown column", "bad policy", "bad zone", "text file",
         "truncated json"],
)  # fmt: skip
def test_unusable_input_gives_one_line_exit_2_and_leaves_everything_as_it_was(published, damage, message):
    before_warehouse = fingerprint(published.root)
    before_out = fingerprint(published.out)
    damage(published)
    completed = celedger(published)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and message in completed.stderr, completed.stderr
    assert fingerprint(published.root)["wh.duckdb"] == before_warehouse["wh.duckdb"]
    assert fingerprint(published.out) == before_out


def test_a_failed_first_run_leaves_no_warehouse_behind(program):
    add_truncated_statement_file(program)
    assert celedger(program).returncode == 2
    assert not (program.root / "wh.duckdb").exists()


def test_a_missing_statement_path_is_a_one_line_error(program):
    completed = celedger(program, program.root / "nowhere")
    assert completed.returncode == 2 and "no such statement file or folder" in completed.stderr


def test_ndjson_with_a_broken_line_quarantines_the_line_and_loads_the_rest(program):
    good = json.dumps(statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z"))
    (program.statements_dir / "feed.ndjson").write_text(good + '\n{"id": "broken\n')
    result = program.run()
    assert result.approved("W1", "FY2026") == 3
    assert result.rows("select record, reasons, raw from quarantine") == [(2, "not valid JSON", '{"id": "broken')]


def test_the_readme_run_works_with_a_relative_out_folder(tmp_path):
    sample = ROOT / "sample"
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(sample / "config"),
         "--statements", str(sample / "statements"), "--as-of", "2026-11-20", "--out", "out"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "site: out/site/index.html" in completed.stdout
    assert (tmp_path / "out" / "data_docs" / "index.html").exists()
    assert (tmp_path / "out" / "site" / "index.html").exists()
