"""The deployment files stay true to the code: the Dockerfile installs the package only and
runs it as a user who is not root, with options `upperback serve --help` really lists;
compose.yaml runs it on PostgreSQL 16 with settings the code reads and no secret in it; and
docs/hosting.md names only settings that exist. With a Docker daemon, the image is built too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from upperback import config
from upperback.cli import app
from upperback.cli.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"
HOSTING = ROOT / "docs" / "hosting.md"

#: Every environment variable upperback reads: the *_ENV names of upperback.config, the one
#: module that reads the environment (tests/test_layers.py makes sure of that).
READ_BY_THE_CODE = frozenset(
    value for name, value in vars(config).items()
    if name.endswith("_ENV") and isinstance(value, str)
)
#: What the image sets for other programs: platformdirs' folders and Python's own.
FOR_OTHER_PROGRAMS = frozenset(
    {"PATH", "XDG_DATA_HOME", "XDG_CACHE_HOME", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE",
     "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK"}
)
# A compose variable: ${NAME}, ${NAME:-default}, ${NAME:?message}.
VARIABLE = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?P<rest>[^}]*)\}")


# -- reading the files --------------------------------------------------------------------------


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined and
    comments left out."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        found.append((keyword.upper(), arguments.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return found


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the image's last stage (the one that runs)."""
    every = instructions()
    starts = [i for i, (keyword, _) in enumerate(every) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return every[starts[-1]:]


def env_names(arguments: str) -> list[str]:
    """The names an ENV instruction sets (NAME=value pairs, or the old `NAME value` form)."""
    if "=" not in arguments.split(" ", 1)[0]:
        return [arguments.split(" ", 1)[0]]
    return re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", arguments)


def cmd() -> list[str]:
    """The image's CMD, which must be in exec form (a JSON list: no shell to swallow signals)."""
    commands = [arguments for keyword, arguments in final_stage() if keyword == "CMD"]
    assert len(commands) == 1, "the image should have exactly one CMD"
    parsed = json.loads(commands[0])
    assert isinstance(parsed, list) and all(isinstance(part, str) for part in parsed)
    return parsed


def serve_help_options() -> set[str]:
    """The options `upperback serve --help` lists."""
    result = CliRunner().invoke(app, ["serve", "--help"], obj=Runtime(environ={}),
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", result.output))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def app_environment(compose: dict[str, Any]) -> dict[str, str]:
    """The app service's environment as a mapping (compose allows a list of NAME=value too)."""
    environment = compose["services"]["app"]["environment"]
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {str(name): str(value) for name, value in environment.items()}


# -- the Dockerfile -----------------------------------------------------------------------------


def test_the_image_runs_as_a_user_who_is_not_root() -> None:
    stage = final_stage()
    users = [(i, arguments) for i, (keyword, arguments) in enumerate(stage) if keyword == "USER"]
    assert users, "the image's last stage has no USER: it would run as root"
    index, user = users[-1]
    name, _, group = user.partition(":")
    assert name not in ("root", "0") and group not in ("root", "0")
    cmd_index = max(i for i, (keyword, _) in enumerate(stage) if keyword == "CMD")
    assert index < cmd_index
    # The user is made in the image, so USER names someone who exists.
    made = " ".join(arguments for keyword, arguments in stage[:index] if keyword == "RUN")
    assert re.search(rf"useradd\b[^&;]*\b{re.escape(name)}\b", made)


def test_the_image_installs_the_package_and_nothing_for_development() -> None:
    runs = " ".join(arguments for keyword, arguments in instructions() if keyword == "RUN")
    # `pip install .` or `pip install ".[extra]"`, after any options.
    package = r"pip install\s+(?:--?[\w-]+\s+)*[\"']?\.(?:\[([\w,-]+)\])?[\"']?(?=\s|$)"
    installs = re.findall(package, runs)
    assert installs, "no RUN does `pip install .`"
    extras = {extra for found in installs for extra in found.split(",") if extra}
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert extras <= set(declared), f"extras the project does not have: {extras - set(declared)}"
    assert "dev" not in extras
    for tool in ("pytest", "ruff", "mypy", "playwright", "hypothesis"):
        assert not re.search(rf"pip install[^&;]*\b{tool}\b", runs), tool


def test_the_image_copies_only_what_the_install_needs() -> None:
    copied = [arguments for keyword, arguments in instructions() if keyword == "COPY"
              and not arguments.startswith("--from")]
    sources = {part for arguments in copied for part in arguments.split()[:-1]}
    assert sources <= {"pyproject.toml", "README.md", "LICENSE", "src"}, sources
    assert "src" in sources and "pyproject.toml" in sources


def test_the_command_serves_the_public_mode_with_options_serve_really_has() -> None:
    command = cmd()
    assert command[:2] == ["upperback", "serve"]
    assert "--public" in command
    assert command[command.index("--host") + 1] == "0.0.0.0"  # reachable from outside the container
    given = {part.split("=", 1)[0] for part in command if part.startswith("--")}
    assert given <= serve_help_options(), given - serve_help_options()


def test_the_port_served_is_the_port_exposed() -> None:
    command = cmd()
    port = command[command.index("--port") + 1] if "--port" in command else "8000"
    exposed = [arguments for keyword, arguments in final_stage() if keyword == "EXPOSE"]
    assert exposed == [port]


def test_the_data_folder_is_a_volume_the_user_may_write() -> None:
    stage = final_stage()
    environment = dict(
        pair.split("=", 1)
        for keyword, arguments in stage if keyword == "ENV"
        for pair in arguments.split()
    )
    data = environment["XDG_DATA_HOME"]
    volumes = [json.loads(arguments) if arguments.startswith("[") else arguments.split()
               for keyword, arguments in stage if keyword == "VOLUME"]
    assert [data] in volumes
    runs = " ".join(arguments for keyword, arguments in stage if keyword == "RUN")
    assert re.search(rf"chown\s+\S+\s+{re.escape(data)}\b", runs)


def test_every_upperback_setting_the_image_sets_is_one_the_code_reads() -> None:
    names = [name for keyword, arguments in instructions() if keyword == "ENV"
             for name in env_names(arguments)]
    assert names
    unknown = set(names) - READ_BY_THE_CODE - FOR_OTHER_PROGRAMS
    assert not unknown, unknown


def test_the_build_context_leaves_out_secrets_caches_and_tests() -> None:
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", ".env", "tests", "test-artifacts", ".coverage", "**/__pycache__",
            ".pytest_cache", ".hypothesis"} <= ignored
    assert not any(line.startswith("!") for line in ignored)  # nothing let back in


# -- compose.yaml -------------------------------------------------------------------------------


def test_the_database_is_postgresql_16_and_the_app_waits_until_it_is_healthy(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(services) == {"app", "db"}
    db = services["db"]
    assert db["image"] == "postgres:16"
    test = db["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    assert services["app"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "ports" not in db  # only the app reaches the database


def test_the_app_gets_the_database_url_and_the_secret_key(
    app_environment: dict[str, str], compose: dict[str, Any],
) -> None:
    url = app_environment[config.DATABASE_URL_ENV]
    assert url.startswith("postgresql+psycopg://upperback:")  # psycopg 3, the project's driver
    assert url.endswith("@db:5432/upperback")
    db = compose["services"]["db"]["environment"]
    assert (db["POSTGRES_USER"], db["POSTGRES_DB"]) == ("upperback", "upperback")
    assert config.SECRET_KEY_ENV in app_environment


def test_every_name_the_app_is_given_is_one_the_code_reads(
    app_environment: dict[str, str],
) -> None:
    unknown = set(app_environment) - READ_BY_THE_CODE
    assert not unknown, f"compose sets settings upperback never reads: {sorted(unknown)}"
    source = (ROOT / "src" / "upperback" / "config.py").read_text()
    for name in app_environment:
        assert f'"{name}"' in source


def test_no_secret_is_written_in_the_compose_file(
    app_environment: dict[str, str], compose: dict[str, Any],
) -> None:
    password = compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    secret = app_environment[config.SECRET_KEY_ENV]
    for value in (password, secret):
        found = VARIABLE.fullmatch(value)
        assert found, f"{value!r} is written in the file, not taken from .env"
        assert found["rest"].startswith(":?"), "a missing secret must stop compose, not default"
    url = app_environment[config.DATABASE_URL_ENV]
    in_url = VARIABLE.search(url)
    assert in_url and in_url["name"] == VARIABLE.fullmatch(password)["name"]  # type: ignore[index]


def test_the_app_is_reachable_from_this_machine_only(compose: dict[str, Any]) -> None:
    command = cmd()
    port = command[command.index("--port") + 1]
    assert compose["services"]["app"]["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_the_trusted_proxy_is_the_gateway_the_published_port_is_reached_through(
    app_environment: dict[str, str], compose: dict[str, Any],
) -> None:
    (network,) = compose["networks"]["default"]["ipam"]["config"]
    assert app_environment[config.TRUSTED_PROXIES_ENV] == network["gateway"]


def test_the_data_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for mount in service["volumes"]:
            assert mount.split(":", 1)[0] in declared, mount
    data = {pair.split("=", 1)[0]: pair.split("=", 1)[1] for keyword, arguments in final_stage()
            if keyword == "ENV" for pair in arguments.split()}["XDG_DATA_HOME"]
    assert any(m.endswith(f":{data}") for m in compose["services"]["app"]["volumes"])


# -- docs/hosting.md ----------------------------------------------------------------------------


def test_the_hosting_guide_names_only_settings_the_code_reads() -> None:
    text = HOSTING.read_text()
    named = set(re.findall(r"\bUPPERBACK_[A-Z_]+\b", text))
    assert {config.DATABASE_URL_ENV, config.SECRET_KEY_ENV} <= named
    assert named <= READ_BY_THE_CODE, named - READ_BY_THE_CODE
    options = set(re.findall(r"`(--[a-z][a-z-]*)", text)) - {"--db", "--build", "--clean",
                                                             "--if-exists", "--no-owner",
                                                             "--pwprompt", "--owner",
                                                             "--upgrade"}
    assert options <= serve_help_options(), options - serve_help_options()


def test_the_readme_links_the_hosting_guide() -> None:
    assert "(docs/hosting.md)" in (ROOT / "README.md").read_text()


# -- building the image (only where Docker runs) --------------------------------------------------


def _docker_runs() -> str | None:
    """Why the image cannot be built here, or None when it can."""
    docker = shutil.which("docker")
    if docker is None:
        return "docker is not installed, so the image is not built (the files are checked above)"
    try:
        info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"docker does not answer ({error}), so the image is not built"
    if info.returncode != 0:
        return "docker is installed but no Docker daemon answers, so the image is not built"
    return None


@pytest.mark.slow
def test_the_image_builds_and_runs_as_a_user_who_is_not_root() -> None:
    reason = _docker_runs()
    if reason is not None:
        pytest.skip(reason)
    tag = "upperback-deployment-test:latest"
    subprocess.run(["docker", "build", "--tag", tag, str(ROOT)], check=True, timeout=1800)
    try:
        uid = subprocess.run(["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
                             capture_output=True, text=True, check=True, timeout=120).stdout
        assert uid.strip() not in ("", "0")
        helped = subprocess.run(["docker", "run", "--rm", tag, "upperback", "serve", "--help"],
                                capture_output=True, text=True, check=True, timeout=120).stdout
        assert "--public" in helped
        listed = subprocess.run(["docker", "run", "--rm", "--entrypoint", "ls", tag, "/opt"],
                                capture_output=True, text=True, check=True, timeout=120).stdout
        assert "tests" not in listed.split()
    finally:
        subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True,
                       check=False, timeout=120)
