"""Every data file ships in the wheel: pyproject.toml's package data covers each data folder
and each kind of file in it, so a new folder or extension cannot be left out silently.
(scripts/check-wheel.sh builds the wheel and checks the same against its contents.)"""

import tomllib
from pathlib import Path

import pytest

from pipelines import resources

REPO = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def data_files(folder: Path, *, skip_code: bool = False) -> set[Path]:
    files = {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    return {p for p in files if p.suffix != ".py"} if skip_code else files


def declared(package: str, folder: Path) -> set[Path]:
    """The files setuptools ships as package data of package (its patterns, globbed as setuptools does)."""
    return {p for pattern in SETUPTOOLS["package-data"].get(package, []) for p in folder.glob(pattern) if p.is_file()}


@pytest.mark.parametrize("folder", resources.FOLDERS)
def test_every_file_in_a_data_folder_is_package_data(folder):
    package = f"pipelines._data.{folder}"
    assert package in SETUPTOOLS["packages"]
    assert SETUPTOOLS["package-dir"].get(package) == folder
    files = data_files(REPO / folder)
    assert files, f"{folder}/ is empty"
    missing = sorted(str(p.relative_to(REPO)) for p in files - declared(package, REPO / folder))
    assert not missing, f"not in pyproject.toml's package data for {package}: {missing}"


def test_every_data_folder_is_one_resources_knows():
    mapped = {package.removeprefix("pipelines._data.") for package in SETUPTOOLS["package-dir"]}
    assert mapped == set(resources.FOLDERS)


def test_every_non_python_file_in_the_package_is_package_data():
    package = REPO / "pipelines"
    missing = sorted(
        str(p.relative_to(REPO)) for p in data_files(package, skip_code=True) - declared("pipelines", package)
    )
    assert not missing, f"not in pyproject.toml's package data for pipelines: {missing}"


def test_a_checkout_reads_the_folders_beside_pipelines():
    assert resources.ROOT == REPO
    for path in (resources.WAREHOUSE_DDL, resources.AUDIT_SQL, resources.SITE_SQL, resources.DIGEST_SQL):
        assert path.exists(), path
