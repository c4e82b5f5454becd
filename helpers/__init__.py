"""RNN Gradients, Hands-On: the helpers the course notebooks import.

One rule names every module, so its name says what it is (``tests/test_package.py`` enforces it):

- **core**: numerics and data that several lessons use. They import only other core modules.
- **topic** ``X``: the numerics of one lesson topic. A topic imports core modules, never another
  topic, so each lesson's maths can be read (and changed) on its own.
- **views** ``plots_X`` and ``widgets_X``: the static and the live figures of topic (or core
  module) ``X``. They draw numbers computed by ``X`` and core modules and compute no maths of their
  own; ``diagrams`` draws the model itself. Only views and the view tools import matplotlib or
  ipywidgets.
- **tools**: the course's own plumbing (style, live figures, slides, exercises, setup check).

"lessons" lists the lessons that import the module (– when only other modules do).

========================  =======  ==========  ====================================================
module                    layer    lessons     one job
========================  =======  ==========  ====================================================
activations               core     03, 04      φ and φ′ for tanh, sigmoid, relu, linear
rnn                       core     01–06       the vanilla RNN: forward, BPTT, Jacobians, losses
lstm                      core     07          the LSTM: forward, backward, cell Jacobians
gru                       core     07          the GRU: forward, backward, step Jacobians, losses
regulariser               core     06          Pascanu et al.'s Ω: norm ratios, Ω, the paper's and the exact gradient
init                      core     01–07       making parameters: every starting weight, one vocabulary
linalg                    core     04          spectral radius, singular values, norms of powers
gradcheck                 core     01–07       finite differences (gradients, Jacobians), relative errors, printing
optim                     core     04, 06      gradient clipping and the training loop
data                      core     01, 05, 06  the checked data files and sliding windows
tasks                     core     04–07       seeded sequence tasks (clue, adding, copy, order)
sequences                 topic    01, 02      tokens, one-hot, vocabularies, memory of a perturbation, its verdict
bptt                      topic    03          BPTT derived step by step (contributions, ∂⁺, RTRL)
truncation                topic    03          truncated BPTT, chunks, and the cost of BPTT
vanishing                 topic    04          the bound (γλ₁)ᵏ, the explorer's maths, phase diagrams
longterm                  topic    05          clue and adding runs (ten seeds), saturation, attractors
cliff                     topic    06          the one-unit RNN's cliff and clipped descent on it
esn                       topic    06          echo state networks: reservoirs, readouts, echo test, baselines
remedies                  topic    06          the remedies trained side by side (ten seeds) on one task
race                      topic    07          four cells raced on the clue task: starts, training, its data files
gated                     topic    07          gated cells' gradient story: flow along every path, the clue unit
diagrams                  view     01–03       pictures of the model: unrolled, stacked, BPTT graph
plots_sequences           view     01, 02      sequence data, windows, one-hot, fading memory
plots_bptt                view     03          contributions, activation derivatives, gradient checks
plots_truncation          view     03          truncation windows and errors, cost of BPTT
plots_vanishing           view     04          phase diagrams, spectra, exploding and vanishing runs
plots_longterm            view     05          accuracy against gap, attractors, memory vs training
plots_cliff               view     06          bifurcation, error surface with its wall, clipping
plots_remedies            view     06          the remedies compared: norms, losses, Jacobian decay, seeds
plots_race                view     07          the race: accuracy against gap, each cell's cost in its legend
plots_gated               view     07          gradient flow in each cell; the clue unit's keeping gate
widgets_sequences         view     00, 02      powers of a number, the hidden-state player, memory fade
widgets_vanishing         view     04          the vanishing/exploding explorer
widgets_cliff             view     06          clipped and unclipped descent on the cliff
widgets_esn               view     06          the echo state network's forecast and echo property
style                     tool     00–07       palette, fonts, reference lines, contrast
livefig                   tool     –           live figures: controls over a figure that redraws in place
deck                      tool     –           figures for the static slide decks
alt                       tool     –           alt text: what each figure shows and what to notice
exercises                 tool     00–07       the exercises' answer keys and checks (reads every topic)
setup_check               tool     00          is this installation ready for the course?
========================  =======  ==========  ====================================================

Submodules load on first use (``helpers.rnn``, ``helpers.widgets_vanishing``, …), so
``import helpers`` stays fast and matplotlib / ipywidgets are imported only by the modules that draw.
"""
import importlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def __getattr__(name: str):
    if not name.startswith("_") and (_HERE / f"{name}.py").is_file():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(p.stem for p in _HERE.glob("*.py") if not p.stem.startswith("_"))
