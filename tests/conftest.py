from datetime import date

import pytest

from pipelines.run import run
from tests.support import SAMPLE, Program


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "system: starts other programs or runs the whole pipeline end to end (Airflow, PostgreSQL, Ralph, "
        'Chromium, the command line); the fast tier is `pytest -m "not system"`',
    )


@pytest.fixture
def program(tmp_path):
    """A small program (config + statements) in a temp folder, with a default roster and catalog."""
    return Program(tmp_path)


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory):
    """The sample program run once a session, as of 2026-11-20: read it, never write it."""
    root = tmp_path_factory.mktemp("sample-run")
    run(SAMPLE / "config", [SAMPLE / "statements"], date(2026, 11, 20), root / "out", root / "warehouse.duckdb")
    return root / "warehouse.duckdb"
