"""Every figure the course's drawing helpers make, built as the lessons build them (the same calls,
the lessons' labels and data of the same kind, smaller where computing it would be slow).

Used by tests/test_figures_for_slides.py, which holds every entry to the slide rules (font sizes,
figure size, contrast, nothing hidden), and handy for looking at them all:

    .venv/bin/python tests/figure_gallery.py build/gallery      # one PNG per entry
"""
from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers import bptt as bs  # noqa: E402
from helpers import (  # noqa: E402
    cliff,
    data,
    diagrams,
    gated,
    init,
    plots_bptt,
    plots_cliff,
    plots_gated,
    plots_longterm,
    plots_race,
    plots_remedies,
    plots_sequences,
    plots_truncation,
    plots_vanishing,
    race,
    rnn,
    tasks,
    widgets_cliff,
    widgets_esn,
    widgets_sequences,
    widgets_vanishing,
)
from helpers import longterm as ex  # noqa: E402
from helpers import sequences as sq  # noqa: E402
from helpers import vanishing as gt  # noqa: E402
from helpers.optim import History  # noqa: E402

# The modules that draw (every view of helpers/__init__.py's module map: diagrams, plots_*,
# widgets_*); each of their public functions and classes must be in GALLERY (as "module.name" or
# "module.name[variant]") or in NOT_FIGURES.
MODULES: tuple[ModuleType, ...] = (
    diagrams, plots_sequences, plots_bptt, plots_truncation, plots_vanishing, plots_longterm, plots_cliff,
    plots_remedies, plots_gated, plots_race, widgets_sequences, widgets_vanishing, widgets_cliff, widgets_esn,
)
NOT_FIGURES = {
    "widgets_vanishing.ExplorerView": "the explorer's figure, drawn by widgets_vanishing.gradient_explorer",
    "plots_cliff.draw_wall": "draws the wall on axes it is given (no figure of its own); drawn by "
                             "plots_cliff.plot_error_surface and widgets_cliff.clipping_paths",
}


def public_callables(module: ModuleType) -> list[str]:
    """"module.name" of every public function and class defined in ``module``."""
    short = module.__name__.rsplit(".", 1)[-1]
    return sorted(f"{short}.{name}" for name, obj in vars(module).items()
                  if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                  and obj.__module__ == module.__name__)


# ---------------------------------------------------------------------------------------- data

@functools.cache
def _stocks():
    return data.load_stocks("IBM")


@functools.cache
def _sentences():
    ta = sq.tokenize("the movie my friend has not seen is good")
    tb = sq.tokenize("the movie my friend has seen is not good")
    vocab = sq.build_vocabulary([ta, tb], pad=None)
    return ta, tb, vocab


def _history(loss, status="finished"):
    loss = np.asarray(loss, dtype=float)
    return History({}, loss, 10 * loss, np.zeros(loss.size, bool), status, "")


_INITS = {"Gaussian, tanh": ("gaussian", "tanh"), "orthogonal, tanh": ("orthogonal", "tanh"),
          "identity, ReLU (IRNN)": ("identity", "relu")}


@functools.cache
def _decay():
    """Lesson 06's gradient flow at initialisation, per initialisation (T = 60)."""
    x60, _ = tasks.copy_first_symbol(60, 16, seed=2)
    out = {}
    for name, (kind, act) in _INITS.items():
        p = init.rnn_params(4, 32, 4, init=kind, seed=0)
        _, cache = rnn.rnn_forward(x60, np.zeros((16, 32)), p["W_xh"], p["W_hh"], p["b_h"], act)
        out[name] = np.median(rnn.jacobian_norms(cache), axis=1)
    return out, x60


@functools.cache
def _gap_sweep():
    """A GapSweep shaped like lesson 05's: 5 gaps, 3 seeds, 200 steps (numbers made up)."""
    rng = np.random.default_rng(0)
    gaps = np.array([5, 7, 10, 20, 40])
    acc = np.clip(np.array([1.0, 0.98, 0.6, 0.14, 0.12])[:, None] + rng.normal(0, 0.03, (5, 3)), 0, 1)
    steps = np.arange(200)
    ratio = 0.6 ** gaps[:, None, None] * np.exp(-steps / 150)[None, None, :] * rng.uniform(0.5, 2, (5, 3, 1))
    return ex.GapSweep(gaps, np.arange(3), acc, rng.uniform(1, 2, (5, 3, 200)), ratio)


# ------------------------------------------------------------------------------------ figures

def _intro() -> dict[str, Callable]:
    def order_test():
        dates, prices = _stocks()
        real = sq.lag_autocorrelation(prices)
        shuffled = sq.shuffled_statistic(prices, sq.lag_autocorrelation, n_shuffles=300, seed=0)
        return plots_sequences.plot_order_test(real, shuffled, "lag-1 autocorrelation $r_1$")

    def one_hot():
        ta, tb, vocab = _sentences()
        return plots_sequences.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), sq.one_hot(tb, vocab),
                                                    sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))

    def memory_fading():
        curves = {f"λ₁ = {lam}": sq.memory_fade_norms(lam) for lam in (0.6, 0.9, 1.5, 2.0)}
        curves["λ₁ = 1.5, weak inputs"] = sq.memory_fade_norms(1.5, input_scale=0.1)
        return plots_sequences.plot_memory_fading(curves, "tanh: the change fades; with large λ₁ or weak inputs "
                                                          "it lingers")

    return {
        "plots_sequences.plot_series": lambda: plots_sequences.plot_series(*_stocks(), "IBM"),
        "plots_sequences.plot_windows": lambda: plots_sequences.plot_windows(*_stocks(), 30, starts=[0, 45, 92],
                                                                             label="IBM price"),
        "plots_sequences.plot_order_test": order_test,
        "plots_sequences.plot_one_hot_and_bag": one_hot,
        "plots_sequences.plot_memory_fading": memory_fading,
        "diagrams.draw_sequence_model_kinds": diagrams.draw_sequence_model_kinds,
        "diagrams.draw_feedforward_vs_recurrent": diagrams.draw_feedforward_vs_recurrent,
        "diagrams.draw_unrolled": lambda: diagrams.draw_unrolled(4),
        "diagrams.draw_stacked_rnn": lambda: diagrams.draw_stacked_rnn(4),
    }


def _bptt() -> dict[str, Callable]:
    def contributions():
        norms = {f"scale {s:g}": bs.contribution_norms_by_gap(bs.loss_contributions(
            *init.example_problem(T=30, B=1, H=8, scale=s, seed=2))) for s in (0.5, 1.0, 3.0)}
        return plots_bptt.plot_contributions(norms, title=r"Geometric decay with $k$ for scale $\leq 1$; "
                                                          r"for scale 3, growth that levels off")

    def truncation_error():
        reach = np.arange(0, 20)
        err_t = 0.4 * 0.45 ** reach
        err_c = 0.3 / (1 + reach) ** 0.7
        return plots_truncation.plot_truncation_error(reach, err_t, err_c)

    def gradcheck():
        names = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")
        errors = {(a, n): 10.0 ** -(8.5 + 3 * np.sin(i + 2 * j))
                  for i, a in enumerate(("tanh", "sigmoid", "relu", "linear")) for j, n in enumerate(names)}
        return plots_bptt.plot_gradcheck(errors)

    def cost():
        Ts = np.array([50, 100, 200, 400, 800])
        return plots_truncation.plot_cost(Ts, 2e-5 * Ts + 1e-4, Ts * 3 * 32 * 8.0)

    return {
        "diagrams.draw_bptt_graph": lambda: diagrams.draw_bptt_graph(4),
        "plots_bptt.plot_contributions": contributions,
        "plots_bptt.plot_activation_derivatives": plots_bptt.plot_activation_derivatives,
        "plots_bptt.plot_gradcheck": gradcheck,
        "plots_truncation.plot_truncation_windows": lambda: plots_truncation.plot_truncation_windows(12, truncate=3,
                                                                                                     chunk=4),
        "plots_truncation.plot_truncation_error": truncation_error,
        "plots_truncation.plot_cost": cost,
    }


def _gradients() -> dict[str, Callable]:
    def exploding():
        steps = np.arange(41)
        return plots_vanishing.plot_exploding_run({
            "lr = 0.1": _history(1.0 * 0.97 ** steps),
            "lr = 0.2": _history(10.0 ** (np.arange(4) * 33.0), "diverged")}, steps_shown=40)

    def plateau():
        rng = np.random.default_rng(1)
        hist = {"T = 5": _history(np.log(4) * np.exp(-np.arange(300) / 60) + 0.05 + 0.02 * rng.random(300)),
                "T = 30": _history(np.log(4) + 0.01 * rng.standard_normal(300))}
        grads = {"before training": 0.5 ** np.arange(30)[::-1], "after 300 steps": 0.6 ** np.arange(30)[::-1]}
        return plots_vanishing.plot_vanishing_plateau(hist, np.log(4), grads)

    return {
        "plots_vanishing.plot_phase_diagram": lambda: plots_vanishing.plot_phase_diagram(
            scales=np.logspace(-1, 1, 13), lengths=np.arange(8, 201, 24), H=16),
        "plots_vanishing.plot_nonnormal_powers": lambda: plots_vanishing.plot_nonnormal_powers(rho=0.95, coupling=10.0,
                                                                                               k_max=150),
        "plots_vanishing.plot_gaussian_spectrum": lambda: plots_vanishing.plot_gaussian_spectrum(H=400, seed=0),
        "plots_vanishing.plot_sigmoid_saturation": plots_vanishing.plot_sigmoid_saturation,
        "plots_vanishing.plot_exploding_run": exploding,
        "plots_vanishing.plot_vanishing_plateau": plateau,
        "plots_vanishing.plot_feedforward_vs_recurrent": lambda: plots_vanishing.plot_feedforward_vs_recurrent({
            "tanh, scale 1": gt.feedforward_vs_recurrent("tanh", 1.0, depth=100, trials=8),
            "sigmoid, scale 1": gt.feedforward_vs_recurrent("sigmoid", 1.0, depth=100, trials=8)}),
    }


def _longterm() -> dict[str, Callable]:
    def adding_baseline():
        S = np.random.default_rng(0).uniform(size=(2, 2000)).sum(axis=0)
        c = np.linspace(0.5, 1.5, 21)
        simulated = 0.5 * ((S[None, :] - c[:, None]) ** 2).mean(axis=1)
        return plots_longterm.plot_adding_baseline(S, c, simulated, 0.5 * ((1 - c) ** 2 + 1 / 6))

    def adding_runs():
        rng = np.random.default_rng(2)
        steps = np.arange(400)
        runs = [ex.AddingRun(T, base * (1 + 0.3 * rng.standard_normal(400)) ** 2, base[-1], "finished")
                for T, base in ((10, 1 / 12 * np.exp(-steps / 80) + 1 / 150),
                                (20, 1 / 12 * np.exp(-steps / 200) + 1 / 40),
                                (50, 1 / 12 + 0 * steps))]
        levels = {"constant answer 1/12": 1 / 12, "only U₂ 1/24": 1 / 24, "solved 1/120": 1 / 120}
        return plots_longterm.plot_adding_runs(runs, levels)

    def one_unit():
        w_values = (0.5, 1.0, 2.0)
        h_grid = np.linspace(-1, 1, 201)
        noise = 0.3 * np.random.default_rng(4).standard_normal((40, 1))
        traj = np.stack([ex.one_unit_run(w, noise, np.ones(1))[0][:, 0] for w in w_values])
        return plots_longterm.plot_one_unit(w_values, h_grid, np.tanh(np.outer(w_values, h_grid)), traj)

    return {
        "plots_longterm.plot_gap_accuracy": lambda: plots_longterm.plot_gap_accuracy(_gap_sweep()),
        "plots_longterm.plot_clue_gradient": lambda: plots_longterm.plot_clue_gradient(_gap_sweep(), (0.6, 1.0)),
        "plots_longterm.plot_adding_baseline": adding_baseline,
        "plots_longterm.plot_adding_runs": adding_runs,
        "plots_longterm.plot_one_unit": one_unit,
        "plots_longterm.plot_memory_vs_trainability": lambda: plots_longterm.plot_memory_vs_trainability(
            ex.memory_sweep(np.linspace(0.5, 3.0, 11), runs=200)),
    }


def _remedies() -> dict[str, Callable]:
    def error_surface():
        W, B = np.meshgrid(np.linspace(2, 8, 121), np.linspace(-6, 1, 121))
        E, dw, db = cliff.error_and_grad(W, B)
        return plots_cliff.plot_error_surface(W, B, E, np.hypot(dw, db))

    def clip_directions():
        _, dw, db = cliff.error_and_grad(4.69, -2.42)
        g = np.array([dw, db])
        by_norm = g * 0.5 / np.linalg.norm(g)
        return plots_cliff.plot_clip_directions(g, by_norm, np.clip(g, -0.5, 0.5), 0.5)

    def norms_against_length():
        lengths = np.arange(10, 101, 10)
        norms = {"full BPTT, target at T": 1.3 ** lengths, "full BPTT, a target at every step": 2 * 1.3 ** lengths,
                 "truncate = 5, target at T": 1.3 ** 5 + 0 * lengths,
                 "truncate = 5, a target at every step": 1.3 ** 5 * lengths / 10}
        return plots_remedies.plot_norms_against_length(lengths, norms,
                                                        title="Truncation caps each term, not their sum")

    def input_gradients():
        params = init.rnn_params(4, 32, 4, seed=0)
        x, y = tasks.copy_first_symbol(12, 32, seed=1)
        per_step = {}
        for k in (None, 4):
            o, _, cache = rnn.rnn_outputs(params, x)
            _, do = rnn.output_loss(o, y, "softmax")
            dx = rnn.rnn_backward(do @ params["W_hy"], cache, truncate=k)["x"]
            per_step["full BPTT" if k is None else f"truncate = {k}"] = np.linalg.norm(dx, axis=(1, 2))
        return plots_remedies.plot_input_gradients(per_step,
                                                   title="With truncate = 4 the clue x₁ gets no gradient")

    def _loss(rng, start, end, tau, n=400):
        return end + (start - end) * np.exp(-np.arange(n) / tau) + 0.08 * rng.standard_normal(n) ** 2

    def losses_inits():
        rng = np.random.default_rng(3)
        losses = {"Gaussian, tanh": _loss(rng, 1.5, np.log(4), 20), "orthogonal, tanh": _loss(rng, 1.5, np.log(4), 25),
                  "identity, ReLU (IRNN)": _loss(rng, 1.5, 0.4, 150)}
        return plots_remedies.plot_losses(losses, chance=np.log(4), log=False,
                                          title="Copy task, T = 40, seed 0: only the IRNN gets below guessing")

    def decay_inits():
        decay, _ = _decay()
        return plots_remedies.plot_jacobian_decay(np.arange(60), decay,
                                                  title="At initialisation, tanh loses the gradient; the IRNN keeps it")

    def over_seeds():
        rng = np.random.default_rng(5)
        accuracy = {f"{init}\n{what}": 0.25 + rng.uniform(0, 0.05, 10) * (1 + 4 * (what == "α = 10"))
                    for init in ("Gaussian", "orthogonal") for what in ("clipping", "α = 0.1", "α = 1", "α = 10")}
        return plots_remedies.plot_over_seeds(accuracy, ylabel="test accuracy", reference=0.25,
                                              title="Copy task, T = 40, ten seeds: Ω against clipping alone")

    return {
        "plots_cliff.plot_bifurcation": lambda: plots_cliff.plot_bifurcation(5.0),
        "plots_cliff.plot_error_surface": error_surface,
        "plots_cliff.plot_clip_directions": clip_directions,
        "plots_remedies.plot_norms_against_length": norms_against_length,
        "plots_remedies.plot_input_gradients": input_gradients,
        "plots_remedies.plot_losses[initialisations]": losses_inits,
        "plots_remedies.plot_jacobian_decay[initialisations]": decay_inits,
        "plots_remedies.plot_over_seeds": over_seeds,
    }


def _live() -> dict[str, Callable]:
    def player():
        ta, tb, vocab = _sentences()
        x = np.stack([sq.one_hot(ta, vocab), sq.one_hot(tb, vocab)], axis=1)
        rng = np.random.default_rng(3)
        h, _ = rnn.rnn_forward(x, np.zeros((2, 8)), rng.standard_normal((8, len(vocab))),
                               init.recurrent_matrix(8, 0.9, "orthogonal", 4), np.zeros(8))
        return widgets_sequences.hidden_state_player(h, [ta, tb], ["A", "B"], live=False)

    def esn_app():
        dates, co2, _ = data.load_co2()
        return widgets_esn.esn_explorer(co2, dates, H=40, live=False)

    return {
        "widgets_vanishing.gradient_explorer": lambda: widgets_vanishing.gradient_explorer(live=False),
        "widgets_vanishing.gradient_explorer[sigmoid]": lambda: widgets_vanishing.gradient_explorer(
            live=False, activation="sigmoid", amplitude=4.0),
        "widgets_vanishing.gradient_explorer[overflow]": lambda: widgets_vanishing.gradient_explorer(
            live=False, activation="linear", scale=50.0, T=200),
        "widgets_vanishing.gradient_explorer[underflow]": lambda: widgets_vanishing.gradient_explorer(
            live=False, activation="tanh", scale=0.01, T=200),
        "widgets_sequences.power_slider": lambda: widgets_sequences.power_slider(live=False),
        "widgets_sequences.hidden_state_player": player,
        "widgets_sequences.memory_fade": lambda: widgets_sequences.memory_fade(live=False),
        "widgets_cliff.clipping_paths": lambda: widgets_cliff.clipping_paths(grid=80, live=False),
        "widgets_esn.esn_explorer": esn_app,
    }


def _gated() -> dict[str, Callable]:
    """Lesson 07's figures, on the race's cells at their start (seeds 0 and 1 stand in for the start and the
    trained weights, which live in a data file) and a shorter gap."""
    from helpers import race

    gap = 20
    x, y = tasks.clue_task(gap, 16, seed=999_997)
    params = {"at the start": {cell: race.start_params(cell, 0) for cell in race.CELLS},
              "after training": {cell: race.start_params(cell, 1) for cell in race.CELLS}}

    def flows():
        return plots_gated.plot_flows(
            np.arange(gap + 5), {when: {cell.replace("tanh RNN", "tanh RNN (orthogonal)"):
                                        np.median(gated.gradient_flow(cell, p, x).hidden, axis=1)
                                        for cell, p in by_cell.items()} for when, by_cell in params.items()},
            title="Like with like: which cell keeps ∂h_T/∂h_(T−k) over the gap?", mark=gap)

    def inside():
        curves = {}
        for when, by_cell in params.items():
            f = gated.gradient_flow("LSTM", by_cell["LSTM"], x)
            unit = gated.clue_unit("LSTM", by_cell["LSTM"], x, y).unit
            curves[when] = {r"LSTM, $\|\partial h_T/\partial h_{T-k}\|$": np.median(f.hidden, axis=1),
                            r"LSTM, $\|\partial c_T/\partial c_{T-k}\|$": np.median(f.cell, axis=1),
                            r"LSTM, carousel Π f, median unit": np.median(f.direct, axis=(1, 2)),
                            r"LSTM, carousel Π f, clue unit": np.median(f.direct[:, :, unit], axis=1)}
        return plots_gated.plot_flows(np.arange(gap + 5), curves, ylabel="norm or product, median",
                                      title="Inside the LSTM: the cell keeps what h loses", mark=gap)

    def gates():
        traces, kept = {}, {}
        for model, gate in (("LSTM", "forget gate f"), ("GRU", "update gate z")):
            unit = gated.clue_unit(model, params["after training"][model], x, y).unit
            for when, by_cell in params.items():
                found = gated.clue_unit(model, by_cell[model], x, y, unit=unit)
                traces[f"{model} {gate}, {when}"] = found.gate_quartiles
                kept[f"{model} {gate}, {when}"] = found.kept_quartiles
        return plots_gated.plot_gate_traces(traces, kept, clue_step=5,
                                            title="The clue unit's keeping gate stays near 1 after the clue")

    return {"plots_gated.plot_flows[cells]": flows, "plots_gated.plot_flows[lstm inside]": inside,
            "plots_gated.plot_gate_traces": gates}


def _race() -> dict[str, Callable]:
    return {"plots_race.plot_race": lambda: plots_race.plot_race(
        race.load_race(), title="Same size, same training: which cells still learn at long gaps")}


GALLERY: dict[str, Callable] = {**_intro(), **_bptt(), **_gradients(), **_longterm(), **_remedies(), **_gated(),
                                 **_race(), **_live()}
LIVE = [name for name in GALLERY if name.startswith("widgets_")]


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.livefig import LiveFigure
    from helpers.style import use_course_style

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/gallery")
    out.mkdir(parents=True, exist_ok=True)
    use_course_style(deck=False)
    for name, build in GALLERY.items():
        made = build()
        fig = made.fig if isinstance(made, LiveFigure) else made
        fig.savefig(out / f"{name}.png", dpi=100, bbox_inches="tight")
        plt.close("all")
        print(out / f"{name}.png")
