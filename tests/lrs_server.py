"""A real Learning Record Store for integration tests: Ralph's `fs` backend, run as a subprocess.

Ralph (`ralph-malph`) lives in its own virtualenv, `.venv-ralph` (made by `scripts/setup-ralph.sh`),
because its extras conflict with Apache Airflow. This module only uses the standard library, so it
can be imported from `.venv` (or anywhere) without Ralph installed there:

    with RalphLRS(tmp_path / "lrs", statements) as lrs:
        client_pulls(lrs.endpoint, lrs.username, lrs.password)   # http://127.0.0.1:PORT/xAPI/
        lrs.add(more_statements)                                  # visible to the very next GET
        lrs.restart()                                             # same port, same data

What the fs backend does and does not do (paging, filters, `stored`, POST) is in
docs/RALPH_NOTES.md; the short version: it serves the statements of one JSONL file in file order,
re-reading the file on every GET, so seeding and `add()` are plain (atomic) file writes.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import http.server
import json
import os
import signal
import socket
import subprocess
import threading
import time
import traceback
import urllib.error
import urllib.request
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RALPH_VENV = REPO_ROOT / ".venv-ralph"
LRS_FILE = "fs_lrs.jsonl"  # Ralph's FSLRSBackend DEFAULT_LRS_FILE
HOST = "127.0.0.1"

_running: weakref.WeakSet[RalphLRS] = weakref.WeakSet()


class RalphNotInstalledError(RuntimeError):
    """`.venv-ralph/bin/ralph` is missing: run `bash scripts/setup-ralph.sh`."""


class RalphLRSError(RuntimeError):
    """The Ralph server could not be started, or answered unexpectedly."""


def ralph_executable(venv: Path | None = None) -> Path:
    """Return the `ralph` executable of the Ralph venv, or raise RalphNotInstalledError."""
    venv = Path(venv) if venv is not None else RALPH_VENV
    exe = venv / "bin" / "ralph"
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        raise RalphNotInstalledError(
            f"Ralph is not installed: {exe} is missing. Run `bash scripts/setup-ralph.sh` from {REPO_ROOT} "
            "(it creates .venv-ralph with the versions pinned in requirements-ralph.lock)."
        )
    return exe


def ralph_available(venv: Path | None = None) -> bool:
    """True when the Ralph venv has a `ralph` executable (for skipping tests)."""
    try:
        ralph_executable(venv)
    except RalphNotInstalledError:
        return False
    return True


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on host:port (connections in TIME_WAIT don't count, as for uvicorn)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _wait_port_free(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not _port_free(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _group_alive(pgid: int) -> bool:
    """True while a process of group `pgid` is alive (zombies, which only wait to be reaped, don't count)."""
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
            fields = stat[stat.rfind(")") + 2 :].split()
            if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RalphLRS:
    """Ralph's LRS (`ralph runserver -b fs`) on 127.0.0.1, seeded from a list of statements.

    Layout under `folder` (created if missing): `app/` is RALPH_APP_DIR (auth.json, history.json),
    `data/` is the server's working folder and fs directory (`data/fs_lrs.jsonl`, one statement a
    line), `ralph.log` is the server's output.

    `enrich=True` (the default) completes each seeded or added statement the way Ralph's own POST
    does, without overwriting what is there: `id` (uuid4), `stored` (UTC now, strictly increasing in
    file order), `timestamp` (= stored), `authority` (the user's agent). `enrich=False` stores the
    statements exactly as given (then GET returns them without `stored`/`authority`).

    `max_page_size` sets RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT, the cap on `limit` (Ralph: 100).
    """

    def __init__(
        self,
        folder: Path,
        statements: Iterable[dict] = (),
        username: str = "celedger",
        password: str = "secret",
        *,
        enrich: bool = True,
        max_page_size: int | None = None,
        port: int | None = None,
        venv: Path | None = None,
        startup_timeout: float = 60.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.folder = Path(folder).resolve()
        self.username = username
        self.password = password
        self.enrich = enrich
        self.max_page_size = max_page_size
        self.port = port
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.ralph = ralph_executable(venv)
        self.app_dir = self.folder / "app"
        self.data_dir = self.folder / "data"
        self.data_file = self.data_dir / LRS_FILE
        self.log_path = self.folder / "ralph.log"
        self.agent = {"mbox": f"mailto:{username}@example.org", "objectType": "Agent"}
        self.startup_seconds: float | None = None  # how long the last start() waited for the server
        self._initial = [dict(s) for s in statements]
        self._seeded = False
        self._credentials_written = False
        self._last_stored: datetime | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None

    # -- addresses -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        self._need_port()
        return f"http://{HOST}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The xAPI endpoint, with a trailing slash: http://127.0.0.1:PORT/xAPI/"""
        return f"{self.base_url}/xAPI/"

    @property
    def statements_url(self) -> str:
        return f"{self.base_url}/xAPI/statements"

    @property
    def auth(self) -> tuple[str, str]:
        """(username, password), e.g. for `requests.get(..., auth=lrs.auth)`."""
        return (self.username, self.password)

    @property
    def auth_header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _need_port(self) -> None:
        if self.port is None:
            raise RalphLRSError("the LRS has no port yet: call start() first")

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> RalphLRS:
        """Write credentials, seed the statements (first start only), start the server, wait for it."""
        if self.running:
            return self
        self.app_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self._credentials_written:
            self._write_credentials()  # once: `ralph auth` takes ~1.5 s (bcrypt + CLI start-up)
        if not self._seeded:
            self._seed()
        fixed_port = self.port is not None
        attempts = 1 if fixed_port else 3
        for attempt in range(attempts):
            if not fixed_port:
                self.port = free_port()
            elif not _wait_port_free(self.port, self.stop_timeout):
                raise RalphLRSError(f"port {self.port} on {HOST} is in use by another process")
            try:
                self._spawn_and_wait()
                return self
            except _PortTaken:
                if attempt == attempts - 1:
                    raise RalphLRSError(f"port {self.port} is in use; see {self.log_path}") from None
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the server and every process it started; never returns with one still alive."""
        proc, self._proc = self._proc, None
        _running.discard(self)
        if proc is not None:
            pgid = proc.pid  # start_new_session=True: the server leads its own process group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            try:
                proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                proc.wait(timeout=self.stop_timeout)
            # The uvicorn worker and multiprocessing's resource tracker are in the same group.
            deadline = time.monotonic() + self.stop_timeout
            killed = False
            while _group_alive(pgid):
                if time.monotonic() > deadline:
                    if killed:
                        raise RalphLRSError(f"processes of group {pgid} survived SIGKILL for {self.stop_timeout}s")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pgid, signal.SIGKILL)
                    killed = True
                    deadline = time.monotonic() + self.stop_timeout
                time.sleep(0.05)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> RalphLRS:
        """Stop and start again on the same port, with the same data."""
        self.stop()
        return self.start()

    def __enter__(self) -> RalphLRS:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()

    # -- data ------------------------------------------------------------------------------------

    def add(self, statements: Iterable[dict]) -> list[dict]:
        """Append statements to the store and return them as stored.

        Works whether or not the server runs: Ralph re-reads fs_lrs.jsonl on every GET, so the very
        next request sees them (no reload involved). The file is replaced atomically, so a GET in
        flight sees either the old or the new content, never a half-written line.
        """
        new = self._prepare(statements)
        self._write_file(self.stored_statements() + new)
        return new

    def stored_statements(self) -> list[dict]:
        """What the store holds now (fs_lrs.jsonl), in file order, which is Ralph's GET order."""
        if not self.data_file.exists():
            return []
        with self.data_file.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def log_text(self) -> str:
        """The server's output so far (stdout and stderr)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def get(self, path_or_url: str, *, auth: bool = True, timeout: float = 30.0) -> tuple[int, dict, object]:
        """GET a path (e.g. '/xAPI/statements?limit=5' or a `more` link) -> (status, headers, JSON body)."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        request = urllib.request.Request(url)
        if auth:
            request.add_header("Authorization", self.auth_header)
        request.add_header("X-Experience-API-Version", "1.0.3")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        return status, headers, body

    # -- internals -------------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
        env["RALPH_APP_DIR"] = str(self.app_dir)
        env["RALPH_RUNSERVER_BACKEND"] = "fs"
        if self.max_page_size is not None:
            env["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = str(int(self.max_page_size))
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        return env

    def _write_credentials(self) -> None:
        # `ralph auth -w` appends and refuses a username twice: start from a fresh file each time.
        (self.app_dir / "auth.json").unlink(missing_ok=True)
        cmd = [str(self.ralph), "auth", "-u", self.username, "-p", self.password, "-s", "all"]
        cmd += ["-M", self.agent["mbox"], "-w"]
        done = subprocess.run(
            cmd,
            cwd=self.app_dir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0 or not (self.app_dir / "auth.json").exists():
            raise RalphLRSError(f"`ralph auth` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        self._credentials_written = True

    def _seed(self) -> None:
        # An empty store has no file at all: that is the one state where Ralph's POST works
        # (the fs backend only ever creates fs_lrs.jsonl, so a POST with the file present fails).
        if self._initial:
            self._write_file(self._prepare(self._initial))
        else:
            self.data_file.unlink(missing_ok=True)
        self._seeded = True
        self._initial = []

    def _prepare(self, statements: Iterable[dict]) -> list[dict]:
        known = {s.get("id") for s in self.stored_statements()}
        prepared = []
        for statement in statements:
            if not isinstance(statement, dict):
                raise TypeError(f"a statement must be a dict, not {type(statement).__name__}")
            statement = dict(statement)
            if self.enrich:
                statement.setdefault("id", str(uuid.uuid4()))
                if "stored" not in statement:
                    statement["stored"] = self._next_stored()
                statement.setdefault("timestamp", statement["stored"])
                statement.setdefault("authority", dict(self.agent))
            sid = statement.get("id")
            if not sid:
                raise ValueError("every statement needs an `id`: Ralph's `more` paging resumes after an id")
            if sid in known:
                raise ValueError(f"duplicate statement id {sid}: Ralph's `more` paging would loop or skip")
            known.add(sid)
            prepared.append(statement)
        return prepared

    def _next_stored(self) -> str:
        stamp = datetime.now(UTC)
        if self._last_stored is not None and stamp <= self._last_stored:
            stamp = self._last_stored + timedelta(microseconds=1)
        self._last_stored = stamp
        return stamp.isoformat()  # the format of Ralph's own `stored`: 2026-11-23T18:39:37.401894+00:00

    def _write_file(self, statements: list[dict]) -> None:
        # Not matched by Ralph's glob (it reads exactly `fs_lrs.jsonl`); os.replace is atomic.
        tmp = self.data_dir / f".{LRS_FILE}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            for statement in statements:
                fh.write(json.dumps(statement, ensure_ascii=False) + "\n")
        os.replace(tmp, self.data_file)

    def _spawn_and_wait(self) -> None:
        self._need_port()
        if self._log is None:
            self._log = self.log_path.open("ab")
        self._log.write(f"\n===== celedger: starting ralph on {HOST}:{self.port} =====\n".encode())
        self._log.flush()
        log_offset = self.log_path.stat().st_size
        cmd = [str(self.ralph), "runserver", "-b", "fs", "-h", HOST, "-p", str(self.port)]
        cmd += ["--fs-default-directory-path", str(self.data_dir)]
        began = time.monotonic()
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.data_dir,  # uvicorn's reloader watches the working folder (for *.py only)
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _running.add(self)
        deadline = began + self.startup_timeout
        probe = urllib.request.Request(f"{self.statements_url}?limit=1")
        probe.add_header("Authorization", self.auth_header)
        # Only a probe answered after OUR worker logged its start-up counts: another server that
        # held the port a moment ago must not pass for this one.
        ours = False
        while True:
            rc = self._proc.poll()
            if rc is not None:
                tail = self._log_since(log_offset)
                self.stop()
                if "address already in use" in tail.lower():
                    raise _PortTaken
                raise RalphLRSError(f"ralph runserver exited with code {rc}; log:\n{tail[-4000:]}")
            if not ours:
                ours = "Application startup complete" in self._log_since(log_offset)
            try:
                if not ours:
                    raise ConnectionRefusedError
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        self.startup_seconds = time.monotonic() - began
                        return
            except urllib.error.HTTPError as error:
                tail = self._log_since(log_offset)
                self.stop()
                raise RalphLRSError(
                    f"ralph answered {error.code} to the readiness probe; log:\n{tail[-4000:]}"
                ) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                tail = self._log_since(log_offset)
                self.stop()
                raise RalphLRSError(f"ralph did not answer within {self.startup_timeout:.0f}s; log:\n{tail[-4000:]}")
            time.sleep(0.05)

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(offset)
                return fh.read().decode(errors="replace")
        except OSError:
            return ""


class _PortTaken(Exception):
    pass


@atexit.register
def _stop_all() -> None:
    for lrs in list(_running):
        with contextlib.suppress(Exception):
            lrs.stop()


# -- a scripted, hostile LRS ---------------------------------------------------------------------


@dataclass
class Seen:
    """One request the fake LRS received: what an attacker would log."""

    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


@dataclass
class Reply:
    """What the fake LRS answers. `body` may be a dict (sent as JSON) or bytes.

    `close` sends `Connection: close` and closes; `drop` closes the connection without a word;
    `drip` sends the body one byte every `drip` seconds; `drip_headers` does the same with the
    status line and headers; `length=False` sends no Content-Length (the body ends at close).
    """

    body: dict | bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False
    drop: bool = False
    drip: float = 0.0
    drip_headers: float = 0.0
    length: bool = True


def page(statements: list, more=None, **reply) -> Reply:
    """An xAPI statements page; `more` is sent as given (any JSON value) when not None."""
    body = {"statements": statements} | ({} if more is None else {"more": more})
    return Reply(body, **reply)


class FakeLRS:
    """An HTTP server on 127.0.0.1 that answers each request with `answer(seen)` and logs it.

    It runs in a daemon thread and stops when the `with` block ends (or at exit), even
    while it is dripping a body. `http10=True` makes it an HTTP/1.0 server, which closes
    the connection after every answer. Two of them give an LRS and a "foreign host".
    """

    def __init__(self, answer=None, *, http10: bool = False) -> None:
        self.answer = answer or (lambda seen: page([]))
        self.requests: list[Seen] = []
        self._stopping = threading.Event()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0" if http10 else "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                fake.requests.append(seen)
                fake._send(self, fake.answer(seen))

            def log_message(self, *args) -> None:
                pass

        self.errors: list[str] = []

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                # A client that hangs up early (a refused page, a timeout) is what many tests do
                # on purpose: keep socketserver's traceback off stderr, where the tests read the
                # program's own error lines, and keep it for a test that wants to look.
                fake.errors.append(traceback.format_exc())

        self._server = Server((HOST, 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.port = self._server.server_address[1]
        # serve_forever looks for shutdown() every poll_interval: 0.5 s by default, paid by every test
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}/xAPI/"

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def with_auth(self) -> list[Seen]:
        """The requests that carried an Authorization header."""
        return [s for s in self.requests if "authorization" in s.headers]

    def _send(self, handler, reply: Reply) -> None:
        if reply.drop:
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        head = [f"{handler.protocol_version} {reply.status} Fine", "Content-Type: application/json"]
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        if reply.length:
            head.append(f"Content-Length: {len(body)}")
        if reply.close or not reply.length:
            head.append("Connection: close")
            handler.close_connection = True
        try:
            self._write(handler, ("\r\n".join(head) + "\r\n\r\n").encode(), reply.drip_headers)
            self._write(handler, body, reply.drip)
        except OSError:
            handler.close_connection = True  # the client gave up: that is the point

    def _write(self, handler, data: bytes, drip: float) -> None:
        if not drip:
            handler.wfile.write(data)
            handler.wfile.flush()
            return
        for i in range(len(data)):
            if self._stopping.wait(drip):
                raise OSError("stopping")
            handler.wfile.write(data[i : i + 1])
            handler.wfile.flush()

    def start(self) -> FakeLRS:
        self._thread.start()
        _fakes.add(self)
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        _fakes.discard(self)

    def __enter__(self) -> FakeLRS:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


_fakes: weakref.WeakSet[FakeLRS] = weakref.WeakSet()


@atexit.register
def _stop_fakes() -> None:
    for fake in list(_fakes):
        with contextlib.suppress(Exception):
            fake.stop()
