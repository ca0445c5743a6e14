import pytest

from tests.support import Program


@pytest.fixture
def program(tmp_path):
    """A small program (config + statements) in a temp folder, with a default roster and catalog."""
    return Program(tmp_path)
