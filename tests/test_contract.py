"""The input contract shared by every public snippet function, checked by mutating valid calls.

Each function gets one valid call below. Every array argument of that call is then broken in
turn: one more dimension, a NaN, an infinity, no entries, or (with two or more arrays) a shape
that no longer matches the others. Every broken call must raise ValueError whose message names
the argument at fault. The hand-written tables in test_bad_input.py check the exact messages;
this sweep checks that no argument of any function was forgotten.
"""

import numpy as np
import pytest

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
    grad_check,
    grad_cost_probs,
    grad_logits,
    grad_logits_general,
    grad_probs,
    linear_forward,
    log_softmax,
    logsumexp,
    relu_jacobian,
    sigmoid_jacobian,
    sigmoid_vjp,
    smooth_labels,
    softmax,
    softmax_jacobian,
    softmax_jacobian_elementwise,
    softmax_temperature,
    softmax_vjp,
    vector_jacobian_product,
)

# Three classes and two samples, with probabilities that are a softmax output.
LOGITS = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 3.0]])
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=0)
LABELS = np.eye(3)[:, [0, 2]]
CLASSES = np.array([0, 2])
UPSTREAM = np.array([0.5, -1.0, 2.0])


def squared_norm(point):
    return float(np.sum(point**2))


# function -> (valid arguments, positions of the array arguments). Each valid call uses the
# largest number of dimensions the function accepts, so one more dimension is always invalid.
VALID_CALLS = {
    batch_grad_logits: ((LABELS, PROBS), (0, 1)),
    # It overwrites its logits, so it gets an array of its own: a valid call leaves dZ there,
    # which is finite and still valid, and every mutation below makes a new array or a view.
    batch_grad_logits_inplace: ((np.array(LOGITS), CLASSES), (0, 1)),
    batch_grad_params: ((np.ones((4, 2)), PROBS - LABELS), (0, 1)),
    cost: ((LABELS, PROBS), (0, 1)),
    cost_from_logits: ((LOGITS, CLASSES), (0, 1)),
    cross_entropy: ((LABELS[:, 0], PROBS[:, 0]), (0, 1)),
    cross_entropy_from_logits: ((LABELS[:, 0], LOGITS[:, 0]), (0, 1)),
    descent_step: ((np.ones((4, 3)), np.ones(3), np.ones((4, 3)), np.ones(3), 0.1), (0, 1, 2, 3)),
    grad_check: ((squared_norm, LOGITS, 2 * LOGITS), (1, 2)),
    grad_cost_probs: ((LABELS, PROBS), (0, 1)),
    grad_logits: ((LABELS, PROBS), (0, 1)),
    grad_logits_general: ((LABELS, PROBS), (0, 1)),
    grad_probs: ((LABELS[:, 0], PROBS[:, 0]), (0, 1)),
    linear_forward: ((np.ones((4, 3)), np.ones((4, 2)), np.ones(3)), (0, 1, 2)),
    log_softmax: ((LOGITS,), (0,)),
    logsumexp: ((LOGITS,), (0,)),
    relu_jacobian: ((LOGITS[:, 0],), (0,)),
    sigmoid_jacobian: ((LOGITS[:, 0],), (0,)),
    sigmoid_vjp: ((LOGITS, LOGITS), (0, 1)),
    smooth_labels: ((LABELS, 0.1), (0,)),
    softmax: ((LOGITS,), (0,)),
    softmax_jacobian: ((PROBS[:, 0],), (0,)),
    softmax_jacobian_elementwise: ((PROBS[:, 0],), (0,)),
    softmax_temperature: ((LOGITS, 2.0), (0,)),
    softmax_vjp: ((UPSTREAM, PROBS[:, 0]), (0, 1)),
    vector_jacobian_product: ((UPSTREAM, np.eye(3)), (0, 1)),
}

# Functions without an array argument, checked by their own tables.
NO_ARRAY_ARGUMENTS = {"exp_range"}


def argument_name(function, position):
    return function.__code__.co_varnames[position]


def with_argument(arguments, position, value):
    return arguments[:position] + (value,) + arguments[position + 1 :]


def put_entry(array, value):
    broken = np.array(array, dtype=float)
    broken.flat[0] = value
    return broken


MUTATIONS = {
    "extra dimension": lambda array: np.asarray(array)[..., None],
    "nan": lambda array: put_entry(array, np.nan),
    "infinity": lambda array: put_entry(array, np.inf),
    "no entries": lambda array: np.asarray(array)[..., :0],
}

CASES = [
    pytest.param(
        function,
        position,
        mutation,
        id=f"{function.__name__}-{argument_name(function, position)}-{mutation}",
    )
    for function, (_, positions) in VALID_CALLS.items()
    for position in positions
    for mutation in MUTATIONS
]


def test_valid_calls_succeed():
    for function, (arguments, _) in VALID_CALLS.items():
        function(*arguments)


def test_valid_calls_cover_every_function():
    covered = {function.__name__ for function in VALID_CALLS} | NO_ARRAY_ARGUMENTS

    assert covered == set(snippets.__all__)


@pytest.mark.parametrize(("function", "position", "mutation"), CASES)
def test_broken_argument_is_named(function, position, mutation):
    arguments, _ = VALID_CALLS[function]
    broken = MUTATIONS[mutation](arguments[position])

    with pytest.raises(ValueError) as raised:
        function(*with_argument(arguments, position, broken))

    assert argument_name(function, position) in str(raised.value)


# Arguments whose last axis may take any length: the number of samples of linear_forward's
# inputs. Their first axis, the features, must match the weights.
FREE_LAST_AXIS = {(linear_forward, "inputs")}


def shorten(function, position, array):
    array = np.asarray(array)
    if (function, argument_name(function, position)) in FREE_LAST_AXIS:
        return array[:-1]
    return array[..., :-1]


def mismatch_cases():
    for function, (_, positions) in VALID_CALLS.items():
        if len(positions) < 2:
            continue
        for position in positions:
            name = f"{function.__name__}-{argument_name(function, position)}"
            yield pytest.param(function, position, id=name)


@pytest.mark.parametrize(("function", "position"), list(mismatch_cases()))
def test_mismatched_shape_is_reported(function, position):
    arguments, _ = VALID_CALLS[function]
    shorter = shorten(function, position, arguments[position])

    with pytest.raises(ValueError) as raised:
        function(*with_argument(arguments, position, shorter))

    # The message gives the shortened shape, or the shape it now requires of another argument,
    # as in "bias has shape (3,), expected (2,)".
    message = str(raised.value)
    assert str(shorter.shape) in message or f"expected ({shorter.shape[-1]},)" in message
