import importlib.metadata as metadata

import pytest

from helpers import setup_check as sc

FAKE = {"numpy": "2.4.6", "ipywidgets": "8.1.7", "jupyterlab": "4.5.11"}


def test_packages_pass_fail_and_missing_with_the_fix():
    reqs = ["numpy==2.4.6", "ipywidgets==8.1.8", "jupyterlab>=4", "tqdm==4.70.1",
            "ancient==1.0; python_version < '3.0'"]           # marker false here: skipped
    checks = sc.check_packages(reqs, version_of=FAKE.get)
    assert [(c.name, c.ok) for c in checks] == [("numpy", True), ("ipywidgets", False),
                                               ("jupyterlab", True), ("tqdm", False)]
    assert checks[1].detail == "8.1.7 installed, the course needs ==8.1.8"
    assert checks[3].detail == "not installed (the course needs ==4.70.1)"
    assert "make lab" in checks[1].fix and "restart the kernel" in checks[1].fix
    assert checks[1].line().startswith("✗ ipywidgets: 8.1.7 installed") and "fix: " in checks[1].line()
    assert checks[0].line() == "✓ numpy: ==2.4.6"


def test_bad_requirement_is_a_value_error():
    with pytest.raises(ValueError, match="requirements must be PEP 508 strings"):
        sc.check_packages(["numpy=="], version_of=FAKE.get)


def test_the_installed_course_passes_its_own_package_check():
    reqs = sc.course_requirements()
    names = [r.split("=")[0].split(";")[0].strip() for r in reqs]
    assert {"numpy", "ipywidgets", "jupyterlab_widgets", "ipympl"} <= set(names)
    assert not any("extra ==" in r for r in reqs)
    checks = sc.check_packages()
    assert checks and all(c.ok for c in checks), [c.line() for c in checks if not c.ok]
    versions = {c.name: metadata.version(c.name) for c in checks}
    assert all(c.detail == f"=={versions[c.name]}" for c in checks)


def test_python_version():
    assert sc.check_python((3, 12)).ok
    assert sc.check_python((3, 10)).ok and sc.check_python((3, 14)).ok      # the oldest and newest supported
    old = sc.check_python((3, 9))
    assert not old.ok and old.detail == "3.9 is older than 3.10" and "PYTHON=python3.12" in old.fix


def test_kernel_and_front_end():
    (ok,) = sc.check_kernel("ZMQInteractiveShell", environ={})
    assert ok.ok
    (bad,) = sc.check_kernel("TerminalInteractiveShell", environ={})
    assert not bad.ok and "TerminalInteractiveShell" in bad.detail and "make lab" in bad.fix
    checks = sc.check_kernel("ZMQInteractiveShell", environ={"VSCODE_PID": "1"})
    assert [c.name for c in checks] == ["Jupyter kernel", "front end"] and "Jupyter extension" in checks[1].detail


def test_report_prints_a_stable_summary(capsys):
    checks = sc.run_setup_check()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ Python: ≥ 3.10"
    n = sum(1 for c in checks[1:] if c.name not in ("Jupyter kernel", "front end"))
    assert out[1].startswith(f"✓ {n} course packages at their pinned versions: numpy, ")
    # pytest is not a Jupyter kernel: the report says so, with the fix, and the verdict counts it
    assert any(line.startswith("✗ Jupyter kernel") for line in out)
    assert out[-1] == "1 check(s) failed: apply the fix shown, then run this cell again."
    assert not any("/" in line and ("home" in line or "work" in line) for line in out)   # no paths


def test_widget_probe_falls_back_to_the_diagnosis():
    probe = sc.widget_probe()
    bundle = probe._repr_mimebundle_()
    assert bundle["text/plain"] == sc.PROBE_FALLBACK == repr(probe)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "make lab" in sc.PROBE_FALLBACK and "Restart Kernel and Run All" in sc.PROBE_FALLBACK
    assert sc.PROBE_OK in probe.children[0].value
    assert probe.children[1].value == 3


@pytest.mark.parametrize("call, message", [
    (lambda: sc.check_python("3.12"), "version must be a list of integers >= 0"),
    (lambda: sc.check_python((3,)), "version must have a major and a minor number, such as (3, 12); got (3,)"),
    (lambda: sc.check_python((3, float("nan"))), "version[1] must be an integer >= 0, got nan"),
    (lambda: sc.check_packages("numpy==2.4.6", FAKE.get), "requirements must be a list of PEP 508 strings"),
    (lambda: sc.check_packages([None], FAKE.get), "requirements[0] must be a string, got None"),
    (lambda: sc.check_packages(["numpy==2.4.6"], "numpy"), "version_of must be a function"),
    (lambda: sc.check_packages(["numpy==2.4.6"], lambda name: 2.4), "version_of('numpy') (the installed version"),
    (lambda: sc.check_kernel(3, {}), "shell_name must be a string, got 3"),
    (lambda: sc.check_kernel(None, "VSCODE_PID"), "environ must be a dict of variable names to values"),
    (lambda: sc.check_kernel(None, {"VSCODE_PID": None}), "environ['VSCODE_PID'] must be a string, got None"),
    (lambda: sc.run_setup_check("no"), "print_report must be True or False, got 'no'"),
])
def test_injected_arguments_are_checked(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
