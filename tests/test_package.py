import subprocess
import sys

import helpers


def test_submodules_load_on_first_use():
    code = ("import sys, helpers; before = 'helpers.rnn' in sys.modules; f = helpers.rnn.rnn_forward; "
            "print(before, 'helpers.rnn' in sys.modules, f.__module__, f.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "helpers.rnn", "rnn_forward"]
    assert "rnn" in dir(helpers) and "activations" in dir(helpers)


def test_import_helpers_does_not_pull_in_plotting_or_widgets():
    code = ("import sys, helpers, helpers.rnn, helpers.optim, helpers.gradcheck; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error():
    try:
        helpers.nonexistent
    except AttributeError as exc:
        assert "nonexistent" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
