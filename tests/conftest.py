"""What every test file shares: a non-interactive matplotlib, figures closed after each test, the
markers of the fast lane, the small seeded RNN problem that the BPTT tests build (``rnn_case``,
``fd_loss``), and the label check of the static figures (``labels_in_mathtext``).

Warnings are errors everywhere (pyproject.toml's ``filterwarnings`` starts with "error"), so no
test file needs its own ``warnings.simplefilter("error")``.

Markers (registered in pyproject.toml): ``notebook`` (nbval's items, under notebooks/) and
``browser`` (everything under tests/browser/) are added here by path; ``slow`` is set by the slow
test files themselves (and here, for now, for the tests listed in SLOW_ELSEWHERE). ``make unit``
runs what is none of the three.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")                    # before pyplot is imported anywhere: no window, no GUI toolkit

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BROWSER = ROOT / "tests" / "browser"


# Slow tests in files that do not mark themselves yet (test function -> seconds on a 2-core
# machine); each is better marked where it is defined, with @pytest.mark.slow, and then dropped here.
SLOW_ELSEWHERE = {
    "tests/test_widgets_vanishing.py::test_every_control_at_its_extremes_and_between": 8.5,
    "tests/test_widgets_vanishing.py::test_each_control_over_its_grid_through_the_widgets": 15,   # 24 cases
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.path)).resolve()
        if path.is_relative_to(NOTEBOOKS):
            item.add_marker(pytest.mark.notebook)
        elif path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.browser)
        elif path.is_relative_to(ROOT):
            name = f"{path.relative_to(ROOT).as_posix()}::{getattr(item, 'originalname', item.name)}"
            if name in SLOW_ELSEWHERE:
                item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _close_figures():
    """Every figure a test makes is closed after it (pyplot keeps them alive otherwise)."""
    yield
    plt.close("all")


# ----------------------------------------------------------------------- a small RNN problem

@pytest.fixture(scope="session")
def rnn_case():
    """Build a seeded RNN problem at the point where BPTT starts.

    ``rnn_case(act="tanh", seed=0, T=6, B=2, H=4)`` returns (params, x, y, cache, dh):
    :func:`helpers.init.example_problem` (D = 3, K = 2, scale 1), the forward cache, and
    dh = ∂L/∂h through the output layer of the mse loss.
    """
    from helpers.init import example_problem
    from helpers.rnn import output_loss, rnn_outputs

    def build(act="tanh", seed=0, T=6, B=2, H=4):
        params, x, y = example_problem(T=T, B=B, D=3, H=H, K=2, scale=1.0, seed=seed)
        o, _, cache = rnn_outputs(params, x, None, act)
        _, do = output_loss(o, y)
        return params, x, y, cache, do @ params["W_hy"]

    return build


@pytest.fixture(scope="session")
def fd_loss():
    """``fd_loss(params, x, y, name, act="tanh", **kw)``: ∂L/∂params[name] of
    :func:`helpers.rnn.rnn_loss_and_grads` by central differences (keywords go to the loss)."""
    from helpers.gradcheck import numerical_gradient
    from helpers.rnn import rnn_loss_and_grads

    def grad(params, x, y, name, act="tanh", **kw):
        return numerical_gradient(lambda _: rnn_loss_and_grads(params, x, y, activation=act, **kw)[0],
                                  params[name])

    return grad


# ----------------------------------------------------------------------- figures

@pytest.fixture(scope="session")
def labels_in_mathtext():
    """``labels_in_mathtext(fig)`` asserts that every panel says what x is, the first one what y is
    (or the figure has a title), and that no label or legend entry spells a symbol such as x_t
    outside mathtext ($…$)."""
    import re

    def check(fig):
        panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert all(ax.get_xlabel() for ax in panels)
        assert panels[0].get_ylabel() and (panels[0].get_title() or fig._suptitle is not None)
        texts = [t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel(), ax.get_title())]
        texts += [t.get_text() for ax in panels if ax.get_legend() for t in ax.get_legend().get_texts()]
        for t in texts:
            assert "_" not in re.sub(r"\$[^$]*\$", "", t), t

    return check
