"""Writing a file whole or not at all: the one atomic write the landing zone, the digest
archive and the embedded deployment's seeding share."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o640  # statements name people: not for every account on the machine
DIR_MODE = 0o750


def atomic_write(path: Path, body: bytes, scratch: Path | None = None, mode: int = FILE_MODE) -> None:
    """Write to a scratch file, flush it to disk, then rename it over `path`. A scratch
    file that could not be written whole (a full disk) is removed. The default scratch is a
    dot file beside `path`, which every reader of a folder here skips (the inbox, the
    statement walker, Ralph's file store). `mode` applies to a file that is new."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    scratch = scratch or path.with_name(f".{path.name}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        with open(os.open(scratch, flags, mode), "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    os.replace(scratch, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
