"""Spectra of square matrices (helpers.linalg): spectral radius, largest singular value, the
spectrum and the norms of matrix powers, against closed forms; and check_square's messages."""
import numpy as np
import pytest

from helpers import linalg


def test_spectral_radius_and_largest_singular_value_closed_forms():
    # [[a, c], [0, a]]: eigenvalue a (twice); σ₁ = (c + √(c² + 4a²)) / 2.
    a, c = 0.9, 3.0
    A = np.array([[a, c], [0.0, a]])
    assert linalg.spectral_radius(A) == pytest.approx(a, rel=1e-7)
    assert linalg.largest_singular_value(A) == pytest.approx((c + np.sqrt(c * c + 4 * a * a)) / 2, rel=1e-12)
    R = np.array([[0.0, -2.0], [2.0, 0.0]])                    # 2 × a rotation by 90°: normal
    assert linalg.spectral_radius(R) == pytest.approx(2.0)
    assert linalg.largest_singular_value(R) == pytest.approx(2.0)


def test_spectrum_of_a_known_matrix():
    W = np.array([[0.0, -2.0], [0.5, 0.0]])                  # λ = ±i, singular values 2 and 0.5
    ev, sv = linalg.spectrum(W)
    np.testing.assert_allclose(sorted(ev, key=lambda z: z.imag), [-1j, 1j], atol=1e-15)
    np.testing.assert_allclose(sv, [2.0, 0.5], rtol=1e-15)
    with pytest.raises(ValueError, match=r"W must have shape \(2, 2\), got shape \(2, 3\)"):
        linalg.spectrum(np.ones((2, 3)))


def test_matrix_power_norms_overflow_to_inf_without_nan():
    norms = linalg.matrix_power_norms(20.0 * np.eye(3), 300)
    assert norms[200] == pytest.approx(20.0 ** 200, rel=1e-9)
    assert np.isinf(norms[-1]) and not np.isnan(norms).any()
    assert linalg.matrix_power_norms(np.zeros((2, 2)), 3).tolist() == [1.0, 0.0, 0.0, 0.0]


# ----------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, message", [
    (lambda: linalg.spectral_radius(np.ones((2, 3))), "W must have shape (2, 2), got shape (2, 3)"),
    (lambda: linalg.largest_singular_value([[1.0, np.nan], [0.0, 1.0]]), "W contains NaN or inf"),
    (lambda: linalg.matrix_power_norms(np.ones((2, 3)), 3), "A must have shape (2, 2), got shape (2, 3)"),
    (lambda: linalg.matrix_power_norms(np.eye(2), -1), "k_max must be an integer >= 0, got -1"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_matrix_power_norms_overflow_to_inf_without_warnings():
    np.testing.assert_array_equal(linalg.matrix_power_norms(np.full((3, 3), 1e308), 3), [1.0, np.inf, np.inf, np.inf])


def test_check_square_needs_a_name():
    with pytest.raises(ValueError, match="name must be a string"):
        linalg.check_square(None, np.eye(2))
