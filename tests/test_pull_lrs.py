"""Pulling from a real LRS: Ralph (its fs backend) over HTTP on 127.0.0.1.

Ralph filters `since` on `timestamp`, sends no Consistent-Through header, caps pages at
100 statements and serves them in the order they were stored, so the sources here say
`since_field: timestamp`; see docs/RALPH_NOTES.md.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.lrs_client import Page
from pipelines.pull import PullResult, pull, pull_lrs
from pipelines.sources import load_sources
from tests.lrs_server import RalphLRS
from tests.support import COMPLETED, MODULE, sid

pytestmark = pytest.mark.system  # Ralph, a real LRS

ROOT = Path(__file__).resolve().parent.parent


def seeded(prefix: str, count: int, day: int = 5) -> list[dict]:
    """Completions with their own timestamps, an hour apart, in the order they happened."""
    return [
        {
            "id": sid(f"{prefix}-{n}"),
            "actor": {"objectType": "Agent", "mbox": "mailto:ann.peer@va.example.gov"},
            "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": MODULE},
            "timestamp": f"2026-01-{day:02d}T00:00:00Z".replace("T00", f"T{n % 24:02d}")[:-1] + f".{n:06d}Z"[-8:],
        }
        for n in range(count)
    ]


def configure(program, lrs: RalphLRS, monkeypatch, password: str | None = None, **extra) -> None:
    monkeypatch.setenv("TEST_LRS_USER", lrs.username)
    monkeypatch.setenv("TEST_LRS_PASSWORD", password or lrs.password)
    options = {"page_size": 100, "since_field": "timestamp", "retries": 1, "timeout_seconds": 3} | extra
    lines = "".join(f"    {k}: {v}\n" for k, v in options.items())
    (program.config / "sources.yaml").write_text(
        "sources:\n  - name: webinars\n    kind: lrs\n"
        f"    endpoint: {lrs.endpoint}\n    username_env: TEST_LRS_USER\n    password_env: TEST_LRS_PASSWORD\n" + lines
    )


def landed_ids(landing: Path) -> list[str]:
    return [json.loads(line)["id"] for seg in sorted((landing / "webinars").glob("*.ndjson")) for line in seg.open()]


@pytest.fixture
def lrs(tmp_path):
    server = RalphLRS(tmp_path / "ralph", seeded("first", 1200)).start()
    yield server
    server.stop()


def test_a_first_pull_gets_every_statement_across_the_more_pages(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch)
    pages = []
    (source,) = load_sources(program.config)
    result = pull_lrs(source, program.root / "landing", PullResult("webinars"), on_page=pages.append)
    assert result.error is None and result.statements == 1200
    assert len(pages) >= 12 and all(p.more for p in pages[:11])
    ids = landed_ids(program.root / "landing")
    assert sorted(ids) == sorted(sid(f"first-{n}") for n in range(1200))
    state = json.loads((program.root / "landing" / "_state" / "webinars.json").read_text())
    assert state["watermark"] == "2026-01-05T23:00:00.001199Z"
    assert state["manifest"][0]["statements"] == 1200


def test_statements_added_later_come_in_on_the_next_pull_and_nothing_twice(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch, overlap_seconds=86400)  # the overlap re-reads a whole day
    landing = program.root / "landing"
    assert pull(program.config, landing)[0].statements == 1200
    lrs.add(seeded("later", 30, day=6))
    (second,) = pull(program.config, landing)
    assert (second.error, second.statements) == (None, 30)
    assert pull(program.config, landing)[0].statements == 0
    ids = landed_ids(landing)
    assert len(ids) == len(set(ids)) == 1230


def test_a_server_stopped_mid_pull_then_restarted_ends_with_every_statement_once(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch, segment_statements=250)
    (source,) = load_sources(program.config)
    landing = program.root / "landing"
    seen_pages: list[Page] = []

    def stop_after_four_pages(page: Page) -> None:
        seen_pages.append(page)
        if len(seen_pages) == 4:
            lrs.stop()

    failed = PullResult("webinars")
    with pytest.raises(Exception, match="kept 400 statements"):
        pull_lrs(source, landing, failed, on_page=stop_after_four_pages)
    assert 0 < len(landed_ids(landing)) < 1200
    lrs.restart()
    (finished,) = pull(program.config, landing)
    assert finished.error is None
    ids = landed_ids(landing)
    assert sorted(ids) == sorted(sid(f"first-{n}") for n in range(1200))
    assert finished.statements == 800


def test_the_landing_zone_feeds_celedger_run(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch)
    landing = program.root / "landing"
    pull(program.config, landing)
    result = program.run(paths=[landing])
    assert result.run.records_loaded == 1200
    assert result.approved("W1", "FY2026") == 3  # 1,200 completions of one module: one credit per period


def test_wrong_credentials_give_a_one_line_error(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch, password="wrong")
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "pull", "--config", str(program.config),
         "--landing", str(program.root / "landing")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert completed.returncode == 1
    assert completed.stderr == (
        f"celedger: error: source webinars: {lrs.endpoint}statements: "
        "the LRS refused the credentials (HTTP 401) (kept 0 statements)\n"
    )


def test_an_address_that_is_no_lrs_gives_a_one_line_error(program, lrs, monkeypatch):
    configure(program, lrs, monkeypatch)
    text = (program.config / "sources.yaml").read_text().replace("/xAPI/", "/nothing-here/")
    (program.config / "sources.yaml").write_text(text)
    (result,) = pull(program.config, program.root / "landing")
    assert "not an xAPI statements resource" in result.error and "\n" not in result.error
