"""A throwaway PostgreSQL server on 127.0.0.1 for tests: Debian's postgresql package,
a fresh cluster in a temporary folder, stopped by the test that started it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.lrs_server import free_port

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class PostgresServer:
    def __init__(self):
        if not BINARIES:
            raise RuntimeError("PostgreSQL is not installed: run `bash scripts/setup-postgres.sh`")
        self.bin = BINARIES[-1]
        # a folder of its own under /tmp: the `postgres` user cannot enter pytest's root-only folders
        self.folder = Path(tempfile.mkdtemp(prefix="celedger-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0  # postgres refuses to run as root: run it as `postgres`

    def command(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            self.command(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run(
            self.command(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                         "-l", str(self.folder / "postgres.log"), "-w", "start"),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return self

    def create_database(self, name: str) -> str:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", f"create database {name}"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            self.command(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
