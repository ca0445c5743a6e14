"""The command line: unusable input stops with one line and exit 2, touching nothing."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines.cli import main
from tests.lrs_server import FakeLRS, page
from tests.support import COMPLETED, MODULE, Program, statement

pytestmark = pytest.mark.system  # the command line as a separate process

ROOT = Path(__file__).resolve().parent.parent


def celedger(program, *statements: Path, as_of: str = "2026-11-20", warehouse=None) -> subprocess.CompletedProcess:
    """`celedger run` as an operator types it; a run that hangs fails the test after two minutes."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--config", str(program.config),
         "--statements", *(str(s) for s in statements or [program.statements_dir]),
         "--as-of", as_of, "--out", str(program.out), "--warehouse", str(warehouse or program.root / "wh.duckdb")],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    """One program that has run once, and a copy of it as it stood then."""
    program = Program(tmp_path_factory.mktemp("published"))
    program.add("good.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    assert celedger(program).returncode == 0
    snapshot = tmp_path_factory.mktemp("snapshot") / "program"
    shutil.copytree(program.root, snapshot, symlinks=True)  # modification times kept: nothing looks new
    return program, snapshot


@pytest.fixture
def published(published_once):
    """A program that has run once, so there is a warehouse and outputs to protect: the
    module's one run, put back as it was (same paths, same times) before each test."""
    program, snapshot = published_once
    shutil.rmtree(program.root)
    shutil.copytree(snapshot, program.root, symlinks=True)
    program.out = program.root / "out"
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


def add_latin1_statement_file(program):
    """An array exported in Latin-1: a whole file that is not UTF-8 text, so not JSON."""
    body = statement("b", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-06T15:00:00Z")
    body["actor"]["name"] = "José"
    (program.statements_dir / "latin1.json").write_bytes(json.dumps([body], ensure_ascii=False).encode("latin-1"))


def add_fifo(program):
    os.mkfifo(program.statements_dir / "pipe.ndjson")


def give_nonsense_policy_hours(program):
    (program.config / "policy.yaml").write_text("requirements:\n  peer_specialist: .inf\n  supervisor: 15\n")


def give_nan_pace_slack(program):
    (program.config / "policy.yaml").write_text("pace_slack_hours: .nan\n")


def give_nan_attendance_ratio(program):
    (program.config / "policy.yaml").write_text("webinar:\n  min_attendance_ratio: .nan\n")


def give_catalog_hours(hours: str):
    def damage(program):
        text = (program.config / "catalog.csv").read_text().replace(",12,C07,", f",{hours},C07,", 1)
        (program.config / "catalog.csv").write_text(text)

    return damage


def add_certification_twice(program):
    rows = "worker_id,credential,certified_on,expires_on\nW1,PA-CPS,2024-03-15,\nW1,PA-CPS,2025-01-01,\n"
    (program.config / "certifications.csv").write_text(rows)


def give_track(track: str):
    def damage(program):
        with (program.config / "policy.yaml").open("a") as handle:
            handle.write("tracks:\n" + track)

    return damage


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
        (add_latin1_statement_file, "latin1.json: not valid JSON (not UTF-8 text)"),
        (add_fifo, "pipe.ndjson: not a regular file"),
        (give_nonsense_policy_hours, "policy.yaml: requirements.peer_specialist: not a finite number"),
        (give_nan_pace_slack, "policy.yaml: pace_slack_hours: not a finite number"),
        (give_nan_attendance_ratio, "policy.yaml: webinar.min_attendance_ratio: not a finite number"),
        (give_catalog_hours("0.001"), "ce_hours '0.001' has more than two decimals"),
        (give_catalog_hours("0"), "ce_hours '0' grants no credit"),
        (add_certification_twice, "certifications.csv: line 3: W1 holds 'PA-CPS' on an earlier line already"),
        (give_track("  - {name: t, credential: X, hours: 20, caps: [{name: c, kinds: [podcast], hours: 1}]}\n"),
         "policy.yaml: tracks.0.caps.0.kinds.0: 'podcast' is not one of"),
        (give_track("  - {name: t, credential: X, hours: 20, cycle: {months: 0}}\n"),
         "policy.yaml: tracks.0.cycle.months: 0 is less than the minimum of 1"),
        (give_track("  - {name: t, credential: X, hours: 20, minimums: [{name: ethics, hours: 3}]}\n"),
         "policy.yaml: tracks.0.minimums.0: 'topics' is a required property"),
    ],
    ids=["missing file", "malformed csv", "unknown role", "unknown column", "bad policy", "bad zone", "text file",
         "truncated json", "not utf-8", "fifo", "infinite requirement", "nan slack", "nan ratio", "0.001 hours",
         "0 hours", "certification twice", "unknown kind", "zero months", "minimum without topics"],
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


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1000-12-31"])
def test_an_as_of_date_the_warehouse_cannot_hold_is_one_line_exit_2(published, as_of):
    before = fingerprint(published.root), fingerprint(published.out)
    completed = celedger(published, as_of=as_of)
    assert (completed.returncode, completed.stdout) == (2, "")
    expected = f"celedger: error: --as-of {as_of}: outside the years 1001..9998 the warehouse can hold\n"
    assert completed.stderr == expected
    assert (fingerprint(published.root), fingerprint(published.out)) == before


def add_statements(program):
    program.add("more.ndjson", [statement("m", "bob.peer@va.example.gov", COMPLETED, MODULE, "2026-02-05T15:00:00Z")])


def assert_one_line(completed, code: int, message: str) -> None:
    assert (completed.returncode, completed.stdout) == (code, ""), completed.stderr
    assert completed.stderr.count("\n") == 1 and message in completed.stderr, completed.stderr


def test_a_warehouse_in_use_by_another_run_is_one_line_exit_1(published):
    add_statements(published)
    before = fingerprint(published.out)
    other_run = duckdb.connect(str(published.root / "wh.duckdb"))  # holds DuckDB's lock, as a run would
    try:
        completed = celedger(published)
    finally:
        other_run.close()
    assert_one_line(completed, 1, "the warehouse is in use by another process")
    assert fingerprint(published.out) == before
    assert celedger(published).returncode == 0  # once the other run is done


def test_a_warehouse_that_is_not_a_duckdb_file_is_one_line_exit_2_and_left_alone(program):
    add_statements(program)
    (program.root / "wh.duckdb").write_text("my notes, not a warehouse\n")
    completed = celedger(program)
    assert_one_line(completed, 2, "wh.duckdb: not a DuckDB warehouse file")
    assert (program.root / "wh.duckdb").read_text() == "my notes, not a warehouse\n"


@pytest.fixture
def tmpfs(tmp_path):
    """Mount small RAM disks (as root, where the machine allows it); unmounted afterwards."""
    mounted = []

    def mount(path: Path, size: str) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_read_only_out_folder_is_one_line_exit_1_before_the_warehouse_changes(published, tmpfs):
    out = tmpfs(published.root / "ro-out", "16m")
    published.out, original_out = out, published.out
    assert celedger(published).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    add_statements(published)
    before = fingerprint(published.root), fingerprint(out)
    completed = celedger(published)
    assert_one_line(completed, 1, f"{out}: cannot write there (Read-only file system); nothing changed")
    assert (fingerprint(published.root), fingerprint(out)) == before
    assert original_out.exists()


def fill(disk: Path) -> None:
    with (disk / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def test_a_full_disk_is_one_line_exit_1_and_leaves_warehouse_and_outputs_as_they_were(published, tmpfs):
    disk = tmpfs(published.root / "disk", "24m")
    warehouse = disk / "wh.duckdb"
    published.out = disk / "out"
    assert celedger(published, warehouse=warehouse).returncode == 0
    for n in range(400):  # enough new statements that the warehouse must grow
        big = statement(f"big{n}", "bob.peer@va.example.gov", COMPLETED, MODULE, "2026-02-05T15:00:00Z")
        published.add(f"big/{n}.ndjson", [big | {"result": {"response": f"{n}" * 4000}}])
    before = fingerprint(disk), fingerprint(published.out)
    fill(disk)
    completed = celedger(published, warehouse=warehouse)
    assert_one_line(completed, 1, "No space left on device")
    (disk / "filler").unlink()
    assert (fingerprint(disk), fingerprint(published.out)) == before
    assert celedger(published, warehouse=warehouse).returncode == 0  # room again: the same run goes through


# -- a command line that behaves like its peers ----------------------------------------------------


def command(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "pipelines.cli", *args]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, check=False, timeout=120)


def test_version_prints_the_package_version():
    completed = command("--version")
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, f"celedger {version('celedger')}\n", "")


@pytest.mark.parametrize("subcommand", ["", "run", "pull", "digest"])
def test_help_shows_an_example(subcommand):
    completed = command(*subcommand.split(), "--help")
    assert completed.returncode == 0, completed.stderr
    example = completed.stdout.split("example:\n", 1)[1]
    assert example.lstrip().startswith(f"celedger {subcommand or 'run'} --config "), completed.stdout


def test_as_of_left_out_is_today_in_the_policys_time_zone(program):
    """Kiritimati is UTC+14: for fourteen hours of every UTC day its date is tomorrow's."""
    zone = "Pacific/Kiritimati"
    (program.config / "policy.yaml").write_text(f"timezone: {zone}\n")
    program.add("good.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    before = datetime.now(ZoneInfo(zone)).date()
    warehouse = program.root / "wh.duckdb"
    ran = command("run", "--config", str(program.config), "--statements", str(program.statements_dir),
                  "--out", str(program.out), "--warehouse", str(warehouse))  # fmt: skip
    digested = command("digest", "--config", str(program.config), "--warehouse", str(warehouse),
                       "--out", str(program.out), "--no-send")  # fmt: skip
    after = datetime.now(ZoneInfo(zone)).date()
    assert ran.returncode == 0, ran.stderr
    assert digested.returncode == 0, digested.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (as_of,) = con.execute("select distinct as_of from compliance_worker").fetchone()
    assert as_of in {before, after}
    assert f"archived in {program.out / 'digests' / as_of.isoformat()}" in digested.stdout


def on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """A command with its stderr on a pseudo-terminal, as an operator at a terminal sees it:
    (exit code, stdout, everything written to the terminal)."""
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        stdout=subprocess.PIPE, stderr=follower, cwd=ROOT, env=os.environ | {"TERM": "xterm"},
    )  # fmt: skip
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed its end
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    out = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(timeout=120), out, shown.decode(errors="replace")


def run_args(program, *extra: str) -> list[str]:
    return ["run", "--config", str(program.config), "--statements", str(program.statements_dir),
            "--as-of", "2026-11-20", "--out", str(program.out), "--warehouse", str(program.root / "wh.duckdb"),
            *extra]  # fmt: skip


def test_a_run_at_a_terminal_shows_its_stages_and_otherwise_is_quiet(program):
    program.add("good.ndjson", [statement("a", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    code, out, shown = on_a_terminal(run_args(program))
    assert code == 0, shown
    assert "ledger:" in out
    for stage in ("check inputs", "load", "models", "gate", "publish"):
        assert f"✓ {stage}" in shown.replace("\x1b[32m✓\x1b[0m", "✓"), shown

    add_statements(program)
    code, out, shown = on_a_terminal(run_args(program, "--quiet"))
    assert (code, shown) == (0, "")
    assert "ledger:" in out

    completed = subprocess.run(  # stderr a pipe, as under cron, Airflow or a test
        [sys.executable, "-m", "pipelines.cli", *run_args(program, "--full")],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip
    assert (completed.returncode, completed.stderr) == (0, "")


def test_a_pull_at_a_terminal_shows_its_pages(program, monkeypatch):
    statements = [
        statement(f"p{n}", "ann.peer@va.example.gov", COMPLETED, MODULE, "2026-01-05T15:00:00Z")
        | {"stored": "2026-01-05T15:00:00.000000Z"}
        for n in range(5)
    ]

    def two_pages(seen):
        return page(statements[3:]) if "page=2" in seen.path else page(statements[:3], more="/xAPI/statements?page=2")

    monkeypatch.setenv("TEST_LRS_USER", "celedger")
    monkeypatch.setenv("TEST_LRS_PASSWORD", "s3cret-pw")
    leader, follower = os.openpty()
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with FakeLRS(two_pages) as lrs, open(follower, "w", closefd=True) as terminal:
        (program.config / "sources.yaml").write_text(
            "sources:\n  - name: webinars\n    kind: lrs\n"
            f"    endpoint: {lrs.endpoint}\n    username_env: TEST_LRS_USER\n    password_env: TEST_LRS_PASSWORD\n"
        )
        monkeypatch.setattr(sys, "stderr", terminal)
        code = main(["pull", "--config", str(program.config), "--landing", str(program.root / "landing")])
        monkeypatch.undo()
    reader.join(timeout=10)
    os.close(leader)
    assert code == 0
    text = shown.decode(errors="replace")
    assert "webinars: page 1, 3 statement(s)" in text or "webinars: page 2, 5 statement(s)" in text, text
