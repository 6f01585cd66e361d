import numpy as np
import pytest
from hypothesis import given
from numdiff import is_diagonal, matches_finite_differences, numeric_jacobian
from strategies import NEGATIVE_SEEDS, logit_vectors, logits_away_from_zero, num_classes
from wrong_formulas import relu_jacobian_from_activation, sigmoid_jacobian_like_softmax

from snippets import relu_jacobian, sigmoid_jacobian


def sigmoid(logits):
    # No overflow: exp(-z) stays below e**30 for logits within ±30.
    return 1 / (1 + np.exp(-logits))


def relu(logits):
    return np.maximum(logits, 0)


def matches_elementwise_differences(jacobian, activation, logits):
    numeric = numeric_jacobian(activation, logits)
    # The activation values and the logits (rounded by the step) set the rounding scale.
    scale = max(np.linalg.norm(activation(logits)), np.abs(logits).max())
    return matches_finite_differences(jacobian, numeric, scale)


def moderate_logits(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(int(rng.integers(3, 11)))


@pytest.mark.equation("eq:sigmoid-jac", "eq:relu-jac")
@pytest.mark.parametrize("jacobian_function", [sigmoid_jacobian, relu_jacobian])
@given(logits=logit_vectors)
def test_activation_jacobian_is_diagonal(jacobian_function, logits):
    assert is_diagonal(jacobian_function(logits))


@pytest.mark.equation("eq:sigmoid-jac")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_softmax_form_sigmoid_jacobian_is_not_diagonal(seed):
    assert not is_diagonal(sigmoid_jacobian_like_softmax(moderate_logits(seed)))


@pytest.mark.equation("eq:sigmoid-jac")
@given(logit_vectors)
def test_sigmoid_jacobian_matches_finite_differences(logits):
    assert matches_elementwise_differences(sigmoid_jacobian(logits), sigmoid, logits)


@pytest.mark.equation("eq:sigmoid-jac")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_softmax_form_sigmoid_jacobian_fails_finite_differences(seed):
    logits = moderate_logits(seed)
    jacobian = sigmoid_jacobian_like_softmax(logits)

    assert not matches_elementwise_differences(jacobian, sigmoid, logits)


@pytest.mark.equation("eq:relu-jac")
@given(num_classes.flatmap(logits_away_from_zero))
def test_relu_jacobian_matches_finite_differences(logits):
    assert matches_elementwise_differences(relu_jacobian(logits), relu, logits)


@pytest.mark.equation("eq:relu-jac")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_relu_activation_as_jacobian_fails_finite_differences(seed):
    logits = moderate_logits(seed)
    jacobian = relu_jacobian_from_activation(logits)

    assert not matches_elementwise_differences(jacobian, relu, logits)
