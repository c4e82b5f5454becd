"""What every test file shares: a non-interactive matplotlib, figures closed after each test, the
markers of the fast lane, the small seeded RNN problem that the BPTT tests build (``rnn_case``,
``fd_loss``), and the label check of the static figures (``labels_in_mathtext``).

Warnings are errors everywhere (pyproject.toml's ``filterwarnings`` starts with "error"), so no
test file needs its own ``warnings.simplefilter("error")``.

Markers (registered in pyproject.toml): ``notebook`` (nbval's items, under notebooks/) and
``browser`` (everything under tests/browser/) are added here by path; ``slow`` is set by the slow
tests themselves. ``make unit`` runs what is none of the three.
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


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.path)).resolve()
        if path.is_relative_to(NOTEBOOKS):
            item.add_marker(pytest.mark.notebook)
        elif path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.browser)


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


@pytest.fixture(scope="session")
def blits_like_a_full_draw():
    """``blits_like_a_full_draw(app, sweeps)``: every value of ``sweeps`` (control -> values) is drawn
    by blitting alone (no draw of the whole figure), to the pixel what drawing the whole figure shows."""
    import numpy as np

    def check(app, sweeps: dict) -> None:
        fig = app.fig
        fig.canvas.draw()
        draws = []
        fig.canvas.mpl_connect("draw_event", lambda _e: draws.append(1))
        for name, values in sweeps.items():
            for value in values:
                app.controls[name].value = value
                assert not draws, f"{name} = {value!r} redrew the whole figure"
                blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
                fig.canvas.draw()
                draws.clear()
                differ = np.count_nonzero(np.any(blitted != np.asarray(fig.canvas.buffer_rgba()), axis=2))
                assert not differ, f"{name} = {value!r}: {differ} pixels differ from a full draw"

    return check
