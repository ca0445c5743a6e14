"""The committed sample program is exactly what its generator writes."""

import filecmp
import runpy
from pathlib import Path

import pytest

pytestmark = pytest.mark.system  # the sample generator, whole

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
write_sample = runpy.run_path(str(SAMPLE / "generate.py"))["write_sample"]  # a script, not a module of the package


def test_the_generator_reproduces_the_committed_sample(tmp_path):
    write_sample(tmp_path)
    for folder in ("config", "statements", "statements/course-forum"):
        comparison = filecmp.dircmp(tmp_path / folder, SAMPLE / folder)
        assert comparison.left_only == comparison.right_only == []
        _, mismatch, errors = filecmp.cmpfiles(
            tmp_path / folder, SAMPLE / folder, [p.name for p in (tmp_path / folder).iterdir() if p.is_file()],
            shallow=False,
        )  # fmt: skip
        assert mismatch == errors == []
