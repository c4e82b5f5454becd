"""The README's commands: `make lab` serves on loopback with token auth; installs are stamped."""
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
