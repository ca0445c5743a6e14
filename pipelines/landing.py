"""The landing zone: append-only NDJSON segments per source, and each source's state
(watermark, the ids inside the overlap window, the manifest) under `_state/`.

Crash safety comes from the order of three atomic renames. A pull writes
  1. `_state/<source>.<n>.pending.json`: the state as it will be once segment n lands;
  2. `<source>/<n>.ndjson`: the segment (written as a hidden partial, then renamed);
  3. `_state/<source>.json`: the state itself, after which the pending file goes.
A crash before 2 leaves no segment: the partial and pending files are dropped and the
range is pulled again. A crash after 2 leaves a segment the state does not know: the
pending file describes it and the next pull adopts it instead of pulling it again.
So nothing is lost and nothing lands twice.

One lock per landing zone (`_state/pull.lock`, fcntl.flock) is held while a source is
pulled, so two pulls at once take turns instead of landing the same files twice or moving
each other's files away. Files are written 0640 (less with a stricter umask): statements
name people. A state file that is not what this module writes stops its source with one
line; it is never guessed at or overwritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from pipelines.errors import CeledgerError
from pipelines.files import DIR_MODE, FILE_MODE, atomic_write

STATE = "_state"
LOCK = "pull.lock"
LOCK_WAIT_SECONDS = 300.0  # how long a pull waits for another one on the same landing zone


class LandingError(CeledgerError):
    """The landing zone cannot be used for this source; one line for the operator."""


@dataclass
class SourceState:
    source: str
    watermark: str | None = None  # everything up to this instant has been pulled
    recent: dict[str, str] = field(default_factory=dict)  # id -> instant, inside the overlap window
    next_segment: int = 1
    manifest: list[dict] = field(default_factory=list)


class Landing:
    def __init__(self, root: Path, source: str):
        self.root = Path(root)
        self.source = source
        self.folder = self.root / source
        self.state_dir = self.root / STATE
        self.state_path = self.state_dir / f"{source}.json"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the landing zone's lock, waiting up to LOCK_WAIT_SECONDS for another pull."""
        self.state_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        path = self.state_dir / LOCK
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
        try:
            gives_up = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > gives_up:
                        raise LandingError(
                            f"another celedger pull holds {path} for more than {LOCK_WAIT_SECONDS:g} s; try again later"
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    def open(self) -> SourceState:
        """The source's state, after cleaning up whatever an interrupted pull left."""
        self.folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        self.state_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        state = self.read_state()
        for partial in self.folder.glob(".*.partial"):
            partial.unlink()
        for pending in sorted(self.state_dir.glob(f"{self.source}.*.pending.json")):
            planned = self.parse_state(pending)
            number = planned.next_segment - 1
            if number >= state.next_segment and (self.folder / planned.manifest[-1]["file"]).exists():
                state = planned  # the segment landed but the state was not written: adopt it
                self.write_state(state)
            pending.unlink()
        return state

    def read_state(self) -> SourceState:
        if not self.state_path.exists():
            return SourceState(self.source)
        return self.parse_state(self.state_path)

    def parse_state(self, path: Path) -> SourceState:
        """A state file as this module writes it, or a LandingError naming the file."""
        try:
            data = json.loads(path.read_bytes())
            problem = state_problem(data)
        except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
            problem = f"not JSON: {' '.join(str(err).split())[:80]}"
        if problem:
            raise LandingError(f"{path} is corrupt ({problem}); restore it, or remove it to pull everything again")
        return SourceState(**data)

    def land(
        self,
        state: SourceState,
        body: bytes,
        entry: dict,
        watermark: str | None,
        recent: dict[str, str],
        suffix: str = ".ndjson",
    ) -> SourceState:
        """Write one segment and the state that records it; returns the new state."""
        number = state.next_segment
        name = f"{number:06d}{suffix}"
        checksum = hashlib.sha256(body).hexdigest()
        entry = {"segment": number, "file": name, "bytes": len(body), "sha256": checksum} | entry
        planned = SourceState(state.source, watermark, recent, number + 1, [*state.manifest, entry])
        pending = self.state_dir / f"{self.source}.{number:06d}.pending.json"
        atomic_write(pending, json.dumps(asdict(planned), indent=1).encode())
        partial = self.folder / f".{name}.partial"
        try:
            atomic_write(self.folder / name, body, scratch=partial)
        except BaseException:
            if not (self.folder / name).exists():
                pending.unlink(missing_ok=True)  # the segment did not land: the state stays as it was
            raise
        self.write_state(planned)
        pending.unlink()
        return planned

    def write_state(self, state: SourceState) -> None:
        atomic_write(self.state_path, json.dumps(asdict(state), indent=1).encode())


def state_problem(data) -> str | None:
    """What is wrong with the parsed content of a state file, or None."""
    names = {f.name for f in fields(SourceState)}
    if not isinstance(data, dict):
        return "not an object"
    if set(data) - names or "source" not in data:
        return "unexpected or missing fields"
    types = {"source": str, "watermark": (str, type(None)), "recent": dict, "next_segment": int, "manifest": list}
    wrong = [k for k, v in data.items() if not isinstance(v, types[k]) or isinstance(v, bool)]
    if wrong:
        return f"{wrong[0]} has the wrong type"
    recent = data.get("recent", {})
    if not all(isinstance(v, str) for v in recent.values()):
        return "recent holds a value that is not an instant"
    if not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in data.get("manifest", [])):
        return "manifest holds an entry without a file"
    return None
