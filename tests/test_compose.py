"""docker-compose.yml, without a Docker engine: it is a valid Compose file, and what its
services run, set and mount names things that exist in the repository.

.cache/compose-spec.json is the Compose Specification's JSON Schema as docker-compose 1.29.2
ships it, taken from the package index by scripts/setup-compose-schema.sh (part of
scripts/test.sh; Apache License 2.0).
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from pipelines import deployment
from pipelines.orchestration import WAREHOUSE_POOL
from pipelines.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
MOUNT = "/opt/celedger"  # where `.` is mounted in the Airflow services
AIRFLOW_COMMANDS = {"api-server", "scheduler", "dag-processor", "triggerer"}


def interpolated(value: str) -> str:
    """Compose's ${VAR:-default} and ${VAR:?error} with nothing set: the default, or a placeholder."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{[A-Z_]+(:\?[^}]*)?\}", "x", value)


def repo_path(container_path: str) -> Path:
    assert container_path.startswith(MOUNT + "/"), container_path
    return ROOT / container_path.removeprefix(MOUNT + "/")


def made_by_init(path: Path) -> bool:
    """deploy/ is not in the repository (.gitignore): airflow-init makes it, with
    pipelines/deployment.py's layout (config, inboxes, Ralph's data)."""
    init = "\n".join(SERVICES["airflow-init"]["command"])
    relative = path.relative_to(ROOT).as_posix()
    layout = {"deploy/config", "deploy/inbox", "deploy/ralph/data", *re.findall(r"/opt/celedger/(deploy/\w+)", init)}
    return any(relative == folder or relative.startswith(folder + "/") for folder in layout)


def compose_schema() -> jsonschema.Draft201909Validator:
    path = ROOT / ".cache" / "compose-spec.json"
    assert path.is_file(), f"{path} is missing: run `bash scripts/setup-compose-schema.sh`"
    return jsonschema.Draft201909Validator(json.loads(path.read_text(encoding="utf-8")))


def test_the_compose_file_is_valid_against_the_compose_specification():
    errors = sorted(compose_schema().iter_errors(COMPOSE), key=lambda e: list(e.absolute_path))
    assert [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors] == []


def test_a_broken_compose_file_is_caught_by_the_schema():
    broken = {"services": {"x": {"image": "a", "depends_on": {"y": {"condition": "whenever"}}, "ports": 8080}}}
    assert len(list(compose_schema().iter_errors(broken))) >= 2


def test_the_build_and_the_mounts_name_what_the_repository_has():
    assert (ROOT / "Dockerfile").is_file()
    for name, service in SERVICES.items():
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file(), name
        for volume in service.get("volumes", []):
            source, target = interpolated(volume).split(":")[:2]
            if source.startswith("."):  # a bind mount of a repository path
                path = (ROOT / source).resolve()
                assert path.exists() or made_by_init(path), (name, volume)
            else:
                assert source in COMPOSE.get("volumes", {}), (name, volume)
            assert target.startswith("/"), (name, volume)
    assert ".:/opt/celedger" in SERVICES["airflow-scheduler"]["volumes"]


@pytest.mark.parametrize("name", [n for n, s in SERVICES.items() if "build" in s])
def test_every_airflow_service_runs_a_command_and_sets_paths_that_exist(name):
    service = SERVICES[name]
    command = service.get("command")
    if isinstance(command, str):
        assert command in AIRFLOW_COMMANDS, name
    elif service.get("entrypoint") == "python":
        assert command[:2] == ["-m", "aiosmtpd"] and repo_path(command[-1]).parts[-2:] == ("deploy", "mail")
        assert "/opt/celedger/deploy/mail" in "\n".join(SERVICES["airflow-init"]["command"])
    else:
        assert service["entrypoint"] == "/bin/bash" and command[0] == "-c", name
    env = {k: interpolated(str(v)) for k, v in service["environment"].items()}
    dags = repo_path(env["AIRFLOW__CORE__DAGS_FOLDER"])
    assert sorted(p.name for p in dags.glob("celedger_*.py")) == sorted(p.name for p in (ROOT / "dags").glob("*.py"))
    for variable in ("CELEDGER_CONFIG", "CELEDGER_LANDING", "CELEDGER_OUT"):
        path = repo_path(env[variable])
        assert path.exists() or made_by_init(path), (name, variable, env[variable])
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "true"  # unpausing is the script's, not compose's
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver:8080/")
    assert "airflow-apiserver" in SERVICES


def test_the_init_service_creates_the_pool_and_prepares_the_sample_deployment():
    script = SERVICES["airflow-init"]["command"][1]
    assert f"airflow pools set {WAREHOUSE_POOL} 1 " in script
    prepare = next(line.split() for line in script.splitlines() if "pipelines.deployment" in line)
    assert prepare[:3] == ["python", "-m", "pipelines.deployment"] and callable(deployment.main)
    assert repo_path(prepare[3]) == ROOT / "deploy"
    smtp = SERVICES["smtp"]["command"]
    assert prepare[prepare.index("--smtp-host") + 1] == "smtp" and "smtp" in SERVICES
    assert smtp[smtp.index("-l") + 1].endswith(":" + prepare[prepare.index("--smtp-port") + 1])


def test_the_webinar_lrs_is_the_ralph_service_that_serves_the_seeded_store():
    (webinar,) = [s for s in load_sources(ROOT / "sample" / "config") if s.kind == "lrs"]
    assert webinar.name == deployment.LRS_SOURCE
    env = SERVICES["airflow-scheduler"]["environment"]
    url = env[f"AIRFLOW_CONN_{webinar.conn_id.upper()}"]
    assert re.fullmatch(r"http://celedger:\$\{SAMPLE_LRS_PASSWORD:\?[^}]+\}@ralph:8100/xAPI/", url), url
    ralph = SERVICES["ralph"]
    assert ralph["image"].startswith("fundocker/ralph:")
    assert (ROOT / "requirements-ralph.lock").read_text().count(f"=={ralph['image'].split(':')[1]}") >= 1
    run = ralph["command"][1]
    assert "-p 8100" in run and "-h 0.0.0.0" in run and "--fs-default-directory-path /data" in run
    assert "./deploy/ralph/data:/data" in ralph["volumes"]  # pipelines/deployment.py seeds <home>/ralph/data
    assert ralph["environment"]["SAMPLE_LRS_PASSWORD"].startswith("${SAMPLE_LRS_PASSWORD:?")
    for text in (ROOT / "docker-compose.yml").read_text(), (ROOT / "sample" / "config" / "sources.yaml").read_text():
        assert "SAMPLE_LRS_PASSWORD=" not in text.replace("SAMPLE_LRS_PASSWORD=$(", "")  # no password in the repo
