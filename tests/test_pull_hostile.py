"""`celedger pull` against a hostile or broken LRS: a fake LRS on 127.0.0.1 that logs what it
receives, and a second one on another port playing the foreign host.

Every failure is one line for that source, exit 1, no traceback, and the other sources
(here an inbox with one file) are still pulled.
"""

import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import lrs_client
from pipelines.cli import main
from pipelines.lrs_client import LRSClient, PullError
from tests.lrs_server import FakeLRS, Reply, page
from tests.support import COMPLETED, MODULE, sid

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-01-05T15:00:00.000000Z"


def completion(label: str, stored: str = NOW, **fields) -> dict:
    return {
        "id": sid(label),
        "actor": {"objectType": "Agent", "mbox": "mailto:ann.peer@va.example.gov"},
        "verb": {"id": COMPLETED},
        "object": {"objectType": "Activity", "id": MODULE},
        "timestamp": stored,
        "stored": stored,
    } | fields


def configure(program, endpoint: str, monkeypatch, **options) -> None:
    """A `webinars` LRS at `endpoint` and a `vendor-drop` inbox holding one file."""
    monkeypatch.setenv("TEST_LRS_USER", "celedger")
    monkeypatch.setenv("TEST_LRS_PASSWORD", "s3cret-pw")
    options = {"retries": 0, "timeout_seconds": 2} | options
    lines = "".join(f"    {k}: {v}\n" for k, v in options.items())
    (program.config / "sources.yaml").write_text(
        "sources:\n  - name: webinars\n    kind: lrs\n"
        f"    endpoint: {endpoint}\n    username_env: TEST_LRS_USER\n    password_env: TEST_LRS_PASSWORD\n"
        + lines
        + "  - name: vendor-drop\n    kind: inbox\n    path: inbox\n"
    )
    inbox = program.config / "inbox"
    inbox.mkdir(exist_ok=True)
    (inbox / "drop.ndjson").write_text(json.dumps(completion("from-the-inbox")) + "\n")


def celedger_pull(program, capsys) -> tuple[int, list[str], list[str]]:
    """Run `celedger pull` in this process: (exit code, stdout lines, stderr lines)."""
    code = main(["pull", "--config", str(program.config), "--landing", str(program.root / "landing")])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def landed(program, source: str = "webinars") -> list[dict]:
    folder = program.root / "landing" / source
    return [json.loads(line) for seg in sorted(folder.glob("*.ndjson")) for line in seg.open()]


def the_inbox_was_still_pulled(program, out: list[str]) -> bool:
    said_so = any(line.startswith("vendor-drop: 1 new statement(s)") for line in out)
    return said_so and len(landed(program, "vendor-drop")) == 1


# -- credentials go to the configured scheme, host and port only ---------------------------------

MORE_FORMS = {
    "absolute": lambda foreign, lrs: foreign.url("/xAPI/statements?page=2"),
    "scheme-relative": lambda foreign, lrs: f"//127.0.0.1:{foreign.port}/xAPI/statements?page=2",
    "with a password": lambda foreign, lrs: f"http://ann:hunter2@127.0.0.1:{foreign.port}/xAPI/statements",
    "another host name": lambda foreign, lrs: f"http://localhost:{lrs.port}/xAPI/statements?page=2",
    "https instead of http": lambda foreign, lrs: f"https://127.0.0.1:{lrs.port}/xAPI/statements?page=2",
}
CONNECTIONS = ["keep-alive", "Connection: close", "HTTP/1.0", "dropped, then retried"]


@pytest.mark.parametrize("connection", CONNECTIONS)
@pytest.mark.parametrize("form", MORE_FORMS)
def test_a_more_link_elsewhere_is_refused_and_no_foreign_host_hears_the_password(
    program, monkeypatch, capsys, form, connection
):
    with FakeLRS() as foreign, FakeLRS(http10=connection == "HTTP/1.0") as lrs:
        more = MORE_FORMS[form](foreign, lrs)

        def answer(seen):
            if seen.path.startswith("/xAPI/statements?limit="):
                return page([completion("first")], more=more, close=connection == "Connection: close")
            return Reply(drop=True) if connection.startswith("dropped") else page([completion("second")])

        lrs.answer = answer
        configure(program, lrs.endpoint, monkeypatch, retries=2 if connection.startswith("dropped") else 0)
        code, out, err = celedger_pull(program, capsys)

    assert foreign.requests == []
    assert [s.path for s in lrs.requests if not s.path.startswith("/xAPI/statements?limit=")] == []
    assert code == 1 and len(err) == 1
    assert err[0].startswith("celedger: error: source webinars: refused to follow a `more` link to ")
    assert "hunter2" not in err[0] and "s3cret" not in err[0]
    assert [s["id"] for s in landed(program)] == [sid("first")]
    assert the_inbox_was_still_pulled(program, out)


def test_an_https_endpoint_is_never_led_to_http(monkeypatch):
    with FakeLRS() as plain:
        client = LRSClient(f"https://127.0.0.1:{plain.port}/xAPI/", "celedger", "s3cret-pw", timeout=2)
        with pytest.raises(PullError, match="refused to follow a `more` link to http://127.0.0.1"):
            client.next_page(f"http://127.0.0.1:{plain.port}/xAPI/statements?page=2")
    assert plain.requests == []


def test_the_password_in_an_endpoint_url_is_never_printed(program, monkeypatch, capsys):
    configure(program, "http://ann:hunter2@127.0.0.1:9/xAPI/", monkeypatch)
    code, out, err = celedger_pull(program, capsys)
    assert code != 0 and len(err) == 1
    assert "hunter2" not in "\n".join(out + err)
    assert "endpoint must not carry a user name or password" in err[0]


# -- the watermark -------------------------------------------------------------------------------


def test_a_statement_stored_in_year_9999_does_not_hide_the_statements_stored_after_it(program, monkeypatch, capsys):
    store = [completion("normal"), completion("from-the-future", stored="9999-12-31T23:59:59.999999Z")]

    def since_filter(seen):  # a real LRS: stored after `since`, oldest first
        since = seen.path.split("since=")[1].split("&")[0].replace("%3A", ":") if "since=" in seen.path else ""
        return page(sorted((s for s in store if s["stored"] > since), key=lambda s: s["stored"]))

    with FakeLRS(since_filter) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        assert celedger_pull(program, capsys)[0] == 0
        state = json.loads((program.root / "landing" / "_state" / "webinars.json").read_text())
        assert state["watermark"] < "2100"
        store.append(completion("after", stored=time.strftime("%Y-%m-%dT%H:%M:%S.999999Z", time.gmtime())))
        assert celedger_pull(program, capsys)[0] == 0
    ids = [s["id"] for s in landed(program)]
    assert sorted(ids) == sorted([sid("normal"), sid("from-the-future"), sid("after")])


def test_a_watermark_poisoned_before_this_fix_is_pulled_back_to_the_time_of_the_pull(program, monkeypatch, capsys):
    with FakeLRS(lambda seen: page([completion("normal")])) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        (program.root / "landing" / "_state").mkdir(parents=True)
        poisoned = {"source": "webinars", "watermark": "9999-12-31T23:59:59.999999Z"}
        (program.root / "landing" / "_state" / "webinars.json").write_text(json.dumps(poisoned))
        assert celedger_pull(program, capsys)[0] == 0
    since = lrs.requests[0].path.split("since=")[1].split("&")[0].replace("%3A", ":")
    assert since < time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    assert [s["id"] for s in landed(program)] == [sid("normal")]


def test_the_watermark_does_not_pass_consistent_through(program, monkeypatch, capsys):
    late = completion("late", stored="2030-01-01T00:00:00.000000Z")
    headers = {"X-Experience-API-Consistent-Through": NOW}
    with FakeLRS(lambda seen: page([late], headers=headers)) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        assert celedger_pull(program, capsys)[0] == 0
    state = json.loads((program.root / "landing" / "_state" / "webinars.json").read_text())
    assert state["watermark"] == NOW


# -- malformed pages stop only their source ------------------------------------------------------

MALFORMED = {
    "nested 100,000 deep": (b'{"statements": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "not xAPI JSON"),
    "more is a number": ({"statements": [], "more": 42}, "`more` is not a URL"),
    "more is an object": ({"statements": [], "more": {"href": "/xAPI/statements"}}, "`more` is not a URL"),
    "more is no URL": ({"statements": [], "more": "http://[::1/xAPI"}, "`more` is not a URL"),
    "more holds a newline": ({"statements": [], "more": "/xAPI/statements?a=1\r\nX-Evil: 1"}, "`more` is not a URL"),
    "statements is a string": ({"statements": "none"}, "no statements list"),
    "the page is a list": (b"[]", "no statements list"),
    "invalid UTF-8": (b'{"statements": ["\xff"]}', "not xAPI JSON"),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_page_is_one_line_for_its_source_and_the_others_are_pulled(program, monkeypatch, capsys, kind):
    body, message = MALFORMED[kind]
    with FakeLRS(lambda seen: Reply(body)) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1
    assert err[0].startswith("celedger: error: source webinars: ") and message in err[0]
    assert the_inbox_was_still_pulled(program, out)


@pytest.mark.parametrize("odd_id", [["a", "list"], {"a": "dict"}, 42, None])
def test_a_statement_whose_id_is_no_string_lands_once_for_run_to_quarantine(program, monkeypatch, capsys, odd_id):
    odd = completion("odd") | {"id": odd_id}
    with FakeLRS(lambda seen: page([odd, completion("fine")])) as lrs:
        configure(program, lrs.endpoint, monkeypatch, overlap_seconds=86400)
        assert celedger_pull(program, capsys)[0] == 0
        assert celedger_pull(program, capsys)[0] == 0
    assert [s["id"] for s in landed(program)] == [odd_id, sid("fine")]


def test_statements_without_an_id_do_not_land_again_on_every_pull(program, monkeypatch, capsys):
    two = [completion("one"), completion("two", stored="2026-01-05T16:00:00.000000Z")]
    anonymous = [{k: v for k, v in s.items() if k != "id"} for s in two]
    with FakeLRS(lambda seen: page(anonymous)) as lrs:
        configure(program, lrs.endpoint, monkeypatch, overlap_seconds=86400)
        for _ in range(3):
            assert celedger_pull(program, capsys)[0] == 0
    assert landed(program) == anonymous


def test_a_more_link_to_itself_or_round_a_cycle_stops_with_one_line(program, monkeypatch, capsys):
    def cycle(seen):
        if seen.path.startswith("/xAPI/statements?limit="):
            return page([completion("first")], more="/xAPI/statements?page=a")
        after_a = "=a" in seen.path
        return page([completion("second")], more="/xAPI/statements?page=" + ("b" if after_a else "a"))

    with FakeLRS(cycle) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1 and "sent the same `more` link twice" in err[0]
    assert len(lrs.requests) == 3
    assert sorted(s["id"] for s in landed(program)) == sorted([sid("first"), sid("second")])
    assert the_inbox_was_still_pulled(program, out)


def test_an_endless_chain_of_more_links_stops_at_max_pages(program, monkeypatch, capsys):
    def endless(seen):
        n = len(lrs.requests)
        return page([completion(f"page-{n}")], more=f"/xAPI/statements?page={n + 1}")

    with FakeLRS(endless) as lrs:
        configure(program, lrs.endpoint, monkeypatch, max_pages=5)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1 and "stopped after 5 pages" in err[0]
    assert len(lrs.requests) == 5 and len(landed(program)) == 5


# -- time and size ----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["body", "headers"])
def test_an_answer_dripped_a_byte_at_a_time_ends_at_the_timeout(program, monkeypatch, capsys, where):
    slow = {"drip": 0.4} if where == "body" else {"drip_headers": 0.4}
    with FakeLRS(lambda seen: page([completion("slow")], **slow)) as lrs:
        configure(program, lrs.endpoint, monkeypatch, timeout_seconds=1)
        began = time.monotonic()
        code, out, err = celedger_pull(program, capsys)
        took = time.monotonic() - began
    assert took < 4
    assert code == 1 and len(err) == 1 and "no complete answer within 1 s" in err[0]
    assert the_inbox_was_still_pulled(program, out)


@pytest.mark.parametrize("length", [True, False], ids=["with Content-Length", "until the connection closes"])
def test_a_page_larger_than_max_page_bytes_is_refused(program, monkeypatch, capsys, length):
    big = [completion(f"big-{n}") for n in range(100)]  # about 30 kB
    with FakeLRS(lambda seen: page(big, length=length)) as lrs:
        configure(program, lrs.endpoint, monkeypatch, max_page_bytes=10000)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1 and "larger than 10000 bytes" in err[0]
    assert landed(program) == []
    assert the_inbox_was_still_pulled(program, out)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(program, monkeypatch, capsys, status):
    def busy_once(seen):
        if len(lrs.requests) == 1:
            return Reply({"error": "busy"}, status=status, headers={"Retry-After": "1"})
        return page([completion("patient")])

    with FakeLRS(busy_once) as lrs:
        configure(program, lrs.endpoint, monkeypatch, retries=1)
        assert celedger_pull(program, capsys)[0] == 0
    assert lrs.requests[1].at - lrs.requests[0].at >= 0.95
    assert [s["id"] for s in landed(program)] == [sid("patient")]


def test_a_retry_after_of_an_hour_is_capped(program, monkeypatch, capsys):
    monkeypatch.setattr(lrs_client, "RETRY_AFTER_CAP", 1.0)
    answers = iter([Reply(status=503, headers={"Retry-After": "3600"})])
    with FakeLRS(lambda seen: next(answers, page([completion("patient")]))) as lrs:
        configure(program, lrs.endpoint, monkeypatch, retries=1)
        began = time.monotonic()
        assert celedger_pull(program, capsys)[0] == 0
    assert time.monotonic() - began < 5


# -- the landing zone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [b"{not json", b"[]", b'{"source": "webinars", "extra": 1}', b'{"source": "webinars", "recent": [1]}', b"\xff"],
    ids=["not JSON", "a list", "an unknown field", "recent is a list", "not UTF-8"],
)
def test_a_corrupt_state_file_stops_only_its_source(program, monkeypatch, capsys, state):
    with FakeLRS(lambda seen: page([completion("a")])) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        (program.root / "landing" / "_state").mkdir(parents=True)
        (program.root / "landing" / "_state" / "webinars.json").write_bytes(state)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1
    assert "_state/webinars.json is corrupt" in err[0]
    assert (program.root / "landing" / "_state" / "webinars.json").read_bytes() == state
    assert the_inbox_was_still_pulled(program, out)


@pytest.fixture
def small_disk(program):
    """A 64 kB tmpfs mounted as the webinars source's landing folder (where the machine allows it)."""
    folder = program.root / "landing" / "webinars"
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_stops_only_the_source_that_fills_it(program, monkeypatch, capsys, small_disk):
    many = [completion(f"many-{n}", note="x" * 1000) for n in range(100)]  # about 130 kB
    with FakeLRS(lambda seen: page(many)) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 1
    assert err[0].startswith("celedger: error: source webinars: ") and "No space left on device" in err[0]
    assert list(small_disk.iterdir()) == []
    assert not (program.root / "landing" / "_state" / "webinars.json").exists()
    assert the_inbox_was_still_pulled(program, out)


@pytest.mark.system  # two celedger processes
def test_two_pulls_at_once_on_one_landing_zone_take_turns(program):
    (program.config / "sources.yaml").write_text("sources:\n  - name: vendor-drop\n    kind: inbox\n    path: inbox\n")
    inbox = program.config / "inbox"
    inbox.mkdir()
    for n in range(300):
        (inbox / f"{n:03d}.ndjson").write_text(json.dumps(completion(f"file-{n}")) + "\n")
    command = [sys.executable, "-m", "pipelines.cli", "pull", "--config", str(program.config),
               "--landing", str(program.root / "landing")]  # fmt: skip
    both = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    finished = [(p.wait(timeout=120), p.stderr.read().decode()) for p in both]
    assert finished == [(0, ""), (0, "")]
    ids = [s["id"] for s in landed(program, "vendor-drop")]
    assert len(ids) == len(set(ids)) == 300


def test_a_pull_waits_for_the_landing_zone_lock(program, monkeypatch, capsys):
    monkeypatch.setattr("pipelines.landing.LOCK_WAIT_SECONDS", 0.5)
    with FakeLRS(lambda seen: page([completion("a")])) as lrs:
        configure(program, lrs.endpoint, monkeypatch)
        (program.root / "landing" / "_state").mkdir(parents=True)
        with open(program.root / "landing" / "_state" / "pull.lock", "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            code, out, err = celedger_pull(program, capsys)
    assert code == 1 and len(err) == 2
    assert all("another celedger pull holds" in line for line in err)
    assert lrs.requests == []
