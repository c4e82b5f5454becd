"""The shared input checks and overflow-safe reductions of helpers/_validate.py."""
import math

import numpy as np
import pytest

from helpers._validate import (
    as_float_array,
    flag,
    overflow_as_inf,
    positive_int,
    real,
    scaled_cosine,
    scaled_norm,
    seed,
)


@pytest.mark.parametrize("factor", [1.0, 1e-200, 1e200, 1e-300, 1e300])
def test_scaled_norm_neither_overflows_nor_underflows(factor):
    a, b = np.array([3.0, 0.0]), np.array([[4.0]])
    assert scaled_norm([a * factor, b * factor]) == pytest.approx(5.0 * factor, rel=1e-15)


def test_scaled_norm_agrees_with_the_plain_formula_on_ordinary_input():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in ((4, 3), (4, 4), (4,))]
    plain = math.sqrt(sum(float(np.sum(a * a)) for a in arrays))
    assert scaled_norm(arrays) == pytest.approx(plain, rel=1e-15)


def test_scaled_norm_edge_values():
    assert scaled_norm([np.zeros(3)]) == 0.0
    assert scaled_norm([np.empty(0)]) == 0.0
    assert scaled_norm([np.array([1.0, np.inf])]) == np.inf
    assert np.isnan(scaled_norm([np.array([1.0, np.nan])]))
    assert scaled_norm([np.full(4, 1e308)]) == np.inf          # the true norm, 2e308, is beyond float64


@pytest.mark.parametrize("factor", [1.0, 1e-200, 1e200])
def test_scaled_cosine_at_any_scale(factor):
    a, b = [np.array([1.0, 0.0])], [np.array([1.0, 1.0])]
    assert scaled_cosine([x * factor for x in a], [x / factor for x in b]) == pytest.approx(2 ** -0.5, rel=1e-15)


def test_scaled_cosine_refuses_a_zero_vector():
    with pytest.raises(ValueError, match="zero gradient"):
        scaled_cosine([np.zeros(2)], [np.ones(2)])


def test_overflow_as_inf_replaces_only_nan():
    out = overflow_as_inf(np.array([1.0, np.nan, -np.inf]))
    assert out.tolist() == [1.0, np.inf, -np.inf]


@pytest.mark.parametrize("value, message", [
    ("3", "x must be an array of numbers with shape (2,), got '3'"),
    (np.array(["1", "2"]), "x must be an array of numbers with shape (2,), got an array of <U1"),
    (np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"), "got an array of datetime64[D]"),
    (np.array([1 + 1j, 2]), "x must hold real numbers"),
    (None, "x must be an array of numbers with shape (2,), got None"),
    ({"a": 1}, "got a dict"),
    ([1.0, np.nan], "x contains NaN or inf"),
])
def test_as_float_array_refuses_what_is_not_numbers(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        as_float_array("x", value, (2,))


def test_as_float_array_lets_inf_and_nan_through_only_when_asked():
    assert as_float_array("x", [1.0, np.inf], (2,), finite=False)[1] == np.inf
    with pytest.raises(ValueError, match="x contains NaN"):
        as_float_array("x", [1.0, np.nan], (2,), finite=False)
    assert np.isnan(as_float_array("x", [1.0, np.nan], (2,), finite=False, nan=True)[1])


@pytest.mark.parametrize("bad", [None, "1", True, -1.5, 0, complex(1, 1), np.nan, np.inf])
def test_real_refuses_what_is_not_a_real_number(bad):
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        real("lr", bad, positive=True)


def test_real_bounds_and_inf():
    assert real("c", np.float32(2.5), minimum=0, maximum=3) == 2.5
    assert real("c", np.inf, finite=False) == np.inf
    with pytest.raises(ValueError, match="c must be a finite number >= 0 and <= 3, got 4"):
        real("c", 4, minimum=0, maximum=3)


@pytest.mark.parametrize("bad", [None, 0.5, -1, True, "0"])
def test_seed_is_an_integer_from_zero(bad):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        seed("seed", bad)
    assert seed("seed", np.int64(3)) == 3


def test_positive_int_and_flag():
    with pytest.raises(ValueError, match="T must be an integer from 1 to 5, got 6"):
        positive_int("T", 6, maximum=5)
    with pytest.raises(ValueError, match="live must be True or False, got 'no'"):
        flag("live", "no")
    assert flag("live", np.bool_(False)) is False


def test_scaled_reductions_are_bit_for_bit_the_plain_ones_on_ordinary_input():
    rng = np.random.default_rng(1)
    for _ in range(50):
        a = [rng.standard_normal((3, 4)) * 10.0 ** rng.uniform(-5, 5), rng.standard_normal(4)]
        b = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
        plain_a = np.sqrt(sum(float(np.sum(np.square(x))) for x in a))
        plain_b = np.sqrt(sum(float(np.sum(np.square(x))) for x in b))
        assert scaled_norm(a) == plain_a
        dot = sum(float(np.sum(x * y)) for x, y in zip(a, b, strict=True))
        assert scaled_cosine(a, b) == dot / (plain_a * plain_b)


def test_scaled_norm_of_inf_beside_huge_finite_entries_is_inf_without_a_warning():
    assert scaled_norm([np.array([1e300, np.inf]), np.array([1e200])]) == np.inf


def test_row_norms_are_numpys_where_it_stays_in_range_and_honest_beyond():
    from helpers._validate import row_norms
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 5, 4)) * 10.0 ** rng.uniform(-3, 3, (3, 5, 1))
    np.testing.assert_array_equal(row_norms(a), np.linalg.norm(a, axis=-1))
    rows = np.array([[3e200, 4e200], [3e-200, 4e-200], [0.0, 0.0], [1.0, np.inf], [1.0, np.nan], [1.5e308, 1.5e308]])
    out = row_norms(rows)
    np.testing.assert_allclose(out[:3], [5e200, 5e-200, 0.0], rtol=1e-15)
    assert out[3] == np.inf and np.isnan(out[4]) and out[5] == np.inf


def test_check_targets_names_x_and_y():
    from helpers._validate import check_targets
    with pytest.raises(ValueError, match=r"x has T = 3 steps and B = 2 sequences \(shape \(3, 2, 1\)\) but y has "
                                         r"T = 4 steps"):
        check_targets(np.zeros((3, 2, 1)), np.zeros((4, 2, 5)), "mse", 5)
    check_targets(np.zeros((3, 2, 1)), np.zeros((3, 2)), "softmax", 5)


def test_reals_refuses_bools():
    from helpers._validate import reals
    with pytest.raises(ValueError, match="w must be a finite number or an array of them, got True"):
        reals("w", True)
    np.testing.assert_array_equal(reals("w", [1, 2]), [1.0, 2.0])
