"""Airflow connections, with or without Airflow: AIRFLOW_CONN_<ID> (the variable Airflow
itself reads, as a URI or in Airflow's JSON form) first, then Airflow's own store when
Airflow is installed. Sources (LRS credentials) and digests (SMTP) both name one by id."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from pipelines.config import one_line
from pipelines.errors import CeledgerError


@dataclass(frozen=True)
class Connection:
    host: str | None
    port: int | None = None
    login: str | None = None
    password: str | None = None
    scheme: str | None = None
    path: str | None = None


def airflow_connection(conn_id: str, where: str, example: str) -> Connection:
    """`where` prefixes the one-line errors; `example` shows the URI form the caller expects."""
    variable = f"AIRFLOW_CONN_{conn_id.upper()}"
    value = os.environ.get(variable)
    if value is not None:
        try:
            connection = parse(value)
        except (ValueError, AttributeError, TypeError):
            connection = Connection(None)
        if not connection.host:
            raise CeledgerError(f"{variable} is not a connection URI like {example}")
        return connection
    try:
        from airflow.sdk import BaseHook
    except ImportError:
        raise CeledgerError(f"{where}: {variable} is not set and Airflow is not installed") from None
    try:
        found = BaseHook.get_connection(conn_id)
    except Exception as err:  # Airflow raises its own not-found types across versions
        raise CeledgerError(f"{where}: {one_line(err)}") from None
    return Connection(found.host, found.port, found.login, found.password, found.conn_type, found.schema)


def parse(value: str) -> Connection:
    if value.lstrip().startswith("{"):
        data = json.loads(value)
        port = int(data["port"]) if data.get("port") else None
        fields = [data.get(k) for k in ("login", "password", "conn_type", "schema")]
        return Connection(data.get("host"), port, *fields)
    parsed = urlparse(value)
    return Connection(
        parsed.hostname,
        parsed.port,
        unquote(parsed.username or ""),
        unquote(parsed.password or ""),
        parsed.scheme,
        parsed.path,
    )
