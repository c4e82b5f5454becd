"""environment.yml (conda / Binder) and pyproject.toml must install the same packages at the
same versions."""
import os
import re
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:                             # Python 3.10: the same parser, from PyPI
    import tomli as tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _env():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _pins_for_python(minor: str) -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = {}
    for line in reqs:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate({"python_version": minor}):
            continue
        (spec,) = req.specifier
        assert spec.operator == "==", f"{line}: pin an exact version"
        pins[req.name.lower().replace("_", "-")] = spec.version
    return pins


def test_environment_pins_python_to_a_minor_version():
    env = _env()
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert len(pythons) == 1 and re.fullmatch(r"python=3\.\d+", pythons[0]), pythons
    assert env["name"]


def test_environment_matches_pyproject():
    env = _env()
    minor = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))[7:]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section, "environment.yml must install the course from the repo root"
    env_pins = {}
    for line in pip_section:
        if line.startswith("-e"):
            continue
        name, version = line.split("==")
        env_pins[name.lower().replace("_", "-")] = version
    assert env_pins == _pins_for_python(minor)


def test_markers_cover_supported_pythons():
    # Each supported Python gets exactly one pin of every package (tomli only where the standard
    # library lacks tomllib); the supported range is the one requires-python states.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"
    reqs = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    names = {r.name for r in reqs}
    for minor in ("3.10", "3.11", "3.12", "3.13", "3.14"):
        applying = [r.name for r in reqs if r.marker is None or r.marker.evaluate({"python_version": minor})]
        assert sorted(applying) == sorted(names - ({"tomli"} if minor != "3.10" else set())), (minor, applying)


def test_the_extras_pin_exact_versions_and_nbgrader_says_which_pythons():
    # nbgrader 0.9.6 needs Python 3.11; the course (and every other extra) runs on 3.10 too.
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for name in ("instructor", "site"):
        for line in extras[name]:
            req = Requirement(line)
            assert [s.operator for s in req.specifier] == ["=="], line
    (nbgrader,) = (Requirement(r) for r in extras["instructor"])
    assert nbgrader.name == "nbgrader"
    assert not nbgrader.marker.evaluate({"python_version": "3.10"})
    assert nbgrader.marker.evaluate({"python_version": "3.11"})


def test_binder_start_script_sets_one_blas_thread_and_runs_the_server_command():
    # repo2docker runs ./start with the server's command as its arguments.
    start = ROOT / "start"
    assert os.access(start, os.X_OK), "start must be executable (chmod +x start)"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([str(start), sys.executable, "-c", "import os, sys; print(os.environ['OPENBLAS_NUM_THREADS'], "
                          "sys.argv[1:])", "a b", "c"], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "1 ['a b', 'c']"
