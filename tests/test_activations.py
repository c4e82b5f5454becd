import warnings

import numpy as np
import pytest

from helpers.activations import ACTIVATIONS, get_activation

NAMES = ["tanh", "sigmoid", "relu", "linear"]


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    act = get_activation(name)
    z = np.linspace(-4, 4, 81) + 0.013  # stays off relu's kink at 0
    eps = 1e-6
    numeric = (act.f(z + eps) - act.f(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.df(z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_gamma_is_the_supremum_of_the_derivative(name):
    act = get_activation(name)
    z = np.linspace(-50, 50, 200001)
    assert np.max(np.abs(act.df(z))) == pytest.approx(act.gamma, rel=1e-9)


def test_known_values():
    assert get_activation("sigmoid").f(0.0) == 0.5
    assert get_activation("sigmoid").df(0.0) == 0.25
    assert get_activation("relu").df(np.array([0.0]))[0] == 0.0
    assert get_activation("tanh").df(0.0) == 1.0
    assert [ACTIVATIONS[n].gamma for n in NAMES] == [1.0, 0.25, 1.0, 1.0]


def test_sigmoid_saturates_without_overflow_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = get_activation("sigmoid")
        assert s.f(np.array([-1000.0]))[0] == 0.0
        assert s.f(np.array([1000.0]))[0] == 1.0
        assert s.df(np.array([-1000.0, 1000.0])).max() == 0.0
        assert s.df(np.array([10.0]))[0] == pytest.approx(np.exp(-10) / (1 + np.exp(-10)) ** 2, rel=1e-13)


def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError,
                       match=r"activation must be one of 'tanh', 'sigmoid', 'relu', 'linear'; got 'softmax'"):
        get_activation("softmax")
    with pytest.raises(ValueError, match="got None"):
        get_activation(None)


def test_activation_object_passes_through():
    act = get_activation("tanh")
    assert get_activation(act) is act


@pytest.mark.parametrize("args, name", [
    ((None, np.tanh, np.cos, 1.0), "name"),
    (("mine", "tanh", np.cos, 1.0), "f"),
    (("mine", np.tanh, None, 1.0), "df"),
    (("mine", np.tanh, np.cos, float("nan")), "gamma"),
    (("mine", np.tanh, np.cos, "1"), "gamma"),
    (("mine", np.tanh, np.cos, -1.0), "gamma"),
])
def test_an_activation_checks_what_it_is_made_of(args, name):
    from helpers.activations import Activation
    with pytest.raises(ValueError, match=f"^{name} must be"):
        Activation(*args)


def test_get_activation_names_its_argument():
    with pytest.raises(ValueError, match="activation must be one of .*got None.*name"):
        get_activation(None)
