"""Sources and digests name Airflow connections by id; AIRFLOW_CONN_<ID> works without Airflow."""

import json

import pytest

from pipelines.connections import airflow_connection
from pipelines.errors import CeledgerError
from pipelines.sources import Source, lrs_credentials


def test_an_lrs_source_takes_endpoint_and_credentials_from_a_connection_uri(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_WEBINARS_LRS", "https://lrs%40bot:s3cret@lrs.example.org:8443/xAPI/")
    credentials = lrs_credentials(Source("webinars", "lrs", conn_id="webinars_lrs"))
    assert (credentials.endpoint, credentials.username, credentials.password) == (
        "https://lrs.example.org:8443/xAPI/",
        "lrs@bot",
        "s3cret",
    )


def test_the_json_form_and_the_sources_own_endpoint(monkeypatch):
    value = json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": 8100, "login": "u", "password": "p"})
    monkeypatch.setenv("AIRFLOW_CONN_LRS", value)
    assert airflow_connection("lrs", "here", "x").port == 8100
    credentials = lrs_credentials(Source("w", "lrs", conn_id="lrs", endpoint="http://127.0.0.1:8100/xAPI/"))
    assert (credentials.endpoint, credentials.username) == ("http://127.0.0.1:8100/xAPI/", "u")


def test_a_variable_that_names_no_host_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_LRS", "not a uri")
    with pytest.raises(CeledgerError, match="^AIRFLOW_CONN_LRS is not a connection URI like https://"):
        lrs_credentials(Source("w", "lrs", conn_id="lrs"))
