"""No public function returns NaN or infinity for finite logits within ±1e4, in any column.

Each column of a drawn batch has its own centre anywhere in [-1e4, 1e4] and its own spread, so
one batch mixes samples near +1e4, near -1e4 and with gaps of 1e4 between classes. Functions
of the logits must return finite values, in float64 and in float32. Functions of the
probabilities get softmax(logits), whose saturated entries are exact zeros. The gradients must
stay finite there. The functions that take the log of a probability or divide by it must return
a finite value or raise the ValueError that requires positive probabilities.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import equal_up_to_rounding

import snippets
from snippets import (
    batch_grad_logits,
    batch_grad_logits_inplace,
    batch_grad_params,
    cost,
    cost_from_logits,
    cross_entropy,
    cross_entropy_from_logits,
    descent_step,
    grad_cost_probs,
    grad_logits,
    grad_logits_general,
    grad_probs,
    log_softmax,
    logsumexp,
    relu_jacobian,
    sigmoid_jacobian,
    sigmoid_vjp,
    softmax,
    softmax_jacobian,
    softmax_jacobian_elementwise,
    softmax_temperature,
    softmax_vjp,
    vector_jacobian_product,
)

LOGIT_BOUND = 1e4

# 40 examples per function and dtype: the module runs 30-odd such tests, and each example already
# mixes up to six columns of different centre and spread.
EXAMPLES = settings(max_examples=40)


@st.composite
def wide_batches(draw):
    """Draw logits (C, m) within ±1e4, one-hot labels (C, m) and their classes (m,)."""
    size, samples = draw(st.integers(2, 10)), draw(st.integers(1, 6))
    centres = draw(arrays(np.float64, samples, elements=st.floats(-LOGIT_BOUND, LOGIT_BOUND)))
    spreads = draw(arrays(np.float64, samples, elements=st.sampled_from([0.0, 1.0, 50.0, 1e4])))
    offsets = draw(arrays(np.float64, (size, samples), elements=st.floats(-1.0, 1.0)))
    logits = np.clip(centres + spreads * offsets, -LOGIT_BOUND, LOGIT_BOUND)
    classes = draw(arrays(np.int64, samples, elements=st.integers(0, size - 1)))
    return logits, np.eye(size)[:, classes], classes


def each_column(function, logits, *rest):
    return [function(*(array[:, i] for array in rest), logits[:, i]) for i in range(logits.shape[1])]


# Functions of the logits: name -> call on (logits, labels, classes). Each returns a list of
# arrays that must be finite.
OF_LOGITS = {
    "softmax": lambda z, y, t: [softmax(z)],
    "log_softmax": lambda z, y, t: [log_softmax(z)],
    "logsumexp": lambda z, y, t: [logsumexp(z)],
    "cost_from_logits": lambda z, y, t: [cost_from_logits(z, t)],
    "batch_grad_logits_inplace": lambda z, y, t: [batch_grad_logits_inplace(z.copy(), t)],
    "cross_entropy_from_logits": lambda z, y, t: each_column(cross_entropy_from_logits, z, y),
    "softmax_temperature": lambda z, y, t: [softmax_temperature(z, 0.5)],
    "sigmoid_jacobian": lambda z, y, t: [sigmoid_jacobian(column) for column in z.T],
    "relu_jacobian": lambda z, y, t: [relu_jacobian(column) for column in z.T],
    "sigmoid_vjp": lambda z, y, t: [sigmoid_vjp(np.ones_like(z), z)],
}


def descend(probs, labels):
    size, samples = labels.shape
    d_logits = batch_grad_logits(labels, probs)
    d_weights, d_bias = batch_grad_params(np.ones((2, samples)), d_logits)
    return list(descent_step(np.zeros((2, size)), np.zeros(size), d_weights, d_bias, 0.1))


# Functions of softmax(logits): name -> call on (probs, labels).
OF_PROBS = {
    "grad_logits": lambda a, y: [grad_logits(y, a)],
    "grad_logits_general": lambda a, y: [grad_logits_general(2 * y, a)],
    "batch_grad_logits": lambda a, y: [batch_grad_logits(y, a)],
    "batch_grad_params+descent_step": descend,
    "softmax_jacobian": lambda a, y: [softmax_jacobian(column) for column in a.T],
    "softmax_jacobian_elementwise": lambda a, y: [softmax_jacobian_elementwise(column) for column in a.T],
    "softmax_vjp": lambda a, y: [softmax_vjp(np.ones(a.shape[0]), column) for column in a.T],
    "vector_jacobian_product": lambda a, y: [
        vector_jacobian_product(np.ones(a.shape[0]), softmax_jacobian(column)) for column in a.T
    ],
}

# Functions that take ln a or divide by a: they reject a zero probability where a label is
# positive, and must be finite otherwise.
OF_LOG_PROBS = {
    "cross_entropy": lambda a, y: [cross_entropy(y[:, i], a[:, i]) for i in range(a.shape[1])],
    "cost": lambda a, y: [cost(y, a)],
    "grad_probs": lambda a, y: [grad_probs(y[:, i], a[:, i]) for i in range(a.shape[1])],
    "grad_cost_probs": lambda a, y: [grad_cost_probs(y, a)],
}

# Public functions that take no logits and no probabilities.
UNRELATED = {"exp_range", "grad_check", "linear_forward", "smooth_labels"}


def all_finite(results):
    return all(np.all(np.isfinite(np.asarray(result, dtype=np.float64))) for result in results)


def test_tables_cover_every_function():
    names = set()
    for table in (OF_LOGITS, OF_PROBS, OF_LOG_PROBS):
        for name in table:
            names.update(name.split("+"))

    assert names | UNRELATED == set(snippets.__all__)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", OF_LOGITS)
@EXAMPLES
@given(batch=wide_batches())
def test_function_of_logits_stays_finite(name, dtype, batch):
    logits, labels, classes = batch

    assert all_finite(OF_LOGITS[name](logits.astype(dtype), labels, classes))


@pytest.mark.parametrize("name", OF_PROBS)
@EXAMPLES
@given(batch=wide_batches())
def test_function_of_saturated_probs_stays_finite(name, batch):
    logits, labels, _ = batch

    assert all_finite(OF_PROBS[name](softmax(logits), labels))


@pytest.mark.parametrize("name", OF_LOG_PROBS)
@EXAMPLES
@given(batch=wide_batches())
def test_log_of_zero_probability_is_rejected(name, batch):
    logits, labels, _ = batch
    try:
        results = OF_LOG_PROBS[name](softmax(logits), labels)
    except ValueError as error:
        assert "positive" in str(error)
    else:
        assert all_finite(results)


# Column i of a batch result must equal the result for sample i alone: a maximum or a sum taken
# over the wrong axis mixes the samples, which matters most when their logits are 1e4 apart.
PER_COLUMN = {
    "softmax": softmax,
    "log_softmax": log_softmax,
    "logsumexp": logsumexp,
    "softmax_temperature": lambda z: softmax_temperature(z, 0.5),
}


@pytest.mark.parametrize("name", PER_COLUMN)
@EXAMPLES
@given(batch=wide_batches())
def test_batch_column_equals_single_sample(name, batch):
    logits, _, _ = batch
    function = PER_COLUMN[name]
    together = function(logits)

    for i in range(logits.shape[1]):
        alone = function(logits[:, i])
        # The batch and the single call may sum the C terms in another order. Each result is
        # rounded relative to the logits it was computed from and to the sum of exponentials,
        # which lies in [1, C].
        scale = np.abs(alone) + max(1.0, np.abs(logits[:, i]).max())
        assert equal_up_to_rounding(together[..., i], alone, scale=scale, terms=logits.shape[0])


def test_opposite_extremes_in_one_batch():
    logits = np.array([[1e4, -1e4, 1e4], [1e4 - 1, -1e4 + 1, -1e4], [0.0, -1e4, 1e4]])

    probs = softmax(logits)

    assert np.all(np.isfinite(probs))
    assert np.allclose(probs.sum(axis=0), 1)
    assert np.isclose(probs[1, 1], 1 / (1 + 2 * np.exp(-1)))
    assert np.array_equal(probs[:, 2], [0.5, 0.0, 0.5])
