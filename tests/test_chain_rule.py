import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import (
    equal_up_to_rounding,
    matches_finite_differences,
    numeric_directional,
    numeric_gradient,
    random_direction,
)
from strategies import (
    LABEL_KINDS,
    NEGATIVE_SEEDS,
    finite_floats,
    logits_and_labels,
    logits_and_upstream,
    moderate_case,
    num_classes,
    seeds,
    upstream_vectors,
)
from wrong_formulas import WRONG_SOFTMAX_JACOBIANS, jacobian_times_upstream

from snippets import (
    cross_entropy,
    grad_logits,
    grad_probs,
    softmax,
    softmax_jacobian,
    vector_jacobian_product,
)


def chain_product(labels, probs, jacobian_function=softmax_jacobian):
    return vector_jacobian_product(grad_probs(labels, probs), jacobian_function(probs))


def matches_grad_logits(gradient, labels, probs):
    expected = grad_logits(labels, probs)
    # Entry j adds C products, each rounded relative to y_j + a_j because the labels sum to 1.
    return equal_up_to_rounding(gradient, expected, scale=labels + probs, terms=labels.size + 2)


def loss_gradient_matches_finite_differences(gradient, logits, labels):
    def loss(z):
        return cross_entropy(labels, softmax(z))

    numeric = numeric_gradient(loss, logits)
    # The loss and the logits (rounded by the step) set the rounding scale.
    scale = max(abs(loss(logits)), np.abs(logits).max())
    return matches_finite_differences(gradient, numeric, scale)


def softmax_product_matches_directional(product, jacobian_function, logits, upstream, seed):
    direction = random_direction(np.random.default_rng(seed), logits.size)
    probs = softmax(logits)
    analytic = product(upstream, jacobian_function(probs)) @ direction
    numeric = numeric_directional(lambda z: upstream @ softmax(z), logits, direction)
    # |u . a| is at most ||u|| ||a||, which bounds the rounding of the function value.
    scale = np.linalg.norm(upstream) * np.linalg.norm(probs)
    return matches_finite_differences(analytic, numeric, scale)


def linear_product_matches_directional(product, matrix, point, upstream, seed):
    # f(z) = M z has Jacobian M, which is not symmetric.
    direction = random_direction(np.random.default_rng(seed), point.size)
    analytic = product(upstream, matrix) @ direction
    numeric = numeric_directional(lambda z: upstream @ (matrix @ z), point, direction)
    # Near the point |u . M z| is at most ||u|| ||M|| (||z|| + 1), as the direction has unit norm.
    scale = np.linalg.norm(upstream) * np.linalg.norm(matrix) * (np.linalg.norm(point) + 1)
    return matches_finite_differences(analytic, numeric, scale)


@pytest.mark.equation("eq:chain", "eq:chain-sum", "eq:grad-logits")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_chain_product_equals_grad_logits(kind, data):
    logits, labels = data.draw(logits_and_labels(kind))
    probs = softmax(logits)

    assert matches_grad_logits(chain_product(labels, probs), labels, probs)


@pytest.mark.equation("eq:chain", "eq:chain-sum", "eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_jacobian", WRONG_SOFTMAX_JACOBIANS)
def test_wrong_jacobian_chain_differs_from_grad_logits(wrong_jacobian, seed):
    logits, labels = moderate_case(seed)
    probs = softmax(logits)

    assert not matches_grad_logits(chain_product(labels, probs, wrong_jacobian), labels, probs)


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_chain_product_matches_finite_differences(kind, data):
    logits, labels = data.draw(logits_and_labels(kind))
    gradient = chain_product(labels, softmax(logits))

    assert loss_gradient_matches_finite_differences(gradient, logits, labels)


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_jacobian", WRONG_SOFTMAX_JACOBIANS)
def test_wrong_jacobian_chain_fails_finite_differences(wrong_jacobian, seed):
    logits, labels = moderate_case(seed)
    gradient = chain_product(labels, softmax(logits), wrong_jacobian)

    assert not loss_gradient_matches_finite_differences(gradient, logits, labels)


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@given(logits_and_upstream(), seeds)
def test_vector_jacobian_product_matches_directional_derivative(case, seed):
    logits, upstream = case

    assert softmax_product_matches_directional(
        vector_jacobian_product, softmax_jacobian, logits, upstream, seed
    )


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_jacobian", WRONG_SOFTMAX_JACOBIANS)
def test_wrong_jacobian_fails_directional_derivative(wrong_jacobian, seed):
    logits, _ = moderate_case(seed)
    upstream = np.random.default_rng(seed).uniform(-10, 10, logits.size)

    assert not softmax_product_matches_directional(
        vector_jacobian_product, wrong_jacobian, logits, upstream, seed
    )


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@given(st.data())
def test_vector_jacobian_product_sums_over_first_index(data):
    size = data.draw(num_classes)
    matrix = data.draw(arrays(np.float64, (size, size), elements=finite_floats(10.0)))
    point = data.draw(arrays(np.float64, size, elements=finite_floats(10.0)))
    upstream = data.draw(upstream_vectors(size))
    seed = data.draw(seeds)

    assert linear_product_matches_directional(
        vector_jacobian_product, matrix, point, upstream, seed
    )


@pytest.mark.equation("eq:chain", "eq:chain-sum")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_jacobian_times_upstream_fails_directional_derivative(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 11))
    matrix = rng.standard_normal((size, size))
    point = rng.standard_normal(size)
    upstream = rng.standard_normal(size)

    assert not linear_product_matches_directional(
        jacobian_times_upstream, matrix, point, upstream, seed
    )
