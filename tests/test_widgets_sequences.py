import re
import warnings

import numpy as np
import pytest

from helpers import sequences as sq
from helpers import widgets_sequences as fw
from helpers.init import recurrent_matrix
from helpers.rnn import rnn_forward


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_power_slider_draws_w_to_the_t_and_updates_in_place():
    app = fw.power_slider(T=30, live=False)
    (line,) = [ln for ln in app.fig.axes[0].lines if len(ln.get_xdata()) == 31]
    slider = app.controls["w_value"]
    for value in np.linspace(slider.min, slider.max, 17):
        slider.value = float(value)
        np.testing.assert_allclose(line.get_ydata(), slider.value ** np.arange(31.0), rtol=1e-12)
    slider.value = 0.9
    assert app.status.value == f"<b>w = 0.90: after 30 steps wᵗ = {0.9 ** 30:.2e}</b>"
    assert "fades" in app.fig.axes[0].get_title()
    slider.value = 1.1
    assert "explodes" in app.fig.axes[0].get_title()
    slider.value = 1.0
    assert "stays" in app.fig.axes[0].get_title()
    assert len(app.fig.axes[0].lines) == 2                      # nothing piled up
    # The dashed line at 1 says what it is (F21 of the review), in the course's reference style.
    (one,) = [ln for ln in app.fig.axes[0].lines if ln is not line]
    assert one.get_linestyle() == "--" and "wᵗ = 1" in [t.get_text() for t in app.fig.axes[0].texts]


def test_live_figures_keep_two_lines_for_their_status():
    """A verdict that wraps must not push the figure down (S9 of the review)."""
    from helpers.livefig import STATUS_LINES
    app = fw.power_slider(live=False)
    assert STATUS_LINES == 2 and "2 *" in app.status.layout.min_height


@pytest.mark.parametrize("T", [3, 10, 40, 100])
def test_power_slider_keeps_the_whole_curve_inside_the_axes_for_every_w(T):
    app = fw.power_slider(T=T, live=False)
    ax = app.fig.axes[0]
    (line,) = [ln for ln in ax.lines if len(ln.get_xdata()) == T + 1]
    slider = app.controls["w_value"]
    low, high = ax.get_ylim()
    for value in (slider.min, 0.95, 1.0, 1.05, slider.max):
        slider.value = value
        assert ax.get_ylim() == (low, high)                    # fixed limits: the curve moves
        y = line.get_ydata()
        assert low < y.min() and y.max() < high, (value, y.min(), y.max(), low, high)
    if T == 40:                                                  # the lesson's figure
        np.testing.assert_allclose((low, high), (1e-10, 1e7))


def _sentences(H=6):
    ta = sq.tokenize("the movie my friend has not seen is good")
    tb = sq.tokenize("the movie my friend has seen is not good")
    vocab = sq.build_vocabulary([ta, tb], pad=None)
    x = np.stack([sq.one_hot(ta, vocab), sq.one_hot(tb, vocab)], axis=1)
    rng = np.random.default_rng(3)
    h, _ = rnn_forward(x, np.zeros((2, H)), rng.standard_normal((H, len(vocab))),
                       recurrent_matrix(H, 0.9, "orthogonal", seed=4), np.zeros(H))
    return h, ta, tb


def test_hidden_state_player_shows_the_states_up_to_t():
    h, ta, tb = _sentences()
    app = fw.hidden_state_player(h, [ta, tb], ["A", "B"], live=False)
    slider = app.controls["t"]
    assert (slider.min, slider.max, slider.value) == (1, 9, 9)       # maths steps; the whole run
    for b, ax in enumerate(app.fig.axes[:2]):
        np.testing.assert_array_equal(ax.images[0].get_array(), h[:, b].T)
    for t in range(1, 10):                                        # h_t is the array row h[t - 1]
        slider.value = t
        for b, ax in enumerate(app.fig.axes[:2]):
            shown = np.asarray(ax.images[0].get_array())
            np.testing.assert_array_equal(shown[:, :t], h[:t, b].T)
            assert np.isnan(shown[:, t:]).all()
            assert ax.patches[0].get_x() == t - 1.5              # the current step is outlined
            assert f"(step {t} of 9)" in ax.get_title()
        gap = np.linalg.norm(h[t - 1, 0] - h[t - 1, 1])
        assert app.status.value.startswith(f"<b>t = {t}: ") and f"= {gap:.3f}" in app.status.value
    slider.value = 5                                              # "has": sentences still agree
    assert "= 0.000" in app.status.value
    slider.value = 6                                              # "not" against "seen"
    assert "'not' / 'seen'" in app.status.value and "= 0.000" not in app.status.value


def test_hidden_state_player_one_sequence_and_bad_input():
    h, ta, tb = _sentences()
    app = fw.hidden_state_player(h[:, :1], [ta], ["A"], live=False)
    app.controls["t"].value = 9
    assert app.status.value == f"<b>t = 9: 'good', ‖hₜ‖ = {np.linalg.norm(h[8, 0]):.3f}</b>"
    with pytest.raises(ValueError, match=r"tokens must be 2 lists of 9 labels \(one per step of h, shape "
                                         r"\(9, 2, 6\)\), got \[9, 8\]"):
        fw.hidden_state_player(h, [ta, tb[:-1]], ["A", "B"], live=False)
    with pytest.raises(ValueError, match=r"tokens must be 2 lists of 9 labels \(one per step of h, .*\), got NoneType"):
        fw.hidden_state_player(h, None, ["A", "B"], live=False)
    with pytest.raises(ValueError, match="names must be 2 short names .* got None"):
        fw.hidden_state_player(h, [ta, tb], None, live=False)
    with pytest.raises(ValueError, match=r"tokens\[1\]\[0\] must be a string, got None"):
        fw.hidden_state_player(h, [ta, [None, *tb[1:]]], ["A", "B"], live=False)
    with pytest.raises(ValueError, match=r"names\[0\] must be a string, got 1"):
        fw.hidden_state_player(h, [ta, tb], [1, "B"], live=False)
    with pytest.raises(ValueError, match="h must have at least one entry"):
        fw.hidden_state_player(h[:0], [[], []], ["A", "B"], live=False)
    with pytest.raises(ValueError, match="live must be True or False, got 'no'"):
        fw.hidden_state_player(h, [ta, tb], ["A", "B"], live="no")
    with pytest.raises(ValueError, match=r"h must hold 1 or 2 sequences.*got shape \(9, 3, 6\)"):
        fw.hidden_state_player(np.concatenate([h, h[:, :1]], axis=1), [ta] * 3, "ABC", live=False)


def _measured_and_bound(app):
    measured, bound = app.fig.axes[0].lines[:2]
    return np.asarray(measured.get_ydata(), float), np.asarray(bound.get_ydata(), float)


def _fade_network(T: int, H: int, seed: int):
    """The memory-fade widget's inputs x (T, 1, 1), x with x_1 changed by 1, W_xh (H, 1) and b_h (H,),
    drawn in the widget's order (independent of the helper)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, 1, 1))
    W_xh = rng.standard_normal((H, 1))
    b_h = 0.1 * rng.standard_normal(H)
    x2 = x.copy()
    x2[0] += 1.0
    return x, x2, W_xh, b_h


def test_memory_fade_plots_the_measured_change_and_its_bound():
    T, H, seed = 30, 8, 2
    app = fw.memory_fade(T=T, H=H, seed=seed, live=False)
    # rebuild the same network and measure with two plain forward runs (independent of the helper)
    x, x2, W_xh, b_h = _fade_network(T, H, seed)
    for activation in ("tanh", "linear"):
        for scale in (0.9, 1.3):
            app.controls["activation"].value = activation
            app.controls["scale"].value = scale
            W_hh = recurrent_matrix(H, scale, "orthogonal", seed=seed + 1)
            h0 = np.zeros((1, H))
            diff = (rnn_forward(x2, h0, W_xh, W_hh, b_h, activation)[0]
                    - rnn_forward(x, h0, W_xh, W_hh, b_h, activation)[0])
            expected = np.linalg.norm(diff[:, 0], axis=-1)
            measured, bound = _measured_and_bound(app)
            big = expected > 1e-8 * expected[0]                   # where two runs are still accurate
            np.testing.assert_allclose(measured[big], expected[big], rtol=1e-6)
            np.testing.assert_allclose(bound, expected[0] * scale ** np.arange(T), rtol=1e-9)


def test_memory_fade_over_the_full_range_never_warns_and_respects_the_bound():
    app = fw.memory_fade(live=False)
    scale = app.controls["scale"]
    seen = []
    for activation in ("tanh", "linear"):
        app.controls["activation"].value = activation
        for value in np.r_[scale.min, np.linspace(scale.min, scale.max, 11), scale.max]:
            scale.value = float(value)
            measured, bound = _measured_and_bound(app)
            ok = ~np.isnan(measured)
            assert ok[0] and np.all(measured[ok] <= bound[ok] * (1 + 1e-9))
            m = re.fullmatch(rf"<b>λ₁ = {scale.value:.2f} \({activation}\): after {len(measured) - 1} steps the "
                             r"change of h is (\S+) × the change at step 1</b>", app.status.value)
            ratio = float(m.group(1))
            if np.isnan(measured[-1]):                           # below the plot's floor: not drawn
                assert ratio * measured[0] <= fw.MEMORY_FLOOR * 1.05
            else:
                assert ratio == pytest.approx(measured[-1] / measured[0], rel=0.051)   # two digits printed
            seen.append(measured.copy())
    assert not np.allclose(seen[0], seen[5], equal_nan=True)      # the control changes the plot
    scale.value = scale.max
    assert app.fig.axes[0].get_title().endswith("explodes")       # linear, λ₁ = 2: 2⁴⁹
    app.controls["activation"].value = "tanh"
    scale.value = scale.min
    assert app.fig.axes[0].get_title().endswith("fades")
    assert len(app.fig.axes[0].lines) == 2


def test_memory_fade_verdict_at_every_slider_setting_matches_two_forward_runs():
    """Lesson 02 states what happens at every setting the slider reaches: for λ₁ < 1 the change
    fades, linear above 1 grows without limit, and tanh never grows past 2√H; the title's verdict
    says the same as an independent measurement (two plain forward runs) at each of them."""
    app = fw.memory_fade(live=False)
    scale = app.controls["scale"]
    T, H = 50, 16
    x, x2, W_xh, b_h = _fade_network(T, H, 0)                  # the widget's network, rebuilt
    for activation in ("tanh", "linear"):
        app.controls["activation"].value = activation
        for k in range(round((scale.max - scale.min) / scale.step) + 1):
            scale.value = round(scale.min + k * scale.step, 2)
            W_hh = recurrent_matrix(H, scale.value, "orthogonal", seed=1)
            diff = (rnn_forward(x2, np.zeros((1, H)), W_xh, W_hh, b_h, activation)[0]
                    - rnn_forward(x, np.zeros((1, H)), W_xh, W_hh, b_h, activation)[0])
            norms = np.linalg.norm(diff[:, 0], axis=-1)
            ratio = norms[-1] / norms[0]
            word = app.fig.axes[0].get_title().split("the change at step 1 ")[1]
            if activation == "linear":
                expected = ("fades" if ratio < 1e-3 else "fades slowly" if scale.value < 1 else
                            "keeps its size" if scale.value == 1 else "grows" if ratio <= 1e3 else "explodes")
            else:
                assert norms.max() < 2 * np.sqrt(H)                # bounded, whatever λ₁
                expected = "fades" if ratio < 1e-3 else "fades slowly" if ratio < 0.1 else "lingers"
                if scale.value <= 1:
                    assert expected == "fades"
            assert word == expected, (activation, scale.value, ratio, word)


def test_power_slider_blits_what_a_full_draw_shows(blits_like_a_full_draw):
    app = fw.power_slider(live=False)
    assert type(app.view).__name__ == "_PowerView" and app.animated[0] is app.view.line
    blits_like_a_full_draw(app, {"w_value": [0.6, 0.95, 1.0, 1.05, 1.4, 0.8]})


def test_hidden_state_player_blits_what_a_full_draw_shows(blits_like_a_full_draw):
    h, ta, tb = _sentences()
    for B in (2, 1):
        app = fw.hidden_state_player(h[:, :B], [ta, tb][:B], ["A", "B"][:B], live=False)
        blits_like_a_full_draw(app, {"t": [1, 5, 2, 9, 6]})
        for ax in app.fig.axes[:B]:               # steps not reached yet: NaN, drawn white
            assert np.isnan(np.asarray(ax.images[0].get_array())[:, 6:]).all()
            assert ax.images[0].get_cmap().get_bad().tolist() == [1.0, 1.0, 1.0, 1.0]


def test_memory_fade_blits_what_a_full_draw_shows(blits_like_a_full_draw):
    app = fw.memory_fade(live=False)
    blits_like_a_full_draw(app, {"scale": [0.5, 1.0, 1.37, 2.0], "activation": ["linear", "tanh"]})
    app.controls["activation"].value = "linear"
    blits_like_a_full_draw(app, {"scale": [2.0, 0.6]})


def test_each_figure_is_a_view_and_a_controls_table():
    from helpers.livefig import Controls
    assert isinstance(fw._POWER_CONTROLS, Controls) and isinstance(fw._MEMORY_CONTROLS, Controls)
    app = fw.memory_fade(live=False)
    assert list(app.controls) == ["scale", "activation"]
    assert type(app.controls["activation"]).__name__ == "ToggleButtons"
    assert (app.controls["scale"].min, app.controls["scale"].max, app.controls["scale"].step) == (0.5, 2.0, 0.01)
    assert app.view.update(scale=0.8, activation="tanh").startswith("λ₁ = 0.80 (tanh)")


def test_sizes_seeds_and_live_flags_are_checked():
    for call, message in [(lambda: fw.power_slider(T=1001, live=False),
                           "T must be an integer from 1 to 1000, got 1001"),
                          (lambda: fw.power_slider(live=None), "live must be True or False, got None"),
                          (lambda: fw.memory_fade(seed=None, live=False), "seed must be an integer >= 0"),
                          (lambda: fw.memory_fade(seed=0.5, live=False), "seed must be an integer >= 0"),
                          (lambda: fw.memory_fade(live="yes"), "live must be True or False, got 'yes'")]:
        with pytest.raises(ValueError, match=message):
            call()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fw.power_slider(T=1000, live=False).controls["w_value"].value = 1.4        # the axis fits float64


def test_hidden_state_player_status_norms_do_not_overflow():
    """States near float64's end (an exploding relu run): ‖hₜ‖ and ‖hₜ(A) − hₜ(B)‖ are finite numbers,
    computed without a warning."""
    h = np.zeros((2, 2, 4))
    h[:, 0], h[:, 1] = 1e300, -1e300                  # ‖hₜ(A)‖ = 2e300; hₜ(A) − hₜ(B) = 2e300 · (1, 1, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one = fw.hidden_state_player(h[:, :1], [["a", "b"]], ["A"], live=False)
        two = fw.hidden_state_player(h, [["a", "b"], ["c", "d"]], ["A", "B"], live=False)
    assert one.status.value.endswith(f"‖hₜ‖ = {2e300:.3f}</b>")
    assert two.status.value.endswith(f"= {4e300:.3f}</b>")


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_states_a_heat_map_cannot_colour_are_refused_by_name():
    """A state of 1.7e308 overflowed the colour scale's span (vmax − vmin)."""
    h = np.zeros((2, 1, 2))
    h[0, 0, 0] = 1.7e308
    with pytest.raises(ValueError, match="^h " + _TOO_BIG):
        fw.hidden_state_player(h, [["a", "b"]], ["A"], live=False)


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", text)]


def test_power_slider_alt_text_says_where_w_to_the_t_ends():
    app = fw.power_slider(T=40, live=False)
    assert "with w = 0.80: it falls to 0.00013 at t = 40" in app.alt                  # 0.8^40 = 0.000133
    app.controls["w_value"].value = 1.2
    assert "with w = 1.20: it grows to 1500 at t = 40" in app.alt                     # 1.2^40 = 1470
    app.controls["w_value"].value = 1.01
    assert "with w = 1.01: it grows to 1.5 at t = 40" in app.alt                      # 1.01^40 = 1.49: no explosion
    app.controls["w_value"].value = 0.6
    assert "with w = 0.60: it falls to 1.3e-9 at t = 40" in app.alt                   # 0.6^40 = 1.34e-9
    app.controls["w_value"].value = 1.0
    assert "with w = 1.00: it stays at 1 up to t = 40" in app.alt


def test_memory_fade_alt_text_follows_the_measurement_and_its_line():
    app = fw.memory_fade(live=False)
    assert "tanh RNN with λ₁ = 0.80" in app.alt and "(fades), never above the dashed line" in app.alt
    app.controls["activation"].value = "linear"
    app.controls["scale"].value = 1.5
    # linear with W_hh = 1.5·Q: the change grows exactly by 1.5 a step, 49 steps
    start, end = (_numbers(app.alt.split("goes from ")[1].split(" at t = 1")[0])[0],
                  _numbers(app.alt.split(" to ")[1].split(" at t = 50")[0])[0])
    assert end / start == pytest.approx(1.5 ** 49, rel=0.05)
    assert "(explodes), on the dashed line λ₁^(t−1)‖Δh₁‖ all the way" in app.alt


def test_hidden_state_player_alt_text_says_where_the_sequences_part():
    a, b = ["the", "movie", "was", "not", "good", "at", "all"], ["the", "movie", "was", "good", "not", "at", "all"]
    vocab = {word: i for i, word in enumerate(sorted(set(a)))}
    x = np.stack([sq.one_hot(a, vocab), sq.one_hot(b, vocab)], axis=1)
    rng = np.random.default_rng(0)
    h, _ = rnn_forward(x, np.zeros((2, 6)), rng.standard_normal((6, len(vocab))),
                       recurrent_matrix(6, 0.9, "orthogonal", 1), np.zeros(6))
    app = fw.hidden_state_player(h, [a, b], ["A", "B"], live=False)
    gap = np.linalg.norm(h[6, 0] - h[6, 1])
    assert ("identical up to step 3 and differ from step 4 on, the first step whose words differ ('not' / 'good')"
            in app.alt and app.alt.endswith(f"‖hₜ(A) − hₜ(B)‖ = {gap:.3f} at t = 7."))
    # sequences that differ from their first word: no "identical up to step 0"
    c = b[::-1]                                              # 'all' first
    x = np.stack([sq.one_hot(a, vocab), sq.one_hot(c, vocab)], axis=1)
    h_c, _ = rnn_forward(x, np.zeros((2, 6)), rng.standard_normal((6, len(vocab))),
                         recurrent_matrix(6, 0.9, "orthogonal", 1), np.zeros(6))
    first = fw.hidden_state_player(h_c, [a, c], ["A", "C"], live=False)
    assert ("the two maps differ from step 1 on, the first step whose words differ ('the' / 'all')" in first.alt
            and "step 0" not in first.alt)
    app.controls["t"].value = 2
    assert "A ('the movie') and B ('the movie'), filled up to step t = 2 of 7" in app.alt
    assert "identical at every step so far" in app.alt
    one = fw.hidden_state_player(h[:, :1], [a], ["A"], live=False)
    assert one.alt.endswith(f"‖hₜ‖ = {np.linalg.norm(h[6, 0]):.3f}.")
