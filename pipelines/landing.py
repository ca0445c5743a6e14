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
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE = "_state"


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

    def open(self) -> SourceState:
        """The source's state, after cleaning up whatever an interrupted pull left."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        state = self.read_state()
        for partial in self.folder.glob(".*.partial"):
            partial.unlink()
        for pending in sorted(self.state_dir.glob(f"{self.source}.*.pending.json")):
            planned = SourceState(**json.loads(pending.read_text()))
            number = planned.next_segment - 1
            if number >= state.next_segment and (self.folder / planned.manifest[-1]["file"]).exists():
                state = planned  # the segment landed but the state was not written: adopt it
                self.write_state(state)
            pending.unlink()
        return state

    def read_state(self) -> SourceState:
        if not self.state_path.exists():
            return SourceState(self.source)
        return SourceState(**json.loads(self.state_path.read_text()))

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
        atomic_write(self.folder / name, body, scratch=partial)
        self.write_state(planned)
        pending.unlink()
        return planned

    def write_state(self, state: SourceState) -> None:
        atomic_write(self.state_path, json.dumps(asdict(state), indent=1).encode())


def atomic_write(path: Path, body: bytes, scratch: Path | None = None) -> None:
    """Write to a scratch file, flush it to disk, then rename it over `path`."""
    scratch = scratch or path.with_name(f".{path.name}.tmp")
    with scratch.open("wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
