"""Find statement files and tell their form apart before any of them is loaded.

A path is a file or a folder; in folders, files ending in .json or .ndjson are taken
and names starting with `_` or `.` are skipped (landing-zone state, editor files).
Sniffing reads only a file's first bytes, so a file that is plainly not JSON stops
the run before the warehouse is touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from pipelines.errors import CeledgerError

SUFFIXES = (".json", ".ndjson")


@dataclass(frozen=True)
class StatementFile:
    path: Path
    source: str  # the sub-folder (or file stem) it came from: a landing source or a vendor drop
    form: str  # array, objects (one or more objects, NDJSON or pretty), or empty
    size_bytes: int
    mtime_ns: int


def discover(paths: list[Path]) -> list[StatementFile]:
    found: dict[Path, StatementFile] = {}
    for given in paths:
        given = Path(given)
        if given.is_dir():
            candidates = [(p, source_of(given, p)) for p in walk(given)]
        elif given.exists():
            candidates = [(given, given.stem)]  # sniff refuses what is not a regular file
        else:
            raise CeledgerError(f"{given}: no such statement file or folder")
        for path, source in candidates:
            resolved = path.resolve()
            if resolved not in found:
                found[resolved] = sniff(resolved, source)
    # the order given, a folder's files in name order: between copies of a statement with
    # equal or missing `stored`, the one read first stands (rule 2)
    return list(found.values())


def walk(folder: Path) -> list[Path]:
    """A folder's statement files in name order, sub-folders' files among them by their path."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        files += [Path(root) / n for n in names if n.endswith(SUFFIXES) and not n.startswith(("_", "."))]
    return sorted(files, key=lambda path: path.relative_to(folder).parts)


def source_of(folder: Path, path: Path) -> str:
    relative = path.relative_to(folder)
    return relative.parts[0] if len(relative.parts) > 1 else path.stem


def sniff(path: Path, source: str) -> StatementFile:
    """A statement file's form, from its first bytes.

    Only regular files are statement files: a FIFO, socket or device would block the run
    for ever or never end, so one in a statements folder stops the run with one line. It
    is opened without blocking and checked on the open file, so a swap in between is
    caught too.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                raise CeledgerError(f"{path}: not a regular file (a FIFO, socket or device), not read")
            head = handle.read(4096)
    except OSError as err:
        raise CeledgerError(f"{path}: cannot read statement file ({err.strerror})") from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        form = "empty"
    elif text[:1] == b"[":
        form = "array"
    elif text[:1] == b"{":
        form = "objects"
    else:
        shown = text[:20].decode("utf-8", "replace").split("\n")[0]
        raise CeledgerError(f"{path}: not a JSON statement file (starts with {shown!r})")
    return StatementFile(path, source, form, stat.st_size, stat.st_mtime_ns)
