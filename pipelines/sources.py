"""sources.yaml: where statements come from. Secrets never live in it: an LRS source
names environment variables, or an Airflow connection, that hold its credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import read_yaml, schema_violation
from pipelines.connections import airflow_connection
from pipelines.errors import CeledgerError
from pipelines.lrs_client import redact


@dataclass(frozen=True)
class Source:
    name: str
    kind: str  # lrs or inbox
    carries: tuple[str, ...] = ()
    endpoint: str | None = None
    username_env: str | None = None
    password_env: str | None = None
    conn_id: str | None = None
    page_size: int = 500
    overlap_seconds: int = 300
    # the statement field the LRS filters `since` on: `stored` per the xAPI spec; some
    # LRSs (Ralph's fs backend) filter on `timestamp`, and the watermark must follow
    since_field: str = "stored"
    timeout_seconds: float = 30.0
    retries: int = 4
    segment_statements: int = 10_000
    # a hostile or broken LRS gets no more than this: bytes in one answer, pages in one pull
    max_page_bytes: int = 64 * 1024 * 1024
    max_pages: int = 10_000
    path: Path | None = None
    # the quality gate fails when the source's newest file is older than this (days to the as-of date)
    max_silent_days: int | None = None


def claimed_kind(error):
    """For a source that fits neither kind: what is wrong for the kind it claims to be."""
    if error.parent is not None and error.parent.validator == "oneOf":
        claimed = {"lrs": 0, "inbox": 1}.get(error.parent.instance.get("kind"))
        return next((b for b in error.parent.context if b.relative_schema_path[0] == claimed), error)
    return error


def load_sources(config_dir: Path) -> list[Source]:
    path = Path(config_dir) / "sources.yaml"
    if not path.is_file():
        raise CeledgerError(f"{path}: missing config file")
    data = read_yaml(path)
    if violation := schema_violation(path, data, "sources.schema.json", pick=claimed_kind):
        raise CeledgerError(redact(violation))
    sources = []
    for entry in data["sources"]:
        fields = dict(entry)
        fields["carries"] = tuple(fields.get("carries", ()))
        fields.pop("description", None)
        fields.pop("schedule", None)  # the pull DAG's, read by pipelines.deployment
        if entry["kind"] == "inbox":
            fields["path"] = (Path(config_dir) / entry["path"]).resolve()
        sources.append(Source(**fields))
    names = [s.name for s in sources]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise CeledgerError(f"{path}: source {duplicated[0]!r} is named twice")
    return sources


@dataclass(frozen=True)
class Credentials:
    endpoint: str
    username: str
    password: str


def lrs_credentials(source: Source) -> Credentials:
    """From the environment, or from the Airflow connection `conn_id`.

    A connection is looked up through Airflow when it is installed, else read from the
    AIRFLOW_CONN_<CONN_ID> variable Airflow itself would use, as a URI.
    """
    if source.conn_id:
        return connection_credentials(source)
    missing = [v for v in (source.username_env, source.password_env) if not os.environ.get(v)]
    if missing:
        raise CeledgerError(f"source {source.name}: environment variable {missing[0]} is not set")
    return Credentials(source.endpoint, os.environ[source.username_env], os.environ[source.password_env])


def connection_credentials(source: Source) -> Credentials:
    where = f"source {source.name}: conn_id {source.conn_id!r}"
    connection = airflow_connection(source.conn_id, where, "https://user:password@host:port/xAPI/")
    if source.endpoint:
        endpoint = source.endpoint
    else:
        scheme = "http" if connection.scheme == "http" else "https"
        host = connection.host + (f":{connection.port}" if connection.port else "")
        endpoint = f"{scheme}://{host}{connection.path or '/'}"
    return Credentials(endpoint, connection.login or "", connection.password or "")
