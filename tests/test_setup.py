"""The README's commands and their friends: `make lab` serves on loopback with token auth; installs
are stamped; CI lints before it tests; `make unit` is the fast lane; the lint hook works offline."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_dry_run(target):
    return subprocess.run(["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, check=True).stdout


def test_make_lab_binds_to_loopback_with_a_token():
    cmd = [line for line in make_dry_run("lab").splitlines() if "jupyter lab" in line]
    assert len(cmd) == 1
    assert "--ServerApp.ip=127.0.0.1" in cmd[0]
    assert "0.0.0.0" not in cmd[0] and "token=''" not in cmd[0] and 'token=""' not in cmd[0]
    assert "--ServerApp.root_dir=notebooks" in cmd[0] and cmd[0].endswith("notebooks/00_start_here.ipynb")


def test_install_stamp_is_keyed_on_the_dependency_file():
    text = (ROOT / "Makefile").read_text()
    assert re.search(r"DEPS_HASH := .*pyproject\.toml", text)
    assert "$(VENV)/.installed-test-$(DEPS_HASH)" in text


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def test_ci_lints_before_it_tests():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make lint" in lines and lines.index("make lint") < lines.index("make test")


def test_make_unit_is_the_fast_lane_and_every_marker_it_names_is_registered():
    try:
        import tomllib
    except ModuleNotFoundError:                         # Python 3.10: the same parser, from PyPI
        import tomli as tomllib
    (cmd,) = [line for line in make_dry_run("unit").splitlines() if "pytest" in line]
    assert '-m "not slow and not browser and not notebook"' in cmd and "-p no:nbval" in cmd
    assert cmd.split()[3] == "tests"                    # python -m pytest tests …: no notebooks
    opts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    registered = {m.split(":")[0] for m in opts["markers"]}
    assert {"slow", "browser", "notebook"} <= registered
    assert opts["filterwarnings"][0] == "error"         # one warnings policy, for every test
    (test_cmd,) = [line for line in make_dry_run("test").splitlines() if "pytest" in line]
    assert test_cmd.endswith("-m pytest")              # make test still runs everything


def test_make_lint_and_the_pre_commit_hook_run_the_pinned_ruff_offline():
    (cmd,) = [line for line in make_dry_run("lint").splitlines() if "ruff" in line]
    assert cmd.endswith("ruff check .")
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"ruff==[\d.]+"', text)
    import yaml
    repos = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
    assert [r["repo"] for r in repos] == ["local"]      # no hook fetched from the internet
    (hook,) = repos[0]["hooks"]
    assert hook["language"] == "system" and hook["entry"] == ".venv/bin/ruff check --force-exclude"
    assert hook["types_or"] == ["python", "jupyter"]
