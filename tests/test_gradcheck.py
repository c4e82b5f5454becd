import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient, relative_error


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
