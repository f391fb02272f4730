"""The `upperback` command as a whole: main() and entrypoint, --db, errors, `serve`."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from upperback import __version__
from upperback.cli import main
from upperback.store import Store

from .conftest import COMMANDS, Run


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"], {}) == 0
    output = capsys.readouterr().out
    assert "information, not a diagnosis" in output
    for command in COMMANDS:
        assert f"\n  {command} " in output


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"], {}) == 0
    assert capsys.readouterr().out.strip() == f"upperback {__version__}"


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek"], {}) == 2
    assert "No such command 'chek'" in capsys.readouterr().err


def test_the_database_can_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "from-env.db"
    assert main(["log", "--pain", "3"], {"UPPERBACK_DATABASE_URL": str(path)}) == 0
    with Store.open(str(path)) as store:
        assert [e.pain for e in store.entries()] == [3]


def test_db_wins_over_the_environment(tmp_path: Path) -> None:
    chosen, other = tmp_path / "chosen.db", tmp_path / "other.db"
    environ = {"UPPERBACK_DATABASE_URL": str(other)}
    assert main(["--db", str(chosen), "log", "--pain", "2"], environ) == 0
    assert chosen.exists() and not other.exists()


def test_a_database_url_works_as_well_as_a_path(tmp_path: Path) -> None:
    path = tmp_path / "url.db"
    assert main(["--db", f"sqlite:///{path}", "log", "--pain", "1"], {}) == 0
    assert path.exists()


def test_main_never_reads_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real diary named in the process environment is never touched by main(argv, {}).
    real = tmp_path / "real-diary.db"
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", str(real))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["log", "--pain", "3"], {}) == 0
    assert not real.exists()
    assert (tmp_path / "data" / "upperback" / "upperback.db").exists()


def test_main_takes_its_environment_as_an_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPPERBACK_TIMER_SCALE", raising=False)
    environ = {"UPPERBACK_DATABASE_URL": str(tmp_path / "t.db"), "UPPERBACK_TIMER_SCALE": "1e-5"}
    # 20 real minutes unless main() reads the scale from `environ`.
    assert main(["timer", "heat"], environ) == 0


def test_a_database_that_is_not_ours_gives_one_clear_line_and_is_left_alone(
    run: Run, db: Path
) -> None:
    db.write_text("my shopping list\n" * 200)
    result = run("log", "--pain", "4")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    assert db.read_text().startswith("my shopping list")


def test_serve_says_clearly_when_the_web_app_is_missing(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> types.ModuleType:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr("upperback.cli.serve.import_module", missing)
    result = run("serve")
    assert result.exit_code == 2
    assert "upperback.web.server is missing" in result.output


@pytest.fixture
def server_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """What `serve` asks the web server to do (a stand-in module records it)."""
    from upperback.web import server as real
    from upperback.web.settings import write_caps

    calls: list[tuple[object, ...]] = []
    server = types.ModuleType("upperback.web.server")
    server.run = lambda *args: calls.append(args)  # type: ignore[attr-defined]
    server.write_caps = write_caps  # type: ignore[attr-defined]
    server.PublicOptions = real.PublicOptions  # type: ignore[attr-defined]
    server.public_number = real.public_number  # type: ignore[attr-defined]
    monkeypatch.setattr("upperback.cli.serve.import_module", lambda name: server)
    return calls


def test_serve_runs_the_web_server_with_the_chosen_database(
    run: Run, db: Path, server_calls: list[tuple[object, ...]]
) -> None:
    assert run("serve", "--port", "8123").exit_code == 0
    assert server_calls == [("127.0.0.1", 8123, str(db), None, None)]


@pytest.mark.parametrize(
    ("args", "environ", "cap"),
    [
        (["--writes-per-minute", "10"], {}, 10),
        ([], {"UPPERBACK_WRITES_PER_MINUTE": "0"}, "0"),
        (["--writes-per-minute", "5"], {"UPPERBACK_WRITES_PER_MINUTE": "0"}, 5),
    ],
)
def test_serve_takes_the_write_cap_from_the_option_before_the_environment(
    run: Run, server_calls: list[tuple[object, ...]], args: list[str],
    environ: dict[str, str], cap: object,
) -> None:
    assert run("serve", *args, environ=environ).exit_code == 0
    assert server_calls[0][3] == cap


def test_serve_refuses_a_write_cap_that_is_not_a_whole_number(
    run: Run, server_calls: list[tuple[object, ...]]
) -> None:
    result = run("serve", environ={"UPPERBACK_WRITES_PER_MINUTE": "lots"})
    assert result.exit_code == 2
    assert "UPPERBACK_WRITES_PER_MINUTE" in result.output
    assert "from 0 (no cap) to 100000, not 'lots'" in result.output
    assert server_calls == []


def test_serve_public_takes_its_hosts_workers_proxies_and_diary_days(
    run: Run, server_calls: list[tuple[object, ...]]
) -> None:
    result = run("serve", "--public", "--host", "0.0.0.0", "--allowed-host", "Guide.Example.org",
                 "--allowed-host", "*.example.net", "--workers", "2", "--trusted-proxy",
                 "10.0.0.5", "--diary-days", "90")
    assert result.exit_code == 0, result.output
    options = server_calls[0][4]
    assert options.allowed_hosts == ("guide.example.org", "*.example.net")  # type: ignore[attr-defined]
    assert (options.workers, options.diary_days) == (2, 90)  # type: ignore[attr-defined]
    assert options.trusted_proxies == ("10.0.0.5",)  # type: ignore[attr-defined]


def test_serve_public_reads_its_settings_from_the_environment(
    run: Run, server_calls: list[tuple[object, ...]]
) -> None:
    environ = {"UPPERBACK_PUBLIC": "1", "UPPERBACK_ALLOWED_HOSTS": "a.example, b.example",
               "UPPERBACK_WORKERS": "3", "UPPERBACK_TRUSTED_PROXIES": "127.0.0.1",
               "UPPERBACK_DIARY_DAYS": "30", "UPPERBACK_SECRET_KEY": "shared"}
    assert run("serve", environ=environ).exit_code == 0
    options = server_calls[0][4]
    assert options.allowed_hosts == ("a.example", "b.example")  # type: ignore[attr-defined]
    assert (options.workers, options.diary_days) == (3, 30)  # type: ignore[attr-defined]
    assert options.secret_key == "shared"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("args", "environ", "message"), [
    (["--allowed-host", "x.example"], {}, "--allowed-host is for a public website: add --public"),
    (["--public", "--allowed-host", "not a host"], {}, "'not a host' is not a host name"),
    (["--public"], {"UPPERBACK_WORKERS": "many"},
     "UPPERBACK_WORKERS must be a whole number from 1 to 64, not 'many'"),
    (["--public"], {"UPPERBACK_DIARY_DAYS": "0"},
     "UPPERBACK_DIARY_DAYS must be a whole number from 1 to 36500, not '0'"),
])
def test_serve_refuses_public_settings_that_do_not_fit_in_one_line(
    run: Run, server_calls: list[tuple[object, ...]], args: list[str],
    environ: dict[str, str], message: str,
) -> None:
    result = run("serve", *args, environ=environ)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert server_calls == []


def test_the_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("upperback")
    done = subprocess.run(
        [str(script), "--db", str(tmp_path / "x.db"), "log", "--pain", "12"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--pain must be a whole number from 0 to 10, not 12" in done.stderr


def test_ctrl_c_in_the_interview_stops_quietly(
    run: Run, monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("rich.console.Console.input", interrupted)
    result = run("check")
    assert result.exit_code == 130
    assert "Stopped." in result.output and "Traceback" not in result.output


def test_a_command_run_without_a_runtime_makes_its_own(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from upperback.cli import app

    db = tmp_path / "own.db"
    result = CliRunner().invoke(app, ["--db", str(db), "log", "--pain", "3"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Store.open(str(db)) as store:
        assert [e.pain for e in store.entries()] == [3]


def test_serve_does_not_blame_the_web_app_for_another_missing_module(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dependency_missing(name: str) -> types.ModuleType:
        raise ModuleNotFoundError("No module named 'uvicorn'", name="uvicorn")

    monkeypatch.setattr("upperback.cli.serve.import_module", dependency_missing)
    with pytest.raises(ModuleNotFoundError) as missing:
        run("serve")
    assert missing.value.name == "uvicorn"
