"""Where celedger's data files are: the SQL, the JSON Schemas and the expectation suites.

The folders stay at the top of the repository (`schemas/`, `warehouse/`, `expectations/`).
A wheel carries them inside the package as `pipelines/_data/<folder>/` (pyproject.toml maps
each folder to a package and lists its files as package data), found here with
`importlib.resources`. A checkout, or an editable install of one, has no `pipelines/_data/`:
there the folders are the ones beside `pipelines/`, next to `pyproject.toml`.

Every location is a `pathlib.Path` on disk (pip unpacks a wheel; importing celedger from a
zip archive is not supported). An install without its data folders fails here, at import,
naming what is missing, rather than later with a bare FileNotFoundError.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FOLDERS = ("schemas", "warehouse", "expectations")


class MissingResources(ImportError):
    """celedger's data folders are not where the package expects them."""


PACKAGE = Path(str(resources.files(__package__)))


def data_root() -> Path:
    """The folder holding schemas/, warehouse/ and expectations/."""
    shipped = PACKAGE / "_data"
    if shipped.is_dir():  # an installed wheel (`pip install .`)
        root = shipped
    elif (PACKAGE.parent / "pyproject.toml").is_file():  # a checkout, or an editable install of one
        root = PACKAGE.parent
    else:
        raise MissingResources(f"{shipped}: celedger is installed without its data folders; rebuild and reinstall it")
    if absent := [str(root / name) for name in FOLDERS if not (root / name).is_dir()]:
        raise MissingResources("celedger's data folders are missing: " + ", ".join(absent))
    return root


ROOT = data_root()
SCHEMAS = ROOT / "schemas"  # *.schema.json for config files, warehouse.sql (the DDL)
WAREHOUSE_DDL = SCHEMAS / "warehouse.sql"
WAREHOUSE = ROOT / "warehouse"  # the models, by layer: staging/, intermediate/, marts/
AUDIT_SQL = WAREHOUSE / "audit"  # the frames the quality gate validates, one per suite
SITE_SQL = WAREHOUSE / "site"  # the report site's queries
DIGEST_SQL = WAREHOUSE / "digest"  # the supervisor digest's queries
EXPECTATIONS = ROOT / "expectations"  # Great Expectations suites, one JSON file each
TEMPLATES = PACKAGE / "templates"  # pipelines/templates/, inside the package in either case
