"""Valid calls of helpers.setup_check (see walk_calls/__init__.py)."""

CALLS = {
    "Check": lambda: {"name": "numpy", "ok": True, "detail": "==2.4.6", "fix": ""},
    "course_requirements": dict,
    "check_python": lambda: {"version": (3, 12)},
    "check_packages": lambda: {"requirements": ["numpy==2.4.6", "scipy>=1.0"],
                               "version_of": lambda name: {"numpy": "2.4.6"}.get(name)},
    "check_kernel": lambda: {"shell_name": "ZMQInteractiveShell", "environ": {"VSCODE_PID": "1"}},
    "run_setup_check": lambda: {"print_report": False},
    "widget_probe": dict,
}

RECORDS = {"Check": "one line of the setup check, built by the check_* functions"}
