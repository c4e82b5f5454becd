"""The setup check of lesson 00: are the course's packages the pinned versions, is this a Jupyter
kernel that can show widgets, and, if something is off, what to do about it.

:func:`run_setup_check` prints one line per check (stable text: no paths, no timings) and returns
the list of :class:`Check` results. :func:`widget_probe` shows a small widget whose fallback text,
the text a front end shows when it cannot draw widgets, is itself the diagnosis and the fix.
"""
from __future__ import annotations

import importlib.metadata as metadata
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

from ._validate import flag, function, int_list, mapping, optional_text, received, text

DISTRIBUTION = "rnn-gradients-hands-on"
MIN_PYTHON = (3, 10)
REINSTALL_FIX = ("in a terminal, in the course folder, run `make lab` again (it reinstalls the "
                 "pinned versions into .venv), then restart the kernel")
WIDGET_FIX = ("open the course with `make lab` (JupyterLab ≥ 4 with jupyterlab_widgets from the "
              "course's .venv, not a JupyterLab from another environment), reload the browser tab, "
              "then Kernel → Restart Kernel and Run All Cells. In VS Code: install the Jupyter "
              "extension and pick the .venv kernel")


@dataclass(frozen=True)
class Check:
    """One line of the setup check: what was checked, whether it passed, and the fix if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        text = f"{mark} {self.name}: {self.detail}"
        return text if self.ok else f"{text}\n    fix: {self.fix}"


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def course_requirements() -> list[str]:
    """The course's run-time requirements as installed (pyproject.toml), e.g. "numpy==2.4.6"."""
    try:
        reqs = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    return [r for r in reqs if "extra ==" not in r]


def check_python(version: Sequence[int] | None = None) -> Check:
    """Python is at least 3.10 (``version``, such as (3, 12), defaults to the running interpreter)."""
    numbers = sys.version_info[:2] if version is None else int_list("version", version, minimum=0)
    if len(numbers) < 2:
        raise ValueError(f"version must have a major and a minor number, such as (3, 12); got {received(version)}")
    version = tuple(numbers[:2])
    want = ".".join(map(str, MIN_PYTHON))
    ok = version >= MIN_PYTHON
    return Check("Python", ok, f"≥ {want}" if ok else f"{'.'.join(map(str, version))} is older than {want}",
                 "" if ok else f"install Python ≥ {want} and run `make lab PYTHON=python3.12`")


def check_packages(requirements: Sequence[str] | None = None,
                   version_of: Callable[[str], str | None] = _installed_version) -> list[Check]:
    """One Check per pinned requirement whose environment marker applies here.

    Parameters
    ----------
    requirements : requirement strings such as "numpy==2.4.6; python_version >= '3.11'";
        None for the course's own (:func:`course_requirements`)
    version_of : name -> installed version or None (injectable for tests)
    """
    function("version_of", version_of, "lambda name: '2.4.6'")
    if requirements is None:
        requirements = course_requirements()
        if not requirements:
            return [Check("course package", False, f"{DISTRIBUTION} is not installed in this kernel's environment",
                          REINSTALL_FIX)]
    elif isinstance(requirements, (str, bytes)) or not isinstance(requirements, Sequence):
        raise ValueError(f"requirements must be a list of PEP 508 strings such as ['numpy==2.4.6'], "
                         f"got {received(requirements)}")
    checks = []
    for i, line in enumerate(requirements):
        try:
            req = Requirement(text(f"requirements[{i}]", line))
        except InvalidRequirement as exc:
            raise ValueError(f"requirements must be PEP 508 strings such as 'numpy==2.4.6'; "
                             f"got {line!r} ({exc})") from None
        if req.marker is not None and not req.marker.evaluate():
            continue
        installed = optional_text(f"version_of({req.name!r}) (the installed version, or None)", version_of(req.name))
        pinned = ", ".join(str(s) for s in req.specifier) or "any version"
        if installed is None:
            checks.append(Check(req.name, False, f"not installed (the course needs {pinned})", REINSTALL_FIX))
        elif req.specifier.contains(installed, prereleases=True):
            checks.append(Check(req.name, True, pinned))
        else:
            checks.append(Check(req.name, False, f"{installed} installed, the course needs {pinned}", REINSTALL_FIX))
    return checks


def check_kernel(shell_name: str | None = None, environ: Mapping[str, str] | None = None) -> list[Check]:
    """Is this a Jupyter kernel (which can show widgets), and which front end hints apply.

    Parameters
    ----------
    shell_name : class name of the IPython shell ("ZMQInteractiveShell" in a Jupyter kernel);
        None to look it up
    environ : environment variables (default ``os.environ``), to recognise VS Code
    """
    environ = os.environ if environ is None else _environ(environ)
    if optional_text("shell_name", shell_name) is None:
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:
            shell = None
        shell_name = type(shell).__name__ if shell is not None else "none"
    in_kernel = shell_name == "ZMQInteractiveShell"
    checks = [Check("Jupyter kernel", in_kernel,
                    "running in a Jupyter kernel" if in_kernel else
                    f"not a Jupyter kernel (shell: {shell_name}); sliders need JupyterLab, Voilà or VS Code",
                    "" if in_kernel else "open the notebook in JupyterLab with `make lab`")]
    if any(k.startswith("VSCODE_") for k in environ):
        checks.append(Check("front end", True, "VS Code: sliders need the Jupyter extension and the .venv kernel"))
    return checks


def _environ(environ) -> Mapping[str, str]:
    """``environ`` checked: a dict of variable names to values, all strings."""
    for name, value in mapping("environ", environ, "variable names to values (strings)", empty_ok=True).items():
        text("environ's names", name)
        text(f"environ[{name!r}]", value)
    return environ


def run_setup_check(print_report: bool = True) -> list[Check]:
    """Check Python, the pinned packages and the kernel; print one line each and a verdict.

    Returns the list of Checks (``all(c.ok for c in checks)`` is the verdict).
    """
    print_report = flag("print_report", print_report)
    python, packages, kernel = check_python(), check_packages(), check_kernel()
    checks = [python, *packages, *kernel]
    if print_report:
        print(python.line())
        good = [c.name for c in packages if c.ok]
        if good:
            print(f"✓ {len(good)} course packages at their pinned versions: {', '.join(good)}")
        for c in [c for c in packages if not c.ok] + kernel:
            print(c.line())
        bad = [c for c in checks if not c.ok]
        print("All checks passed: the course is ready." if not bad else
              f"{len(bad)} check(s) failed: apply the fix shown, then run this cell again.")
    return checks


PROBE_OK = "✓ Widgets render here: you can see this line and move the slider below it."
PROBE_FALLBACK = ("If you see this text after running the cell (and no slider), widgets do not "
                  "render in this front end. Fix: " + WIDGET_FIX + ".")


def widget_probe():
    """A tiny widget that says "✓ widgets render" where it can be drawn.

    Where the front end cannot draw widgets it falls back to the display's text form, which
    here is the diagnosis and the fix (:data:`PROBE_FALLBACK`), so what a student sees is
    always the right advice.
    """
    import ipywidgets as w

    class _Probe(w.VBox):
        def __repr__(self) -> str:
            return PROBE_FALLBACK

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            bundle["text/plain"] = PROBE_FALLBACK
            return bundle

    return _Probe([w.HTML(f"<b style='color:#009E73'>{PROBE_OK}</b>"),
                   w.IntSlider(value=3, min=0, max=10, description="try me")])
