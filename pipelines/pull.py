"""`celedger pull`: bring statements from each configured source into the landing zone.

An LRS is read from its watermark with `since` (less an overlap window, so statements
stored late are not missed), through every `more` page, oldest first. Ids inside the
overlap window are remembered so the overlap lands nothing twice. Segments land every
`segment_statements` statements and when a pull fails, so a server that dies mid-pull
costs only a retry. An inbox's new files are landed whole and moved aside into `_taken/`.
One failing source does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipelines.errors import CeledgerError
from pipelines.landing import Landing, SourceState
from pipelines.lrs_client import LRSClient, Page, PullError, Transient
from pipelines.sources import Source, load_sources, lrs_credentials
from pipelines.statement_files import SUFFIXES


@dataclass
class PullResult:
    source: str
    statements: int = 0
    segments: int = 0
    watermark: str | None = None
    error: str | None = None


def pull(config_dir: Path, landing: Path, only: str | None = None) -> list[PullResult]:
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
                pull_lrs(source, Path(landing), result)
            else:
                pull_inbox(source, Path(landing), result)
        except (PullError, CeledgerError) as err:
            result.error = str(err)
        results.append(result)
    return results


def pull_lrs(
    source: Source, landing_root: Path, result: PullResult, on_page: Callable[[Page], None] | None = None
) -> PullResult:
    credentials = lrs_credentials(source)
    landing = Landing(landing_root, source.name)
    batch = Batch(landing, landing.open(), source, result)
    client = LRSClient(credentials.endpoint, credentials.username, credentials.password, source.timeout_seconds)
    attempts = Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop_after_attempt(source.retries + 1),
        wait=wait_exponential(multiplier=0.2, max=5),
        reraise=True,
    )
    params = {"limit": str(source.page_size), "ascending": "true", "format": "exact"}
    if batch.since:
        params["since"] = batch.since
    try:
        page = attempts(client.first_page, params)
        batch.bound = parse_instant(page.consistent_through)
        while True:
            batch.add(page.statements)
            if on_page is not None:
                on_page(page)
            if len(batch.pending) >= source.segment_statements:
                batch.land(complete=False)
            if not page.more:
                break
            page = attempts(client.next_page, page.more)
    except PullError as err:
        batch.land(complete=False)  # keep what arrived; the next pull goes on from there
        raise PullError(f"source {source.name}: {err} (kept {result.statements} statements)") from None
    finally:
        client.close()
    batch.land(complete=True)
    return result


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
        self.pending: list[dict] = []
        self.seen = set(state.recent)
        self.bound: datetime | None = None  # X-Experience-API-Consistent-Through, when the LRS sends it
        watermark = parse_instant(state.watermark)
        self.since = instant_text(watermark - self.overlap) if watermark else None
        result.watermark = state.watermark

    def add(self, statements: list[dict]) -> None:
        for statement in statements:
            key = statement.get("id") if isinstance(statement, dict) else None
            if key is not None:
                if key in self.seen:
                    continue
                self.seen.add(key)
            self.pending.append(statement)

    def land(self, complete: bool) -> None:
        if not self.pending:
            return
        instants = {id(s): statement_instant(s, self.field) for s in self.pending}
        known = [i for i in instants.values() if i is not None]
        previous = parse_instant(self.state.watermark)
        newest = max(known + ([previous] if previous else []), default=None)
        watermark = min(newest, self.bound) if newest and self.bound else newest
        if not complete and self.bound is None:
            watermark = previous
        floor = watermark - self.overlap if watermark else None
        recent = {k: v for k, v in self.state.recent.items() if floor is None or parse_instant(v) >= floor}
        for statement in self.pending:
            instant = instants[id(statement)]
            key = statement.get("id") if isinstance(statement, dict) else None
            if key is not None and instant is not None and (floor is None or instant >= floor):
                recent[key] = instant_text(instant)
        body = "".join(json.dumps(s, separators=(",", ":"), ensure_ascii=False) + "\n" for s in self.pending)
        entry = {
            "statements": len(self.pending),
            "first": instant_text(min(known)) if known else None,
            "last": instant_text(max(known)) if known else None,
            "since": self.since,
            "consistent_through": instant_text(self.bound) if self.bound else None,
            "watermark": instant_text(watermark) if watermark else None,
            "pulled_at": instant_text(datetime.now(UTC)),
        }
        self.state = self.landing.land(self.state, body.encode(), entry, entry["watermark"], recent)
        self.result.statements += len(self.pending)
        self.result.segments += 1
        self.result.watermark = entry["watermark"]
        self.pending = []


def pull_inbox(source: Source, landing_root: Path, result: PullResult) -> PullResult:
    if source.path is None or not source.path.is_dir():
        raise PullError(f"source {source.name}: inbox folder {source.path} does not exist")
    landing = Landing(landing_root, source.name)
    state = landing.open()
    taken = {entry["sha256"] for entry in state.manifest}
    aside = source.path / "_taken"
    for file in sorted(source.path.iterdir()):
        if not file.is_file() or file.name.startswith(("_", ".")) or not file.name.endswith(SUFFIXES):
            continue
        body = file.read_bytes()
        checksum = landing_checksum(body)
        if checksum not in taken:  # else an earlier pull landed it and stopped before moving it aside
            entry = {"original": file.name, "pulled_at": instant_text(datetime.now(UTC))}
            state = landing.land(state, body, entry, state.watermark, state.recent, suffix=file.suffix)
            taken.add(checksum)
            result.statements += body.count(b"\n") if file.suffix == ".ndjson" else 0
            result.segments += 1
        aside.mkdir(exist_ok=True)
        shutil.move(file, unused_name(aside / file.name))
    return result


def landing_checksum(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def unused_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
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
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def instant_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
