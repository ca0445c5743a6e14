"""`celedger pull`: bring statements from each configured source into the landing zone.

An LRS is read from its watermark with `since` (less an overlap window, so statements
stored late are not missed), through every `more` page, oldest first. Statements inside
the overlap window are remembered by id (by a hash of their content when they have no
usable id), so the overlap lands nothing twice. Segments land every `segment_statements`
statements and when a pull fails, so a server that dies mid-pull costs only a retry. An
inbox's new files are landed whole and moved aside into `_taken/`; what is not a regular
JSON or NDJSON file goes to `_rejected/`.

Each source is pulled under the landing zone's lock, and whatever goes wrong with one
source (the LRS, its pages, its state file, a full disk) is one line in its result: the
other sources are still pulled.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipelines.errors import CeledgerError
from pipelines.files import DIR_MODE
from pipelines.landing import Landing, SourceState
from pipelines.lrs_client import LRSClient, Page, PullError, Transient, one_line, redact
from pipelines.sources import Source, load_sources, lrs_credentials
from pipelines.statement_files import SUFFIXES


@dataclass
class PullResult:
    source: str
    statements: int = 0
    segments: int = 0
    watermark: str | None = None
    error: str | None = None


def pull(
    config_dir: Path, landing: Path, only: str | None = None, on_page: Callable[[str, Page], None] | None = None
) -> list[PullResult]:
    """Every source (or `only` that one); `on_page(source name, page)` after each LRS page."""
    sources = load_sources(config_dir)
    if only is not None:
        sources = [s for s in sources if s.name == only]
        if not sources:
            raise CeledgerError(f"{Path(config_dir) / 'sources.yaml'}: no source named {only!r}")
    results = []
    for source in sources:
        result = PullResult(source.name)
        try:
            if source.kind == "lrs":
                pull_lrs(source, Path(landing), result, partial(on_page, source.name) if on_page else None)
            else:
                pull_inbox(source, Path(landing), result)
        except Exception as err:  # noqa: BLE001 (one source's failure, whatever it is, is that source's)
            result.error = failure_line(source.name, err)
        results.append(result)
    return results


def failure_line(name: str, err: Exception) -> str:
    """One line for a failed source, with no password in it."""
    if isinstance(err, PullError | CeledgerError):
        text = str(err)
    elif isinstance(err, OSError):
        text = f"{err.strerror or type(err).__name__}" + (f": {err.filename}" if err.filename else "")
    else:
        text = f"unexpected {type(err).__name__}: {err}"
    text = redact(one_line(text))
    return text if text.startswith(f"source {name}: ") else f"source {name}: {text}"


def pull_lrs(
    source: Source, landing_root: Path, result: PullResult, on_page: Callable[[Page], None] | None = None
) -> PullResult:
    credentials = lrs_credentials(source)
    landing = Landing(landing_root, source.name)
    client = LRSClient(
        credentials.endpoint, credentials.username, credentials.password, source.timeout_seconds, source.max_page_bytes
    )
    with landing.locked():
        batch = Batch(landing, landing.open(), source, result)
        try:
            read_pages(client, source, batch, on_page)
        except PullError as err:
            batch.land(complete=False)  # keep what arrived; the next pull goes on from there
            raise PullError(f"source {source.name}: {err} (kept {result.statements} statements)") from None
        finally:
            client.close()
        batch.land(complete=True)
    return result


def read_pages(client: LRSClient, source: Source, batch: Batch, on_page: Callable[[Page], None] | None) -> None:
    """Every page from `since` on, into the batch; a `more` seen twice or more than
    `max_pages` pages end the pull with an error instead of going on for ever."""
    attempts = Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop_after_attempt(source.retries + 1),
        wait=wait_for_server,
        reraise=True,
    )
    params = {"limit": str(source.page_size), "ascending": "true", "format": "exact"}
    if batch.since:
        params["since"] = batch.since
    page = attempts(client.first_page, params)
    batch.bound = parse_instant(page.consistent_through)
    followed, pages = set(), 1
    while True:
        batch.add(page.statements)
        if on_page is not None:
            on_page(page)
        if len(batch.pending) >= source.segment_statements:
            batch.land(complete=False)
        if not page.more:
            return
        url = client.resolve(page.more)  # refused unless it stays on the endpoint's origin
        if url in followed:
            raise PullError(f"the LRS sent the same `more` link twice ({client.describe(url)}): its pages loop")
        if pages >= source.max_pages:
            raise PullError(f"stopped after {pages} pages (max_pages); the next pull goes on")
        followed.add(url)
        page = attempts(client.page, url)
        pages += 1


_backoff = wait_exponential(multiplier=0.2, max=5)


def wait_for_server(retry_state) -> float:
    """The server's Retry-After when it sent one (capped by the client), else a backoff."""
    hint = getattr(retry_state.outcome.exception(), "retry_after", None)
    return hint if hint is not None else _backoff(retry_state)


class Batch:
    """Statements pulled but not yet landed, and the watermark they justify.

    The watermark moves only as far as is safe. At the end of a pull everything the LRS
    held has been read, up to its Consistent-Through instant when it sends one. In the
    middle of a pull only an LRS that sends Consistent-Through is trusted to have
    returned a prefix in `stored` order (as the spec says it must); otherwise the
    watermark stays and the ids read so far are remembered instead, so the next pull
    reads the range again and lands none of them twice.
    """

    def __init__(self, landing: Landing, state: SourceState, source: Source, result: PullResult):
        self.landing = landing
        self.state = state
        self.overlap = timedelta(seconds=source.overlap_seconds)
        self.field = source.since_field
        self.result = result
        self.pending: list = []
        self.seen = set(state.recent)
        self.bound: datetime | None = None  # X-Experience-API-Consistent-Through, when the LRS sends it
        # No watermark passes the time of the pull: a statement `stored` in year 9999 must not
        # make every later pull ask for nothing (a watermark already past it is pulled back).
        self.started = datetime.now(UTC)
        watermark = self.capped(parse_instant(state.watermark))
        self.since = instant_text(earlier(watermark, self.overlap)) if watermark else None
        result.watermark = state.watermark

    def capped(self, instant: datetime | None) -> datetime | None:
        """An instant no later than the start of the pull nor than Consistent-Through."""
        if instant is None:
            return None
        return min(instant, self.started, *([self.bound] if self.bound else []))

    def add(self, statements: list) -> None:
        for statement in statements:
            key = statement_key(statement)
            if key not in self.seen:
                self.seen.add(key)
                self.pending.append(statement)

    def land(self, complete: bool) -> None:
        if not self.pending:
            return
        instants = [statement_instant(s, self.field) for s in self.pending]
        known = [i for i in instants if i is not None]
        previous = parse_instant(self.state.watermark)
        watermark = self.capped(max(known + ([previous] if previous else []), default=None))
        if not complete and self.bound is None:
            watermark = self.capped(previous)
        floor = earlier(watermark, self.overlap) if watermark else None
        recent = {k: v for k, v in self.state.recent.items() if still_recent(v, floor)}
        for statement, instant in zip(self.pending, instants, strict=True):
            instant = instant or watermark  # no instant: remembered as long as the overlap holds the watermark
            if instant is not None and (floor is None or instant >= floor):
                recent[statement_key(statement)] = instant_text(instant)
        body = b"".join(ndjson_line(s) for s in self.pending)
        entry = {
            "statements": len(self.pending),
            "first": instant_text(min(known)) if known else None,
            "last": instant_text(max(known)) if known else None,
            "since": self.since,
            "consistent_through": instant_text(self.bound) if self.bound else None,
            "watermark": instant_text(watermark) if watermark else None,
            "pulled_at": instant_text(datetime.now(UTC)),
        }
        self.state = self.landing.land(self.state, body, entry, entry["watermark"], recent)
        self.result.statements += len(self.pending)
        self.result.segments += 1
        self.result.watermark = entry["watermark"]
        self.pending = []


def statement_key(statement) -> str:
    """What identifies a statement in the overlap window: its id when that is a string,
    else a hash of its content (an id-less statement read again is the same statement)."""
    key = statement.get("id") if isinstance(statement, dict) else None
    if isinstance(key, str) and key:
        return key
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def ndjson_line(statement) -> bytes:
    """One landing line, UTF-8; a lone surrogate (valid JSON, not UTF-8) stays escaped."""
    text = json.dumps(statement, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode() + b"\n"
    except UnicodeEncodeError:
        return json.dumps(statement, separators=(",", ":")).encode() + b"\n"


def still_recent(text: str, floor: datetime | None) -> bool:
    instant = parse_instant(text)
    return floor is None or (instant is not None and instant >= floor)


def pull_inbox(source: Source, landing_root: Path, result: PullResult) -> PullResult:
    if source.path is None or not source.path.is_dir():
        raise PullError(f"source {source.name}: inbox folder {source.path} does not exist")
    landing = Landing(landing_root, source.name)
    refused = []
    with landing.locked():
        state = landing.open()
        taken = {entry["sha256"] for entry in state.manifest}
        for name in sorted(os.listdir(source.path)):
            if name.startswith(("_", ".")) or not name.endswith(SUFFIXES):
                continue
            file = source.path / name
            body, problem = read_inbox_file(file)
            if problem is not None:
                refused.append(f"{name} ({problem})")
                move_aside(file, source.path / "_rejected")
                continue
            checksum = landing_checksum(body)
            if checksum not in taken:  # else an earlier pull landed it and stopped before moving it aside
                entry = {"original": name, "pulled_at": instant_text(datetime.now(UTC))}
                state = landing.land(state, body, entry, state.watermark, state.recent, suffix=file.suffix)
                taken.add(checksum)
                result.statements += body.count(b"\n") if file.suffix == ".ndjson" else 0
                result.segments += 1
            move_aside(file, source.path / "_taken")
    if refused:
        where, listed = source.path / "_rejected", "; ".join(refused)
        raise PullError(f"source {source.name}: refused {len(refused)} file(s), moved to {where}/: {listed}")
    return result


def read_inbox_file(path: Path) -> tuple[bytes | None, str | None]:
    """(content, None) for a regular file that `celedger run` can read, else (None, why not).

    Links are never followed (lstat, then O_NOFOLLOW, and the opened file must be the one
    looked at), a FIFO cannot block (O_NONBLOCK), and a file that is not UTF-8, or a
    `.json` file that does not parse to an array or object, is refused here so that it
    cannot stop every later run. Broken lines of an NDJSON file are left for `run` to
    quarantine, one by one.
    """
    looked = os.lstat(path)
    if stat.S_ISLNK(looked.st_mode):
        return None, "a symbolic link"
    if not stat.S_ISREG(looked.st_mode):
        return None, "not a regular file"
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None, "a symbolic link"
        raise
    with open(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if (opened.st_dev, opened.st_ino) != (looked.st_dev, looked.st_ino) or not stat.S_ISREG(opened.st_mode):
            return None, "replaced while it was read"
        body = handle.read()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 at byte {err.start}"
    if path.suffix == ".json":
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as err:
            return None, f"not JSON: {one_line(str(err))[:80]}"
        if not isinstance(document, list | dict):
            return None, "JSON, but not an array or object of statements"
    return body, None


def move_aside(file: Path, folder: Path) -> None:
    """Move an inbox file (or link, never its target) into `_taken/` or `_rejected/`."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PullError(f"{folder} is not a folder of the inbox")
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    os.rename(file, unused_name(folder / file.name))


def landing_checksum(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def unused_name(path: Path) -> Path:
    candidate, n = path, 1
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        n += 1
    return candidate


def statement_instant(statement: dict, field: str = "stored") -> datetime | None:
    """The instant the LRS filters `since` on, falling back to the other one."""
    if not isinstance(statement, dict):
        return None
    other = "timestamp" if field == "stored" else "stored"
    return parse_instant(statement.get(field)) or parse_instant(statement.get(other))


def parse_instant(text: str | None) -> datetime | None:
    """An aware UTC datetime, or None for anything that is not an instant Python can hold."""
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def earlier(instant: datetime, delta: timedelta) -> datetime:
    """`instant - delta`, or the earliest instant there is (year 1 minus an overlap)."""
    try:
        return instant - delta
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


def instant_text(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a four-digit year (strftime drops the zeros)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
