import numpy as np
import pytest

from helpers import cliff
from helpers.gradcheck import numerical_gradient, relative_error


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("w,b,n_expected", [(5.0, -2.5, 3), (5.0, -3.0, 1), (5.0, -2.0, 1),
                                            (2.0, 0.3, 1), (-3.0, 1.0, 1), (8.0, -4.0, 3)])
def test_fixed_points_satisfy_their_equation_and_stability_rule(w, b, n_expected):
    x, stable = cliff.fixed_points(w, b)
    assert len(x) == n_expected
    np.testing.assert_allclose(x, w * sig(x) + b, atol=1e-10)
    slope = np.abs(w * sig(x) * (1 - sig(x)))
    np.testing.assert_array_equal(stable, slope < 1)
    if n_expected == 3:                       # stable, unstable, stable from left to right
        np.testing.assert_array_equal(stable, [True, False, True])


def test_symmetric_case_has_zero_as_the_unstable_fixed_point():
    # w = 5, b = -2.5: x − 5σ(x) + 2.5 is odd in x, so 0 is a fixed point, with slope 5/4 > 1.
    x, stable = cliff.fixed_points(5.0, -2.5)
    assert abs(x[1]) < 1e-12 and not stable[1]
    np.testing.assert_allclose(x[0], -x[2], atol=1e-10)


def test_saddle_nodes_match_the_closed_form():
    # w σ'(x) = 1  <=>  σ(x)(1 − σ(x)) = 1/w  <=>  σ = (1 ± sqrt(1 − 4/w)) / 2.
    for w in (4.5, 5.0, 9.0):
        s = (1 + np.sqrt(1 - 4 / w)) / 2
        x_s = np.log(s / (1 - s))
        x, b = cliff.saddle_node_points(w)
        np.testing.assert_allclose(x, [x_s, -x_s], rtol=1e-12)
        np.testing.assert_allclose(b, [x_s - w * s, -x_s - w * (1 - s)], rtol=1e-12)


def test_bistable_interval_endpoints_by_counting_stable_fixed_points():
    lo, hi = cliff.bistable_interval(5.0)
    assert lo < hi
    delta = 1e-4
    for b, n_stable in [(lo - delta, 1), (lo + delta, 2), (0.5 * (lo + hi), 2), (hi - delta, 2), (hi + delta, 1)]:
        _, stable = cliff.fixed_points(5.0, b)
        assert stable.sum() == n_stable, b


def test_saddle_node_needs_w_above_four():
    with pytest.raises(ValueError, match="w must be > 4"):
        cliff.saddle_node_points(3.9)


def test_bifurcation_curve_points_are_fixed_points():
    x, b, stable = cliff.bifurcation_curve(5.0, n=201)
    np.testing.assert_allclose(x, 5.0 * sig(x) + b, atol=1e-12)
    assert stable[0] and stable[-1] and not stable[100]     # x = 0 in the middle: unstable


def test_trajectory_matches_a_plain_loop():
    x = cliff.trajectory(np.array([3.0, 6.0]), -2.0, T=7, x0=0.2)
    for j, w in enumerate([3.0, 6.0]):
        v = 0.2
        for t in range(1, 8):
            v = w * sig(v) - 2.0
            assert x[t, j] == pytest.approx(v, rel=1e-13)


@pytest.mark.parametrize("w,b", [(2.0, -1.0), (5.0, -3.2), (6.0, -3.3), (7.5, -1.0)])
def test_scalar_bptt_gradient_matches_finite_differences(w, b):
    theta = np.array([w, b])

    def E(th):
        return cliff.error_and_grad(th[0], th[1], T=50)[0]

    _, dw, db = cliff.error_and_grad(w, b, T=50)
    num = numerical_gradient(E, theta, eps=1e-6)
    assert relative_error(np.array([dw, db]), num) <= 1e-7


def test_error_and_grad_vectorises_over_a_grid():
    W, B = np.meshgrid(np.linspace(1, 8, 4), np.linspace(-5, 1, 3))
    E, dw, db = cliff.error_and_grad(W, B, T=20)
    assert E.shape == dw.shape == db.shape == (3, 4)
    for i, j in np.ndindex(3, 4):                    # every cell equals its own scalar run
        one = cliff.error_and_grad(W[i, j], B[i, j], T=20)
        assert (E[i, j], dw[i, j], db[i, j]) == pytest.approx(tuple(float(v) for v in one), rel=1e-13)


def test_error_jumps_across_the_wall():
    w = 6.0
    b_wall = float(cliff.wall_line(w))
    E_below = cliff.error_and_grad(w, b_wall - 1e-3)[0]
    E_above = cliff.error_and_grad(w, b_wall + 1e-3)[0]
    # Below the wall x_T sits at the low stable point (σ ≈ 0), above it at the high one (σ ≈ 1).
    assert E_below > 0.4 and E_above < 0.1


def test_wall_exists_only_where_x0_is_an_unstable_fixed_point():
    w = np.array([3.0, 4.0, 4.5, 6.0])
    b = cliff.wall_line(w, x0=0.5)
    slope = w * sig(0.5) * (1 - sig(0.5))          # 4σ'(0.5) < 1 < 4.5σ'(0.5)
    np.testing.assert_array_equal(np.isnan(b), slope <= 1)
    for wi, bi in zip(w[2:], b[2:], strict=True):
        x, stable = cliff.fixed_points(wi, bi)
        assert np.any(np.isclose(x, 0.5, atol=1e-9) & ~stable)


def test_gd_path_records_the_error_and_the_gradient_norm_of_every_point():
    path, E, norms = cliff.gd_path(3.0, -1.0, lr=0.5, steps=12, T=30)
    assert path.shape == (13, 2) and E.shape == (13,) and norms.shape == (12,)
    for k, (w, b) in enumerate(path):
        # E = (σ(x_T) − target)², from a plain loop; the gradient by central differences
        x = 0.5
        for _ in range(30):
            x = w / (1 + np.exp(-x)) + b
        assert E[k] == pytest.approx((1 / (1 + np.exp(-x)) - 0.7) ** 2, rel=1e-12)
        if k < 12:
            num = numerical_gradient(lambda th: float(cliff.error_and_grad(th[0], th[1], T=30)[0]), np.array([w, b]))
            assert norms[k] == pytest.approx(np.linalg.norm(num), rel=1e-6)
            np.testing.assert_allclose(path[k + 1], path[k] - 0.5 * num, rtol=1e-6, atol=1e-9)


def test_norm_clipping_caps_every_step_length():
    path, E, norms = cliff.gd_path(5.0, -4.0, lr=2.0, steps=40, clip=0.5)
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert np.all(steps <= 2.0 * 0.5 + 1e-12)
    assert path.shape == (41, 2) and E.shape == (41,) and norms.shape == (40,)
    unclipped, _, _ = cliff.gd_path(5.0, -4.0, lr=2.0, steps=40)
    assert np.linalg.norm(np.diff(unclipped, axis=0), axis=1).max() > 2.0    # the cliff throws it


def test_value_clipping_caps_each_coordinate():
    path, _, _ = cliff.gd_path(5.0, -4.0, lr=1.0, steps=30, clip=0.1, clip_mode="value")
    assert np.all(np.abs(np.diff(path, axis=0)) <= 0.1 + 1e-12)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="lr"):
        cliff.gd_path(5.0, -4.0, lr=-1.0, steps=3)
    with pytest.raises(ValueError, match="clip_mode"):
        cliff.gd_path(5.0, -4.0, lr=1.0, steps=3, clip=1.0, clip_mode="max")
    with pytest.raises(ValueError, match="w must be a finite number, got nan"):
        cliff.fixed_points(np.nan, 0.0)
    with pytest.raises(ValueError, match="x_max must be greater"):
        cliff.bifurcation_curve(5.0, x_min=1.0, x_max=0.0)
    with pytest.raises(ValueError, match="w must be a finite number, got 'w'"):
        cliff.step_map(0.5, "w", 1.0)
    with pytest.raises(ValueError, match=r"w must be a finite number, got \[1.0, 2.0\]"):
        cliff.step_map(0.5, [1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="b must be a finite number, got inf"):
        cliff.step_map(0.5, 1.0, np.inf)
    with pytest.raises(ValueError, match="T must be an integer >= 1, got 0"):
        cliff.trajectory(1.0, 0.0, T=0)
    with pytest.raises(ValueError, match="target must be a finite number, got inf"):
        cliff.error_and_grad(1.0, 0.0, target=np.inf)
    with pytest.raises(ValueError, match="x0 must be a finite number, got nan"):
        cliff.wall_line([5.0], x0=np.nan)
    with pytest.raises(ValueError, match=r"w must be > 4 for two stable fixed points to coexist"):
        cliff.bistable_interval(2.0)


def test_the_scalar_path_of_gd_path_agrees_with_error_and_grad():
    """gd_path steps with a float version of error_and_grad (fast enough for lesson 06's slider):
    the same error and gradient to 1e-11, on both sides of the wall and right at it, and gd_path's
    records against error_and_grad on the whole path at once."""
    rng = np.random.default_rng(7)
    points = [(rng.uniform(1.0, 9.0), rng.uniform(-7.0, 2.0)) for _ in range(400)]
    points += [(w, float(cliff.wall_line(w)) + d) for w in (4.5, 6.0, 8.0) for d in (-1e-6, 0.0, 1e-6)]
    for w, b in points:
        fast = cliff._error_and_grad_one(w, b, 50, 0.5, 0.7)
        slow = [float(v) for v in cliff.error_and_grad(w, b)]
        np.testing.assert_allclose(fast, slow, rtol=1e-11, atol=1e-300)
    path, E, norms = cliff.gd_path(5.0, -4.0, lr=2.0, steps=40)
    E_ref, dw, db = cliff.error_and_grad(path[:, 0], path[:, 1])
    np.testing.assert_allclose(E, E_ref, rtol=1e-10)
    # on the plateau the gradient is a sum that cancels to ~1e-8: compare against the path's scale
    np.testing.assert_allclose(norms, np.hypot(dw, db)[:-1], rtol=1e-10, atol=1e-12 * norms.max())


def test_gd_path_checks_the_settings_it_passes_on():
    with pytest.raises(ValueError, match="T"):
        cliff.gd_path(5.0, -4.0, lr=1.0, steps=3, T=0)
    with pytest.raises(ValueError, match="target"):
        cliff.gd_path(5.0, -4.0, lr=1.0, steps=3, target=float("nan"))


# --------------------------------------------------------------------- issue #16: at float64's edges

def test_an_overflowing_gradient_is_inf_not_nan():
    """w = 1000, b = -500, x_0 = 0: x_t = 1000 σ(0) − 500 = 0 at every step, so δ_{t-1} = δ_t · w σ'(0) =
    250 δ_t from δ_T = 2 (σ(0) − 0.7) σ'(0) = −0.1. Over T = 2000 steps |δ_1| = 0.1 · 250^1999, about
    10^4792: both sums exceed float64, with the sign of δ (every σ(x_t) = 0.5 > 0)."""
    T = 2000
    assert np.log10(0.1) + (T - 1) * np.log10(250.0) > 308
    E, dw, db = cliff.error_and_grad(1000.0, -500.0, T=T, x0=0.0)
    assert pytest.approx(0.04) == E and dw == -np.inf and db == -np.inf


def test_states_and_walls_beyond_float64_are_inf_and_fixed_points_out_of_range_are_refused():
    x = cliff.trajectory(1e308, 1e308, T=3, x0=5.0)                # x_1 = 1e308 σ(5) + 1e308 > 1.8e308
    assert x[0] == 5.0 and np.all(x[1:] == np.inf)
    with pytest.raises(ValueError, match="w and b must keep b \\+ w within float64"):
        cliff.fixed_points(1e308, 1e308)
    with pytest.raises(ValueError, match="x_max must be greater than x_min, by less than"):
        cliff.bifurcation_curve(5.0, -1e308, 1e308)


def test_fixed_points_near_float64s_largest_number_are_found_quietly():
    """w = 1.7e308, b = −2.5: every fixed point lies in [b, b + w], where σ(x) = 1 to float64 precision
    except near x = 0, so the one fixed point is x* = w + b (stable: σ′(x*) = 0). With b = 1.7e308 it is
    b + w σ(b) = b + w. The bisection's midpoints no longer overflow on the way (0.5 a + 0.5 c)."""
    x, stable = cliff.fixed_points(1.7e308, -2.5)
    assert x == pytest.approx([1.7e308 - 2.5], rel=1e-12) and stable.tolist() == [True]
    x, stable = cliff.fixed_points(5.0, 1.7e308)
    assert x == pytest.approx([1.7e308 + 5.0], rel=1e-12) and stable.tolist() == [True]


def test_a_target_beyond_1e150_is_refused_by_name():
    """σ(x_T) lies in (0, 1): a target beyond ±1e150 would make E overflow (error_and_grad raised a
    numpy warning, gd_path a raw OverflowError)."""
    w, b = np.array([5.0, 6.0]), np.array([-2.5, -3.0])
    for target in (1.7e308, -1e151):
        with pytest.raises(ValueError, match=r"target must be within ±1e150 \(σ\(x_T\) lies in \(0, 1\)"):
            cliff.error_and_grad(w, b, T=3, target=target)
        with pytest.raises(ValueError, match=r"target must be within ±1e150"):
            cliff.gd_path(5.0, -4.0, lr=2.0, steps=3, target=target)
    E, dw, db = cliff.error_and_grad(w, b, T=3, target=1e150)           # the bound itself: E ≈ 1e300, finite
    np.testing.assert_allclose(E, 1e300, rtol=1e-12)
    assert np.isfinite(dw).all() and np.isfinite(db).all()


@pytest.mark.parametrize("call, message", [
    (lambda: cliff.step_map(np.array([np.nan]), 5.0, -2.5), "x contains NaN"),
    (lambda: cliff.step_map(0.5, True, -2.5), "w must be a finite number, got True"),
    (lambda: cliff.fixed_points(5.0, -2.5, iters=None), "iters must be an integer >= 1, got None"),
    (lambda: cliff.trajectory(np.ones(2), np.ones(3)), "w and b must broadcast together, got shapes (2,) and (3,)"),
    (lambda: cliff.trajectory(np.array([True]), 0.0), "w must be a finite number or an array of them"),
    (lambda: cliff.gd_path(5.0, -4.0, lr=1.0, steps=3, x0=False), "x0 must be a finite number, got False"),
])
def test_scalars_and_shapes_are_checked(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
