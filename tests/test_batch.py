"""Batch gradients dZ, dW, db and the descent step, checked by central differences and autograd.

The cost is J(W, b) = cost(Y, softmax(W^T X + b)). Square shapes (n = k = m) are drawn on
purpose: there a transposed dW or a bias summed over the wrong axis still has the right shape.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import equal_up_to_rounding, matches_finite_differences, numeric_gradient
from strategies import LABEL_KINDS, NEGATIVE_SEEDS, finite_floats
from test_autodiff import matches_autodiff, reference_cost, reference_softmax
from wrong_formulas import (
    batch_grad_logits_without_mean,
    batch_grad_params_bias_over_units,
    batch_grad_params_doubled_mean,
    batch_grad_params_scalar_bias,
    batch_grad_params_transposed,
    grad_logits_reversed,
)

from snippets import (
    batch_grad_logits,
    batch_grad_params,
    cost,
    descent_step,
    linear_forward,
    softmax,
)

# |W|, |X|, |b| <= 3 and n <= 6 keep every logit within 57, so no probability underflows and the
# cross-entropy stays finite.
MAX_ENTRY = 3.0
NEGATIVE_SIZE = 4


@st.composite
def batch_problems(draw, kind, square=False):
    """Draw weights (n, k), inputs (n, m), bias (k,) and labels (k, m) of the given kind."""
    if square:
        features = units = samples = draw(st.integers(2, 6))
    else:
        features = draw(st.integers(1, 6))
        units = draw(st.integers(2, 6))
        samples = draw(st.integers(1, 6))
    entries = finite_floats(MAX_ENTRY)
    weights = draw(arrays(np.float64, (features, units), elements=entries))
    inputs = draw(arrays(np.float64, (features, samples), elements=entries))
    bias = draw(arrays(np.float64, units, elements=entries))
    columns = [draw(LABEL_KINDS[kind](units)) for _ in range(samples)]
    return weights, inputs, bias, np.stack(columns, axis=1)


def moderate_problem(seed, square=True):
    """Draw a standard normal problem with one-hot labels; square means n = k = m = 4."""
    rng = np.random.default_rng(seed)
    features, units, samples = (NEGATIVE_SIZE,) * 3 if square else (3, 5, 4)
    weights = rng.standard_normal((features, units))
    inputs = rng.standard_normal((features, samples))
    bias = rng.standard_normal(units)
    labels = np.eye(units)[:, rng.integers(0, units, size=samples)]
    return weights, inputs, bias, labels


def forward(weights, inputs, bias):
    return softmax(linear_forward(weights, inputs, bias))


def cost_of_logits(logits, labels):
    # The mean cross-entropy in plain NumPy: the snippet cost() checks every column, which made
    # the thousands of calls of the difference quotients slow.
    shifted = logits - logits.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.sum(labels * log_probs) / logits.shape[1]


def d_logits_match_differences(d_logits, logits, labels):
    def cost_of_flat(flat):
        return cost_of_logits(flat.reshape(logits.shape), labels)

    numeric = numeric_gradient(cost_of_flat, logits.ravel()).reshape(logits.shape)
    # The cost and the logits (rounded by the step) set the rounding scale.
    scale = max(abs(cost_of_flat(logits.ravel())), np.abs(logits).max())
    return d_logits.shape == logits.shape and matches_finite_differences(d_logits, numeric, scale)


def params_match_differences(d_weights, d_bias, weights, inputs, bias, labels):
    if np.shape(d_weights) != weights.shape or np.shape(d_bias) != bias.shape:
        return False

    def cost_of_params(flat):
        new_weights = flat[: weights.size].reshape(weights.shape)
        return cost_of_logits(new_weights.T @ inputs + flat[weights.size :, None], labels)

    params = np.concatenate([weights.ravel(), bias])
    numeric = numeric_gradient(cost_of_params, params)
    analytic = np.concatenate([d_weights.ravel(), d_bias])
    logits = linear_forward(weights, inputs, bias)
    # A step in W moves the logits by up to |X| times the step, so |X| scales the rounding too.
    scale = max(abs(cost_of_params(params)), np.abs(logits).max()) * max(1.0, np.abs(inputs).max())
    return matches_finite_differences(analytic, numeric, scale)


def params_match_autodiff(d_weights, d_bias, weights, inputs, bias, labels):
    if np.shape(d_weights) != weights.shape or np.shape(d_bias) != bias.shape:
        return False

    def reference(w, b):
        return reference_cost(labels, reference_softmax(anp.dot(w.T, inputs) + b[:, None]))

    expected_weights = grad(reference, 0)(weights, bias)
    expected_bias = grad(reference, 1)(weights, bias)
    probs = forward(weights, inputs, bias)
    samples = inputs.shape[1]
    # Each entry of dW sums m products X_ik dZ_jk, rounded relative to |X| |A| / m.
    scale = np.linalg.norm(probs) / samples * max(1.0, np.linalg.norm(inputs))
    return matches_autodiff(d_weights, expected_weights, scale) and matches_autodiff(
        d_bias, expected_bias, scale
    )


def gradients(weights, inputs, bias, labels):
    d_logits = batch_grad_logits(labels, forward(weights, inputs, bias))
    return batch_grad_params(inputs, d_logits)


@pytest.mark.equation("eq:batch-dz")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_batch_grad_logits_matches_finite_differences(kind, data):
    weights, inputs, bias, labels = data.draw(batch_problems(kind))
    logits = linear_forward(weights, inputs, bias)

    assert d_logits_match_differences(batch_grad_logits(labels, softmax(logits)), logits, labels)


@pytest.mark.equation("eq:batch-dz")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_batch_grad_logits_without_mean_fails(seed):
    weights, inputs, bias, labels = moderate_problem(seed)
    logits = linear_forward(weights, inputs, bias)
    d_logits = batch_grad_logits_without_mean(labels, softmax(logits))

    assert not d_logits_match_differences(d_logits, logits, labels)


@pytest.mark.equation("eq:batch-dw", "eq:batch-db")
@pytest.mark.parametrize("square", [False, True], ids=["any", "square"])
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_batch_grad_params_matches_finite_differences(kind, square, data):
    problem = data.draw(batch_problems(kind, square=square))

    assert params_match_differences(*gradients(*problem), *problem)


@pytest.mark.equation("eq:batch-dw", "eq:batch-db")
@pytest.mark.parametrize("square", [False, True], ids=["any", "square"])
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_batch_grad_params_matches_autodiff(kind, square, data):
    problem = data.draw(batch_problems(kind, square=square))

    assert params_match_autodiff(*gradients(*problem), *problem)


WRONG_PARAMS = [
    batch_grad_params_transposed,
    batch_grad_params_bias_over_units,
    batch_grad_params_scalar_bias,
    batch_grad_params_doubled_mean,
]


@pytest.mark.equation("eq:batch-dw", "eq:batch-db")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong", WRONG_PARAMS, ids=lambda function: function.__name__)
def test_wrong_batch_grad_params_fail_at_square_shapes(wrong, seed):
    weights, inputs, bias, labels = problem = moderate_problem(seed)
    d_logits = batch_grad_logits(labels, forward(weights, inputs, bias))
    d_weights, d_bias = wrong(inputs, d_logits)

    assert not params_match_differences(d_weights, d_bias, *problem)
    assert not params_match_autodiff(d_weights, d_bias, *problem)


@pytest.mark.equation("eq:batch-db")
@pytest.mark.parametrize("units", [2, 3, 7])
@pytest.mark.parametrize("samples", [1, 3])
def test_batch_grad_bias_has_one_entry_per_unit(units, samples):
    rng = np.random.default_rng(units * 10 + samples)
    d_logits = rng.standard_normal((units, samples))

    _, d_bias = batch_grad_params(rng.standard_normal((2, samples)), d_logits)

    assert d_bias.shape == (units,)


@pytest.mark.equation("eq:descent-step")
@given(batch_problems("one-hot"), st.floats(1e-3, 10.0))
def test_descent_step_moves_against_gradient(problem, learning_rate):
    weights, inputs, bias, labels = problem
    d_weights, d_bias = gradients(*problem)

    new_weights, new_bias = descent_step(weights, bias, d_weights, d_bias, learning_rate)

    # One multiplication and one subtraction, each correctly rounded.
    step_weights = np.abs(weights) + learning_rate * np.abs(d_weights)
    step_bias = np.abs(bias) + learning_rate * np.abs(d_bias)
    expected_weights = weights - learning_rate * d_weights
    expected_bias = bias - learning_rate * d_bias
    assert equal_up_to_rounding(new_weights, expected_weights, step_weights, terms=2)
    assert equal_up_to_rounding(new_bias, expected_bias, step_bias, terms=2)


def cost_after_step(problem, d_weights, d_bias, learning_rate):
    weights, inputs, bias, labels = problem
    new_weights, new_bias = descent_step(weights, bias, d_weights, d_bias, learning_rate)
    return cost(labels, forward(new_weights, inputs, new_bias))


# A small step: J is smooth, so along -gradient it falls by about rate * |gradient|^2.
SMALL_RATE = 0.1


@pytest.mark.equation("eq:descent-step", "eq:batch-dz")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_descent_step_lowers_cost(seed):
    weights, inputs, bias, labels = problem = moderate_problem(seed, square=False)
    before = cost(labels, forward(weights, inputs, bias))

    after = cost_after_step(problem, *gradients(*problem), SMALL_RATE)

    assert after < before


@pytest.mark.equation("eq:descent-step", "eq:batch-dz")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_descent_step_with_reversed_gradient_raises_cost(seed):
    weights, inputs, bias, labels = problem = moderate_problem(seed, square=False)
    before = cost(labels, forward(weights, inputs, bias))
    # y - a in place of a - y, divided by m as in dZ.
    d_logits = grad_logits_reversed(labels, forward(weights, inputs, bias)) / inputs.shape[1]

    after = cost_after_step(problem, *batch_grad_params(inputs, d_logits), SMALL_RATE)

    assert after > before


@pytest.mark.equation("eq:batch-dz")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_grad_logits_takes_wide_softmax_output(dtype):
    # A float32 column of 1000 probabilities misses a sum of 1 by 1e-7 to 1e-6, far above float64's
    # sqrt(eps) of 1.5e-8, so the tolerance must come from the dtype of probs.
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((1000, 3)).astype(dtype)
    shifted = np.exp(logits - logits.max(axis=0))
    probs = shifted / shifted.sum(axis=0)
    labels = np.eye(1000)[:, [0, 500, 999]]

    d_logits = batch_grad_logits(labels, probs)

    assert d_logits.shape == (1000, 3)
    assert np.allclose(d_logits, (probs.astype(float) - labels) / 3)
