import subprocess
import sys

import helpers


def test_submodules_load_on_first_use():
    assert helpers.rnn.rnn_forward is not None
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
