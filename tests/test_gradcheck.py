"""Finite differences, relative errors, how they are printed, and the angle between two gradients
(helpers.gradcheck), against closed forms."""
import numpy as np
import pytest

from helpers.gradcheck import (
    angle_degrees,
    cosine,
    describe_error,
    numerical_gradient,
    numerical_jacobian,
    relative_error,
    report,
    worst_relative_error,
)


def test_numerical_gradient_of_a_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    grad = numerical_gradient(lambda v: 0.5 * v @ A @ v, x)
    np.testing.assert_allclose(grad, 0.5 * (A + A.T) @ x, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("eps", [1e-2, 1e-3])
def test_central_difference_uses_the_given_step(eps):
    # for x³, ((x + ε)³ − (x − ε)³) / 2ε = 3x² + ε² exactly: the error term shows which ε was used
    x = np.array([0.5, -2.0])
    grad = numerical_gradient(lambda v: float(np.sum(v ** 3)), x, eps=eps)
    np.testing.assert_allclose(grad, 3 * x ** 2 + eps ** 2, rtol=1e-9)


def test_x_is_left_exactly_unchanged_and_closures_see_the_nudges():
    rng = np.random.default_rng(1)
    W = rng.normal(size=(3, 2))
    before = W.copy()
    grad = numerical_gradient(lambda _: float(np.sum(np.sin(W))), W)   # reads W through the closure
    np.testing.assert_array_equal(W, before)
    np.testing.assert_allclose(grad, np.cos(W), rtol=1e-8)


def test_x_is_restored_even_when_f_raises():
    x = np.array([1.0, 2.0])
    calls = []

    def f(v):
        calls.append(v.copy())
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    assert calls[0][0] == 1.0 + 1e-6


def test_numerical_jacobian_has_one_row_per_output_and_one_column_per_input():
    # f(x1, x2, x3) = (x1 x2, sin x3): J = [[x2, x1, 0], [0, 0, cos x3]], by hand
    x = np.array([2.0, -1.0, 0.5])
    before = x.copy()
    J = numerical_jacobian(lambda v: np.array([v[0] * v[1], np.sin(v[2])]), x)
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, [[-1.0, 2.0, 0.0], [0.0, 0.0, np.cos(0.5)]], rtol=1e-9, atol=1e-10)
    np.testing.assert_array_equal(x, before)
    # a linear map is its own Jacobian; a scalar function gives one row, the transposed gradient
    A = np.random.default_rng(2).normal(size=(4, 3))
    np.testing.assert_allclose(numerical_jacobian(lambda v: A @ v, x), A, rtol=1e-8, atol=1e-9)
    row = numerical_jacobian(lambda v: float(v @ v), x)
    assert row.shape == (1, 3)
    np.testing.assert_allclose(row[0], 2 * x, rtol=1e-8)


def test_numerical_jacobian_rejects_bad_input():
    with pytest.raises(ValueError, match=r"x must have 1 dimensions with shape \(n,\)"):
        numerical_jacobian(lambda v: v, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"f must be a function of x that returns an array of shape \(m,\)"):
        numerical_jacobian(None, np.zeros(2))
    with pytest.raises(ValueError, match=r"f must return a 1-D array \(m,\) or a number, got shape \(2, 2\)"):
        numerical_jacobian(lambda v: np.outer(v, v), np.zeros(2))
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        numerical_jacobian(lambda v: v, np.zeros(2), eps=0)


def test_relative_error():
    a = np.array([1.0, 2.0, 2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, a * (1 + 1e-9)) == pytest.approx(0.5e-9, rel=1e-6)


def test_bad_input():
    with pytest.raises(ValueError, match="x must be a float64 numpy array .* got list"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="dtype int64"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
    with pytest.raises(ValueError, match="eps must be a positive finite number, got 0"):
        numerical_gradient(lambda v: 0.0, np.zeros(2), eps=0)
    with pytest.raises(ValueError, match="f must be a function of x that returns a scalar, got ndarray"):
        numerical_gradient(np.zeros(2), np.zeros(2))                 # arguments swapped
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"f must return a scalar \(the loss\), got an array of shape \(2,\)"):
        numerical_gradient(lambda v: 2 * v, x)                       # a forward pass, not a loss
    assert x.tolist() == [1.0, 2.0]                                  # left as it was, even so
    with pytest.raises(ValueError, match=r"a and b must have the same shape; got a \(2,\) and b \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"f returned a tuple of 2 items; it must return the loss alone.*take \[0\]"):
        numerical_gradient(lambda v: (v.sum(), {"v": v}), x)         # (loss, grads) from a helper
    with pytest.raises(ValueError, match="f returned None; it must return the loss .* `return` missing"):
        numerical_gradient(lambda v: None, x)
    with pytest.raises(ValueError, match=r"a must be an array, got a dict; compare one gradient at a time"):
        relative_error({"W": np.zeros(2)}, np.zeros(2))
    with pytest.raises(ValueError, match="b must be an array, got None"):
        relative_error(np.zeros(2), None)


# ---------------------------------------------------------------------------- printing errors

@pytest.mark.parametrize("err,tol,text", [
    (0.0, 1e-7, "< 1e-12 ✓"), (3e-13, 1e-7, "< 1e-12 ✓"), (2.5e-10, 1e-7, "< 1e-8 ✓"),
    (3e-8, 1e-7, "< 1e-7 ✓"), (0.2149, 1e-7, "0.21 ✗"), (1e-7, 1e-7, "1e-07 ✗"),
    (5e-11, 1e-10, "< 1e-10 ✓"), (5e-13, 1e-12, "< 1e-12 ✓"), (0.3, 0.5, "< 0.5 ✓"),
])
def test_describe_error(err, tol, text):
    assert describe_error(err, tol) == text


def test_describe_error_rejects_bad_input():
    with pytest.raises(ValueError, match="err must be a finite number >= 0"):
        describe_error(float("nan"))
    with pytest.raises(ValueError, match="tol must be a positive"):
        describe_error(0.1, tol=0)


def test_report_prints_label_and_bound(capsys):
    report("same", np.ones(3), np.ones(3))
    report("different", np.ones(3), np.zeros(3))
    assert capsys.readouterr().out.splitlines() == ["same: relative error < 1e-12 ✓", "different: relative error 1 ✗"]


# ------------------------------------------------------------------- angles between gradients

def test_cosine():
    a = {"p": np.array([1.0, 0.0]), "q": np.array([0.0])}
    assert cosine(a, a) == pytest.approx(1.0)
    assert cosine(a, {"p": np.array([0.0, 2.0]), "q": np.array([0.0])}) == pytest.approx(0.0)
    assert cosine(a, {"p": np.array([-3.0, 0.0]), "q": np.array([0.0])}) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="non-zero gradients"):
        cosine(a, {"p": np.zeros(2), "q": np.zeros(1)})
    with pytest.raises(ValueError, match="a must be a dict of gradient arrays, such as the grads of "
                                         "rnn_loss_and_grads; got list"):
        cosine([1.0, 0.0], a)
    with pytest.raises(ValueError, match=r"a and b must have the same keys; got \['p', 'q'\] and \['p'\]"):
        cosine(a, {"p": np.ones(2)})
    with pytest.raises(ValueError, match=r"a\['p'\] and b\['p'\] must have the same shape; got \(2,\) and \(3,\)"):
        cosine(a, {"p": np.ones(3), "q": np.ones(1)})


def _grads(p, q):
    return {"W_hh": np.array(p, dtype=float).reshape(2, 2), "b_h": np.array(q, dtype=float)}


def test_angle_degrees_of_orthogonal_parallel_and_antiparallel_gradients():
    a = _grads([1, 0, 0, 0], [0, 0])
    assert angle_degrees(a, _grads([0, 0, 0, 0], [0, 3])) == pytest.approx(90.0, abs=1e-12)   # orthogonal
    assert angle_degrees(a, _grads([0, 5, 0, 0], [0, 0])) == pytest.approx(90.0, abs=1e-12)   # within one key
    assert angle_degrees(a, _grads([2.5, 0, 0, 0], [0, 0])) == 0.0                            # parallel
    assert angle_degrees(a, _grads([-0.1, 0, 0, 0], [0, 0])) == 180.0                          # antiparallel
    same = _grads([0.1, 0.1, 0.3, 0.0], [0, 0])
    assert cosine(same, same) == pytest.approx(1.0, abs=1e-15) and cosine(same, same) <= 1.0   # never above 1
    assert angle_degrees(same, same) == 0.0                 # exactly 0 (arccos of a rounded cosine would not be)


def test_angle_degrees_reads_all_entries_as_one_vector():
    # (1, 0, 0, 0 | 1, 0) against (1, 0, 0, 0 | 0, 0): cos = 1/√2, 45°; against (0, 1, 0, 0 | 1, 0): 60°.
    a = _grads([1, 0, 0, 0], [1, 0])
    assert angle_degrees(a, _grads([1, 0, 0, 0], [0, 0])) == pytest.approx(45.0, rel=1e-12)
    assert angle_degrees(a, _grads([0, 1, 0, 0], [1, 0])) == pytest.approx(60.0, rel=1e-12)
    # norm clipping rescales every entry by one factor: the direction, and so the angle, is kept
    g = _grads([3.0, -4.0, 12.0, 0.5], [1.0, -2.0])
    assert angle_degrees(g, {k: v * 0.01 for k, v in g.items()}) == pytest.approx(0.0, abs=1e-6)


def test_angle_degrees_rejects_what_cosine_rejects():
    a = _grads([1, 0, 0, 0], [0, 0])
    with pytest.raises(ValueError, match=r"a and b must have the same keys; got \['W_hh', 'b_h'\] and \['W_hh'\]"):
        angle_degrees(a, {"W_hh": np.eye(2)})
    with pytest.raises(ValueError, match="non-zero gradients"):
        angle_degrees(a, _grads([0, 0, 0, 0], [0, 0]))
    with pytest.raises(ValueError, match="b must be a dict of gradient arrays"):
        angle_degrees(a, np.ones(6))


def test_worst_relative_error_is_the_largest_of_the_pairs():
    a, b = np.array([1.0, 0.0]), np.array([1.0, 1e-6])            # relative error 1e-6 / (1 + ~1)
    c, d = np.array([3.0, 4.0]), np.array([3.0, 4.0 + 1e-3])       # relative error 1e-3 / (5 + ~5)
    assert worst_relative_error((a, b)) == relative_error(a, b)
    assert worst_relative_error((a, b), (c, d), (c, c)) == pytest.approx(1e-3 / (5.0 + np.hypot(3.0, 4.001)), rel=1e-9)
    assert worst_relative_error((c, c)) == 0.0


@pytest.mark.parametrize("pairs", [(), (np.ones(2),), ((np.ones(2), np.ones(2), np.ones(2)),)])
def test_worst_relative_error_wants_pairs(pairs):
    with pytest.raises(ValueError, match="pairs"):
        worst_relative_error(*pairs)


# ---------------------------------------------------------------- float64's edges (issue 16)

@pytest.mark.parametrize("size", [1e-200, 1e200])
def test_cosine_and_angle_of_tiny_and_huge_gradients_are_those_of_the_unit_sized_ones(size):
    u, v = np.array([1.0, 2.0, -0.5]), np.array([0.5, -1.0, 2.0])
    want = u @ v / np.sqrt((u @ u) * (v @ v))                     # the same vectors at size 1
    a, b = {"W": u[:2] * size, "b": u[2:] * size}, {"W": v[:2] * size, "b": v[2:] * size}
    assert cosine(a, b) == pytest.approx(want, rel=1e-14)
    assert angle_degrees(a, b) == pytest.approx(np.degrees(np.arccos(want)), rel=1e-12)


def test_relative_error_of_huge_arrays():
    a, b = np.array([3.0, 4.0]), np.array([3.0, 4.1])
    want = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    assert relative_error(a * 1e300, b * 1e300) == pytest.approx(want, rel=1e-14)
    assert relative_error(a * 1e-300, b * 1e-300) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("call, name", [
    (lambda: relative_error(np.array([1.0, np.nan]), np.ones(2)), "a"),
    (lambda: relative_error(np.ones(2), np.ones(2) + 1j), "b"),
    (lambda: report("W", np.ones(2), np.ones(3)), "reference"),
    (lambda: report(None, np.ones(2), np.ones(2)), "label"),
    (lambda: describe_error(None), "err"),
    (lambda: describe_error("1e-9"), "err"),
    (lambda: cosine({"W": np.array([np.nan])}, {"W": np.ones(1)}), "a['W']"),
    (lambda: numerical_gradient(lambda v: float("nan"), np.ones(2)), "f"),
    (lambda: numerical_gradient(lambda v: 1j, np.ones(2)), "f"),
    (lambda: numerical_gradient(lambda v: 0.0, np.array([np.nan])), "x"),
    (lambda: numerical_jacobian(np.sin, np.ones(0)), "x"),
    (lambda: numerical_jacobian(lambda v: np.ones(int(v[0] > 1) + 1), np.ones(1)), "f"),
    (lambda: worst_relative_error((np.ones(2), np.ones(3))), "pairs[0]"),
])
def test_gradcheck_refuses_bad_input_by_name(call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value)


# ---------------------------------------------------------------- float64's edges (issue 16)

def test_an_f_that_overflows_near_x_is_refused_naming_f_x_and_eps_without_a_warning():
    def squares(v):
        return float(np.sum(v ** 2))

    for x, eps in ((np.array([1.7e308, -2.0]), 1e300), (np.array([1.0, -2.0]), 1.7e308)):
        with pytest.raises(ValueError, match=r"^f is not finite \(NaN or inf\) at x\[0\] ± eps \(x\[0\] = .*, "
                                             r"eps = .*\): central differences need a finite f"):
            numerical_gradient(squares, x, eps)
    with pytest.raises(ValueError, match=r"^f is not finite .* at x\[1\] ± eps \(x\[1\] = 709\.78"):
        numerical_jacobian(lambda v: np.exp(v), np.array([1.0, 709.78]), 0.01)     # e^709.79 > 1.8e308


def test_an_eps_that_does_not_move_x_or_leaves_float64_is_refused():
    with pytest.raises(ValueError, match=r"^eps = 1e-06 is too small to move x\[0\] = 1\.7e\+308 "
                                         r"\(x\[0\] ± eps == x\[0\] in float64"):
        numerical_gradient(lambda v: 0.0, np.array([1.7e308, -2.0]), 1e-6)
    with pytest.raises(ValueError, match=r"^eps = 1e-310 is too small to move x\[1\] = -2"):
        numerical_jacobian(np.sin, np.array([0.0, -2.0]), 1e-310)
    with pytest.raises(ValueError, match=r"^x\[0\] ± eps leaves float64 \(x\[0\] = 1\.7e\+308, eps = 1e\+308\)"):
        numerical_gradient(lambda v: 0.0, np.array([1.7e308]), 1e308)
    x = np.array([1.0, -2.0])
    numerical_gradient(lambda v: 0.0, x, 1e-6)
    np.testing.assert_array_equal(x, [1.0, -2.0])         # restored after a refusal too
    with pytest.raises(ValueError):
        numerical_gradient(lambda v: 0.0, x, 1e-300)
    np.testing.assert_array_equal(x, [1.0, -2.0])


def test_huge_and_tiny_steps_give_the_true_difference_quotient():
    """(f(x + eps) − f(x − eps)) / (2 eps) is halved before it is divided, so neither the
    difference nor 2 eps overflows: at eps = 1.7e308 a linear f has its exact slope, and a
    quotient beyond float64 is inf of the right sign."""
    g = numerical_gradient(lambda v: float(0.5 * v[0] - 0.25 * v[1]), np.array([1.0, -2.0]), 1.7e308)
    np.testing.assert_array_equal(g, [0.5, -0.25])
    J = numerical_jacobian(lambda v: np.array([0.5 * v[0]]), np.array([0.0]), 1.7e308)
    np.testing.assert_array_equal(J, [[0.5]])
    steep = numerical_gradient(lambda v: float(np.sign(v[0]) * 1e300), np.array([0.0]), 1e-300)
    assert steep[0] == np.inf
    # on ordinary numbers the halved form is the plain formula bit for bit
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    f = lambda v: float(v @ A @ v)                      # noqa: E731
    plain = np.empty(4)
    for i in range(4):
        up, down = x.copy(), x.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        plain[i] = (f(up) - f(down)) / (2.0 * 1e-6)
    np.testing.assert_array_equal(numerical_gradient(f, x.copy(), 1e-6), plain)


def test_names_say_what_messages_call_f_and_x():
    with pytest.raises(ValueError, match=r"the loss must be a function of h\[2\]"):
        numerical_gradient(None, np.ones(2), names=("the loss", "h[2]"))
    with pytest.raises(ValueError, match="names must be two strings"):
        numerical_jacobian(np.sin, np.ones(2), names="f")
